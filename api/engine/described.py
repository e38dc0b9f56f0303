"""Instruments a question names by kind, issuer and year instead of by number: "Jakarta's 2022 governor
regulation", "Pinrang's 2010 bylaw on non-motorised vehicles", "the 2003 Manpower Act", "Perda Kabupaten
Magelang tahun 2022". Analysts write them this way as often as "Pergub DKI 41/2022".

Each year in the question is read with the words around it: the kind of instrument they name, the regions
named there, and the rest as a subject. The library's documents of that year, kind and issuer are the
candidates; several are told apart by how much of the question their subject states. Nothing is resolved
when no kind is named, when the question states a subject no candidate shares, or when candidates tie.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from api.engine.issuers import issued_in
from api.engine.matching import agreement, question_terms
from api.engine.sides import clause_at
from core.acronyms import named_by
from core.legal_patterns import (
    KINDS_IN_WORDS,
    NATIONAL_KINDS,
    identifiers_in,
    is_kind,
    kind_named,
    kinds_in_words,
    normalise_numbers,
    plan_kinds_named,
)
from core.types import DocumentMeta, PlanRef, Region
from vectorstore.lexical import tokenize

_YEAR = re.compile(r"(?<![\w/.\-])(?:19|20)\d{2}(?![\w/\-]|\.\d)")
_PLURAL_KIND = re.compile(r"(?:regulations|decrees|decisions|by-?laws|laws|acts|instructions|rules|statutes)$")
# How far on either side of a year its instrument's kind, issuer and subject are looked for.
WINDOW_CHARS = 70


def described_instruments(
    question: str, metas: Mapping[str, DocumentMeta], regions: Sequence[Region],
    surfaces: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[int, tuple[str, ...]]]:
    """(year, document ids) for each instrument the question describes without its number. ``surfaces``: how
    the question wrote each region, by code ("North Sulawesi" for Sulawesi Utara)."""
    found: list[tuple[int, tuple[str, ...]]] = []
    # "Nomor 13 Tahun 2003" reads "13/2003": a numbered instrument's year is not a description.
    text = normalise_numbers(question.lower())
    for match in _YEAR.finditer(text):
        year = int(match.group())
        window, year_at = _window(text, match.start(), match.end())
        doc_ids = _described(window, year, metas, regions, year_at, surfaces=surfaces)
        if not doc_ids:  # "LAPAN's 2006 decree …, compared with Pinrang's 2015 decree": Pinrang is the other side's
            lo, hi = clause_at(text, match.start())
            window, year_at = _window(text[lo:hi], match.start() - lo, match.end() - lo)
            doc_ids = _described(window, year, metas, regions, year_at, surfaces=surfaces)
        if doc_ids and all(doc_ids != d for _, d in found):
            found.append((year, doc_ids))
    return found + _without_year(text, metas, regions, [d for _, d in found], surfaces)


def _without_year(
    text: str, metas: Mapping[str, DocumentMeta], regions: Sequence[Region], taken: Sequence[tuple[str, ...]],
    surfaces: Mapping[str, Sequence[str]] | None,
) -> list[tuple[int, tuple[str, ...]]]:
    """Instruments described by issuer, subject and kind alone ("Pinrang's hospital remuneration regulation"):
    a named region's one document of that kind whose subject the words around the kind state."""
    # A kind near a year is a year's description, read above; near an identifier, a numbered instrument's.
    anchors = [*(m.start() for m in _YEAR.finditer(text)), *(at for at, _, _ in identifiers_in(text))]
    found: list[tuple[int, tuple[str, ...]]] = []
    for pattern, _ in KINDS_IN_WORDS:
        for match in pattern.finditer(text):
            # "Which information security regulations do Balikpapan and Samarinda have?" asks for a class.
            if _PLURAL_KIND.search(match.group()) or any(abs(at - match.start()) <= WINDOW_CHARS for at in anchors):
                continue
            # Its region and subject are in its own clause: "Jambi City's COVID-19 regulation compared with …".
            lo, hi = clause_at(text, match.start())
            window, kind_at = _window(text[lo:hi], match.start() - lo, match.end() - lo)
            doc_ids = _described(window, None, metas, regions, kind_at, subject_required=True, surfaces=surfaces)
            if doc_ids and doc_ids not in taken and all(doc_ids != d for _, d in found):
                ref = metas[doc_ids[0]].regulation
                found.append((ref.year if ref is not None and ref.year else 0, doc_ids))
    return found


@dataclass(frozen=True)
class DescribedPlan:
    """A development plan the question names in words, and the year that names it (an RKPD's "2016"), if any."""

    doc_ids: tuple[str, ...]
    plan: PlanRef
    named_year: int | None


