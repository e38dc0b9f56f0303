"""Split a clean document into passages that follow its sections and paragraphs.

Whole paragraphs of one section are packed up to about ``target_chars``; a passage never crosses a
section boundary, so a citation names one section. A Pasal that fits the embedding window is one
passage (the unit lawyers cite); a longer one splits at its ayat. Only a paragraph (or ayat) longer
than ``max_chars`` is cut, by langchain's ``RecursiveCharacterTextSplitter`` at sentence-ish
separators, and only those cuts overlap, so that a sentence cut in two is whole in one of them.

A table's rows (``TableRows``, found by ingest.plans) are never cut apart: the rows of one table are packed into
passages of their own, each cut only where a row starts, and each carries the table's caption and column headings
as its ``context`` (the rows' text holds none of those words, so alone it is found by no question about them).

Every chunk is an exact, whitespace-trimmed slice ``text[start:end]``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from core.legal_patterns import AMENDING_ARTICLE
from core.types import CleanDocument, PassageKind, Section

SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]
# The splitter walks long unbroken text character by character; it gets it in windows this long.
SPLIT_WINDOW = 60_000
# Uncovered text this short, made of short unpunctuated lines, is headings between sections.
HEADING_GAP_CHARS = 300
MAX_HEADING_LINE = 100
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_PASAL = re.compile(AMENDING_ARTICLE)
_SPACE = re.compile(r"\s")
_AYAT_NUMBER = re.compile(r"ayat \(([^)]+)\)$")


@dataclass(frozen=True)
class Chunk:
    """A passage-to-be: an exact slice of the clean text with the section it belongs to."""

    start: int
    end: int
    section: str
    kind: PassageKind
    pasal: str | None
    context: str = ""


@dataclass(frozen=True)
class TableRows:
    """One table's rows in the clean text (a page's part of it): each row's start with the goal or programme it
    serves ("" when none), in text order, where the last row ends, and what the table prints once above its rows
    (caption, column headings)."""

    context: str
    rows: tuple[tuple[int, str], ...]
    end: int


# An ayat section and the slice of its Pasal it covers (the first one also holds the Pasal's heading).
_AyatPiece = tuple[Section, int, int]


@dataclass(frozen=True)
class _Sizes:
    target: int
    max: int
    overlap: int


def section_label(path: tuple[str, ...]) -> str:
    """How a section path reads in a citation: 'BAB III › Bagian Kedua › Pasal 12 ayat (3)'."""
    return " › ".join(part.strip() for part in path if part.strip())


def split_passages(
    doc: CleanDocument,
    sections: Sequence[Section],
    *,
    target_chars: int = 1000,
    max_chars: int = 1600,
    overlap_chars: int = 150,
    tables: Sequence[TableRows] = (),
    table_chars: int = 400,
) -> list[Chunk]:
    if not 0 < target_chars <= max_chars or not 0 <= overlap_chars < target_chars:
        raise ValueError(f"need 0 < target ({target_chars}) <= max ({max_chars}) and 0 <= overlap < target")
    sizes = _Sizes(target_chars, max_chars, overlap_chars)
    text = doc.text
    chunks: list[Chunk] = []
    for unit, children in _units(text, sections, len(text)):
        chunks.extend(_chunk_unit(text, unit, children, sizes))
    return _with_tables(text, chunks, tables, table_chars, max_chars) if tables else chunks


def _with_tables(text: str, chunks: list[Chunk], tables: Sequence[TableRows], table_chars: int, max_chars: int
                 ) -> list[Chunk]:
    """The chunks with each table's rows cut out of them and packed again, a few whole rows to a passage of up to
    ``table_chars`` (a longer row is a passage of its own), each with the table's context. What the chunks held
    around the rows (the caption above, text after) stays in them."""
    regions: list[tuple[int, int]] = []
    packed: list[Chunk] = []
    for table in sorted(tables, key=lambda t: t.rows[0][0] if t.rows else 0):
        if not table.rows or (regions and table.rows[0][0] < regions[-1][1]):
            continue  # no rows, or overlapping a table already packed
        start, end = table.rows[0][0], max(table.end, table.rows[-1][0])
        regions.append((start, end))
        bounds = [s for s, _ in table.rows] + [end]
        for a, b in _row_packs(bounds, table_chars):
            span = _trim(text, bounds[a], bounds[b])
            if span[1] <= span[0]:
                continue
            owner = _owner(chunks, span[0])
            served = dict.fromkeys(c for _, c in table.rows[a:b] if c)
            context = "\n".join([table.context, *served]).strip()
            # A row longer than any passage (a cell's long list) is cut like an over-long paragraph.
            for piece in [span] if span[1] - span[0] <= max_chars else _hard_cut(text, *span, max_chars):
                packed.append(Chunk(piece[0], piece[1], owner.section if owner else "",
                                    owner.kind if owner else PassageKind.TEXT, owner.pasal if owner else None,
                                    context))
    kept: list[Chunk] = []
    for chunk in chunks:
        pieces = [(chunk.start, chunk.end)]
        for start, end in regions:
            pieces = [p for a, b in pieces for p in ((a, min(b, start)), (max(a, end), b)) if p[1] > p[0]]
        for a, b in pieces:
            span = _trim(text, a, b)
            if span[1] > span[0]:
                kept.append(Chunk(span[0], span[1], chunk.section, chunk.kind, chunk.pasal))
    return sorted([*kept, *packed], key=lambda c: (c.start, c.end))


def _row_packs(bounds: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Consecutive rows (row i spans bounds[i]..bounds[i + 1]) packed up to ``size`` chars: (first, last + 1)."""
    packs = []
    first = 0
    for i in range(1, len(bounds) - 1):
        if bounds[i + 1] - bounds[first] > size:
            packs.append((first, i))
            first = i
    packs.append((first, len(bounds) - 1))
    return packs


