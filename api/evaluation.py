"""Retrieval and answer quality on the development question set (``tests/devset/questions.jsonl``).

``python -m api.evaluation`` prints the figures for the configured data directory; ``tests/test_evaluation.py``
holds them to floors over the sample corpus.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.engine.extractive import answer_extractive
from core.settings import PROJECT_ROOT
from core.types import Answer, SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever

DEVSET = PROJECT_ROOT / "tests" / "devset" / "questions.jsonl"
RECALL_AT = 5


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    type: str
    cities: list[str]
    expected_evidence: list[dict[str, str]]
    key_facts: list[str]
    answerable: bool


@dataclass
class Tally:
    evidence_found: int = 0
    evidence_total: int = 0
    reciprocal_ranks: list[float] = field(default_factory=list)
    facts_ok: int = 0
    answerable: int = 0
    covered_answerable: int = 0
    refused_ok: int = 0
    unanswerable: int = 0
    citations_ok: int = 0
    citations: int = 0
    failures: list[str] = field(default_factory=list)


def load_questions(path: Path = DEVSET) -> list[Question]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Question(**json.loads(line)) for line in lines if line.strip()]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def evidence_rank(hits: list[SearchHit], expected: dict[str, str], filenames: dict[str, str]) -> int | None:
    """1-based rank of the first hit from the expected file holding the expected text, else None."""
    for rank, hit in enumerate(hits, start=1):
        if filenames.get(hit.passage.doc_id) == expected["file"] and _norm(expected["contains"]) in _norm(
            hit.passage.text
        ):
            return rank
    return None


def citations_valid(answer: Answer, retriever: HybridRetriever) -> tuple[int, int]:
    """(valid, total): a quote is valid when it is verbatim at its offsets and, when cited for a city, comes
    from a passage that is evidence for that city."""
    catalog = retriever.library.catalog
    passages = retriever.passages()
    ok = 0
    for c in answer.citations:
        clean = catalog.get_clean(c.doc_id)
        passage = passages.get(c.passage_id)
        verbatim = clean is not None and clean.text[c.start : c.end] == c.quote
        for_city = c.city is None or (passage is not None and c.city in passage.about_cities)
        ok += verbatim and for_city
    return ok, len(answer.citations)


def _score_question(q: Question, retriever: HybridRetriever, filenames: dict[str, str], tally: Tally) -> None:
    hits = retriever.search(q.question, SearchFilters(), RECALL_AT)
    first: int | None = None
    for expected in q.expected_evidence:
        rank = evidence_rank(hits, expected, filenames)
        tally.evidence_total += 1
        if rank is not None:
            tally.evidence_found += 1
            first = rank if first is None else min(first, rank)
        else:
            tally.failures.append(f"{q.id}: evidence {expected['contains']!r} not in top {RECALL_AT}")
    if q.expected_evidence:
        tally.reciprocal_ranks.append(1.0 / first if first else 0.0)
    answer = answer_extractive(retriever, q.question, SearchFilters(), k=8)
    ok, total = citations_valid(answer, retriever)
    tally.citations_ok += ok
    tally.citations += total
    if q.answerable:
        tally.answerable += 1
        tally.covered_answerable += answer.covered
        text = _norm(answer.text)
        if answer.covered and all(_norm(f) in text for f in q.key_facts):
            tally.facts_ok += 1
        else:
            tally.failures.append(f"{q.id}: key facts {q.key_facts} missing (covered={answer.covered})")
    else:
        tally.unanswerable += 1
        tally.refused_ok += not answer.covered
        if answer.covered:
            tally.failures.append(f"{q.id}: answered an unanswerable question")


def evaluate(library: Any, questions: list[Question] | None = None) -> dict[str, Any]:
    """Figures over the devset: recall@5 and MRR of the expected evidence, key-fact accuracy, refusal
    accuracy on unanswerable questions, coverage of answerable ones and citation validity."""
    retriever = HybridRetriever(library)
    questions = questions if questions is not None else load_questions()
    filenames = {m.doc_id: m.filename for m in library.documents()}
    tally = Tally()
    started = time.perf_counter()
    for q in questions:
        _score_question(q, retriever, filenames, tally)
    ratio = lambda a, b: round(a / b, 4) if b else 1.0  # noqa: E731
    return {
        "questions": len(questions),
        f"recall@{RECALL_AT}": ratio(tally.evidence_found, tally.evidence_total),
        "mrr": ratio(sum(tally.reciprocal_ranks), len(tally.reciprocal_ranks)),
        "key_fact_accuracy": ratio(tally.facts_ok, tally.answerable),
        "answer_coverage": ratio(tally.covered_answerable, tally.answerable),
        "refusal_accuracy": ratio(tally.refused_ok, tally.unanswerable),
        "citation_validity": ratio(tally.citations_ok, tally.citations),
        "citations": tally.citations,
        "seconds_per_question": round((time.perf_counter() - started) / max(1, len(questions)), 3),
        "failures": tally.failures,
    }


def main() -> int:
    from core.settings import get_settings
    from ingest.library import Library

    settings = get_settings()
    with Library.open(settings, writer=False) as library:
        if library.store.count() == 0:
            print(f"The store in {settings.store.data_dir} holds no passages, so there is nothing to evaluate. "
                  "Ingest first: banding-kota ingest documents (or set BK_STORE__DATA_DIR).", file=sys.stderr)
            return 2
        figures = evaluate(library)
    for name, value in figures.items():
        if name != "failures":
            print(f"{name:>22}: {value}")
    for failure in figures["failures"]:
        print(f"  - {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