def described_plans(question: str, metas: Mapping[str, DocumentMeta], regions: Sequence[Region]
                    ) -> list[DescribedPlan]:
    """The development plans a question names by kind ("Semarang's amended RKPD 2016", "menurut Renstra
    Bappeda", "Donggala's medium-term development plan"): of each region it names (of the library's, when it
    names none), the one plan of that kind whose period holds the years written beside the kind and whose
    agency, when several agencies have one, the question names. A plan and the regulation enacting it are one."""
    text = normalise_numbers(question.lower())
    codes = {r.code for r in regions}
    found: list[DescribedPlan] = []
    for kind, (start, end) in plan_kinds_named(text):
        window, _ = _window(text, start, end)
        years = [int(m.group()) for m in _YEAR.finditer(window)]
        plans = [m for m in metas.values() if m.plan is not None and m.plan.kind == kind
                 and (not codes or m.plan.region_code in codes)
                 and (not years or any(_covers(m.plan, y) for y in years))]
        by_region: dict[str | None, list[DocumentMeta]] = {}
        for meta in plans:
            by_region.setdefault(meta.plan.region_code if meta.plan else None, []).append(meta)
        for own in by_region.values():
            keys = {m.plan.key for m in own if m.plan is not None}
            if len(keys) > 1:  # "Renstra Bappeda" among a city's Renstras
                own = [m for m in own if m.plan is not None and m.plan.agency
                       and re.search(rf"\b{re.escape(m.plan.agency.lower())}\b", window)]
                keys = {m.plan.key for m in own if m.plan is not None}
            doc_ids = tuple(sorted(m.doc_id for m in own))
            if len(keys) != 1 or any(p.doc_ids == doc_ids for p in found):
                continue
            plan = own[0].plan
            assert plan is not None
            # A one-year plan (an RKPD) is named by its year; a year inside a longer period may be the one asked.
            named = next((y for y in years if plan.period_start == plan.period_end == y), None)
            found.append(DescribedPlan(doc_ids, plan, named))
    if not regions and len({p.plan.region_code for p in found}) > 1:
        return []  # "the RKPD" of no region named, where the library holds several
    return found


def _covers(plan: PlanRef, year: int) -> bool:
    return (plan.period_start or year) <= year <= (plan.period_end or plan.period_start or year)


def without_descriptions(text: str, years: Sequence[int]) -> str:
    """``text`` (lowercased) without the year and the kind of each instrument it describes ("jakarta's 2022
    governor regulation"): they say which instrument is meant, not what is asked of it."""
    for year in years:
        match = next((m for m in _YEAR.finditer(text) if m.group() == str(year)), None)
        if match is None:
            continue
        window, year_at = _window(text, match.start(), match.end())
        lo = match.start() - year_at[0]
        # "UU Ketenagakerjaan tahun 2003": the word that introduces the year goes with it.
        before = re.search(r"\b(?:tahun|thn|of|year)\s+$", text[: match.start()])
        cuts = [(before.start() if before else match.start(), match.end())]
        kind = kind_named(window, year_at)
        if kind is not None:
            cuts.append((lo + kind[0][0], lo + kind[0][1]))
        for start, end in sorted(cuts, reverse=True):
            text = f"{text[:start]} {text[end:]}"
    return text


def misnumbered(
    question: str, number: str, year: int, metas: Mapping[str, DocumentMeta], regions: Sequence[Region]
) -> tuple[str, ...]:
    """A numbered instrument no document is recorded under ("Perbup Pinrang 3/2015" read as 5 from a
    handwritten title): the one document of that kind, issuer and year whose number was read unsure and whose
    subject the question states around the identifier."""
    text = normalise_numbers(question.lower())
    token = f"{number}/{year}".lower()
    at = text.find(token)
    if at < 0:
        return ()
    # The identifier read as its year alone: the number is the part in doubt.
    text = f"{text[:at]}{year}{text[at + len(token):]}"
    window, year_at = _window(text, at, at + 4)
    unsure = {d: m for d, m in metas.items() if m.regulation is not None and m.regulation.confidence_of("number") < 1}
    return _described(window, year, unsure, regions, year_at, subject_required=True)