def _owner(chunks: Sequence[Chunk], offset: int) -> Chunk | None:
    """The chunk the text at ``offset`` was in (its section and kind go to the table passage cut from it)."""
    return next((c for c in chunks if c.start <= offset < c.end), None) or next(
        (c for c in reversed(chunks) if c.start <= offset), None)


def _units(text: str, sections: Sequence[Section], length: int) -> list[tuple[Section, list[Section]]]:
    """Top-level sections in order with the sections nested in them; gaps become unnamed text units."""
    clamped = []
    for section in sections:
        start = min(max(section.start, 0), length)
        end = min(max(section.end, start), length)
        if end > start:
            clamped.append(section.model_copy(update={"start": start, "end": end}))
    clamped.sort(key=lambda s: (s.start, -s.end))
    tops: list[tuple[Section, list[Section]]] = []
    for section in clamped:
        if tops and section.start < tops[-1][0].end:
            if section.end <= tops[-1][0].end:
                tops[-1][1].append(section)
                continue
            section = section.model_copy(update={"start": tops[-1][0].end})  # partial overlap: clip
        tops.append((section, []))
    units: list[tuple[Section, list[Section]]] = []
    cursor = 0
    for top, children in [*tops, (Section(path=(), start=length, end=length), [])]:
        if top.start > cursor:
            units.append((Section(path=(), start=cursor, end=top.start, kind=_gap_kind(text, cursor, top.start)), []))
        if top.end > top.start:
            units.append((top, children))
        cursor = top.end
    return units


def _gap_kind(text: str, start: int, end: int) -> PassageKind:
    """Text between sections is often just headings ("BAB II / KETENTUAN UMUM / Bagian Kesatu")."""
    if end - start > HEADING_GAP_CHARS:
        return PassageKind.TEXT
    lines = [line.strip() for line in text[start:end].splitlines() if line.strip()]
    headings = all(len(line) <= MAX_HEADING_LINE and not line.endswith((".", ";", ",")) for line in lines)
    return PassageKind.HEADING if lines and headings else PassageKind.TEXT


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pasal_number(path: tuple[str, ...]) -> str | None:
    """The document's own article: the outermost Pasal of the path. In an amending regulation the new
    wording of Pasal 11 of the amended one sits inside Pasal I ("Pasal I › Pasal 11 (diubah)"), and is Pasal I's."""
    for part in path:
        match = _PASAL.search(part)
        if match:
            return match.group(1)
    return None


