"""A Keputusan's diktum labels read as a column of their own, put back in front of their text.

A Keputusan prints each diktum as a label beside its text ("KESATU : Memberikan izin …"). OCR and some text layers
read the page column by column: the labels stacked first ("KESATU / KEDUA / KETIGA"), then the text column —
often after what else sits in that column (the end of the Mengingat list, "MEMUTUSKAN:", the Menetapkan title).
Read as printed, every label heads an empty diktum and the last one holds all their texts.

The repair moves each stacked label to where its text starts. The texts are the last blocks of the text column
before the next diktum label (or the closing): a block opens at a line that begins with the colon the label
column lost (": Honorarium …"), or, when fewer lines than labels begin so, at a capitalised line after a
sentence's end or after a heading. Nothing but the labels moves, so every other line keeps its place and page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.legal_patterns import DECIDING, DIKTUM_ORDINAL, ENACTING
from ingest.legal.lines import collapse
from ingest.legal.numbers import ORDINAL_INDEX

# A label alone on its line, as the label column gives it.
_BARE = re.compile(rf"{DIKTUM_ORDINAL}\s*:?")
# A line a diktum heads, label and text together (the body reader's own test).
_HEADED = re.compile(rf"{DIKTUM_ORDINAL}\s*(?::|$)")
# Lines with no letters: the colons of the label column, a rule, a stray page number.
_FILLER = re.compile(r"[\W\d_]*")
_COLON_LED = re.compile(r":\s*\w")
_HEAD = re.compile(rf"(?:{DECIDING}|{ENACTING})\b")
_HEAD_ALONE = re.compile(rf"(?:{DECIDING}|{ENACTING})\s*:?\s*")
_ITEM = re.compile(r"(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)\-]|[-•*·])\s")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
# Where a Keputusan's diktum end: its closing and what follows it.
_CLOSING = re.compile(r"(?:Ditetapkan\s+di|LAMPIRAN\b|Salinan\s+sesuai)")
# How far the text column may run past the labels; beyond, the labels are left where they are.
REACH = 400


def label_moves(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(label line, text line) pairs: each stacked label goes before the line where its text starts.

    ``lines`` are a document's non-empty lines in reading order. Two labels at least must stand stacked, in
    sequence (a single label alone on its line is how many Keputusan print "KESATU" above its text), and the
    text column must hold a block for each of them.
    """
    moves: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        run = _stacked_labels(lines, i)
        if len(run) < 2:
            i += 1
            continue
        end = _column_end(lines, run[-1] + 1, _ordinal(lines[run[-1]]) + 1)
        starts = _block_starts(lines, run[-1] + 1, end, len(run))
        if len(starts) >= len(run):
            moves.extend(zip(run, starts[-len(run):], strict=True))
        i = run[-1] + 1
    return moves


def reorder(count: int, moves: Sequence[tuple[int, int]]) -> list[int]:
    """The new order of ``count`` lines with each moved label placed just before its text's first line."""
    moved = {label for label, _ in moves}
    before = {text: label for label, text in moves}
    order: list[int] = []
    for n in range(count):
        if n in moved:
            continue
        if n in before:
            order.append(before[n])
        order.append(n)
    return order


def _ordinal(line: str) -> int:
    m = _HEADED.match(line)
    return ORDINAL_INDEX.get(collapse(m.group("ord")), -1) if m else -1


def _stacked_labels(lines: Sequence[str], i: int) -> list[int]:
    """The labels stacked from line i on, each the next in sequence, with only filler lines between."""
    if not _BARE.fullmatch(lines[i].strip()) or _ordinal(lines[i]) < 0:
        return []
    run = [i]
    j = i + 1
    while j < len(lines):
        line = lines[j].strip()
        if _FILLER.fullmatch(line):
            j += 1
            continue
        if not _BARE.fullmatch(line) or _ordinal(line) != _ordinal(lines[run[-1]]) + 1:
            break
        run.append(j)
        j += 1
    return run


def _column_end(lines: Sequence[str], start: int, next_ordinal: int) -> int:
    """Where the stacked labels' texts end: the next label in sequence, the closing, or the reach."""
    for j in range(start, min(len(lines), start + REACH)):
        if _ordinal(lines[j]) == next_ordinal or _CLOSING.match(lines[j]):
            return j
    return min(len(lines), start + REACH)


def _block_starts(lines: Sequence[str], start: int, end: int, wanted: int) -> list[int]:
    content = [j for j in range(start, end) if not _FILLER.fullmatch(lines[j].strip())]
    colon_led = [j for j in content if _COLON_LED.match(lines[j])]
    if len(colon_led) >= wanted:
        return colon_led
    starts: list[int] = []
    previous: str | None = None
    for j in content:
        line = lines[j]
        if previous is None or _HEAD.match(line) or _HEAD_ALONE.fullmatch(previous) or (
                _SENTENCE_END.search(previous) and line[:1].isupper() and not _ITEM.match(line)):
            starts.append(j)
        previous = line
    # "MEMUTUSKAN:" alone opens a block of its own (what follows is the decision's title), never a diktum's text.
    return [j for j in starts if not _HEAD_ALONE.fullmatch(lines[j])]
