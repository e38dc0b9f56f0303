"""Train the answer engine's learned decisions on the TUNING questions only, and print cross-validated figures.

    python scripts/train_answering.py                       # store in BK_STORE__DATA_DIR (or ./data)
    python scripts/train_answering.py --out /tmp/model.json # try a model without replacing the bundled one
    python scripts/train_answering.py --out /tmp/model.json --cross-evaluate
                                                            # and the pipeline's figures on unseen questions
    python scripts/train_answering.py --gate-only           # the gate alone, beside the bundled passage and
                                                            # sentence models (a new gate feature)

The store must hold the sample corpus (``documents/``) and the real-regulation devset
(``tests/devset/regulations/``). The questions are the ``sample`` devset and the ``tuning`` part of the real one;
the ``test`` part is never read here. Three logistic regressions (``api/engine/learned.py``):

- passage: does a fused candidate hold the expected evidence? Re-ranks the candidates.
- sentence: does a sentence of the best passages hold a key fact? Picks the quoted sentences.
- gate: is the question answerable from its re-ranked evidence? It reads the sentence model's verdict on the best
  passages' sentences, so it is trained last. Its threshold is the one that misses the issue's two refusal
  targets by the least, on out-of-fold verdicts taken as answering takes them (the best over a compound topic's
  parts; a question answered when any of its groups is).

Each coefficient keeps the sign its feature's meaning gives it (``api.engine.features.GATE_SIGNS`` and its
two siblings; a bounded L-BFGS fit of the same objective), so correlated features cannot learn a rule the other
way round from a few hundred questions. Each model's regularisation is chosen by grouped cross-validation
(questions of one group never straddle folds), and the out-of-fold figures are printed beside the untrained
order's. Those figures judge one decision at a time; ``--cross-evaluate`` judges the whole pipeline on questions
its models never saw, which is what a change to a learned model is chosen on: models trained on the tuning part
score it in-sample with ``python -m api.evaluation --split tuning``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from api.engine.extractive import Evidence, Scoring, sentence_rows
from api.engine.features import (
    GATE_FEATURES,
    GATE_SIGNS,
    PASSAGE_FEATURES,
    PASSAGE_SIGNS,
    SENTENCE_FEATURES,
    SENTENCE_SIGNS,
    Terms,
)
from api.engine.learned import ARTIFACT, FORMAT, AnsweringModels, LinearModel
from api.engine.plan import QueryPlan, analyse
from api.engine.retrieval import (
    Candidates,
    candidates,
    described_words,
    gate_rows,
    group_terms,
    plan_groups,
    question_terms_of,
    ranked_last,
)
from api.evaluation import Question, figures_of, load_all, norm, report, score_question
from core.settings import get_settings
from core.types import SearchFilters
from vectorstore.hybrid import HybridRetriever
from vectorstore.library import Library

FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
TOP = 5


@dataclass
class Example:
    """One question's group: its candidates, which hold the evidence, and what the question is."""

    question: Question
    qid: int
    found: Candidates
    labels: list[int]
    plan: QueryPlan
    terms: Terms
    filenames: dict[str, str]


def collect(retriever: HybridRetriever, questions: Sequence[Question]) -> list[Example]:
    settings = retriever.library.settings.answer
    filenames = {m.doc_id: m.filename for m in retriever.documents().values()}
    examples = []
    for qid, q in enumerate(questions):
        plan = analyse(retriever, q.question, SearchFilters())
        terms = question_terms_of(retriever, plan)
        groups = plan_groups(plan, SearchFilters())
        for group in groups:
            own_terms = group_terms(retriever, terms, group, groups)
            found = candidates(retriever, plan, group, own_terms, settings)
            labels = [int(any(filenames.get(h.passage.doc_id) == e["file"] and norm(e["contains"]) in
                              norm(h.passage.text) for e in q.expected_evidence)) for h in found.hits]
            examples.append(Example(q, qid, found, labels, plan, own_terms, filenames))
    return examples


def _fit(x: np.ndarray, y: np.ndarray, c: float, signs: Sequence[int]) -> LogisticRegression:
    """A logistic regression whose coefficients keep the signs their features' meaning gives them
    (``api.engine.features.GATE_SIGNS`` …)."""
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    return _signed(model.fit(x, y), x, y, c, signs)


