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

from api.engine.matching import agreement, question_terms
from core.types import DocumentMeta, Region
from vectorstore.lexical import normalise_numbers

_YEAR = re.compile(r"(?<![\w/.\-])(?:19|20)\d{2}(?![\w/\-]|\.\d)")
# How far on either side of a year its instrument's kind, issuer and subject are looked for.
WINDOW_CHARS = 70

# The most specific kind first; each names the recorded instrument kinds (a prefix ends in "*").
_KINDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kinds)
    for pattern, kinds in (
        (r"\b(?:mayor(?:'s|al)?\s+(?:regulation|rule)s?|perwal[ik]?|perwako|peraturan\s+wali\s*kota)\b",
         ("Perwali",)),
        (r"\b(?:regent(?:'s)?\s+(?:regulation|rule)s?|perbup|peraturan\s+bupati)\b", ("Perbup",)),
        (r"\b(?:governor(?:'s)?\s+(?:regulation|rule)s?|pergub|peraturan\s+gubernur)\b", ("Pergub",)),
        (r"\b(?:governor(?:'s)?\s+instructions?|ingub|instruksi\s+gubernur)\b", ("Ingub",)),
        (r"\b(?:mayor(?:'s|al)?\s+decrees?|kepwal\w*|keputusan\s+wali\s*kota)\b", ("Kepwali", "Kepwal*")),
        (r"\b(?:regent(?:'s)?\s+decrees?|kepbup|keputusan\s+bupati)\b", ("Kepbup",)),
        (r"\b(?:governor(?:'s)?\s+decrees?|kepgub|keputusan\s+gubernur)\b", ("Kepgub",)),
        (r"\b(?:government\s+regulations?|peraturan\s+pemerintah)\b", ("PP",)),
        (r"\b(?:presidential\s+regulations?|perpres|peraturan\s+presiden)\b", ("Perpres",)),
        (r"\b(?:minist\w*\s+regulations?|permen\w*|peraturan\s+menteri)\b", ("Permen*",)),
        (r"\b(?:minist\w*\s+decrees?|kepmen\w*|keputusan\s+menteri)\b", ("Kepmen*",)),
        # A state university's statute is enacted as a ministerial regulation.
        (r"\b(?:statute|statuta)\b", ("Permen*",)),
        (r"\b(?:by-?laws?|(?:regional|local)\s+regulations?|perda|peraturan\s+daerah)\b", ("Perda",)),
        (r"\b(?:acts?|laws?|undang-undang|uu)\b", ("UU",)),
        (r"\b(?:decrees?|decisions?|keputusan)\b", ("Kep*",)),
        (r"\b(?:instructions?|instruksi)\b", ("In*",)),
        (r"\b(?:regulations?|peraturan)\b", ("Per*", "PP")),
    )
)


# Kinds only the national government issues: named with a region, they are still national.
_NATIONAL_KINDS = frozenset({"UU", "PP", "Perpres", "Permen*", "Kepmen*"})


def _kind_of(window: str, year_at: tuple[int, int] | None = None) -> tuple[str, ...] | None:
    """The kind named nearest the year ("the 2020 Pinrang decree … and Donggala's 2025 regulation": 2025 is a
    regulation); at the same distance the most specific."""
    best: tuple[int, int, tuple[str, ...]] | None = None
    for order, (pattern, kinds) in enumerate(_KINDS):
        for match in pattern.finditer(window):
            at = year_at or (match.start(), match.end())
            distance = max(at[0] - match.end(), match.start() - at[1], 0)
            if best is None or (distance, order) < best[:2]:
                best = (distance, order, kinds)
    return best[2] if best is not None else None


def _is_kind(recorded: str, kinds: Sequence[str]) -> bool:
    return any(recorded.lower().startswith(k[:-1].lower()) if k.endswith("*") else recorded.lower() == k.lower()
               for k in kinds)


def described_instruments(
    question: str, metas: Mapping[str, DocumentMeta], regions: Sequence[Region]
) -> list[tuple[int, tuple[str, ...]]]:
    """(year, document ids) for each instrument the question describes without its number."""
    found: list[tuple[int, tuple[str, ...]]] = []
    # "Nomor 13 Tahun 2003" reads "13/2003": a numbered instrument's year is not a description.
    text = normalise_numbers(question.lower())
    for match in _YEAR.finditer(text):
        year = int(match.group())
        lo = max(0, match.start() - WINDOW_CHARS)
        window = text[lo : match.end() + WINDOW_CHARS]
        doc_ids = _described(window, year, metas, regions, (match.start() - lo, match.end() - lo))
        if doc_ids and all(doc_ids != d for _, d in found):
            found.append((year, doc_ids))
    return found


def _described(
    window: str, year: int, metas: Mapping[str, DocumentMeta], regions: Sequence[Region],
    year_at: tuple[int, int] | None = None,
) -> tuple[str, ...]:
    kinds = _kind_of(window, year_at)
    if kinds is None:  # "in 2025" alone is a date, not an instrument
        return ()
    named = [r for r in regions if re.search(rf"(?<!\w){re.escape(r.name)}(?!\w)", window, re.IGNORECASE)]
    # "Donggala's 2025 decree" is the regency's own: a minister's decree about Donggala is not meant.
    regional = bool(named) and not any(k in _NATIONAL_KINDS for k in kinds)
    candidates = [m for m in metas.values() if m.regulation is not None and m.regulation.year == year
                  and (not regions or issued_in(m, named or regions))
                  and not (regional and m.regulation.region_code is None)
                  and _is_kind(m.regulation.instrument, kinds)]
    if not candidates:
        return ()
    # The words naming the kind ("regent regulation") are in every subject that cites another instrument.
    subject_words = window
    for pattern, _ in _KINDS:
        subject_words = pattern.sub(" ", subject_words)
    terms = question_terms(subject_words, named or regions)
    scored = sorted(((agreement(terms, m.regulation.subject or "") if m.regulation else 0.0, m.doc_id)
                     for m in candidates), reverse=True)
    best = scored[0][0]
    # A subject the question states that no candidate shares is another instrument's.
    if terms and best == 0.0:
        return ()
    if len(scored) > 1 and (best == 0.0 or scored[1][0] == best):
        return ()
    return (scored[0][1],)


def issued_in(meta: DocumentMeta, regions: Sequence[Region]) -> bool:
    """Is the document national, or issued by one of the regions, or by a namesake of one ("Magelang" is
    read as the Kota; a Perda of the Kabupaten is as likely meant)?"""
    ref = meta.regulation
    if ref is None or ref.region_code is None:
        return True
    issuer = (ref.region_name or "").lower()
    return any(ref.region_code == r.code or issuer.endswith(f" {r.name.lower()}") for r in regions)