def _chunk_unit(text: str, unit: Section, children: list[Section], sizes: _Sizes) -> list[Chunk]:
    start, end = _trim(text, unit.start, unit.end)
    if start == end:
        return []
    label = section_label(unit.path)
    pasal = _pasal_number(unit.path) if unit.kind in (PassageKind.PASAL, PassageKind.AYAT) else None
    if unit.kind != PassageKind.PASAL or end - start <= sizes.max:
        if end - start <= sizes.max:
            return [Chunk(start, end, label, unit.kind, pasal)]
        return _pack(text, start, end, label, unit.kind, pasal, sizes)
    ayat = sorted({c.start: c for c in children if c.kind == PassageKind.AYAT}.values(), key=lambda c: c.start)
    if not ayat:
        return _pack(text, start, end, label, PassageKind.PASAL, pasal, sizes)
    chunks: list[Chunk] = []
    # The Pasal's own heading line travels with its first ayat; text between ayat with the one before.
    bounds = [unit.start, *(c.start for c in ayat[1:]), unit.end]
    pieces = list(zip(ayat, bounds, bounds[1:], strict=False))
    for group in _ayat_groups(text, pieces, sizes):
        label = _ayat_range(group[0][0].path, group[-1][0].path)
        chunks.extend(_pack(text, group[0][1], group[-1][2], label, PassageKind.AYAT, pasal, sizes))
    return chunks


def _ayat_groups(text: str, pieces: list[_AyatPiece], sizes: _Sizes) -> list[list[_AyatPiece]]:
    """Consecutive ayat packed up to the target, the way paragraphs are: short ayat make no passage of their own."""
    groups: list[list[_AyatPiece]] = []
    for piece in pieces:
        if groups:
            start, end = _trim(text, groups[-1][0][1], groups[-1][-1][2])
            merged = _trim(text, piece[1], piece[2])[1] - start
            tiny = end - start < sizes.target // 4
            if merged <= sizes.target or (tiny and merged <= sizes.max):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    return groups


def _ayat_range(first: tuple[str, ...], last: tuple[str, ...]) -> str:
    """'Pasal 2 ayat (5)' and 'Pasal 2 ayat (6)' → 'Pasal 2 ayat (5)–(6)'."""
    number = _AYAT_NUMBER.search(last[-1]) if first != last else None
    if number is None:
        return section_label(first)
    return section_label((*first[:-1], f"{first[-1]}–({number.group(1)})"))


def _paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cursor = start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        span = _trim(text, cursor, match.start())
        if span[1] > span[0]:
            yield span
        cursor = match.end()
    span = _trim(text, cursor, end)
    if span[1] > span[0]:
        yield span


def _pack(
    text: str, start: int, end: int, label: str, kind: PassageKind, pasal: str | None, sizes: _Sizes
) -> list[Chunk]:
    """Whole paragraphs packed up to the target; a paragraph too long for one passage is cut."""
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    small = sizes.target // 4
    for para_start, para_end in _paragraphs(text, start, end):
        if current is not None:
            merged = para_end - current[0]
            tiny = current[1] - current[0] < small
            if merged <= sizes.target or (tiny and merged <= sizes.max):
                current = (current[0], para_end)
                continue
            if para_end - para_start > sizes.max and tiny:
                # A heading above a long paragraph goes into the paragraph's first cut.
                para_start, current = current[0], None
            else:
                spans.append(current)
                current = None
        if para_end - para_start > sizes.max:
            spans.extend(_cut(text, para_start, para_end, sizes))
        else:
            current = (para_start, para_end)
    if current is not None:
        spans.append(current)
    return [Chunk(s, e, label, kind, pasal) for s, e in spans]


