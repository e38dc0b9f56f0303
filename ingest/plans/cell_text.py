"""A born-digital table cell's text from the PDF's letters: the lines of its text layer, kept apart where they
overprint.

A spreadsheet printed to PDF may set the last line of one listed item half a point above the first line of the
next ('Wilayah) (%)' at 299.1 pt, 'Capaian indikator ...' at 299.6 pt on the Renstra's p. 74). Letters are grouped
into lines by their tops within a tolerance (1 pt: ingest.plans.tables), so the two came out as one line with their
letters interleaved ('WCailpaayiaahn) i(n%d)ikator'). Letters of one line never stand on each other; where letters
of different heights do, each height is a line of its own, in the order of their tops.

A word too long for its cell is clipped on paper, not in the text layer: the hidden letters of 'Kg/kapita/tahun' in
a narrow unit cell of the RKPD's p. 112 stand past the rule, over the target cell beside it, which read 'i 30,71 u'.
Letters set touching one another are one run of type, and a run is placed whole, by its middle, in one cell; a line
that runs past its cell's rule was broken there mid-word, and a lower-case line after it goes on with the word.

Letters painted white on an unfilled (white) cell are in the text layer but not on paper: the Renstra's cascade on
p. 94 copies each activity's '12' (months, under 2017) in white into every later year's cell, where the page prints
only '100' (%), and the years read '12100'. White letters are kept only where they stand on a filled shape of another
colour (a heading's white type on its coloured band).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pdfplumber.utils import chars_to_textmap, extract_text

Box = tuple[float, float, float, float]
"""A cell's or a page region's bounds: (x0, top, x1, bottom), in points from the page's top left."""
LineBox = tuple[float, float, str]
"""One line of text in a cell: (top, bottom, text), in points from the top of the page."""
PlacedWord = tuple[float, float, float, float, str]
"""A word a scan's reading placed: its box in points (x0, top, x1, bottom) and its text."""

# Letters of one line share their top to a hundredth of a point unless set in another size; 0.1 pt apart they
# belong to different lines only if they also stand on each other.
_SAME_TOP = 0.1
# How much of the narrower letter another must cover to stand on it (kerning lets neighbours touch).
_STANDS_ON = 0.5
# Letters of one word are set touching or overlapping (kerning: within a tenth of a point on the plans); the text of
# the next cell stands a cell's padding away, a few points, and a word gap is a space's width.
_TOUCHING = 0.5
# The key of a letter's copy holding the x its run is placed by (the run's middle).
_RUN_X = "run_x"


def white(colour: object) -> bool:
    """Whether a PDF colour (grey or RGB components, 0-1) is white."""
    values = colour if isinstance(colour, (list, tuple)) else (colour,)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def on_paper(chars: Sequence[dict[str, Any]], rects: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The letters a reader sees: a white letter only where a filled shape of another colour lies under its centre."""
    bands = [r for r in rects if r.get("fill") and not white(r.get("non_stroking_color"))]

    def seen(char: dict[str, Any]) -> bool:
        if not white(char.get("non_stroking_color")):
            return True
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        return any(r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"] for r in bands)

    return [c for c in chars if seen(c)]


def in_box(chars: Sequence[dict[str, Any]], box: Box) -> list[dict[str, Any]]:
    """The letters whose centres the box holds: a letter belongs to the cell holding its centre, as in pdfplumber's
    own table text (a cropped page would keep the last line of the cell above when its letters reach a fraction of
    a point past the rule). Across, a letter of a run (``runs_placed``) is placed by the run's middle."""
    return [c for c in chars if c.get("object_type", "char") == "char"
            and box[0] <= c.get(_RUN_X, (c["x0"] + c["x1"]) / 2) <= box[2]
            and box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]]



def runs_placed(chars: Sequence[dict[str, Any]],
                uprights: Sequence[tuple[float, float, float]] = ()) -> list[dict[str, Any]]:
    """The letters, those of a run of two or more set touching on one line (no space between) copied with the
    run's middle as the x ``in_box`` places them by: a word clipped by its cell's rule keeps its hidden letters
    rather than lending them to the cell beside it. Not two figures that touch across a printed rule (``uprights``,
    (x, top, bottom)): a figure too wide for its cell runs its hidden last separator up to the next cell's figure
    ('24.500.000.' / '2.234.751.63' on the RKPD's p. 104), and each is its own cell's."""
    letters = [c for c in chars if c.get("object_type", "char") == "char"]
    out = [c for c in chars if c.get("object_type", "char") != "char"]
    for line in _same_tops(letters):
        run: list[dict[str, Any]] = []
        for char in sorted(line, key=lambda c: c["x0"]):
            if run and char["text"].strip() and char["x0"] - run[-1]["x1"] <= _TOUCHING:
                run.append(char)
                continue
            out.extend(piece for part in _cut_at_rules(run, uprights) for piece in _placed(part))
            run = [char] if char["text"].strip() else []
            if not run:
                out.append(char)
        out.extend(piece for part in _cut_at_rules(run, uprights) for piece in _placed(part))
    return out


def _cut_at_rules(run: list[dict[str, Any]], uprights: Sequence[tuple[float, float, float]]
                  ) -> list[list[dict[str, Any]]]:
    """A run cut where a printed rule stands between a figure's letter and a digit starting past the rule: two
    cells' figures. A word's letters past its rule stay with it (they are hidden, not another cell's)."""
    if len(run) < 2 or not uprights:
        return [run]
    middle = (run[0]["top"] + run[0]["bottom"]) / 2
    xs = [x for x, top, bottom in uprights if top <= middle <= bottom and run[0]["x0"] < x < run[-1]["x1"]]
    parts = [[run[0]]]
    for char in run[1:]:
        before = parts[-1]
        if (char["text"].isdigit() and any(c["text"].isdigit() for c in before)
                and any(before[-1]["x0"] < x <= char["x0"] for x in xs)):
            parts.append([char])
        else:
            before.append(char)
    return parts


