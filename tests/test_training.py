"""The answering models' training (``scripts/train_answering.py``) on the real devset store: what it writes is what
answering loads, and its cross-evaluation answers each question once, with models trained without it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from api.engine.features import GATE_FEATURES, GATE_SIGNS
from api.engine.learned import load_models
from api.engine.plan import analyse
from api.engine.retrieval import (
    candidates,
    gate_rows,
    group_terms,
    plan_groups,
    question_terms_of,
    rank_candidates,
)
from api.evaluation import load_all
from core.types import SearchFilters
from tests.script_modules import load_script
from vectorstore.hybrid import HybridRetriever

train = load_script("train_answering")


def test_training_writes_what_answering_loads_and_cross_evaluates_on_unseen_questions(real_library, tmp_path) -> None:
    # Every sixth question of the parts training reads: enough of each kind for five folds, quick to train.
    questions = load_all(("sample", "tuning"))[::6]
    assert all(q.part != "test" for q in questions)
    retriever = HybridRetriever(real_library)
    examples = train.collect(retriever, questions)
    artifact = train.fit(examples, retriever, verbose=False)
    train.write(artifact, tmp_path / "models.json")
    models = load_models(tmp_path / "models.json")
    assert 0.0 < models.gate.threshold < 1.0
    for name, coef in zip(models.gate.features, models.gate.coef, strict=True):
        assert coef * GATE_SIGNS[name] >= 0, name
    assert json.loads((tmp_path / "models.json").read_text())["trained_on"].startswith(f"{len(questions)} questions")

    before = real_library.settings
    figures = train.cross_evaluate(real_library, retriever, questions, examples, tmp_path / "folds")
    assert real_library.settings is before  # the fold models were borrowed, not left behind
    assert len(list((tmp_path / "folds").glob("fold-*.json"))) == train.FOLDS
    parts = {name: part for name, part in figures["parts"].items() if "/" not in name}
    assert sum(part["questions"] for part in parts.values()) == len(questions)
    assert set(parts) == {"sample", "tuning"}


def test_the_gate_reads_a_compound_topic_part_by_part_and_keeps_the_best_verdict(real_library) -> None:
    retriever = HybridRetriever(real_library)
    models = load_models()
    question = ("Berapa besaran insentif pemungutan pajak dan bagaimana tata cara pembayaran insentif menurut "
                "Pergub DKI Jakarta Nomor 41 Tahun 2022?")
    plan = analyse(retriever, question, SearchFilters())
    groups = plan_groups(plan, SearchFilters())
    terms = group_terms(retriever, question_terms_of(retriever, plan), groups[0], groups)
    ranked = rank_candidates(candidates(retriever, plan, groups[0], terms, real_library.settings.answer), plan,
                             terms, models)
    rows = gate_rows(ranked.probs, ranked.hits, ranked.coverages, plan, terms, models.sentence.probability)
    assert len(rows) == 3  # the question, then each of its two parts
    assert ranked.answerable == max(models.gate.probability(row) for row in rows)


def test_a_coefficient_keeps_the_sign_its_feature_means_and_a_free_one_fits_as_sklearn_does() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 3))
    # The second feature, correlated with the first, pulls against the label once the first is known.
    x[:, 1] = x[:, 0] + 0.3 * rng.normal(size=400)
    y = (2 * x[:, 0] - x[:, 1] + rng.normal(size=400) > 0).astype(int)
    free = LogisticRegression(C=0.3, max_iter=2000, class_weight="balanced").fit(x, y)
    assert free.coef_[0][1] < 0
    held = train._fit(x, y, 0.3, [1, 1, 0])
    assert held.coef_[0][1] >= 0 and held.coef_[0][0] > 0
    unconstrained = train._fit(x, y, 0.3, [0, 0, 0])
    assert np.allclose(unconstrained.coef_, free.coef_, atol=1e-3)
    assert len(train._signs(GATE_FEATURES, GATE_SIGNS)) == len(GATE_FEATURES)
    with pytest.raises(ValueError, match="top_porb"):
        train._signs(GATE_FEATURES, {"top_porb": 1})


def test_gate_only_training_keeps_the_bundled_passage_and_sentence_models_as_they_are() -> None:
    bundled = json.loads(train.ARTIFACT.read_text(encoding="utf-8"))
    passage = train._kept(bundled, "passage", train.PASSAGE_FEATURES)
    sentence = train._kept(bundled, "sentence", train.SENTENCE_FEATURES)
    assert passage == load_models().passage and sentence == load_models().sentence
    # A kept model from an older version's features cannot be read beside this version's gate.
    older = {**bundled, "sentence": {**bundled["sentence"], "features": bundled["sentence"]["features"][:-1]}}
    with pytest.raises(ValueError, match="without --gate-only"):
        train._kept(older, "sentence", train.SENTENCE_FEATURES)
