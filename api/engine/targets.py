"""'What target does the plan set for year Y?' answered from an indicator row, with the row cited.

A plan's targets are table cells; the passages hold them as a run of numbers whose columns only the table knows.
So a question naming a year and asking for a target is matched against the plan's indicator rows (read from the
tables at ingest): the row whose indicator the question names, with a value for that year. The answer states the
value and cites the row's words in the plan's text, from the indicator through the value where the text layer
keeps them together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from api.engine.citations import Sentence, make_citation
from core.types import (
    Answer,
    AnswerSentence,
    CityAnswer,
    DocumentMeta,
    IndicatorRow,
    IndicatorValue,
    Region,
    SearchFilters,
    TargetCell,
)
from vectorstore.glossary import translations
from vectorstore.hybrid import HybridRetriever

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# The question asks for a target (or a baseline / realisation) rather than about a text.
_TARGET_WORDS = re.compile(r"\b(target\w*|ditargetkan|sasaran|capaian|aim\w*|goal|set for|baseline|kondisi awal|"
                           r"realisasi|realis\w+|achiev\w+)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# Words every indicator and question share that say nothing about which indicator is meant.
_STOP = frozenset((
    "yang", "dan", "di", "ke", "dari", "pada", "untuk", "dalam", "the", "of", "for", "in", "to", "and", "a", "an",
    "by", "what", "which", "how", "does", "do", "is", "are", "kota", "tahun", "target", "year", "set", "plan",
    "rencana", "berapa", "apa", "menurut",
))
# The share of an indicator's words the question must name (or translate) for the row to be the one asked about.
_MIN_OVERLAP = 0.6
# How far past the indicator's words the value may lie and still be quoted with them (one table row of text).
_ROW_SPAN = 300


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _question_words(question: str) -> set[str]:
    words = _words(question)
    for word in list(words):
        for alt in translations(word):
            words |= _words(alt)
    return words


def _overlap(question: set[str], row: IndicatorRow) -> float:
    words = _words(row.indicator)
    return len(words & question) / len(words) if words else 0.0


def _value_for(row: IndicatorRow, year: int) -> tuple[str, IndicatorValue] | None:
    if (target := row.target_for(year)) is not None:
        return "target", target
    if row.baseline is not None and row.baseline.year == year:
        return "baseline", row.baseline
    actual = next((a for a in row.actuals if a.year == year), None)
    return ("realisation", actual) if actual is not None else None


def best_row(rows: Sequence[IndicatorRow], question: str, year: int) -> IndicatorRow | None:
    """The row the question names (most of its words asked), with a value for the year; ties go to the row with
    more of the question's words, then to the earlier page."""
    asked = _question_words(question)
    scored = [(_overlap(asked, r), len(_words(r.indicator) & asked), -r.page, r) for r in rows
              if _value_for(r, year) is not None]
    scored = [s for s in scored if s[0] >= _MIN_OVERLAP]
    return max(scored, key=lambda s: s[:3])[3] if scored else None


def _quote(retriever: HybridRetriever, row: IndicatorRow, value: str) -> tuple[Sentence, str] | None:
    """The row's words in its passage, through the value when it follows within one row of text."""
    if row.passage_id is None or row.start is None or row.end is None:
        return None
    passage = retriever.passages().get(row.passage_id)
    if passage is None or not (passage.start <= row.start and row.end <= passage.end):
        return None
    lo, hi = row.start - passage.start, row.end - passage.start
    found = passage.text.find(value, hi, hi + _ROW_SPAN)
    if found >= 0:
        hi = found + len(value)
    return Sentence(lo, hi, passage.text[lo:hi]), passage.passage_id


def answer_targets(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None) -> Answer | None:
    """An answer from a plan's indicator row, or None when the question is not a target question the rows hold."""
    years = [int(y) for y in _YEAR.findall(question)]
    if len(years) != 1 or not _TARGET_WORDS.search(question):
        return None
    year = years[0]
    catalog = retriever.library.catalog
    plans = {m.doc_id: m for m in catalog.list_documents() if m.plan is not None}
    if filters is not None and filters.doc_ids:
        plans = {k: v for k, v in plans.items() if k in filters.doc_ids}
    cities = {c.code for c in retriever.question_cities(question, filters or SearchFilters())}
    if cities:
        plans = {k: v for k, v in plans.items() if v.plan is not None and v.plan.region_code in cities}
    rows = [r for doc_id in plans for r in catalog.indicators(doc_id=doc_id)]
    row = best_row(rows, question, year)
    if row is None:
        return None
    return _answer(retriever, question, row, year, plans[row.doc_id])


