"""Turn chunks into passages carrying their provenance: pages, language, cities, regulations, OCR confidence."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence

from core.acronyms import used_in
from core.gazetteer import Gazetteer
from core.language import detect_language
from core.roles import passage_role
from core.types import CityMention, CleanDocument, Passage, Region, RegulationMention, RegulationRef
from ingest.chunking import Chunk
from ingest.regulations import parse_regulation_refs


def passage_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-{index:05d}"


def _ocr_confidence(clean: CleanDocument, start: int, end: int) -> float | None:
    """The weakest OCR'd page a passage touches: a citation should not claim more certainty than that."""
    scores = [
        span.ocr_confidence
        for span in clean.pages
        if span.source == "ocr" and span.ocr_confidence is not None and span.start < end and start < span.end
    ]
    return min(scores) if scores else None


def about_cities(mentioned: tuple[str, ...], doc_cities: tuple[str, ...], is_regulation: bool) -> tuple[str, ...]:
    """Which cities a passage is evidence for.

    A regulation speaks for its issuer in every article. Elsewhere a passage is evidence for the
    cities it names; one that names none inherits the document's city only when the document is
    about a single city (a Samarinda paragraph in a two-city paper must not count for Balikpapan).
    """
    if is_regulation:
        return tuple(dict.fromkeys((*doc_cities, *mentioned)))
    if mentioned:
        return mentioned
    return doc_cities if len(doc_cities) == 1 else ()


def _inside(mentions: Sequence, starts: list[int], start: int, end: int) -> list:
    """Mentions lying wholly inside [start, end); ``starts`` is the sorted list of their start offsets."""
    found = []
    for i in range(bisect_left(starts, start), len(mentions)):
        if mentions[i].start >= end:
            break
        if mentions[i].end <= end:
            found.append(mentions[i])
    return found


def annotate_chunks(
    chunks: Sequence[Chunk],
    clean: CleanDocument,
    *,
    doc_id: str,
    doc_cities: tuple[str, ...],
    is_regulation: bool,
    default_region: Region | None,
    gazetteer: Gazetteer,
    acronyms: Mapping[str, str] | None = None,
) -> tuple[list[Passage], list[tuple[RegulationRef, str]]]:
    # Parsed once over the whole text, not per chunk: a table row cut off from its header, or a sentence cut
    # off from the city its paragraph names, would otherwise lose the context that says whose regulation it is.
    places: list[CityMention] = [m for m in gazetteer.city_mentions(clean.text) if m.region.kind != "provinsi"]
    regs: list[RegulationMention] = parse_regulation_refs(clean.text, gazetteer, default_region=default_region)
    place_starts, reg_starts = [m.start for m in places], [m.start for m in regs]
    passages: list[Passage] = []
    mentions: list[tuple[RegulationRef, str]] = []
    for index, chunk in enumerate(chunks):
        text = clean.text[chunk.start : chunk.end]
        pid = passage_id(doc_id, index)
        named = tuple(dict.fromkeys(m.region.code for m in _inside(places, place_starts, chunk.start, chunk.end)))
        refs = [m.ref for m in _inside(regs, reg_starts, chunk.start, chunk.end)]
        mentions.extend((ref, pid) for ref in refs)
        passages.append(
            Passage(
                passage_id=pid,
                doc_id=doc_id,
                index=index,
                text=text,
                start=chunk.start,
                end=chunk.end,
                page_start=clean.page_at(chunk.start),
                page_end=clean.page_at(max(chunk.start, chunk.end - 1)),
                section=chunk.section,
                kind=chunk.kind,
                language=detect_language(text),
                cities=named,
                about_cities=about_cities(named, doc_cities, is_regulation),
                regulations=tuple(dict.fromkeys(ref.key for ref in refs)),
                pasal=chunk.pasal,
                ocr_confidence=_ocr_confidence(clean, chunk.start, chunk.end),
                role=passage_role(chunk.kind, chunk.section, text, chunk.pasal, is_regulation=is_regulation),
                acronyms=used_in(text, acronyms or {}),
                context=chunk.context,
            )
        )
    return passages, mentions