def _cut(text: str, start: int, end: int, sizes: _Sizes) -> list[tuple[int, int]]:
    """Overlapping pieces of an over-long paragraph, each an exact trimmed slice of at most max chars."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=sizes.target,
        chunk_overlap=sizes.overlap,
        separators=SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )
    spans: list[tuple[int, int]] = []
    for window_start, window_end in _windows(text, start, end):
        if not _SPACE.search(text, window_start, window_end):
            spans.extend(_hard_cut(text, window_start, window_end, sizes.target))
            continue
        spans.extend(_locate(text, splitter.split_text(text[window_start:window_end]), window_start, sizes))
    out: list[tuple[int, int]] = []
    for span in _merge_tiny(_cover_gaps(text, start, end, spans, sizes.target), sizes):
        out.extend([span] if span[1] - span[0] <= sizes.max else _hard_cut(text, *span, sizes.max))
    return out


def _merge_tiny(spans: list[tuple[int, int]], sizes: _Sizes) -> list[tuple[int, int]]:
    """A heading or a stub the splitter left alone joins its neighbour when the two still fit."""
    small = sizes.target // 4
    out: list[tuple[int, int]] = []
    for span in spans:
        if out and (out[-1][1] - out[-1][0] < small or span[1] - span[0] < small):
            merged = (out[-1][0], max(out[-1][1], span[1]))
            if merged[1] - merged[0] <= sizes.max:
                out[-1] = merged
                continue
        out.append(span)
    return out


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Slices of at most SPLIT_WINDOW chars, cut at whitespace where there is any near the end."""
    while end - start > SPLIT_WINDOW:
        limit = start + SPLIT_WINDOW
        cut = max(text.rfind("\n", start + SPLIT_WINDOW // 2, limit), text.rfind(" ", limit - 2000, limit))
        cut = cut + 1 if cut > start else limit
        yield start, cut
        start = cut
    yield start, end


def _locate(text: str, pieces: list[str], offset: int, sizes: _Sizes) -> list[tuple[int, int]]:
    """Where the splitter's pieces lie: each is found after the previous one, overlap allowed."""
    spans: list[tuple[int, int]] = []
    previous = (offset - 1, offset)
    for piece in pieces:
        if not piece:
            continue
        low = max(previous[0] + 1, previous[1] - sizes.overlap - 2)
        found = text.find(piece, low)
        if found < 0:
            found = text.find(piece, previous[0] + 1)
        if found < 0:
            continue  # the gap pass below covers whatever this piece held
        previous = (found, found + len(piece))
        spans.append(previous)
    return spans


def _hard_cut(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Consecutive trimmed pieces of at most ``size`` chars, cut at a space when one is near."""
    spans = []
    cursor = start
    while cursor < end:
        limit = min(cursor + size, end)
        if limit < end:
            space = text.rfind(" ", cursor + size // 2, limit + 1)
            if space > cursor:
                limit = space
        piece = _trim(text, cursor, limit)
        if piece[1] > piece[0]:
            spans.append(piece)
        cursor = limit
    return spans


def _cover_gaps(text: str, start: int, end: int, spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Add pieces for any non-blank text the spans left out, so nothing of the document is lost."""
    spans = sorted(set(spans))
    covered_to = start
    extra: list[tuple[int, int]] = []
    for span_start, span_end in spans:
        if span_start > covered_to:
            gap = _trim(text, covered_to, span_start)
            if gap[1] > gap[0]:
                extra.extend(_hard_cut(text, *gap, size))
        covered_to = max(covered_to, span_end)
    gap = _trim(text, covered_to, end)
    if gap[1] > gap[0]:
        extra.extend(_hard_cut(text, *gap, size))
    for span in extra:
        bisect.insort(spans, span)
    return spans
