"""Retrieval and answer quality on the development question sets, by part.

- ``sample``: 57 questions on the bundled sample corpus (``tests/devset/questions.jsonl``); rules were fitted to
  them over the project's history, so they are tuning data.
- ``tuning`` and ``test``: the real-regulation devset (``tests/devset/real/questions.jsonl``), 37 regulations as
  published, split by document (``tests/devset/real/split.json``). Rules, constants and the learned models are
  chosen on the tuning part only; the test part is scored and reported, never edited to pass.
- ``plan-tuning`` and ``plan-test``: questions over two development plans of Kota Semarang
  (``tests/devset/plans/questions.jsonl``), split by document (``split.json``, key ``plans``): the Bappeda Renstra
  is tuning, the RKPD 2016 (Perwal 28/2016) test. Scored as parts of their own so the regulation figures stay
  comparable with earlier ones.

``python -m api.evaluation [--split test]`` prints the figures for the configured data directory (which must
hold the documents the questions are about); ``tests/test_evaluation.py`` holds them to floors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.engine.compare import compare
from api.engine.extractive import answer_extractive
from api.engine.search import search_planned
from api.engine.targets import answer_targets
from core.errors import BandingKotaError
from core.roles import closing_sentence
from core.settings import PROJECT_ROOT
from core.types import IDENTITY_ROLES, Answer, SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever, LibraryLike

DEVSET = PROJECT_ROOT / "tests" / "devset" / "questions.jsonl"
REAL_DEVSET = PROJECT_ROOT / "tests" / "devset" / "real" / "questions.jsonl"
PLAN_DEVSET = PROJECT_ROOT / "tests" / "devset" / "plans" / "questions.jsonl"
SPLIT = PROJECT_ROOT / "tests" / "devset" / "real" / "split.json"
PARTS = ("sample", "tuning", "test", "plan-tuning", "plan-test")
RECALL_AT = 5


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    cities: tuple[str, ...]
    expected_evidence: tuple[dict[str, str], ...]
    key_facts: tuple[str, ...]
    answerable: bool
    part: str
    instruments: tuple[str, ...] = ()
    scanned: bool = False


def _question(raw: dict[str, Any], part: str) -> Question:
    return Question(
        id=raw["id"],
        question=raw["question"],
        language=raw["language"],
        kind=raw.get("kind") or raw.get("type", "fact"),
        cities=tuple(raw.get("cities", ())),
        expected_evidence=tuple(raw.get("expected_evidence", ())),
        key_facts=tuple(raw.get("key_facts", ())),
        answerable=bool(raw["answerable"]),
        part=raw.get("part", part),
        instruments=tuple(raw.get("instruments", ())),
        scanned=bool(raw.get("scanned", False)),
    )


def load_questions(path: Path = DEVSET, part: str = "sample") -> list[Question]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [_question(json.loads(line), part) for line in lines if line.strip()]


def load_all(parts: Iterable[str] = PARTS) -> list[Question]:
    wanted = set(parts)
    questions = load_questions(DEVSET, "sample") if "sample" in wanted else []
    if REAL_DEVSET.exists():
        questions += [q for q in load_questions(REAL_DEVSET, "tuning") if q.part in wanted]
    if PLAN_DEVSET.exists():
        questions += [q for q in load_questions(PLAN_DEVSET, "plan-tuning") if q.part in wanted]
    return questions


def split_files() -> dict[str, list[str]]:
    data = json.loads(SPLIT.read_text(encoding="utf-8"))
    plans = data.get("plans", {})
    return {"tuning": data["tuning"], "test": data["test"],
            "plan-tuning": plans.get("tuning", []), "plan-test": plans.get("test", [])}


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def evidence_rank(hits: Sequence[SearchHit], expected: dict[str, str], filenames: dict[str, str]) -> int | None:
    """1-based rank of the first hit from the expected file holding the expected text, else None."""
    wanted = norm(expected["contains"])
    for rank, hit in enumerate(hits, start=1):
        if filenames.get(hit.passage.doc_id) == expected["file"] and wanted in norm(hit.passage.text):
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


def boilerplate_quoted(answer: Answer, retriever: HybridRetriever) -> bool:
    """Does the answer quote a title block, closing or legal-basis line?"""
    passages = retriever.passages()
    for c in answer.citations:
        passage = passages.get(c.passage_id)
        if closing_sentence(c.quote) or (passage is not None and passage.role in IDENTITY_ROLES):
            return True
    return False


def asks_boilerplate(q: Question, retriever: HybridRetriever, filenames: dict[str, str]) -> bool:
    """Is a question's own evidence a closing line ("who signed both, and when") or in a title block, closing or
    list of legal bases ("which regulation is its legal basis")? Then it asks for that boilerplate."""
    if any(closing_sentence(e["contains"]) for e in q.expected_evidence):
        return True
    identity = [p for p in retriever.passages().values() if p.role in IDENTITY_ROLES]
    return any(filenames.get(p.doc_id) == e["file"] and norm(e["contains"]) in norm(p.text)
               for e in q.expected_evidence for p in identity)


@dataclass
class Tally:
    """Counts for one slice of the questions (a part, a kind or a language)."""

    questions: int = 0
    evidence_found: int = 0
    evidence_total: int = 0
    reciprocal_ranks: list[float] = field(default_factory=list)
    facts_ok: int = 0
    answerable: int = 0
    answerable_refused: int = 0
    unanswerable: int = 0
    refused_ok: int = 0
    citations_ok: int = 0
    citations: int = 0
    boilerplate: int = 0
    sides_ok: int = 0
    sides: int = 0

    def figures(self) -> dict[str, float | int | None]:
        def ratio(a: float, b: float) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "questions": self.questions,
            f"recall@{RECALL_AT}": ratio(self.evidence_found, self.evidence_total),
            "mrr": ratio(sum(self.reciprocal_ranks), len(self.reciprocal_ranks)),
            "key_fact_accuracy": ratio(self.facts_ok, self.answerable),
            "answerable_refused": ratio(self.answerable_refused, self.answerable),
            "unanswerable_refused": ratio(self.refused_ok, self.unanswerable),
            "citation_validity": ratio(self.citations_ok, self.citations),
            "boilerplate_answers": self.boilerplate,
            "compare_sides_quoted": ratio(self.sides_ok, self.sides),
        }


@dataclass(frozen=True)
class Outcome:
    """How one question fared."""

    ranks: tuple[int | None, ...]
    facts_ok: bool
    covered: bool
    citations_ok: int
    citations: int
    boilerplate: bool
    sides_ok: int = 0
    sides: int = 0
    failures: tuple[str, ...] = ()


def score_question(q: Question, retriever: HybridRetriever, filenames: dict[str, str]) -> Outcome:
    settings = retriever.library.settings.answer
    hits = search_planned(retriever, q.question, SearchFilters(), RECALL_AT, settings)
    ranks = tuple(evidence_rank(hits, e, filenames) for e in q.expected_evidence)
    failures = [f"{q.id}: evidence {e['contains']!r} not in top {RECALL_AT}"
                for e, r in zip(q.expected_evidence, ranks, strict=True) if r is None]
    # As /ask answers: a plan's target for a year from its indicator row first, then the passages.
    answer = answer_targets(retriever, q.question, SearchFilters()) or answer_extractive(
        retriever, q.question, SearchFilters(), k=8)
    ok, total = citations_valid(answer, retriever)
    text = norm(answer.text)
    facts_ok = q.answerable and answer.covered and all(norm(f) in text for f in q.key_facts)
    if q.answerable and not facts_ok:
        failures.append(f"{q.id}: key facts {list(q.key_facts)} missing (covered={answer.covered})")
    if not q.answerable and answer.covered:
        failures.append(f"{q.id}: answered an unanswerable question")
    boilerplate = (q.kind not in ("instrument", "identifier") and boilerplate_quoted(answer, retriever)
                   and not asks_boilerplate(q, retriever, filenames))
    if boilerplate:
        failures.append(f"{q.id}: quoted a title block, closing or legal-basis line")
    sides_ok, sides = compare_sides(q, retriever, filenames)
    if sides_ok < sides:
        failures.append(f"{q.id}: /compare quoted {sides_ok} of {sides} sides' evidence")
    return Outcome(ranks, facts_ok, answer.covered, ok, total, boilerplate, sides_ok, sides, tuple(failures))


def compare_sides(q: Question, retriever: HybridRetriever, filenames: dict[str, str]) -> tuple[int, int]:
    """For a comparison naming two or more regions: how many of its evidence passages ``/compare`` of those
    regions quotes (one per side)."""
    if q.kind != "comparison" or len(set(q.cities)) < 2 or not q.answerable:
        return 0, 0
    try:
        comparison, _ = compare(retriever, list(dict.fromkeys(q.cities)), q.question)
    except BandingKotaError:
        return 0, len(q.expected_evidence)
    passages = retriever.passages()
    quoted = [(filenames.get(c.doc_id), norm(passages[c.passage_id].text)) for c in comparison.citations
              if c.passage_id in passages]
    ok = sum(any(f == e["file"] and norm(e["contains"]) in text for f, text in quoted) for e in q.expected_evidence)
    return ok, len(q.expected_evidence)


def _add(tally: Tally, q: Question, outcome: Outcome) -> None:
    tally.questions += 1
    found = [r for r in outcome.ranks if r is not None]
    tally.evidence_total += len(outcome.ranks)
    tally.evidence_found += len(found)
    if outcome.ranks:
        tally.reciprocal_ranks.append(1.0 / min(found) if found else 0.0)
    tally.citations_ok += outcome.citations_ok
    tally.citations += outcome.citations
    tally.boilerplate += outcome.boilerplate
    tally.sides_ok += outcome.sides_ok
    tally.sides += outcome.sides
    if q.answerable:
        tally.answerable += 1
        tally.facts_ok += outcome.facts_ok
        tally.answerable_refused += not outcome.covered
    else:
        tally.unanswerable += 1
        tally.refused_ok += not outcome.covered


def evaluate(library: LibraryLike, questions: Sequence[Question] | None = None) -> dict[str, Any]:
    """Figures by part, and within each part by kind and by question language, with every failure listed."""
    retriever = HybridRetriever(library)
    questions = list(questions) if questions is not None else load_all()
    filenames = {m.doc_id: m.filename for m in library.documents()}
    started = time.perf_counter()
    scored = [(q, score_question(q, retriever, filenames)) for q in questions]
    return figures_of(scored, (time.perf_counter() - started) / max(1, len(questions)))


def figures_of(scored: Sequence[tuple[Question, Outcome]], seconds_per_question: float) -> dict[str, Any]:
    """The figures of questions already scored, as :func:`evaluate` reports them."""
    slices: dict[str, Tally] = defaultdict(Tally)
    failures: dict[str, list[str]] = defaultdict(list)
    for q, outcome in scored:
        for name in (q.part, f"{q.part}/kind/{q.kind}", f"{q.part}/language/{q.language}"):
            _add(slices[name], q, outcome)
        failures[q.part].extend(outcome.failures)
    return {
        "parts": {name: tally.figures() for name, tally in sorted(slices.items())},
        "seconds_per_question": round(seconds_per_question, 3),
        "failures": dict(failures),
    }


def report(figures: dict[str, Any], show_failures: Iterable[str] = ()) -> str:
    parts = figures["parts"]
    lines = []
    for name in sorted(parts, key=lambda n: (n.split("/")[0] not in PARTS, n)):
        values = parts[name]
        shown = ", ".join(f"{k} {v}" for k, v in values.items() if v is not None and k != "questions")
        lines.append(f"{name:<28} n={values['questions']:<4} {shown}")
    lines.append(f"seconds per question: {figures['seconds_per_question']}")
    for part in show_failures:
        for failure in figures["failures"].get(part, []):
            lines.append(f"  - [{part}] {failure}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from core.settings import get_settings
    from vectorstore.library import Library

    parser = argparse.ArgumentParser(prog="python -m api.evaluation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*PARTS, "all"], default="all", help="Which part to score.")
    parser.add_argument("--failures", action="store_true", help="List each failed question of the parts scored.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    parts = PARTS if args.split == "all" else (args.split,)
    settings = get_settings()
    with Library.open(settings) as library:
        if library.store.count() == 0:
            print(f"The store in {settings.store.data_dir} holds no passages, so there is nothing to evaluate. "
                  "Ingest first: banding-kota ingest documents tests/devset/regulations (or set BK_STORE__DATA_DIR).",
                  file=sys.stderr)
            return 2
        figures = evaluate(library, load_all(parts))
    print(json.dumps(figures, indent=1) if args.json else report(figures, parts if args.failures else ()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
