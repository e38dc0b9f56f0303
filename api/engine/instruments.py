"""The instruments each city issued, from the regulation registry, with the passages that are evidence of them.

Retrieval ranks passages by how they read; a city's regulations are better known from the registry built at
ingest, which records every instrument each passage names. A comparison's matrix lists them, and an answer to
"how does the city regulate X" quotes the passages that name the ones on X.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.legal_patterns import IN_FORCE, OWN_COMMENCEMENT, REVOCATION
from core.types import Passage, PassageRole, RegulationEntry, RegulationRef, SearchHit
from ingest.instrument_checks import listable
from vectorstore.hybrid import HybridRetriever, QueryIdentifiers, key_matches


@dataclass(frozen=True)
class CityInstrument:
    """A regulation of one city, with the passages (about that city) where it is written or mentioned."""

    ref: RegulationRef
    passages: tuple[Passage, ...]


def city_instruments(retriever: HybridRetriever, region_code: str) -> list[CityInstrument]:
    """Instruments the city issued, each with its own text or the passages about the city that mention it (read
    once per store generation)."""
    by_region: dict[str, list[CityInstrument]] = retriever.derived("instruments", dict)
    if region_code not in by_region:
        # Once every region's were read (the API's warm-up), a region not among them issued none: reading the
        # registry again to find that out took a second per region at 120k passages.
        entries = [] if _every_region_read(retriever) else [
            e for e in retriever.library.regulations(city=region_code) if e.ref.region_code == region_code]
        by_region[region_code] = _instruments(retriever, region_code, entries)
    return by_region[region_code]


def _every_region_read(retriever: HybridRetriever, read: bool = False) -> bool:
    """Whether :func:`instruments_by_region` has read the whole registry in this store generation (``read``: it
    just has)."""
    marks: dict[str, bool] = retriever.derived("instruments of every region read", dict)
    if read:
        marks["read"] = True
    return marks.get("read", False)


def instruments_by_region(retriever: HybridRetriever) -> dict[str, list[CityInstrument]]:
    """Every region's instruments, read from the registry at once (what :func:`city_instruments` reads a region at
    a time)."""
    by_region: dict[str, list[CityInstrument]] = retriever.derived("instruments", dict)
    entries: dict[str, list[RegulationEntry]] = {}
    for entry in retriever.library.regulations():
        if entry.ref.region_code is not None:
            entries.setdefault(entry.ref.region_code, []).append(entry)
    for region, listed in entries.items():
        if region not in by_region:
            by_region[region] = _instruments(retriever, region, listed)
    _every_region_read(retriever, read=True)
    return by_region


def _instruments(retriever: HybridRetriever, region: str, entries: Sequence[RegulationEntry]) -> list[CityInstrument]:
    """The region's instruments among its registry ``entries`` (implausible mentions, OCR debris or a yearless
    "Perwali No. 1", stay searchable but are not listed)."""
    listed = [e for e in entries if any(pid is None for _, pid in e.occurrences) or listable(e.ref)]
    passages = retriever.passages_by_id({pid for e in listed for _, pid in e.occurrences if pid is not None})
    found: list[CityInstrument] = []
    for entry in listed:
        evidence: list[Passage] = []
        for doc_id, pid in entry.occurrences:
            # No passage id: the document is the instrument, and its title block speaks for it.
            passage = next(iter(retriever.passages_of(doc_id)), None) if pid is None else passages.get(pid)
            if passage is not None and region in passage.about_cities:
                evidence.append(passage)
        found.append(CityInstrument(entry.ref, tuple(dict.fromkeys(evidence))))
    return found


def as_hit(retriever: HybridRetriever, passage: Passage) -> SearchHit:
    """A passage taken from the registry rather than ranked by a search (its score is 0)."""
    meta = retriever.documents().get(passage.doc_id)
    return SearchHit(passage=passage, title=meta.title if meta else passage.doc_id, score=0.0)


def amendment_evidence(retriever: HybridRetriever, identifiers: QueryIdentifiers) -> list[SearchHit]:
    """For "what does Perwali 19/2024 change?" (or "what changed in Perwali 48/2021?"): the passages holding
    each directive ("Ketentuan Pasal 11 diubah …") the registry recorded for the regulations named by number."""
    if not identifiers.numbers:
        return []
    catalog = retriever.library.catalog
    amended: set[str] = retriever.derived("amendment keys", catalog.amendment_keys)
    keys = [key for key in amended if key_matches(key, identifiers.numbers)]
    if not keys:
        return []
    found: dict[str, SearchHit] = {}
    for key in keys:
        made, received = catalog.amendments_of(key)
        for amendment in (*made, *received):
            change = amendment.change
            # The directive, and the article in its new wording ("Pasal I › Pasal 11 (diubah)").
            for passage in retriever.passages_of(amendment.doc_id):
                directive = passage.start < change.end and change.start < passage.end
                if directive or f"› {change.unit} (" in passage.section:
                    found.setdefault(passage.passage_id, as_hit(retriever, passage))
    return sorted(found.values(), key=lambda hit: (hit.passage.doc_id, hit.passage.index))


def revocation_evidence(retriever: HybridRetriever, doc_ids: Sequence[str]) -> list[SearchHit]:
    """For "which regulation does Perda 3/2017 repeal?": the articles of the named instrument that revoke
    (a considering clause that only explains why is not one), whole: a long list of revoked instruments is cut
    into several passages, and the one holding "… dinyatakan tidak berlaku lagi" names none of them."""
    found: list[Passage] = []
    for doc_id in sorted(set(doc_ids)):
        passages = retriever.passages_of(doc_id)  # in the document's order
        revoking = {p.section for p in passages if p.role == PassageRole.ARTICLE and REVOCATION.search(p.text)}
        found += [p for p in passages if p.section in revoking]
    return [as_hit(retriever, p) for p in found]


def role_evidence(retriever: HybridRetriever, doc_ids: Sequence[str], role: PassageRole) -> list[SearchHit]:
    """The named instrument's part that a question asks for by name, whole, in the document's order: its
    legal-basis list for "which ministerial regulation is Pergub 1/2021 based on?" ("Mengingat : 1. …"), its
    Penjelasan for "what does its elucidation say". The answer quotes what the question's words name."""
    return [as_hit(retriever, p) for d in sorted(set(doc_ids)) for p in retriever.passages_of(d) if p.role == role]


_NOT_COMMENCEMENT = frozenset({PassageRole.TITLE, PassageRole.KONSIDERANS, PassageRole.LEGAL_BASIS,
                               PassageRole.PENJELASAN, PassageRole.DEFINITIONS})


def commencement_evidence(retriever: HybridRetriever, doc_ids: Sequence[str]) -> list[SearchHit]:
    """For "when does Perbup 24/2025 take effect?": the passages of the named instrument that state it; its own
    commencement clause ("Peraturan Bupati ini mulai berlaku …") when it has one, not every rule that starts to
    apply at some time ("peraturan perusahaan yang mulai berlaku setelah disahkan")."""
    stating = [p for d in doc_ids for p in retriever.passages_of(d)
               if p.role not in _NOT_COMMENCEMENT and IN_FORCE.search(p.text)]
    own = [p for p in stating if OWN_COMMENCEMENT.search(p.text)]
    return [as_hit(retriever, p) for p in own or stating]