def _answer(retriever: HybridRetriever, question: str, row: IndicatorRow, year: int, meta: DocumentMeta) -> Answer:
    found = _value_for(row, year)
    assert found is not None
    kind, value = found
    unit = f" {row.unit}" if row.unit and row.unit not in value.value else ""
    plan = meta.plan.label if meta.plan else meta.title
    where = f"{row.table}, p. {row.page}" if row.table else f"p. {row.page}"
    text = f"{row.indicator}: {kind} for {year} {value.value}{unit} ({plan}, {where})"
    citations = []
    quoted = _quote(retriever, row, value.value)
    if quoted is not None:
        span, passage_id = quoted
        passage = retriever.passages()[passage_id]
        citations.append(make_citation(1, passage, meta, span, city=meta.plan.region_code if meta.plan else None))
        text += " [1]"
    city = meta.plan.region_code if meta.plan else None
    city_name = meta.plan.region_name if meta.plan else None
    said = AnswerSentence(text=text + ".", citations=tuple(c.marker for c in citations))
    return Answer(question=question, text=text + ".", covered=True, citations=tuple(citations),
                  by_city=(CityAnswer(city=city, city_name=city_name, sentences=(said,)),),
                  searched=f"indicator rows of {len(retriever.library.catalog.indicator_counts())} plan(s)",
                  notes=(f"Read from the plan's target table (row on p. {row.page}).",))


# The targets view lists this many indicators per city at most (the best named by the topic first).
MAX_VIEW_INDICATORS = 8


def target_cells(retriever: HybridRetriever, regions: Sequence[Region], topic: str) -> tuple[TargetCell, ...]:
    """The compare page's targets view: for each city's plans, the indicators the topic names, one cell per year
    with a target (the baseline year too), each cited."""
    asked = _question_words(topic)
    catalog = retriever.library.catalog
    cells: list[TargetCell] = []
    for region in regions:
        metas = [m for m in catalog.list_documents() if m.plan is not None and m.plan.region_code == region.code]
        for meta in metas:
            rows = [r for r in catalog.indicators(doc_id=meta.doc_id) if r.targets or r.baseline]
            scored = sorted(((_overlap(asked, r), -r.page, r) for r in rows), key=lambda s: s[:2], reverse=True)
            for _, _, row in [s for s in scored if s[0] >= _MIN_OVERLAP][:MAX_VIEW_INDICATORS]:
                cells.extend(_row_cells(retriever, row, meta, region))
    # Each cited cell gets its own marker, so the view can list the quotes under the table.
    marked, n = [], 0
    for cell in cells:
        if cell.citation is not None:
            n += 1
            cell = cell.model_copy(update={"citation": cell.citation.model_copy(update={"marker": n})})
        marked.append(cell)
    return tuple(marked)


def _row_cells(retriever: HybridRetriever, row: IndicatorRow, meta: DocumentMeta, region: Region) -> list[TargetCell]:
    values = [("baseline", row.baseline)] if row.baseline is not None and row.baseline.year else []
    values += [("target", t) for t in row.targets if t.year]
    cells = []
    for kind, value in values:
        assert value is not None and value.year is not None
        quoted = _quote(retriever, row, value.value)
        citation = None
        if quoted is not None:
            span, passage_id = quoted
            citation = make_citation(0, retriever.passages()[passage_id], meta, span, city=region.code)
        cells.append(TargetCell(indicator=row.indicator, city=region.code, year=value.year, value=value.value,
                                kind=kind, unit=row.unit, plan_key=row.plan_key,
                                plan_label=meta.plan.label if meta.plan else meta.title, row_id=row.row_id,
                                citation=citation))
    return cells