def _signs(features: tuple[str, ...], prior: dict[str, int]) -> list[int]:
    """Each feature's sign (0, free, for one the prior leaves out); a prior naming no feature is a typo that
    would hold nothing."""
    unknown = set(prior) - set(features)
    if unknown:
        raise ValueError(f"Signs given for features no model has: {sorted(unknown)}")
    return [prior.get(name, 0) for name in features]


def _signed(model: LogisticRegression, x: np.ndarray, y: np.ndarray, c: float,
            signs: Sequence[int]) -> LogisticRegression:
    """The same objective as ``model`` (balanced log-loss, L2 at ``c``), each coefficient held to its sign
    (+1, -1, or 0 for free): L-BFGS-B with bounds, started from the unconstrained fit clipped to them."""
    weights = len(y) / (2 * np.bincount(y, minlength=2))[y]
    sign = np.array(signs, dtype=float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta[:-1] + theta[-1]
        p = expit(z)
        value = c * float(np.sum(weights * (np.logaddexp(0, z) - y * z))) + 0.5 * float(theta[:-1] @ theta[:-1])
        residual = c * weights * (p - y)
        grad = np.append(x.T @ residual + theta[:-1], residual.sum())
        return value, grad

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in sign] + [(None, None)]
    start = np.append(np.where(sign * model.coef_[0] < 0, 0.0, model.coef_[0]), model.intercept_[0])
    theta = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
    model.coef_, model.intercept_ = theta[None, :-1], theta[-1:]
    return model


def _linear(model: LogisticRegression, features: tuple[str, ...], threshold: float = 0.5) -> LinearModel:
    return LinearModel(features, tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]), threshold)


