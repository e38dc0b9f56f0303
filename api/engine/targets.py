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
from dataclasses import dataclass
from typing import Literal

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
_RANGE = re.compile(r"\b(?:19|20)\d\d\s*(?:[-–/]|s\.?d\.?|sampai)\s*(?:19|20)\d\d\b")
_END_WORDS = re.compile(r"\bend of the (?:\w+ )?period|end-of-period|by the end|akhir periode|akhir tahun rencana|"
                        r"\btarget akhir\w*|\bend target", re.IGNORECASE)
_ACTUAL_WORDS = re.compile(r"\b(achiev\w*|realis\w*|realisasi|actual\w*|tercapai)\b", re.IGNORECASE)
_BASELINE_WORDS = re.compile(r"\b(baseline|kondisi awal|start of the (?:\w+ )?period|awal periode)\b",
                             re.IGNORECASE)
# Words that name a plan rather than an indicator: the question uses them to say which plan it means.
_PLAN_WORDS = ("renstra", "rkpd", "rpjmd", "rpjpd", "renja", "bappeda", "strategic", "amended", "amendment",
               "perubahan", "kedua", "strategis")
ValueKind = Literal["target", "baseline", "realisation", "end of period", "budget", "budget realised"]
# The question asks for funds (a budget table's row, or the 'RP' beside a target) rather than a target.
_BUDGET_WORDS = re.compile(r"\b(anggaran|pagu|dana|pendanaan|alokasi|budget\w*|fund\w*)\b", re.IGNORECASE)
# The question asks for a target (or a baseline / realisation) rather than about a text.
_TARGET_WORDS = re.compile(r"\b(target\w*|ditargetkan|sasaran|capaian|aim\w*|goal|set for|baseline|kondisi awal)\b",
                           re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# Words every indicator and question share that say nothing about which indicator is meant.
_STOP = frozenset((
    "yang", "dan", "di", "ke", "dari", "pada", "untuk", "dalam", "the", "of", "for", "in", "to", "and", "a", "an",
    "by", "what", "which", "how", "does", "do", "is", "are", "kota", "tahun", "target", "year", "set", "plan",
    "rencana", "berapa", "apa", "menurut",
))
# The share of an indicator's words the question must name (or translate) for the row to be the one asked about.
_MIN_OVERLAP = 0.6
# A row naming this many of the question's words is a substantial match; below it, a row whose few words the
# question happens to hold (a fragment of a wrapped cell, 'Pengembangan Wilayah)') ranks after one that is.
_SUBSTANTIAL_WORDS = 3
# The English names of the regional performance indicators (Indikator Kinerja Daerah) a plan's tables use, and the
# words of their Indonesian names: general planning vocabulary, kept here rather than in the retrieval glossary
# because only the matching of a question to an indicator row reads them.
_INDICATOR_TERMS = {
    "unemployment": "pengangguran", "unemployed": "pengangguran", "open unemployment": "terbuka",
    "labour force": "angkatan kerja", "labor force": "angkatan kerja", "participation rate": "tingkat partisipasi",
    "economic growth": "laju pertumbuhan ekonomi", "growth": "pertumbuhan laju", "economic": "ekonomi",
    "population growth": "laju pertumbuhan penduduk", "life expectancy": "angka harapan hidup",
    "years of schooling": "lama sekolah", "mean years": "rata-rata", "expected years": "harapan",
    "literacy": "melek huruf aksara", "poverty rate": "angka kemiskinan", "inflation": "inflasi laju",
    "dependency ratio": "rasio ketergantungan", "per capita": "per kapita", "export": "ekspor",
    "exports": "ekspor", "research": "penelitian", "study": "kajian", "studies": "kajian",
    "timely": "ketepatan waktu tepat", "on time": "tepat waktu", "enactment": "penetapan",
    "satisfaction": "kepuasan", "local wisdom": "kearifan lokal", "cultural": "budaya",
}
# How far past the indicator's words the value may lie and still be quoted with them (one table row of text).
_ROW_SPAN = 300


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _question_words(question: str, naming: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """The question's words and their translations, less the words that name the plan or the city ('Bappeda'
    translates to 'perencanaan pembangunan daerah', which many indicators hold)."""
    words = _words(question) - naming
    for word in list(words):
        for alt in translations(word):
            words |= _words(alt)
    lowered = " ".join(_WORD.findall(question.lower()))
    for english, indonesian in _INDICATOR_TERMS.items():
        if re.search(rf"\b{english}\b", lowered):
            words |= _words(indonesian)
    return words


def _fragment(indicator: str) -> bool:
    """A piece of a wrapped cell read as a row of its own: it opens mid-sentence ('penelitian yang ...') or closes a
    bracket it never opened ('Pengembangan Wilayah)')."""
    text = indicator.strip()
    return text[:1].islower() or text.count(")") > text.count("(")


def _overlap(question: set[str], row: IndicatorRow, naming: frozenset[str] | set[str] = frozenset()) -> float:
    """The share of the indicator's words the question holds; words naming the plan or city count on neither side."""
    words = _words(row.indicator) - naming
    return len(words & question) / len(words) if words else 0.0


@dataclass(frozen=True)
class TargetQuestion:
    """What a target question asks: the year (or the end of the plan period) and which value comes first."""

    year: int | None
    end_of_period: bool
    prefer: tuple[ValueKind, ...]


def read_target_question(question: str) -> TargetQuestion | None:
    """A question asking for a plan's value for one year (a period like '2016-2021' names the plan, not the
    year), or for the end of the plan period; None for any other question."""
    asks_actual = bool(_ACTUAL_WORDS.search(question))
    baseline = bool(_BASELINE_WORDS.search(question))
    funds = bool(_BUDGET_WORDS.search(question))
    if not (_TARGET_WORDS.search(question) or asks_actual or baseline or funds):
        return None
    years = {int(y) for y in _YEAR.findall(_RANGE.sub(" ", question))}
    end = bool(_END_WORDS.search(question))
    if len(years) > 1 or not (years or end or baseline):
        return None
    prefer: tuple[ValueKind, ...] = ("target", "baseline", "realisation")
    if funds:
        prefer = ("budget realised", "budget") if asks_actual else ("budget", "budget realised")
    elif asks_actual:
        prefer = ("realisation", "target", "baseline")
    elif baseline:
        prefer = ("baseline", "target", "realisation")
    return TargetQuestion(next(iter(years), None), end, prefer)


def _value_for(row: IndicatorRow, asked: TargetQuestion) -> tuple[ValueKind, IndicatorValue] | None:
    if asked.year is None:
        # 'Where did it start, where is it to end?': the baseline first when asked for; the end target follows it
        # in the answer as a landmark.
        if asked.prefer[0] == "baseline" and row.baseline is not None:
            return "baseline", row.baseline
        return ("end of period", row.end_target) if row.end_target is not None else None
    found: dict[ValueKind, IndicatorValue | None] = {
        "target": row.target_for(asked.year),
        "baseline": row.baseline if row.baseline is not None and row.baseline.year == asked.year else None,
        "realisation": next((a for a in row.actuals if a.year == asked.year), None),
        "budget": next((b for b in row.budgets if b.year == asked.year), None),
        "budget realised": next((b for b in row.budget_realised if b.year == asked.year), None),
    }
    return next(((kind, v) for kind in asked.prefer if (v := found[kind]) is not None), None)


def best_row(rows: Sequence[IndicatorRow], question: str, asked: TargetQuestion,
             naming: frozenset[str] | set[str] = frozenset()) -> IndicatorRow | None:
    """The row the question names (most of its words asked) with the value asked for. Ties go to the row with more
    of the question's words, then to the value of the kind asked first (a target table over a realisation table
    for a target), then to a row with targets, then to the earlier page."""
    words = _question_words(question, naming)
    scored = []
    for row in rows:
        found = _value_for(row, asked)
        overlap = _overlap(words, row, naming)
        if found is None or overlap < _MIN_OVERLAP:
            continue
        rank = asked.prefer.index(found[0]) if found[0] in asked.prefer else 0
        matched = len((_words(row.indicator) - naming) & words)
        key = (min(matched, _SUBSTANTIAL_WORDS), not _fragment(row.indicator), overlap, matched, -rank,
               bool(row.targets), -row.page)
        scored.append((key, row))
    return max(scored, key=lambda s: s[0])[1] if scored else None


def named_row(rows: Sequence[IndicatorRow], question: str, naming: frozenset[str] | set[str] = frozenset()
              ) -> IndicatorRow | None:
    """The row the question names, whatever years it has values for."""
    words = _question_words(question, naming)
    scored = [((min(len((_words(r.indicator) - naming) & words), _SUBSTANTIAL_WORDS), not _fragment(r.indicator),
                _overlap(words, r, naming), len(_words(r.indicator) & words), bool(r.targets), -r.page), r)
              for r in rows]
    scored = [s for s in scored if s[0][2] >= _MIN_OVERLAP]
    return max(scored, key=lambda s: s[0])[1] if scored else None


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


def _naming_words(plans: Sequence[DocumentMeta]) -> set[str]:
    words = set(_PLAN_WORDS)
    for meta in plans:
        if meta.plan is not None:
            words |= _words(f"{meta.plan.label} {meta.plan.region_name or ''} {meta.plan.kind}")
    return words


def answer_targets(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None) -> Answer | None:
    """An answer from a plan's indicator row, or None when the question is not a target question the rows hold."""
    asked = read_target_question(question)
    if asked is None:
        return None
    catalog = retriever.library.catalog
    plans = {m.doc_id: m for m in catalog.list_documents() if m.plan is not None}
    if filters is not None and filters.doc_ids:
        plans = {k: v for k, v in plans.items() if k in filters.doc_ids}
    cities = {c.code for c in retriever.question_cities(question, filters or SearchFilters())}
    if cities:
        plans = {k: v for k, v in plans.items() if v.plan is not None and v.plan.region_code in cities}
    kinds = {m.plan.kind for m in plans.values() if m.plan is not None and _names_kind(question, m.plan.kind)}
    if kinds:
        # The question names the kind of plan it means ("the Renstra", "RKPD"): the other plans are not asked.
        plans = {k: v for k, v in plans.items() if v.plan is not None and v.plan.kind in kinds}
    naming = _naming_words(list(plans.values()))
    rows = [r for doc_id in plans for r in catalog.indicators(doc_id=doc_id)]
    row = best_row(rows, question, asked, naming)
    if row is not None:
        return _answer(retriever, question, row, asked, plans[row.doc_id])
    named = named_row(rows, question, naming)
    if named is not None and asked.year is not None:
        return _no_value(question, named, asked.year, plans[named.doc_id])
    return None


def _names_kind(question: str, kind: str) -> bool:
    names = {"Renstra": r"renstra|rencana strategis|strategic plan", "RKPD": r"rkpd|rencana kerja pemerintah",
             "RPJMD": r"rpjmd|jangka menengah|medium-term", "RPJPD": r"rpjpd|jangka panjang|long-term",
             "Renja": r"renja|rencana kerja perangkat|work plan"}
    return bool(re.search(rf"\b(?:{names[kind]})\b", question, re.IGNORECASE))


def _no_value(question: str, row: IndicatorRow, year: int, meta: DocumentMeta) -> Answer:
    """The plan names the indicator but sets nothing for that year: said so, with the years it does cover."""
    years = sorted({v.year for v in (row.baseline, *row.targets, *row.actuals) if v is not None and v.year})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "no year")
    plan = meta.plan.label if meta.plan else meta.title
    text = (f"{plan} sets no value for {year} for '{row.indicator}': its table (p. {row.page}) covers {span}.")
    return Answer(question=question, text=text, covered=False,
                  searched=f"the indicator rows of {plan} for {year}",
                  notes=(f"The indicator is on p. {row.page}; no column of its table is for {year}.",))


def _answer(retriever: HybridRetriever, question: str, row: IndicatorRow, asked: TargetQuestion,
            meta: DocumentMeta) -> Answer:
    found = _value_for(row, asked)
    assert found is not None
    kind, value = found
    unit = f" {row.unit}" if row.unit and row.unit not in value.value else ""
    when = f"for {asked.year}" if asked.year is not None else ""
    parts = [f"{row.indicator}: {kind} {when} {value.value}{unit}".replace("  ", " ")]
    # The row's other landmarks, as a planner reads a target: where it starts and where the plan means to end.
    if row.baseline is not None and row.baseline is not value and row.baseline.year:
        parts.append(f"baseline {row.baseline.year} {row.baseline.value}")
    if row.end_target is not None and row.end_target is not value:
        parts.append(f"end of period {row.end_target.value}")
    if row.agency:
        parts.append(f"responsible: {row.agency}")
    plan = meta.plan.label if meta.plan else meta.title
    where = f"{row.table}, p. {row.page}" if row.table else f"p. {row.page}"
    text = f"{'; '.join(parts)} ({plan}, {where})"
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
_VIEW_MIN_WORDS = 2


def target_cells(retriever: HybridRetriever, regions: Sequence[Region], topic: str) -> tuple[TargetCell, ...]:
    """The compare page's targets view: for each city's plans, the indicators the topic names, one cell per year
    with a target (the baseline year too), each cited."""
    asked = _question_words(topic)
    catalog = retriever.library.catalog
    cells: list[TargetCell] = []
    for region in regions:
        metas = [m for m in catalog.list_documents() if m.plan is not None and m.plan.region_code == region.code]
        for meta in metas:
            naming = _naming_words([meta])
            # A one-word indicator in a view across cities is most often a fragment of a wrapped row.
            rows = [r for r in catalog.indicators(doc_id=meta.doc_id)
                    if (r.targets or r.baseline) and len(_words(r.indicator) - naming) >= _VIEW_MIN_WORDS]
            scored = sorted(((_overlap(asked, r, naming), -r.page, r) for r in rows), key=lambda s: s[:2],
                            reverse=True)
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