def _window(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The words around ``text[start:end]`` (a year) where its instrument's kind, issuer and subject are looked
    for, and where the year lies in them."""
    lo = max(0, start - WINDOW_CHARS)
    return text[lo : end + WINDOW_CHARS], (start - lo, end - lo)


def _described(
    window: str, year: int | None, metas: Mapping[str, DocumentMeta], regions: Sequence[Region],
    year_at: tuple[int, int] | None = None, subject_required: bool = False,
    surfaces: Mapping[str, Sequence[str]] | None = None,
) -> tuple[str, ...]:
    kinds = kinds_in_words(window, year_at)
    if kinds is None:  # "in 2025" alone is a date, not an instrument
        return ()
    named = [r for r in regions if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", window, re.IGNORECASE)
                                       for name in (r.name, *(surfaces or {}).get(r.code, ())))]
    if year is None:  # without a year, only the region named nearest the kind has its instrument told apart
        named = _nearest(window, named, year_at or (0, 0), surfaces)
        if not named:
            return ()
    # "Donggala's 2025 decree" is the regency's own: a minister's decree about Donggala is not meant.
    regional = bool(named) and not any(k in NATIONAL_KINDS for k in kinds)
    candidates = [m for m in metas.values() if m.regulation is not None and year in (None, m.regulation.year)
                  and (not regions or issued_in(m, named or regions))
                  and not (regional and m.regulation.region_code is None)
                  and is_kind(m.regulation.instrument, kinds)]
    if not candidates and year is not None:
        candidates = _amenders(year, kinds, metas, named or regions)
    # "LAPAN's 2006 decree": of the year's decrees, the one whose issuer the words name.
    subject_words = _without_kinds(window)
    candidates = _issuer_named(subject_words, candidates) or candidates
    if not candidates:
        return ()
    terms = question_terms(subject_words, named or regions)
    # A name is written joined as often as apart: "Halu Oleo" is the "Haluoleo" of the statute's title.
    terms += [a + b for a, b in zip(terms, terms[1:], strict=False)]
    scored = sorted(((agreement(terms, _subject(m)) if m.regulation else 0.0, m.doc_id) for m in candidates),
                    reverse=True)
    best = scored[0][0]
    # A subject the question states that no candidate shares is another instrument's.
    if (terms or subject_required) and best == 0.0:
        return ()
    if len(scored) > 1 and (best == 0.0 or scored[1][0] == best):
        return ()
    return (scored[0][1],)


def _nearest(
    window: str, named: Sequence[Region], at: tuple[int, int], surfaces: Mapping[str, Sequence[str]] | None
) -> list[Region]:
    """The one region named nearest ``at`` ("Jambi City's COVID-19 regulation compared with Donggala's …"), or
    none when two are as near."""
    def distance(region: Region) -> int:
        return min(max(at[0] - m.end(), m.start() - at[1], 0)
                   for name in (region.name, *(surfaces or {}).get(region.code, ()))
                   for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", window, re.IGNORECASE))
    ranked = sorted((distance(r), r.code) for r in named)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return []
    return [r for r in named if r.code == ranked[0][1]]


def _subject(meta: DocumentMeta) -> str:
    """What an instrument is about, as a question may name it: its subject, and the acronym its document gives
    that subject ("Donggala Tanggap Laporan Rakyat", "Dota Lara")."""
    subject = (meta.regulation.subject or "") if meta.regulation is not None else ""
    return " ".join([subject, *named_by(subject, meta.acronyms)]) if subject else ""


def _without_kinds(window: str) -> str:
    """The words naming the kind ("regent regulation") are in every subject that cites another instrument, and
    in every instrument's name."""
    for pattern, _ in KINDS_IN_WORDS:
        window = pattern.sub(" ", window)
    return window


def _issuer_named(window: str, candidates: Sequence[DocumentMeta]) -> list[DocumentMeta]:
    """The candidates whose instrument or signer holds a word of ``window`` (a body's name: "LAPAN", "Menteri
    Keuangan"); none when no candidate's issuer is named."""
    words = set(question_terms(window))
    return [m for m in candidates if m.regulation is not None
            and words & set(tokenize(f"{m.regulation.instrument} {m.regulation.signer or ''}"))]


_AMENDS = re.compile(r"\b(?:perubahan|mengubah|amend\w*)\b", re.IGNORECASE)


def _amenders(
    year: int, kinds: Sequence[str], metas: Mapping[str, DocumentMeta], regions: Sequence[Region]
) -> list[DocumentMeta]:
    """A described instrument the library lacks is read through the library's amendments of it: "Yogyakarta's
    2023 governor regulation" when only "Perubahan atas Peraturan Gubernur Nomor 64 Tahun 2023" is held."""
    found = []
    for meta in metas.values():
        subject = meta.regulation.subject if meta.regulation is not None else None
        if not subject or not _AMENDS.search(subject) or not re.search(rf"(?<!\d){year}(?!\d)", subject):
            continue
        cited = kinds_in_words(subject)
        if cited and any(is_kind(kind, kinds) for kind in cited) and (not regions or issued_in(meta, regions)):
            found.append(meta)
    return found