def _folds(groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    return list(GroupKFold(n_splits=min(FOLDS, len(set(groups.tolist())))).split(groups, groups=groups))


def train_passage(examples: list[Example]) -> tuple[LinearModel, np.ndarray, dict[str, float]]:
    """The passage model, its out-of-fold probability for every candidate, and recall@5 before and after."""
    rows = [(i, r, lab) for i, e in enumerate(examples) for r, lab in zip(e.found.rows, e.labels, strict=True)]
    x = np.array([r for _, r, _ in rows], dtype=float)
    y = np.array([lab for _, _, lab in rows])
    owner = np.array([i for i, _, _ in rows])
    qids = np.array([examples[i].qid for i in owner])
    signs = _signs(PASSAGE_FEATURES, PASSAGE_SIGNS)
    best: tuple[float, float, np.ndarray] | None = None
    for c in C_GRID:
        oof = np.zeros(len(y))
        for train, held in _folds(qids):
            oof[held] = _fit(x[train], y[train], c, signs).predict_proba(x[held])[:, 1]
        recall = _recall(examples, owner, oof)
        if best is None or recall > best[0]:
            best = (recall, c, oof)
    assert best is not None
    recall, c, oof = best
    fused = _recall(examples, owner, -np.concatenate([np.arange(len(e.labels), dtype=float) for e in examples]))
    model = _linear(_fit(x, y, c, signs), PASSAGE_FEATURES)
    return model, oof, {"C": c, "recall@5_fused_order": fused, "recall@5_reranked_cv": recall}


def _recall(examples: list[Example], owner: np.ndarray, scores: np.ndarray) -> float:
    """Share of groups with evidence whose evidence reaches the top 5 under ``scores``."""
    hit = total = 0
    for i, e in enumerate(examples):
        if not any(e.labels):
            continue
        mine = scores[owner == i]
        order = np.argsort(-mine, kind="stable")[:TOP]
        total += 1
        hit += any(e.labels[j] for j in order)
    return round(hit / total, 4) if total else 0.0


def _ordered(example: Example, probs: np.ndarray) -> tuple[list[int], list[float]]:
    """The candidates in the order answering ranks them (``retrieval.rank_candidates``): those answering only
    another kind of question last (``retrieval.ranked_last``), then by probability."""
    demoted = [ranked_last(h, example.plan) for h in example.found.hits]
    order = sorted(range(len(probs)), key=lambda j: (demoted[j], -probs[j], j))
    return order, [float(probs[j]) for j in order]


def train_gate(examples: list[Example], oof: np.ndarray, sentence: LinearModel, retriever: HybridRetriever,
               verbose: bool = True) -> tuple[LinearModel, dict[str, float]]:
    """The gate, reading the passages in their out-of-fold order and the trained sentence model's verdict on
    their sentences. It is fitted on each question as a whole; its threshold is chosen on its verdict as
    answering reaches it: the best over the parts of a compound topic (``retrieval.gate_rows``), and a question
    answered when any of its groups is."""
    rows, whole, qids, answerable, offset = [], [], [], {}, 0
    for e in examples:
        probs = oof[offset : offset + len(e.labels)]
        offset += len(e.labels)
        order, sorted_probs = _ordered(e, probs)
        # An answerable question whose evidence retrieval missed teaches the gate nothing about answerability.
        if e.question.answerable and not any(e.labels[j] for j in order[:TOP]):
            continue
        hits = [e.found.hits[j] for j in order]
        coverages = [e.found.coverages[j] for j in order]
        own = gate_rows(sorted_probs, hits, coverages, e.plan, e.terms, sentence.probability,
                        described_words(retriever, e.plan))
        rows += own
        whole += [True] + [False] * (len(own) - 1)
        qids += [e.qid] * len(own)
        answerable[e.qid] = int(e.question.answerable)
    x, fitted, groups = np.array(rows, dtype=float), np.array(whole), np.array(qids)
    signs = _signs(GATE_FEATURES, GATE_SIGNS)
    y = np.array([answerable[q] for q in qids])
    asked = sorted(answerable)
    truth = np.array([answerable[q] for q in asked])
    best: tuple[float, float, float, np.ndarray] | None = None
    for c in C_GRID:
        out = np.zeros(len(y))
        for train, held in _folds(groups):
            train = train[fitted[train]]
            out[held] = _fit(x[train], y[train], c, signs).predict_proba(x[held])[:, 1]
        verdict = np.array([out[groups == q].max() for q in asked])
        threshold, balanced = _best_threshold(verdict, truth)
        if best is None or balanced > best[0]:
            best = (balanced, c, threshold, verdict)
    assert best is not None
    balanced, c, threshold, verdict = best
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, threshold) if verbose else ():
        print(f"    gate at {t:.3f}: answerable refused {np.mean(verdict[truth == 1] < t):.3f}, "
              f"unanswerable refused {np.mean(verdict[truth == 0] < t):.3f}")
    refused_answerable = float(np.mean(verdict[truth == 1] < threshold)) if (truth == 1).any() else 0.0
    refused_unanswerable = float(np.mean(verdict[truth == 0] < threshold)) if (truth == 0).any() else 0.0
    model = _linear(_fit(x[fitted], y[fitted], c, signs), GATE_FEATURES, threshold)
    return model, {"C": c, "threshold": round(threshold, 4), "balanced_accuracy_cv": round(balanced, 4),
                   "answerable_refused_cv": round(refused_answerable, 4),
                   "unanswerable_refused_cv": round(refused_unanswerable, 4)}


# The targets for refusals: at most 5 % of answerable questions refused, at least 90 % of unanswerable ones.
MAX_ANSWERABLE_REFUSED = 0.05
MAX_UNANSWERABLE_ANSWERED = 0.10


