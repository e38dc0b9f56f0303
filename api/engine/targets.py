"""'What target does the plan set for year Y?' answered from an indicator row, with the row cited.

A plan's targets are table cells; the passages hold them as a run of numbers whose columns only the table knows.
So a question naming a year and asking for a target is matched against the plan's indicator rows (read from the
tables at ingest): the row whose indicator the question names, with a value for that year. The answer states the
value and cites the row's words in the plan's text, from the indicator through the value where the text layer
keeps them together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from api.engine.citations import Sentence, make_citation
from api.engine.extractive import answer_extractive
from api.engine.matching import question_terms
from api.engine.plan_prose import prose_answers, refusal
from api.messages import DEFAULT_LANG, Lang
from core.legal_patterns import PLAN_KINDS_IN_WORDS
from core.types import (
    Answer,
    AnswerSentence,
    CityAnswer,
    DocumentMeta,
    IndicatorRow,
    IndicatorValue,
    Passage,
    Region,
    SearchFilters,
    SearchHit,
    TargetCell,
)
from vectorstore.glossary import english_phrases, translations
from vectorstore.hybrid import HybridRetriever
from vectorstore.stemming import stem

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_RANGE = re.compile(r"\b(?:19|20)\d\d\s*(?:[-–/]|s\.?d\.?|sampai)\s*(?:19|20)\d\d\b")
# A year inside a cited instrument's number ('Permenkes No 75/2014', 'Perwal 28/2016', 'Nomor 86 Tahun 2017') dates
# that instrument, often one an indicator is named after: it is not the year the question asks a value for.
_REFERENCE_YEAR = re.compile(r"\b\d{1,4}\s*/\s*(?:19|20)\d\d\b|\b(?:no|nomor|number)\.?\s*\d{1,4}\s*"
                             r"(?:th|thn|tahun|of|year)?\.?\s*(?:19|20)\d\d\b", re.IGNORECASE)
# The end of the plan period, as a question names it and as a plan's column headings do ('Kondisi Kinerja pada Akhir
# Periode Renstra', 'Target Kinerja Akhir RPJMD', 'target akhir'): the medium-term plan's last year.
_END_WORDS = re.compile(r"\bend of the (?:\w+ )?(?:period|plan|rpjmd|renstra)|end-of-period|by the end|"
                        r"\bakhir (?:periode|tahun rencana|rpjmd|renstra)\b|"
                        r"\b(?:target|kondisi)(?: kinerja)?(?: pada)? akhir\w*|\bend target", re.IGNORECASE)
_ACTUAL_WORDS = re.compile(r"\b(achiev\w*|realis\w*|realisasi|actual\w*|tercapai)\b", re.IGNORECASE)
_BASELINE_WORDS = re.compile(r"\b(baseline|kondisi awal|start of the (?:\w+ )?period|awal periode)\b",
                             re.IGNORECASE)
# Words that name a plan rather than an indicator: the question uses them to say which plan it means. An agency
# ('Bappeda') names a plan only when the plan is its own (a Renstra's or Renja's label carries it); in an RKPD's
# tables it names a row (the agency's pagu indikatif). So does a kind of plan: the asked plan's own kind (its label
# carries it) names it, another kind is what a row counts or serves ('Dokumen RKPD yang telah ditetapkan' in a
# Renstra, 'indikator sasaran pembangunan pada RPJMD').
_PLAN_WORDS = ("strategic", "amended", "amendment", "perubahan", "kedua", "strategis")
ValueKind = Literal["target", "baseline", "realisation", "end of period", "budget", "budget realised"]
# The question asks for funds (a budget table's row, or the 'RP' beside a target) rather than a target: money
# allotted, spent or raised.
_BUDGET_WORDS = re.compile(r"\b(anggaran|pagu|dana|pendanaan|alokasi|budget\w*|fund\w*|belanja|spending|"
                           r"expenditure\w*|pendapatan|revenue\w*|pembiayaan|financing)\b", re.IGNORECASE)
# The question asks for a quantity ('how many pupils were to receive ...', 'berapa jumlah ...'): in a plan, a
# quantity for a year is a table's figure though the question names no target. 'Nomor berapa' asks for the number
# of an instrument, not a quantity.
_QUANTITY_WORDS = re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|(?<!nomor )\bberapa\b|\bjumlah\b",
                             re.IGNORECASE)
# The question asks for a target (or a baseline / realisation) rather than about a text.
_TARGET_WORDS = re.compile(r"\b(target\w*|ditargetkan|sasaran|capaian|aim\w*|goal|set for|baseline|kondisi awal)\b",
                           re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# Words every indicator and question share that say nothing about which indicator is meant.
_STOP = frozenset((
    "yang", "dan", "di", "ke", "dari", "pada", "untuk", "dalam", "the", "of", "for", "in", "to", "and", "a", "an",
    "by", "what", "which", "how", "does", "do", "is", "are", "kota", "tahun", "target", "year", "set", "plan",
    "rencana", "berapa", "apa", "menurut", "dengan", "telah", "secara", "atau", "or", "with", "under", "its",
    "were", "was", "be", "that", "this", "ini", "itu", "as", "sebagai", "oleh", "many", "much",
))
# A total's own words: a row named only by them ('JUMLAH A – B', 'Sub Total') is named by what it sums, which the
# rows above it say, so a question's "total" alone does not name it.
_TOTAL_WORDS = frozenset(("jumlah", "total", "subtotal", "sub", "grand"))
# The share of an indicator's words the question must name (or translate) for the row to be the one asked about.
_MIN_OVERLAP = 0.6
# A row naming this many of the question's words is a substantial match; below it, a row whose few words the
# question happens to hold (a fragment of a wrapped cell, 'Pengembangan Wilayah)') ranks after one that is.
_SUBSTANTIAL_WORDS = 3
# A figure read into a programme's place by a misread column ('90,00') names no programme.
_SEPARATED_FIGURE = re.compile(r"[\d.,%\s]+")
# How far past the indicator's words the value may lie and still be quoted with them (one table row of text).
_ROW_SPAN = 300


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


# A question's term: the ways a row may name it (the word, or one of its translations with all its words).
Term = tuple[frozenset[str], ...]


def _question_terms(question: str, naming: frozenset[str] | set[str] = frozenset()) -> list[Term]:
    """The question's terms: each word with its translations, an English indicator term ('primary school',
    'toddlers') joining its words into one term with its Indonesian words; less the words that name the plan or the
    city ('Bappeda' translates to 'perencanaan pembangunan daerah', which many indicators hold)."""
    terms: dict[str, Term] = {}  # keyed by the question's word; a joined term is kept under each of its words
    for word in _words(question) - naming:
        terms[word] = (frozenset((word,)), *(frozenset(_words(alt)) for alt in translations(word)))
    lowered = " ".join(_WORD.findall(question.lower()))
    for english in english_phrases():
        if re.search(rf"\b{english}\b", lowered):
            words = _words(english)
            merged = [terms[w] for w in words if w in terms]
            # A phrase's Indonesian names ('sd', 'sekolah dasar'), each a way to name it whole. It names a row only
            # whole too, in English or in Indonesian: one word of it ('minimal' of 'standar pelayanan minimal', the
            # translation of 'minimum'; 'sekolah' of 'sekolah dasar') names other indicators.
            own = [frozenset(words)] if words else []
            joined: Term = tuple(dict.fromkeys((*own, *(frozenset(_words(alt)) for alt in translations(english)))))
            for key in [k for k, t in terms.items() if any(t is m for m in merged)] or [english]:
                terms[key] = joined
    unique = [t for t in {id(t): tuple(a - naming for a in t if a - naming) for t in terms.values()}.values() if t]
    # One thing named twice ('primary schools (SD)') is one term: a term whose every name another term has is that
    # term.
    kept: list[Term] = []
    for i, term in enumerate(unique):
        mine = set(term)
        if not any(j != i and mine <= set(other) and (mine != set(other) or j < i) for j, other in enumerate(unique)):
            kept.append(term)
    return kept


def _terms_matched(terms: Sequence[Term], row: IndicatorRow, naming: frozenset[str] | set[str]) -> int:
    """How many of the question's terms the indicator names, a translation only with all its words: an acronym and
    its expansion are one term, and a word of the expansion alone names neither ('Bappeda' matches the agency's row
    'BAPPEDA' once, and neither 'Program Perencanaan Pembangunan Daerah' nor 'Belanja Daerah')."""
    words = _row_words(row, naming)
    return sum(any(roots(alt) <= words for alt in term) for term in terms) if words else 0


def _row_words(row: IndicatorRow, naming: frozenset[str] | set[str]) -> frozenset[str]:
    """The roots of the words naming a row, less those naming the plan or city; none for a row named only as a total
    (:data:`_TOTAL_WORDS`)."""
    words = _words(row.indicator) - naming
    return roots(words) if words - _TOTAL_WORDS else frozenset()


def _fragment(indicator: str) -> bool:
    """A piece of a wrapped cell read as a row of its own: it opens mid-sentence ('penelitian yang ...') or closes a
    bracket it never opened ('Pengembangan Wilayah)')."""
    text = indicator.strip()
    return text[:1].islower() or text.count(")") > text.count("(")


def _overlap(question: Sequence[Term], row: IndicatorRow, naming: frozenset[str] | set[str] = frozenset()) -> float:
    """The share of the indicator's words the question names (a translation only with all its words: 'Bappeda'
    names no word of 'Belanja Daerah'); words naming the plan or city count on neither side."""
    words = _row_words(row, naming)
    named = {w for term in question for alt in term if (root := roots(alt)) <= words for w in root}
    return len(named) / len(words) if words else 0.0


def roots(words: Iterable[str]) -> frozenset[str]:
    """The words' roots: a row says 'penerima' and 'miskin' where a question's translation says 'menerima' and
    'kemiskinan'."""
    return frozenset(stem(w) for w in words)


@dataclass(frozen=True)
class TargetQuestion:
    """What a target question asks: the year (or the end of the plan period) and which value comes first."""

    year: int | None
    end_of_period: bool
    prefer: tuple[ValueKind, ...]
    # Asked only as a quantity ('how many ...', 'berapa ...'), naming no target, budget, baseline or realisation:
    # as often a figure of the plan's prose (a range, a total) as a table's, so only a row naming the asked thing
    # substantially answers it.
    by_quantity: bool = False


def _asks_figures(question: str) -> bool:
    """Does the question ask for a target, a baseline, a realisation or funds at all?"""
    return any(p.search(question) for p in (_TARGET_WORDS, _ACTUAL_WORDS, _BASELINE_WORDS, _BUDGET_WORDS,
                                            _QUANTITY_WORDS))


def read_target_question(question: str, plan_year: int | None = None) -> TargetQuestion | None:
    """A question asking for a plan's value for one year (a period like '2016-2021' names the plan, not the
    year; a year in a cited number, 'No 75/2014', dates that instrument), or for the end of the plan period; None
    for any other question. ``plan_year``: the one year every plan asked about covers (an RKPD's), which a question
    naming no year asks about."""
    if not _asks_figures(question):
        return None
    asks_actual = bool(_ACTUAL_WORDS.search(question))
    baseline = bool(_BASELINE_WORDS.search(question))
    funds = bool(_BUDGET_WORDS.search(question))
    years = {int(y) for y in _YEAR.findall(_REFERENCE_YEAR.sub(" ", _RANGE.sub(" ", question)))}
    end = bool(_END_WORDS.search(question))
    if plan_year in years and (len(years) > 1 or end):
        # A one-year plan's own year beside another year, or beside the end of the period, names the plan ('the
        # 2016 RKPD'): the other is asked.
        years.discard(plan_year)
    if not (years or end or baseline) and plan_year is not None:
        years = {plan_year}
    if len(years) > 1 or not (years or end or baseline):
        return None
    # A quantity asked without a kind is a target first; a budget row's figure when the row holds only funds.
    prefer: tuple[ValueKind, ...] = ("target", "baseline", "realisation", "budget", "budget realised")
    if funds:
        prefer = ("budget realised", "budget") if asks_actual else ("budget", "budget realised")
    elif asks_actual:
        prefer = ("realisation", "target", "baseline")
    elif baseline:
        prefer = ("baseline", "target", "realisation")
    by_quantity = not any(p.search(question) for p in (_TARGET_WORDS, _ACTUAL_WORDS, _BASELINE_WORDS, _BUDGET_WORDS))
    return TargetQuestion(next(iter(years), None), end, prefer, by_quantity)


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
             naming: frozenset[str] | set[str] = frozenset(), restating: frozenset[str] | set[str] = frozenset()
             ) -> IndicatorRow | None:
    """The row the question names (most of its words asked) with the value asked for. Ties go to the row with more
    of the question's words, then to the value of the kind asked first (a target table over a realisation table
    for a target), then, for a target, to a row the plan sets rather than one of ``restating`` (an evaluation
    table's row, which restates an earlier target beside what was achieved), then to a row with targets, then to
    the earlier page."""
    terms = _question_terms(question, naming)
    scored = []
    for row in rows:
        found = _value_for(row, asked)
        overlap = _overlap(terms, row, naming)
        if found is None or overlap < _MIN_OVERLAP:
            continue
        rank = asked.prefer.index(found[0]) if found[0] in asked.prefer else 0
        matched = _terms_matched(terms, row, naming)
        if asked.by_quantity and matched < _SUBSTANTIAL_WORDS:
            continue
        sets = not (found[0] == "target" and row.row_id in restating)
        key = (min(matched, _SUBSTANTIAL_WORDS), not _fragment(row.indicator), overlap, matched, -rank, sets,
               bool(row.targets), -row.page)
        scored.append((key, row))
    return max(scored, key=lambda s: s[0])[1] if scored else None


def named_row(rows: Sequence[IndicatorRow], question: str, naming: frozenset[str] | set[str] = frozenset()
              ) -> IndicatorRow | None:
    """The row the question names, whatever years it has values for."""
    terms = _question_terms(question, naming)
    scored = [((min(_terms_matched(terms, r, naming), _SUBSTANTIAL_WORDS), not _fragment(r.indicator),
                _overlap(terms, r, naming), _terms_matched(terms, r, naming), bool(r.targets), -r.page), r)
              for r in rows]
    scored = [s for s in scored if s[0][2] >= _MIN_OVERLAP]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def _row_passage(retriever: HybridRetriever, row: IndicatorRow) -> Passage | None:
    """The passage holding the row's words, or None when the row records none (or lies outside it)."""
    if row.passage_id is None or row.start is None or row.end is None:
        return None
    passage = retriever.passages_by_id([row.passage_id]).get(row.passage_id)
    if passage is None or not (passage.start <= row.start and row.end <= passage.end):
        return None
    return passage


def _quote(passage: Passage, row: IndicatorRow, value: str) -> Sentence:
    """The row's words in its passage (:func:`_row_passage`), through the value when it follows within one row of
    text."""
    assert row.start is not None and row.end is not None  # as _row_passage found them
    lo, hi = row.start - passage.start, row.end - passage.start
    found = passage.text.find(value, hi, hi + _ROW_SPAN)
    if found >= 0:
        hi = found + len(value)
    return Sentence(lo, hi, passage.text[lo:hi])


def _naming_words(plans: Sequence[DocumentMeta]) -> set[str]:
    words = set(_PLAN_WORDS)
    for meta in plans:
        if meta.plan is not None:
            words |= _words(f"{meta.plan.label} {meta.plan.region_name or ''} {meta.plan.kind}")
    return words


def _plans_asked(retriever: HybridRetriever, question: str, filters: SearchFilters | None) -> dict[str, DocumentMeta]:
    """The plans a question is about: within the caller's documents, of the cities it names, of the kind it names."""
    # The catalog as the retriever keeps it: re-parsing every record per question grows with the corpus.
    plans = {d: m for d, m in retriever.documents().items() if m.plan is not None}
    if filters is not None and filters.doc_ids:
        plans = {k: v for k, v in plans.items() if k in filters.doc_ids}
    cities = {c.code for c in retriever.question_cities(question, filters or SearchFilters())}
    if cities:
        plans = {k: v for k, v in plans.items() if v.plan is not None and v.plan.region_code in cities}
    kinds = {m.plan.kind for m in plans.values() if m.plan is not None and _names_kind(question, m.plan.kind)}
    if kinds:
        # The question names the kind of plan it means ("the Renstra", "RKPD"): the other plans are not asked.
        plans = {k: v for k, v in plans.items() if v.plan is not None and v.plan.kind in kinds}
    return plans


def _one_year(plans: dict[str, DocumentMeta]) -> int | None:
    """The year every plan asked about covers alone (an RKPD is a plan for one year), else None."""
    years = {(m.plan.period_start, m.plan.period_end or m.plan.period_start) for m in plans.values() if m.plan}
    if len(years) != 1:
        return None
    start, end = years.pop()
    return start if start is not None and start == end else None


# An evaluation of an earlier plan (every RKPD's and RPJMD's chapter II: 'Evaluasi Pelaksanaan RKPD', 'Capaian
# Kinerja') restates that plan's targets beside what was realised; the plan's own targets are in its later tables.
_EVALUATION = re.compile(r"\bevaluasi\b|\bcapaian kinerja\b|\brealisasi\b|\bevaluation\b", re.IGNORECASE)


def _restating(retriever: HybridRetriever, rows: Sequence[IndicatorRow]) -> frozenset[str]:
    """The rows of evaluation tables: a realisation beside the target, or a caption or chapter naming an
    evaluation."""
    passages = retriever.passages_by_id({row.passage_id for row in rows if row.passage_id})
    out = set()
    for row in rows:
        passage = passages.get(row.passage_id) if row.passage_id else None
        where = f"{row.table}\n{passage.section if passage else ''}"
        if row.actuals or _EVALUATION.search(where):
            out.add(row.row_id)
    return frozenset(out)


@dataclass(frozen=True)
class AskedRow:
    """The row a target question is answered from, with what the question asks of it."""

    row: IndicatorRow
    asked: TargetQuestion
    meta: DocumentMeta


def find_target_row(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None
                    ) -> AskedRow | IndicatorRow | None:
    """The indicator row holding the value a target question asks for; a row naming the indicator with no value for
    the asked year (an IndicatorRow alone); None when the question is not a target question the rows hold."""
    if not _asks_figures(question):
        return None  # cheap: most questions are not about a plan's figures
    plans = _plans_asked(retriever, question, filters)
    if not plans:
        return None
    asked = read_target_question(question, _one_year(plans))
    if asked is None:
        return None
    naming = _naming_words(list(plans.values()))
    catalog = retriever.library.catalog
    rows = [r for doc_id in plans for r in catalog.indicators(doc_id=doc_id)]
    row = best_row(rows, question, asked, naming, _restating(retriever, rows))
    if row is not None:
        return AskedRow(row, asked, plans[row.doc_id])
    # 'No value for that year' answers a question asking the plan's target; a quantity may be in its prose.
    named = None if asked.by_quantity else named_row(rows, question, naming)
    if named is not None and asked.year is not None:
        return named
    return None


def answer_targets(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None, k: int = 8,
                   lang: Lang = DEFAULT_LANG) -> Answer | None:
    """An answer from a plan's indicator row; for a plan's figure no row names, the passage answer when it states
    one (:mod:`api.engine.plan_prose`); None when the question is not a figure question about a plan."""
    found = find_target_row(retriever, question, filters)
    if isinstance(found, AskedRow):
        return _answer(retriever, question, found.row, found.asked, found.meta)
    plans = _plans_asked(retriever, question, filters) if _asks_figures(question) else {}
    plan_year = _one_year(plans)
    asked = read_target_question(question, plan_year) if plans else None
    if found is not None:
        meta = retriever.documents().get(found.doc_id)
        if asked is not None and asked.year is not None and meta is not None:
            return _no_value(question, found, asked.year, meta)
    if asked is None or not any(m.plan is not None and _names_kind(question, m.plan.kind) for m in plans.values()):
        return None  # a question not naming a plan (a regulation's tariff for a year) is the passage answer's
    # No row names what is asked: a figure of the plan's prose, if a quoted sentence states one.
    answer = answer_extractive(retriever, question, filters, k, lang)
    if not answer.covered:
        return answer
    naming = _naming_words(list(plans.values()))
    year = asked.year if asked.year != plan_year else None
    quoted = retriever.passages_by_id({c.passage_id for c in answer.citations})
    if prose_answers(answer, _asked_terms(question, naming), year, quoted):
        return answer
    labels = sorted({m.plan.label if m.plan else m.title for m in plans.values()})
    return refusal(answer, " / ".join(labels), year)


def _asked_terms(question: str, naming: frozenset[str] | set[str]) -> list[Term]:
    """The question's terms less those that only ask for a figure ('target', 'berapa', 'realisasi') or a year, and
    less its framing words ('did', 'according'; :func:`api.engine.matching.question_terms`)."""
    asking = (_TARGET_WORDS, _ACTUAL_WORDS, _BASELINE_WORDS, _QUANTITY_WORDS, _END_WORDS)
    content = set(question_terms(question))
    terms = [t for t in _question_terms(question, naming) if any(alt <= content for alt in t)
             and not any(w.isdigit() or any(p.fullmatch(w) for p in asking) for alt in t for w in alt)]
    # A phrase the question spells out for another of its words ('ASN', 'civil servants') is that word's term: its
    # words are not terms of their own.
    phrases = [(alt, t) for t in terms for alt in t if len(alt) > 1 and alt <= content]
    return [t for t in terms if not (len(t[0]) == 1 and any(t[0] < alt and other is not t for alt, other in phrases))]


def target_evidence(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None
                    ) -> SearchHit | None:
    """The passage holding the row a target question is answered from: the evidence ``/search`` puts first, as the
    answer quotes it (a table's rows share few words with the question that names one indicator and a year)."""
    found = find_target_row(retriever, question, filters)
    if not isinstance(found, AskedRow) or found.row.passage_id is None:
        return None
    passage = retriever.passages_by_id([found.row.passage_id]).get(found.row.passage_id)
    if passage is None:
        return None
    meta = retriever.documents().get(passage.doc_id)
    return SearchHit(passage=passage, title=meta.title if meta else passage.doc_id, score=0.0)


def _names_kind(question: str, kind: str) -> bool:
    return bool(PLAN_KINDS_IN_WORDS[kind].search(question))


def _no_value(question: str, row: IndicatorRow, year: int, meta: DocumentMeta) -> Answer:
    """The plan names the indicator but sets nothing for that year: said so, with the years it does cover."""
    years = sorted({v.year for v in (row.baseline, *row.targets, *row.actuals) if v is not None and v.year})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "no year")
    plan = meta.plan.label if meta.plan else meta.title
    text = (f"{plan} sets no value for {year} for '{row.indicator}': its table (p. {row.page}) covers {span}.")
    return Answer(question=question, text=text, covered=False,
                  searched=f"the indicator rows of {plan} for {year}",
                  notes=(f"The indicator is on p. {row.page}; no column of its table is for {year}.",))


