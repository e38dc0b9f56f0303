"""Side-by-side comparison of 2–6 cities: a cited answer per city, a regulation matrix (aspects × cities)
and each city's regulations by year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from api.engine.aspects import default_aspects, matches_aspect
from api.engine.citations import Sentence, clip
from api.engine.extractive import CitationBook, city_answers, gather
from api.engine.instruments import CityInstrument, as_hit, city_instruments
from api.engine.sentences import candidate_sentences
from api.engine.targets import target_cells
from core.errors import InvalidRequestError
from core.gazetteer import Gazetteer
from core.types import (
    Comparison,
    MatrixCell,
    Passage,
    Region,
    RegulationRef,
    SearchFilters,
    SearchHit,
    TimelineEntry,
)
from ingest.regulations import parse_regulation_refs
from vectorstore.hybrid import HybridRetriever

MIN_CITIES, MAX_CITIES = 2, 6


def resolve_cities(retriever: HybridRetriever, names: Sequence[str]) -> list[Region]:
    """Regions for the names, in order, without repeats; an unknown name raises ``UnknownCityError``."""
    regions = list({r.code: r for r in (retriever.resolve_city(n) for n in names)}.values())
    if not MIN_CITIES <= len(regions) <= MAX_CITIES:
        raise InvalidRequestError(
            f"A comparison needs {MIN_CITIES} to {MAX_CITIES} different cities; got {len(regions)}.",
            hint="Name each city once, e.g. ['Balikpapan', 'Samarinda'].",
        )
    return regions


def mention_sentence(passage: Passage, ref: RegulationRef) -> Sentence | None:
    """The sentence of a passage that names the instrument (by type, number and year; by number and year when
    none names its type), else its first sentence. "Presidential Regulation 39/2019" in the bullet before
    "Mayor's Regulation 39/2019" is not a quote for the Perwali."""
    sentences = candidate_sentences(passage)
    if not sentences:
        return None
    year = str(ref.year or "")
    # The registry drops leading zeros ("03/2023" is number 3); the text keeps them.
    pattern = re.compile(rf"(?<![\w/.])0*{re.escape(ref.number)}(?![\w]).{{0,40}}{year}", re.IGNORECASE | re.DOTALL)
    numbered = [(s, m) for s in sentences if (m := pattern.search(s.text))]
    for sentence, match in numbered:
        if any(_same_instrument(found.ref, ref) for found in parse_regulation_refs(sentence.text, Gazetteer.default())):
            return clip(sentence, sentence.start + match.start())
    if numbered:
        sentence, match = numbered[0]
        return clip(sentence, sentence.start + match.start())
    return clip(sentences[0])


def _same_instrument(found: RegulationRef, ref: RegulationRef) -> bool:
    return (found.instrument, found.number.lower(), found.year) == (ref.instrument, ref.number.lower(), ref.year)


def instrument_text(instrument: CityInstrument) -> str:
    """What an aspect is matched against: the subject, else the sentences that mention the instrument."""
    if instrument.ref.subject:
        return instrument.ref.subject
    quotes = [mention_sentence(p, instrument.ref) for p in instrument.passages]
    return " ".join(q.text for q in quotes if q is not None)


@dataclass(frozen=True)
class InstrumentReading:
    """What the matrix reads of one instrument: the text an aspect is matched against, and its citation (its
    first passage, and the sentence there that names it)."""

    text: str
    cited: tuple[SearchHit, Sentence] | None


def instrument_readings(retriever: HybridRetriever, region_code: str) -> list[InstrumentReading]:
    """Each of a region's instruments read for the matrix, in :func:`city_instruments` order (worked out once per
    region and store generation: at 120k passages a comparison re-read every instrument's mentions for every
    aspect, 70 % of its time)."""
    readings: dict[str, list[InstrumentReading]] = retriever.derived("instrument readings", dict)
    if region_code not in readings:
        readings[region_code] = [_reading(retriever, i) for i in city_instruments(retriever, region_code)]
    return readings[region_code]


def _reading(retriever: HybridRetriever, instrument: CityInstrument) -> InstrumentReading:
    first = instrument.passages[0] if instrument.passages else None
    quote = mention_sentence(first, instrument.ref) if first is not None else None
    cited = (as_hit(retriever, first), quote) if first is not None and quote is not None else None
    return InstrumentReading(instrument_text(instrument), cited)


def matrix_cells(
    regions: Sequence[Region],
    aspects: Sequence[str],
    instruments: dict[str, list[CityInstrument]],
    readings: dict[str, list[InstrumentReading]],
    book: CitationBook,
) -> list[MatrixCell]:
    """One cell per aspect and region: the region's instruments whose text (``readings``, aligned with
    ``instruments``) matches the aspect, each cited where its first passage names it."""
    cells = []
    for aspect in aspects:
        for region in regions:
            refs, markers = [], []
            for item, reading in zip(instruments[region.code], readings[region.code], strict=True):
                if not matches_aspect(aspect, reading.text):
                    continue
                refs.append(item.ref)
                if reading.cited is not None:
                    markers.append(book.cite(*reading.cited, region.code))
            citations = tuple(book.citations[m - 1] for m in dict.fromkeys(markers))
            cells.append(MatrixCell(aspect=aspect, city=region.code, instruments=tuple(refs), citations=citations))
    return cells


def timeline(regions: Sequence[Region], instruments: dict[str, list[CityInstrument]]) -> list[TimelineEntry]:
    rows = [
        TimelineEntry(city=region.code, year=item.ref.year, label=item.ref.label, key=item.ref.key)
        for region in regions
        for item in instruments[region.code]
        if item.ref.year is not None
    ]
    return sorted(rows, key=lambda r: (r.year, r.city, r.label))


def compare(
    retriever: HybridRetriever,
    cities: Sequence[str],
    topic: str,
    aspects: Sequence[str] | None = None,
    k_per_city: int = 6,
) -> tuple[Comparison, list[TimelineEntry]]:
    regions = resolve_cities(retriever, cities)
    aspect_names = list(dict.fromkeys(aspects)) if aspects else default_aspects(topic)
    groups, scoring = gather(retriever, topic, SearchFilters(), k_per_city, cities=regions)
    book = CitationBook(retriever)
    answers = city_answers(groups, scoring, book, retriever.library.settings.answer)
    instruments = {r.code: city_instruments(retriever, r.code) for r in regions}
    readings = {r.code: instrument_readings(retriever, r.code) for r in regions}
    cells = matrix_cells(regions, aspect_names, instruments, readings, book)
    comparison = Comparison(
        topic=topic,
        cities=tuple(regions),
        answers=tuple(answers),
        citations=tuple(book.citations),
        aspects=tuple(aspect_names),
        matrix=tuple(cells),
        targets=target_cells(retriever, regions, topic),
    )
    return comparison, timeline(regions, instruments)