def _best_threshold(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold that misses the two refusal targets by the least, each miss measured in units of its
    target (minimax), and its balanced accuracy."""
    best = (0.5, float("inf"), 0.0)
    for t in np.unique(np.round(probs, 3)):
        refused = float(np.mean(probs[y == 1] < t)) if (y == 1).any() else 0.0
        answered = float(np.mean(probs[y == 0] >= t)) if (y == 0).any() else 0.0
        miss = max(refused / MAX_ANSWERABLE_REFUSED, answered / MAX_UNANSWERABLE_ANSWERED)
        if miss < best[1]:
            best = (float(t), miss, ((1 - refused) + (1 - answered)) / 2)
    return best[0], best[2]


def train_sentence(examples: list[Example], oof: np.ndarray, retriever: HybridRetriever,
                   passage: LinearModel) -> tuple[LinearModel, dict[str, float]]:
    settings = retriever.library.settings.answer
    # Sentence rows read neither the gate nor the sentence model: placeholders complete the set.
    models = AnsweringModels(passage, LinearModel(GATE_FEATURES, (0.0,) * len(GATE_FEATURES), 0.0),
                             LinearModel(SENTENCE_FEATURES, (0.0,) * len(SENTENCE_FEATURES), 0.0))
    rows, labels, qids, owners, offset = [], [], [], [], 0
    titles = retriever.unit_titles()
    for i, e in enumerate(examples):
        probs = oof[offset : offset + len(e.labels)]
        offset += len(e.labels)
        if not e.question.answerable or not e.question.key_facts:
            continue
        order, sorted_probs = _ordered(e, probs)
        group = Evidence(e.found.group, [e.found.hits[j] for j in order], sorted_probs)
        scoring = Scoring(e.plan, e.terms, titles, models)
        facts = [norm(f) for f in e.question.key_facts]
        for row, _, sentence in sentence_rows(group, scoring, settings):
            rows.append(row)
            labels.append(int(any(f in norm(sentence.text) for f in facts)))
            qids.append(e.qid)
            owners.append(i)
    x, y, groups, owner = np.array(rows, dtype=float), np.array(labels), np.array(qids), np.array(owners)
    signs = _signs(SENTENCE_FEATURES, SENTENCE_SIGNS)
    best: tuple[float, float] | None = None
    for c in C_GRID:
        out = np.zeros(len(y))
        for train, held in _folds(groups):
            out[held] = _fit(x[train], y[train], c, signs).predict_proba(x[held])[:, 1]
        found = _top_share(out, y, owner, settings.sentences)
        if best is None or found > best[0]:
            best = (found, c)
    assert best is not None
    found, c = best
    baseline = _top_share(x[:, SENTENCE_FEATURES.index("coverage")] + x[:, SENTENCE_FEATURES.index("passage_prob")],
                          y, owner, settings.sentences)
    model = _linear(_fit(x, y, c, signs), SENTENCE_FEATURES)
    return model, {"C": c, "key_fact_in_top_cv": round(found, 4), "key_fact_in_top_by_overlap": round(baseline, 4)}


def _top_share(scores: np.ndarray, y: np.ndarray, owner: np.ndarray, top: int) -> float:
    """Share of groups holding a key-fact sentence where one is among the ``top`` scored."""
    hit = total = 0
    for i in np.unique(owner):
        mine = owner == i
        if not y[mine].any():
            continue
        total += 1
        best = np.argsort(-scores[mine], kind="stable")[:top]
        hit += bool(y[mine][best].any())
    return hit / total if total else 0.0


def fit(examples: list[Example], retriever: HybridRetriever, verbose: bool = True,
        kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """The three models trained on ``examples``, as the artifact ``api.engine.learned`` reads, with their
    cross-validated figures. With ``kept`` (an artifact), its passage and sentence models are kept and only the
    gate is trained, on what they give at answering time: a new gate feature then changes which questions are
    refused and nothing else (a full retrain also moves the key facts the sentence model finds)."""
    if kept is None:
        passage, probs, passage_cv = train_passage(examples)
        sentence, sentence_cv = train_sentence(examples, probs, retriever, passage)
        trained = f"{len({e.qid for e in examples})} questions (sample + tuning), {dt.date.today().isoformat()}"
    else:
        passage, sentence = _kept(kept, "passage", PASSAGE_FEATURES), _kept(kept, "sentence", SENTENCE_FEATURES)
        probs = np.array([passage.probability(row) for e in examples for row in e.found.rows])
        passage_cv, sentence_cv = kept["cross_validation"]["passage"], kept["cross_validation"]["sentence"]
        # Kept from a gate-only artifact, they were trained when its "passage and sentence" part says.
        kept_on = str(kept["trained_on"]).split(_KEPT_ON)[-1]
        trained = (f"gate: {len({e.qid for e in examples})} questions (sample + tuning), "
                   f"{dt.date.today().isoformat()}{_KEPT_ON}{kept_on}")
    gate, gate_cv = train_gate(examples, probs, sentence, retriever, verbose)
    return {
        "format": FORMAT,
        "trained_on": trained,
        "passage": {"features": passage.features, "coef": passage.coef, "intercept": passage.intercept},
        "gate": {"features": gate.features, "coef": gate.coef, "intercept": gate.intercept,
                 "threshold": gate.threshold},
        "sentence": {"features": sentence.features, "coef": sentence.coef, "intercept": sentence.intercept},
        "cross_validation": {"passage": passage_cv, "gate": gate_cv, "sentence": sentence_cv},
    }


_KEPT_ON = "; passage and sentence: "


def _kept(artifact: dict[str, Any], name: str, features: tuple[str, ...]) -> LinearModel:
    data = artifact[name]
    if tuple(data["features"]) != features:
        raise ValueError(f"The kept {name} model was trained on other features than this version computes: "
                         "train all three models (without --gate-only).")
    return LinearModel(features, tuple(data["coef"]), float(data["intercept"]))


def write(artifact: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(artifact, indent=1) + "\n", encoding="utf-8")


def cross_evaluate(library: Library, retriever: HybridRetriever, questions: Sequence[Question],
                   examples: list[Example], folder: Path, kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole answer pipeline's figures on questions its models never saw: each fold's questions answered
    with models trained on the other folds. The bundled models were trained on every tuning question, so the
    tuning part scored with them is scored in-sample (the passage model above all knows its answers); these
    are the figures a change to a learned model is chosen on."""
    filenames = {m.doc_id: m.filename for m in library.documents()}
    qids = np.array([e.qid for e in examples])
    original, scored = library.settings, []
    started = time.perf_counter()
    try:
        for fold, (train, held) in enumerate(_folds(qids)):
            path = folder / f"fold-{fold}.json"
            write(fit([examples[i] for i in train], retriever, verbose=False, kept=kept), path)
            library.settings = original.model_copy(
                update={"answer": original.answer.model_copy(update={"model_path": path})})
            for qid in sorted({int(qids[i]) for i in held}):
                scored.append((questions[qid], score_question(questions[qid], retriever, filenames)))
    finally:
        library.settings = original
    return figures_of(scored, (time.perf_counter() - started) / max(1, len(scored)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ARTIFACT, help=f"Where to write the models ({ARTIFACT}).")
    parser.add_argument("--cross-evaluate", action="store_true",
                        help="Also answer each fold's questions with models trained on the other folds, and print "
                             "the pipeline's figures (api.evaluation's) on those unseen questions.")
    parser.add_argument("--gate-only", action="store_true",
                        help=f"Keep the passage and sentence models of {ARTIFACT.name} (or --keep) and train only "
                             "the gate on what they give.")
    parser.add_argument("--keep", type=Path, default=ARTIFACT,
                        help="The artifact whose passage and sentence models --gate-only keeps.")
    args = parser.parse_args(argv)
    kept = json.loads(args.keep.read_text(encoding="utf-8")) if args.gate_only else None
    settings = get_settings()
    questions = load_all(("sample", "tuning"))
    assert all(q.part != "test" for q in questions)
    with Library.open(settings) as library:
        retriever = HybridRetriever(library)
        missing = {e["file"] for q in questions for e in q.expected_evidence} - {
            m.filename for m in library.documents()}
        if missing:
            print(f"The store in {settings.store.data_dir} lacks {len(missing)} devset documents (e.g. "
                  f"{sorted(missing)[0]}). Ingest them first: banding-kota ingest documents tests/devset/regulations",
                  file=sys.stderr)
            return 2
        examples = collect(retriever, questions)
        artifact = fit(examples, retriever, kept=kept)
        if args.cross_evaluate:
            with tempfile.TemporaryDirectory() as folder:
                unseen = cross_evaluate(library, retriever, questions, examples, Path(folder), kept)
    write(artifact, args.out)
    print(f"trained on {artifact['trained_on']}; written to {args.out}")
    for name, figures in artifact["cross_validation"].items():
        print(f"  {name:>8}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    if args.cross_evaluate:
        print(f"the pipeline on questions its models never saw ({FOLDS} folds):")
        print(report(unseen, ("sample", "tuning")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