def stated(value: str, unit: str | None) -> str:
    """A value with its unit, unless the value carries it; a percent sign follows its figure, as the plans print it
    ('0,39%')."""
    if not unit or unit in value:
        return value
    return f"{value}%" if unit == "%" else f"{value} {unit}"


def _answer(retriever: HybridRetriever, question: str, row: IndicatorRow, asked: TargetQuestion,
            meta: DocumentMeta) -> Answer:
    found = _value_for(row, asked)
    assert found is not None
    kind, value = found
    when = f"for {asked.year}" if asked.year is not None else ""
    parts = [f"{row.indicator}: {kind} {when} {stated(value.value, row.unit)}".replace("  ", " ")]
    # The row's other landmarks, as a planner reads a target: where it starts and where the plan means to end.
    if row.baseline is not None and row.baseline is not value and row.baseline.year:
        parts.append(f"baseline {row.baseline.year} {row.baseline.value}")
    if row.end_target is not None and row.end_target is not value:
        parts.append(f"end of period {row.end_target.value}")
    if asked.year is not None:
        # A target is read against what was realised, and a realisation against its target: the same year's other.
        target = row.target_for(asked.year)
        actual = next((a for a in row.actuals if a.year == asked.year), None)
        if kind == "realisation" and target is not None:
            parts.append(f"target for {asked.year} {target.value}")
        if kind == "target" and actual is not None:
            parts.append(f"realised {actual.value}")
        # Funds likewise: what was budgeted beside what was spent of it.
        budget = next((b for b in row.budgets if b.year == asked.year), None)
        spent = next((b for b in row.budget_realised if b.year == asked.year), None)
        if kind == "budget realised" and budget is not None:
            parts.append(f"budget for {asked.year} {budget.value}")
        if kind == "budget" and spent is not None:
            parts.append(f"realised {spent.value}")
    if row.agency:
        parts.append(f"responsible: {row.agency}")
    if row.programme and not _SEPARATED_FIGURE.fullmatch(row.programme.strip()):
        # Which programme (or goal) the indicator measures: a planner's next question.
        parts.append(f"programme: {row.programme}")
    elif row.goal:
        parts.append(f"goal: {row.goal}")
    plan = meta.plan.label if meta.plan else meta.title
    where = f"{row.table}, p. {row.page}" if row.table else f"p. {row.page}"
    text = f"{'; '.join(parts)} ({plan}, {where})"
    citations = []
    passage = _row_passage(retriever, row)
    if passage is not None:
        span = _quote(passage, row, value.value)
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
    asked = _question_terms(topic)
    catalog = retriever.library.catalog
    cells: list[TargetCell] = []
    for region in regions:
        metas = [m for m in retriever.documents().values()
                 if m.plan is not None and m.plan.region_code == region.code]
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
    passage = _row_passage(retriever, row)  # one read for all the row's values
    for kind, value in values:
        assert value is not None and value.year is not None
        citation = None
        if passage is not None:
            citation = make_citation(0, passage, meta, _quote(passage, row, value.value), city=region.code)
        cells.append(TargetCell(indicator=row.indicator, city=region.code, year=value.year, value=value.value,
                                kind=kind, unit=row.unit, plan_key=row.plan_key,
                                plan_label=meta.plan.label if meta.plan else meta.title, row_id=row.row_id,
                                citation=citation))
    return cells
