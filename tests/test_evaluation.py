"""Quality floors on the development question set (figures measured on the sample corpus, see
api/evaluation.py); citation validity must be perfect."""

from __future__ import annotations

import subprocess
import sys

from api.evaluation import evaluate, load_questions
from tests.conftest import PROJECT_ROOT, corpus_env


def test_devset_is_broad_enough():
    questions = load_questions()
    assert len(questions) >= 40
    assert sum(not q.answerable for q in questions) >= 6
    assert {q.language for q in questions} == {"en", "id"}
    assert {"single_city", "multi_city", "cross_language", "identifier", "pasal", "unanswerable"} <= {
        q.type for q in questions
    }


def test_quality_floors(library):
    figures = evaluate(library)
    report = "\n".join(figures["failures"])
    assert figures["citation_validity"] == 1.0, report
    assert figures["recall@5"] >= 0.95, report
    assert figures["mrr"] >= 0.85, report
    assert figures["key_fact_accuracy"] >= 0.8, report
    assert figures["answer_coverage"] >= 0.95, report
    assert figures["refusal_accuracy"] >= 0.8, report


def test_evaluating_an_empty_store_says_to_ingest_first(tmp_path):
    result = subprocess.run([sys.executable, "-m", "api.evaluation"], env=corpus_env(tmp_path / "data"),
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "holds no passages" in result.stderr and "banding-kota ingest" in result.stderr