def _same_tops(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The letters grouped by their tops (within _SAME_TOP), top to bottom."""
    heights: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if heights and char["top"] - heights[-1][0]["top"] <= _SAME_TOP:
            heights[-1].append(char)
        else:
            heights.append([char])
    return heights


def _placed(run: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(run) < 2:
        return run
    middle = (run[0]["x0"] + max(c["x1"] for c in run)) / 2
    return [{**c, _RUN_X: middle} for c in run]


def text_lines(chars: Sequence[dict[str, Any]], y_tolerance: float) -> list[LineBox]:
    """A cell's lines as (top, bottom, text), top to bottom."""
    letters = untangled(chars, y_tolerance)
    if not letters:
        return []
    lines = chars_to_textmap(letters, y_tolerance=y_tolerance).extract_text_lines(
        strip=True, return_chars=False)
    return [(float(line["top"]), float(line["bottom"]), str(line["text"])) for line in lines
            if str(line["text"]).strip()]


def text(chars: Sequence[dict[str, Any]], y_tolerance: float, right: float | None = None) -> str:
    """A cell's text, a line break between lines (as pdfplumber's table text). A line whose last letter stands past
    the cell's right rule (``right``), hidden on paper, is a word the cell broke where it ran out of room: the next
    line goes on with it, closed up ('Kg/kapi' / 'ta/tahu' / 'n': 'Kg/kapita/tahun')."""
    letters = untangled(chars, y_tolerance)
    if not letters:
        return ""
    plain = extract_text(letters, y_tolerance=y_tolerance)
    if right is None or all((c["x0"] + c["x1"]) / 2 <= right for c in letters):
        return plain
    lines = [line for line in chars_to_textmap(letters, y_tolerance=y_tolerance).extract_text_lines(
        strip=True, return_chars=True) if str(line["text"]).strip()]
    out = ""
    for k, line in enumerate(lines):
        broke = k > 0 and _past(lines[k - 1]["chars"], right) and _goes_on(str(lines[k - 1]["text"]), str(line["text"]))
        out += str(line["text"]) if broke else (f"\n{line['text']}" if out else str(line["text"]))
    return out


def _goes_on(last: str, line: str) -> bool:
    """Whether ``line`` can go on with the word ``last`` ends with: letters with lower-case ones, a figure with
    digits (a capital opens a word of its own: a header's 'Target Akhir' / 'RPJMD' is wrapped at a space)."""
    return (last[-1].isalpha() and line[0].islower()) or (last[-1] in "0123456789.," and line[0].isdigit())


def _past(chars: Sequence[dict[str, Any]], right: float) -> bool:
    """Whether a line's last letter is centred past ``right``."""
    shown = [c for c in chars if c["text"].strip()]
    return bool(shown) and (shown[-1]["x0"] + shown[-1]["x1"]) / 2 > right


def untangled(chars: Sequence[dict[str, Any]], y_tolerance: float) -> list[dict[str, Any]]:
    """The letters, with the lines that overprint each other moved apart: each height whose letters stand on those
    of a height above it is lowered to just past the tolerance below that one (copies; the others as they are)."""
    heights = _unburied(_same_tops(chars), y_tolerance)
    out: list[dict[str, Any]] = list(heights[0]) if heights else []
    above_top = heights[0][0]["top"] if heights else 0.0
    above: list[dict[str, Any]] = heights[0] if heights else []
    for height in heights[1:]:
        top = height[0]["top"]
        if top - above_top <= y_tolerance and _collide(above, height):
            shift = above_top + y_tolerance + 2 * _SAME_TOP - top
            height = [{**c, "top": c["top"] + shift, "bottom": c["bottom"] + shift,
                       "doctop": c.get("doctop", c["top"]) + shift} for c in height]
            top += shift
        out.extend(height)
        above, above_top = height, top
    return out


def _unburied(heights: list[list[dict[str, Any]]], y_tolerance: float) -> list[list[dict[str, Any]]]:
    """The heights without the blanks of a height of blanks alone that stand on letters of a line within the
    tolerance: merged into that line, they would land between its letters ('LombaKreno va' under a line of spaces a
    point above it on the Renstra's p. 75). A blank in a gap between words is that line's space ('1.503.777' /
    'orang' on the RKPD's p. 144) and stays."""
    shown = [c for height in heights for c in height if c["text"].strip()]
    out: list[list[dict[str, Any]]] = []
    for height in heights:
        if not any(c["text"].strip() for c in height):
            height = [b for b in height if not any(
                abs(c["top"] - b["top"]) <= y_tolerance
                and min(c["x1"], b["x1"]) - max(c["x0"], b["x0"]) > _STANDS_ON * (b["x1"] - b["x0"]) for c in shown)]
        if height:
            out.append(height)
    return out


def _collide(upper: Sequence[dict[str, Any]], lower: Sequence[dict[str, Any]]) -> bool:
    """Whether a letter of one height stands on a letter of the other."""
    for a in upper:
        for b in lower:
            overlap = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            narrower = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
            if narrower > 0 and overlap > _STANDS_ON * narrower and a["text"].strip() and b["text"].strip():
                return True
    return False
