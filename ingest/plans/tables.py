"""A plan's target tables read into indicator rows, with pdfplumber (the ruled cells of born-digital tables).

Each table's header rows name its columns; the columns a planner needs are found by their words (indikator,
satuan, kondisi awal, target + year, akhir periode, perangkat daerah, program, sasaran) rather than by
position, since every plan lays its tables out differently. A cell listing several indicators ("- A\\n- B") is
read as several rows when each year's cell lists as many values. Merged cells are resolved by geometry: the cell
covering a position is the one whose box holds it.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from core.legal_patterns import SMALL_ROMAN_LETTER
from core.types import IndicatorValue
from ingest.plans import cell_text
from ingest.plans.cell_text import Box, LineBox

logger = logging.getLogger(__name__)

Role = Literal["indicator", "item", "unit", "goal", "programme", "code", "agency", "baseline", "target", "end_target",
               "actual", "budget", "budget_realised", "skip"]

# pdfplumber's default line tolerance (3 pt) merges the two lines of a tightly set cell into one interleaved
# line ("SBeumkue 8s tKere ..."); 1 pt keeps them apart on the Semarang plans.
_Y_TOLERANCE = 1
_MAX_HEADER_ROWS = 8
_MAX_TITLE_ROWS = 3
_HEADER_PIECE = 12
# Lines of one listed item follow each other closely (~1.5 pt apart at 9 pt); items are set ~7 pt apart.
_ITEM_GAP = 0.4
_SEPARATED_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+")
_UNIT_FRAGMENT = 4
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|19[89]\d)(?!\d)")
_DATA_NUMBER = re.compile(r"\d+,\d+|\d{1,3}(?:\.\d{3})+|\d+\s?%")
_BULLET = re.compile(r"^\s*(?:[-•·▪]|\d{1,2}\s?[.)]|[a-z][.)])\s*")
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")
# Justified cells letter-space the start of a word and set the rest tight: 'F a silitasi', 'K e s e suaian'.
_SPACED_START = re.compile(r"\b((?:[A-Z] )(?:[a-z] ){0,5})([a-z]{3,})\b")
_TRAILING_UNIT = re.compile(r"\(([^()]{1,30})\)\s*$")
# The unit a figure is printed with: '5.712 siswa', or in brackets, '4 (organisasi)'. A typist's zero may stand for
# a capital O ('390 0rang'): after a space, a zero followed by letters is a word, not a figure.
_VALUE_UNIT = re.compile(r"^[\d.,]+\s*(?:\(([A-Za-z][^()]{0,20})\)|([A-Za-z%].{0,20}|(?<=\s)0[A-Za-z]{2}.{0,18}))$")
_CAPTION = re.compile(rf"T\s?A\s?B\s?E\s?L\s+(?:\d|{SMALL_ROMAN_LETTER})+(?:\.\d+)*[^\n]*(?:\n[^\n]{{3,120}}){{0,2}}",
                      re.IGNORECASE)
# Words that only a header cell holds; a row with none of them (and no column numbers) is data.
_HEADER_WORDS = ("indikator", "satuan", "target", "realisasi", "capaian", "kondisi", "tahun", "sasaran", "tujuan",
                 "program", "kegiatan", "kode", "perangkat", "skpd", "opd", "keterangan", "prioritas", "rasio",
                 "periode", "awal", "akhir", "pagu", "anggaran", "kinerja", "uraian", "pendanaan", "status",
                 "no", "lokasi", "evaluasi", "penanggung")


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # the header cells above it, top to bottom, normalised ("targetkinerja 2017 k")
    role: Role
    year: int | None = None
    heading: tuple[str, ...] = ()  # the same header cells as printed, top to bottom ('Target Capaian', '2017')
    # Whether a header cell of its own names the column, not only one spanning it and its neighbours ('Kinerja
    # RKPD s.d Triwulan II' over eight columns): a column named only so may hold the values of the one beside it.
    own: bool = True


@dataclass
class RawRow:
    """One indicator read from a table, before it is tied to the document (ids, offsets, passages)."""

    page: int
    table_index: int
    row_index: int
    item: int
    table: str
    indicator: str
    unit: str | None
    baseline: IndicatorValue | None
    targets: list[IndicatorValue]
    end_target: IndicatorValue | None
    actuals: list[IndicatorValue]
    goal: str | None
    programme: str | None
    code: str | None
    agency: str | None
    bbox: Box | None
    items_in_cell: int = 1
    notes: list[str] = field(default_factory=list)
    header: str = ""  # the table's column headings as printed, ' | ' between columns
    budgets: list[IndicatorValue] = field(default_factory=list)
    budget_realised: list[IndicatorValue] = field(default_factory=list)


def table_header(columns: Sequence[Column]) -> str:
    """A table's column headings as a reader sees them, each column's in full ('Target Capaian Setiap Tahun 2016 |
    Target Capaian Setiap Tahun 2017'): what a passage of its rows needs to say what its figures are. (Said once per
    spanning heading, 'Target ... 2016 | 2017', the plan-tuning questions found one row fewer: 0.55 -> 0.50.)"""
    return " | ".join(" ".join(c.heading) for c in columns if c.heading)


def squash(text: str) -> str:
    """Lower case, no spaces: header words survive letter-spacing ('I N D I K A T O R')."""
    return re.sub(r"\s+", "", text).lower()


_LINE_HYPHEN = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")


def _join_hyphenated(match: re.Match[str]) -> str:
    """A word broken at a line end: a reduplication keeps its hyphen ('kategori-' / 'kategori'), a syllable
    break loses it ('pemba-' / 'ngunan'), a capitalised continuation is a compound ('Sosial-' / 'Budaya')."""
    head, tail = match.group(1), match.group(2)
    if tail.lower().startswith(head.lower()) or not tail[:1].islower():
        return f"{head}-{tail}"
    return head + tail


# A closing bracket a narrow cell wrapped onto a line of its own closes the word before it: '(6 jenis koordinasi' /
# ')' is '(6 jenis koordinasi)'.
_CLOSING_LINE = re.compile(r"[ \t]*\n[ \t]*(?=\))")


def tidy(text: str | None) -> str:
    """A cell's text as one line: wrapped lines joined, letter-spaced words closed up ('P e r s e n t a s e')."""
    if not text:
        return ""
    text = _CLOSING_LINE.sub("", _LINE_HYPHEN.sub(_join_hyphenated, text))
    joined = " ".join(text.split())
    joined = _SPACED_START.sub(lambda m: m.group(1).replace(" ", "") + m.group(2), joined)
    return _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), joined).strip()


def parse_number(value: str) -> float | None:
    """Indonesian notation: '1.795.371.070' → 1795371070, '96,99' → 96.99, '90 %' → 90."""
    match = re.match(r"^\s*([+-]?[\d.,]+)", value)
    if not match:
        return None
    digits = match.group(1).rstrip(".,")
    if not digits or not any(c.isdigit() for c in digits):
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits) or "," in digits:
        digits = digits.replace(".", "").replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _role(label: str, bottom: str) -> tuple[Role, int | None]:
    """What a column holds, from its header words. The order matters: a ratio or a status is about a target (or
    a budget) rather than one, 'RP' under a year is its budget (beside the year's target 'K'), 'akhir' beats the
    year a spanning header may carry."""
    years = _YEAR.findall(label)
    year = int(years[-1]) if years else None
    # 'lokasi' is a place column; 'alokasi anggaran' (allocated funds) holds it too.
    located = "lokasi" in label.replace("alokasi", "")
    # A ratio, a growth rate or a change from another figure ('bertambah / berkurang dari APBD TA 2016') is about
    # figures, not one of its own.
    if located or any(w in label for w in ("rasio", "thd", "terhadap", "status", "keterangan", "no.", "pertumbuhan",
                                           "bertambah", "berkurang")):
        return "skip", None
    # 'APBD TA 2016' beside a plan's pagu is the budget the council enacted for that year: funds too.
    money = bottom in ("rp", "rp.") or "(rp)" in label or (
        bottom != "k" and any(w in label for w in ("anggaran", "pagu", "apbd")))
    if money:
        # A budget table's funds per year: planned (anggaran, pagu indikatif, kerangka pendanaan) or realised.
        if year is None:
            return "skip", None
        return ("budget_realised" if "realisasi" in label else "budget"), year
    # 'Uraian' alone or of what a budget table lists ('Uraian Belanja', 'Uraian Pembiayaan'): the rows' names.
    if label.startswith("uraian") and "indikator" not in label:
        return "item", None
    if "indikator" in label:
        return "indicator", None
    if "satuan" in label:
        return "unit", None
    # An agency's column names no year: 'Target Renstra Perangkat Daerah 2011' is the agency's target for a year.
    if year is None and any(w in label for w in ("perangkatdaerah", "skpd", "opd", "penanggungjawab", "pelaksana",
                                                 "unitkerja")):
        return "agency", None
    if "kode" in label:
        return "code", None
    if "akhir" in label and any(w in label for w in ("periode", "renstra", "rpjmd", "target", "kondisi")):
        return "end_target", None
    if any(w in label for w in ("kondisiawal", "tahunawal", "kondisikinerjaawal", "capaianpada", "baseline")):
        return "baseline", year
    if "realisasi" in label and year is not None:
        return "actual", year
    if year is not None and ("target" in label or "rencana" in label or bottom == "k"):
        return "target", year
    if "program" in label or "kegiatan" in label:
        return "programme", None
    if any(w in label for w in ("sasaran", "tujuan", "prioritas", "misi", "urusan")):
        return "goal", None
    if year is not None:
        return "actual", year
    return "skip", None


_VALUED: frozenset[Role] = frozenset({"target", "baseline", "end_target", "actual", "budget", "budget_realised"})


def _centre(boxes: list[list[Box | None]], index: int, axis: int) -> float | None:
    """The centre of a column (axis 0) or row (axis 1) of a table's cells, from its narrowest own cell."""
    cells = [row[index] for row in boxes if index < len(row)] if axis == 0 else boxes[index]
    own = [b for b in cells if b is not None]
    if not own:
        return None
    box = min(own, key=lambda b: (b[2] - b[0]) if axis == 0 else (b[3] - b[1]))
    return (box[0] + box[2]) / 2 if axis == 0 else (box[1] + box[3]) / 2


class Grid:
    """A table as text by position, each position resolved to the cell whose box covers it.

    ``text`` and ``boxes`` hold one entry per row and column; a position covered by a merged cell anchored
    elsewhere holds None in both (as pdfplumber gives them). ``lines_in`` gives the text lines inside a box: from
    the PDF's text layer for a born-digital table, from the OCR's words for a scanned one."""

    def __init__(self, text: list[list[str | None]], boxes: list[list[Box | None]],
                 lines_in: Callable[[Box], list[LineBox]]) -> None:
        self.text = text
        self.boxes = boxes
        self._lines_in = lines_in
        self.n_rows = len(self.text)
        self.n_cols = max((len(r) for r in self.text), default=0)
        anchors: dict[Box, str] = {}
        for r in range(self.n_rows):
            for c in range(len(self.boxes[r])):
                box = self.boxes[r][c]
                if box is not None:
                    anchors[box] = self.text[r][c] or ""
        self._anchors = anchors
        self._col_x = [_centre(self.boxes, c, axis=0) for c in range(self.n_cols)]
        self._row_y = [_centre(self.boxes, r, axis=1) for r in range(self.n_rows)]

    def covering(self, r: int, c: int) -> tuple[str, Box | None, bool]:
        """(text, box, own): the cell at a position, or the merged cell that covers it (own False)."""
        if c < len(self.boxes[r]) and (own := self.boxes[r][c]) is not None:
            return self.text[r][c] or "", own, True
        x, y = self._col_x[c], self._row_y[r]
        if x is None or y is None:
            return "", None, False
        for box, text in self._anchors.items():
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return text, box, False
        return "", None, False

    def words_beside(self, c: int) -> frozenset[str]:
        """The words, lower case, that the cells of the table's other columns spell: what a narrow column's broken
        word is checked against (its own column may break the word the same way in every row)."""
        return frozenset(word for k, words in enumerate(self._column_words) if k != c for word in words)

    @functools.cached_property
    def _column_words(self) -> list[set[str]]:
        words: list[set[str]] = [set() for _ in range(self.n_cols)]
        for row in self.text:
            for c, cell in enumerate(row):
                words[c].update(w.lower() for w in re.findall(r"[^\W\d_]+", cell or ""))
        return words

    def cell_lines(self, box: Box) -> list[tuple[float, str]]:
        """The text lines inside a cell, each with its top (points from the top of the page)."""
        return [(top, text) for top, _, text in self.cell_line_boxes(box)]

    def cell_line_boxes(self, box: Box) -> list[LineBox]:
        """The text lines inside a cell as (top, bottom, text)."""
        return sorted(self._lines_in(box))

    def columns_in(self, box: Box) -> list[int]:
        """The columns whose centres a box spans."""
        return [c for c, x in enumerate(self._col_x) if x is not None and box[0] <= x <= box[2]]

    def span(self, r: int, c: int) -> int:
        """How many columns the cell anchored at (r, c) spans."""
        box = self.boxes[r][c] if c < len(self.boxes[r]) else None
        if box is None:
            return 0
        return sum(1 for x in self._col_x if x is not None and box[0] <= x <= box[2])


_OPEN_NUMBER = re.compile(r"\d[.,]$")
_NUMBER_TAIL = re.compile(r"^\d{1,3}(?:[.,]\d+)*$")


def _continues(above: str | None, below: str | None) -> bool:
    return bool(above and below and _OPEN_NUMBER.search(above.strip()) and _NUMBER_TAIL.match(below.strip()))


def join_wrapped_rows(grid: Grid) -> Grid:
    """A grid whose rows holding only the tails of figures left open in the row above ('16.898.525.' / '000',
    printed on two lines of a row the ruling finder cut in two) are folded into that row: texts joined line by
    line, boxes joined."""
    text = [list(row) for row in grid.text]
    boxes = [list(row) for row in grid.boxes]
    r = 1
    while r < len(text):
        above, below = text[r - 1], text[r]
        numbers = [c for c, cell in enumerate(below) if cell and any(ch.isdigit() for ch in cell)]
        tails = [c for c in numbers if c < len(above) and _continues(above[c], below[c])]
        if len(tails) < 2 or len(tails) != len(numbers):
            r += 1
            continue
        for c, cell in enumerate(below):
            if c >= len(above) or not cell or boxes[r][c] is None:
                continue
            own, box = boxes[r - 1][c], boxes[r][c]
            above[c] = f"{above[c]}\n{cell}" if above[c] else cell
            if own is not None and box is not None:
                boxes[r - 1][c] = (min(own[0], box[0]), min(own[1], box[1]), max(own[2], box[2]), max(own[3], box[3]))
        del text[r], boxes[r]
    return Grid(text, boxes, grid._lines_in) if len(text) != grid.n_rows else grid


def pdfplumber_grid(table: object) -> Grid:
    """A pdfplumber table (ruled cells of a born-digital page) as a Grid."""
    page = table.page  # type: ignore[attr-defined]
    uprights = _visible_uprights(page)
    chars = cell_text.runs_placed(cell_text.on_paper(page.chars, page.rects), uprights)

    def lines_in(box: Box) -> list[LineBox]:
        return cell_text.text_lines(cell_text.in_box(chars, box), _Y_TOLERANCE)

    boxes = [list(row.cells) for row in table.rows]  # type: ignore[attr-defined]
    text: list[list[str | None]] = [[None if box is None else cell_text.text(cell_text.in_box(chars, box), _Y_TOLERANCE,
                                                                            box[2])
                                     for box in row] for row in boxes]
    _join_unruled_cells(text, boxes, _visible_rules(page))
    _open_foot_cells(text, boxes, uprights, lines_in)
    return Grid(text, boxes, lines_in)


def _printed(edge: dict[str, Any]) -> bool:
    """Whether an edge is a rule on paper: a rectangle painted white with no stroke (a spreadsheet's cell fill, one
    per line of a wrapped cell) rules nothing."""
    return not (edge.get("object_type") == "rect_edge" and not edge.get("stroke") and edge.get("fill")
                and cell_text.white(edge.get("non_stroking_color")))


def _visible_rules(page: Any) -> list[tuple[float, float, float]]:
    """The horizontal rules printed on a page, as (y, x0, x1). Where two fills of one colour meet with no stroke
    (a coloured cell filled once per line of its wrapped text: the RKPD's 'Pendapatan' / 'Daerah' on p. 124), their
    edges rule nothing either: on paper the colour runs on."""
    seams: dict[int, list[Seam]] = {}
    for seam in _fill_seams(page.rects):
        seams.setdefault(round(seam[0]), []).append(seam)
    return [(float(e["top"]), float(e["x0"]), float(e["x1"])) for e in page.edges
            if e["orientation"] == "h" and _printed(e) and not (_fill_edge(e) and _on_seam(e, seams))]


def _fill_edge(edge: dict[str, Any]) -> bool:
    return edge.get("object_type") == "rect_edge" and not edge.get("stroke") and bool(edge.get("fill"))


# Fills at least this tall are areas of colour, not rules drawn as thin filled rectangles.
_FILL_HEIGHT = 1.0
_SEAM = 0.5


Seam = tuple[float, float, float, object]
"""Where two fills of one colour meet: (y, x0, x1, colour)."""


def _fill_seams(rects: list[dict[str, Any]]) -> list[Seam]:
    """Where a fill ends and another of the same colour begins right under it, with no stroke."""
    fills = [r for r in rects if r.get("fill") and not r.get("stroke") and r["bottom"] - r["top"] >= _FILL_HEIGHT]
    by_top: dict[int, list[dict[str, Any]]] = {}
    for r in fills:
        by_top.setdefault(round(r["top"]), []).append(r)
    seams: list[Seam] = []
    for upper in fills:
        y = upper["bottom"]
        for key in (round(y) - 1, round(y), round(y) + 1):
            for lower in by_top.get(key, []):
                x0, x1 = max(upper["x0"], lower["x0"]), min(upper["x1"], lower["x1"])
                if (abs(lower["top"] - y) <= _SEAM and x1 > x0
                        and lower.get("non_stroking_color") == upper.get("non_stroking_color")):
                    seams.append((float(y), float(x0), float(x1), upper.get("non_stroking_color")))
    return seams


def _on_seam(edge: dict[str, Any], seams: dict[int, list[Seam]]) -> bool:
    """Whether an edge of a fill lies where it meets another of its colour (a rule drawn there as a thin rectangle
    of another colour is printed). ``seams`` by their rounded height."""
    near = (seam for key in (round(edge["top"]) - 1, round(edge["top"]), round(edge["top"]) + 1)
            for seam in seams.get(key, []))
    return any(abs(edge["top"] - y) <= _SEAM and edge["x0"] >= x0 - _SEAM and edge["x1"] <= x1 + _SEAM
               and edge.get("non_stroking_color") == colour for y, x0, x1, colour in near)


def _visible_uprights(page: Any) -> list[tuple[float, float, float]]:
    """The vertical rules printed on a page, as (x, top, bottom)."""
    return [(float(e["x0"]), float(e["top"]), float(e["bottom"])) for e in page.edges
            if e["orientation"] == "v" and _printed(e)]


def _open_foot_cells(text: list[list[str | None]], boxes: list[list[Box | None]],
                     uprights: list[tuple[float, float, float]], lines_in: Callable[[Box], list[LineBox]]) -> None:
    """A cell at the foot of a page whose row goes on over the page has no rule under it (the next page closes it),
    so the ruling finder gives no cell there and its words are lost: an agency beside the last indicator ('D.
    Pendidikan'). Between two vertical rules crossing the last row, a stretch no cell covers is such a cell: it is
    given the row's height and the words whose centres it holds, at the first position it spans."""
    # The foot row is the last holding a cell of its own: rows under it may have been folded into it (their cells
    # ruled apart by no printed rule: the Renstra's p. 72 fills its empty years grey line by line).
    r = next((k for k in range(len(boxes) - 1, -1, -1) if any(b is not None for b in boxes[k])), None)
    if r is None:
        return
    own = [b for b in boxes[r] if b is not None]
    if not own or all(b is not None for b in boxes[r]):
        return
    top, bottom = min(b[1] for b in own), max(b[3] for b in own)
    middle = (top + bottom) / 2
    xs: list[float] = []
    for x in sorted(x for x, rule_top, rule_bottom in uprights if rule_top <= middle <= rule_bottom):
        if not xs or x - xs[-1] > 1.5:
            xs.append(x)
    cells = [b for row in boxes for b in row if b is not None]
    centres = [_centre(boxes, c, axis=0) for c in range(max(len(row) for row in boxes))]
    for left, right in pairwise(xs):
        x = (left + right) / 2
        if any(b[0] <= x <= b[2] and b[1] <= middle <= b[3] for b in cells):
            continue
        free = [c for c, centre in enumerate(centres) if centre is not None and left <= centre <= right
                and c < len(boxes[r]) and boxes[r][c] is None]
        if not free:
            continue
        box = (left, top, right, bottom)
        boxes[r][free[0]] = box
        text[r][free[0]] = "\n".join(line for _, _, line in sorted(lines_in(box)))


def _join_unruled_cells(text: list[list[str | None]], boxes: list[list[Box | None]],
                        rules: list[tuple[float, float, float]]) -> None:
    """Cells of one column with no printed rule between them are one cell on paper: the lower is folded into the
    upper, so an indicator wrapped over three white-filled cells reads whole rather than as its first line."""
    for c in range(max((len(row) for row in boxes), default=0)):
        anchor: int | None = None
        for r, row in enumerate(boxes):
            box = row[c] if c < len(row) else None
            if box is None:
                continue
            above = boxes[anchor][c] if anchor is not None else None
            if anchor is None or above is None or not _unruled_below(above, box, rules):
                anchor = r
                continue
            lower = text[r][c]
            if lower:
                text[anchor][c] = f"{text[anchor][c]}\n{lower}" if text[anchor][c] else lower
            boxes[anchor][c] = (above[0], above[1], above[2], box[3])
            row[c], text[r][c] = None, None


def _unruled_below(above: Box, box: Box, rules: list[tuple[float, float, float]]) -> bool:
    """``box`` lies right under ``above``, as wide, with no printed rule between them."""
    return (abs(above[0] - box[0]) < 1 and abs(above[2] - box[2]) < 1 and abs(above[3] - box[1]) < 1.5
            and not _ruled(rules, box[1], box[0], box[2]))


def _ruled(rules: list[tuple[float, float, float]], y: float, x0: float, x1: float) -> bool:
    """Whether printed rules at height y cover most of [x0, x1] (a rule is often drawn in pieces, one per cell)."""
    pieces = sorted((max(left, x0), min(right, x1)) for top, left, right in rules
                    if abs(top - y) <= 1.5 and right > x0 and left < x1)
    covered, reach = 0.0, x0
    for left, right in pieces:
        if right > reach:
            covered += right - max(left, reach)
            reach = right
    return covered >= 0.8 * (x1 - x0)


def _is_numbering(row: Sequence[str | None]) -> bool:
    """Column numbers (1, 2, 3 ... or (1), (2) ...), not a row of years. OCR may drop a digit of one ('11' read as
    '1', '17' as '7' on the scanned Renstra p. 77): a quarter of them may break the order."""
    cells = [c.strip().strip("()") for c in row if c and c.strip()]
    if len(cells) < 3 or not all(c.isdigit() and int(c) <= 99 for c in cells):
        return False
    return _longest_ordered([int(c) for c in cells]) >= len(cells) - len(cells) // 4


def _longest_ordered(numbers: Sequence[int]) -> int:
    """The length of the longest subsequence that never falls (patience sorting)."""
    tails: list[int] = []
    for n in numbers:
        at = bisect.bisect_right(tails, n)
        tails[at:at + 1] = [n]
    return len(tails)


# A cell opening with a listed item ('- Jumlah ...', '1. Peningkatan ...', 'h. Peningkatan ...'): a column's name
# is never a list.
_LISTED = re.compile(r"^\s*(?:[-•·▪]|\d{1,2}\s?[.)]|[a-z][.)])\s*[A-Za-z]")
_BARE_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
# A cell naming only what a column counts in: a target's K (kinerja) beside its funds' Rp, spelt out 'Rupiah' under a
# change from the APBD (RKPD pp. 121, 125).
_CURRENCY = ("k", "rp", "rupiah")


def _is_header(row: Sequence[str | None]) -> bool:
    """Header rows hold column names: header words, years, K / RP, column numbers, or the short pieces of a
    name broken over rows ('Kinerj' / 'a' / 'A k h i r'); never a figure or a long text, a listed item, or a bare
    figure beside a name of several words (a data row whose figures carry no separator: 'Dokumen LKPJ' | '1')."""
    cells = [c for c in row if c and c.strip()]
    if not cells:
        return True
    if _is_numbering(row):
        return True
    for cell in cells:
        flat = squash(cell)
        if len(flat) > 110 or _DATA_NUMBER.search(cell) or _LISTED.match(cell):
            return False
    named = any(len(c.split()) >= 3 for c in cells)
    if named and any(_BARE_FIGURE.fullmatch(c.strip()) and not _YEAR.fullmatch(c.strip()) for c in cells):
        return False
    worded = any(any(w in squash(c) for w in _HEADER_WORDS) or _YEAR.fullmatch(c.strip()) or squash(c) in _CURRENCY
                 for c in cells)
    return worded or all(len(squash(c)) <= _HEADER_PIECE for c in cells)


_FIGURE = re.compile(r"[<>≤≥±+-]?\s*\d[\d.,]*\s*%?")


def _figures_under(row: Sequence[str | None], years: set[int]) -> bool:
    """Whether a row holds a figure under a column named by its year: a data row, even one whose words look like
    a header's (a chart's 'Terkoordinasinya program kegiatan ...' holds 'program'; its targets are bare '1's)."""
    cells = [(row[c] or "").strip() for c in years if c < len(row)]
    return any(_FIGURE.fullmatch(cell) and not _YEAR.fullmatch(cell) for cell in cells)


def read_columns(grid: Grid) -> tuple[list[Column], int]:
    """The columns' labels and roles, and the index of the first data row. Rows of titles above the header inside
    the table's ruling (a cascading chart's 'CASCADING BAPPEDA KOTA SEMARANG', then each box's 'Program 1 : ...')
    name no column: the header is read from the first row naming an indicator column when the top row does not."""
    columns, first_data = _columns_from(grid, 0)
    if any(c.role == "indicator" for c in columns):
        return columns, first_data
    for start in range(1, min(grid.n_rows - 1, _MAX_TITLE_ROWS + 1)):
        if _is_header(grid.text[start]) and any("indikator" in squash(c or "") for c in grid.text[start]):
            return _columns_from(grid, start)
    return columns, first_data


def _columns_from(grid: Grid, start: int) -> tuple[list[Column], int]:
    first_data = start
    years: set[int] = set()  # the columns a header row above named by a year
    while first_data < min(grid.n_rows, start + _MAX_HEADER_ROWS) and _is_header(grid.text[first_data]):
        row = grid.text[first_data]
        if first_data > start and _group_heading(grid, first_data):
            break  # 'Program Keluarga Berencana' across the table heads data rows, it names no column
        if not _is_numbering(row) and _figures_under(row, years):
            break
        years |= {c for c, cell in enumerate(row) if cell and _YEAR.fullmatch(cell.strip())}
        first_data += 1
    # A title across the table above its header ('Kegiatan 5 (Eselon IV) : Penyusunan LKPJ SKPD') names no
    # column: its words would give every column its role ('SKPD', an agency's).
    titles = {r for r in range(start, first_data - 1) if _group_heading(grid, r)}
    columns = []
    for c in range(grid.n_cols):
        parts: list[str] = []
        printed: list[str] = []
        own = False
        for r in range(start, first_data):
            if _is_numbering(grid.text[r]) or r in titles:
                continue
            text, _, mine = grid.covering(r, c)
            flat = squash(tidy(text))
            own = own or (mine and bool(flat) and grid.span(r, c) <= 1)
            if flat and (not parts or parts[-1] != flat):
                parts.append(flat)
                printed.append(tidy(text))
        # Joined without a space: a header word may be split over two rows ('S A TU' / 'AN').
        label = "".join(parts)
        role, year = _role(label, parts[-1] if parts else "")
        columns.append(Column(c, label, role, year, tuple(printed), own))
    return _budget_names(columns), first_data


def _budget_names(columns: list[Column]) -> list[Column]:
    """A budget table has no indicator column: its rows are named in an 'Uraian' column, else the programme's, else
    the agency's (the pagu indikatif of each Perangkat Daerah: 'Urusan / SKPD'). A table of figures by year with no
    funds names its rows in an 'Uraian' column too (the Renstra's 'Uraian | Tahun 2011 ... 2017' of documents made
    and proposals taken up, pp. 35-38); a programme's or an agency's column there is what a row serves, not its name."""
    roles = {c.role for c in columns}
    if "indicator" in roles or not roles & _VALUED:
        return columns
    funds = bool(roles & {"budget", "budget_realised"})
    name = next((role for role in (("item", "programme", "agency") if funds else ("item",)) if role in roles), None)
    if name is None:
        return columns
    first = next(c for c in columns if c.role == name)
    # A name's heading may span several columns ('URAIAN' over four, 'Urusan/ SKPD' over three, the body's cells
    # anchored in any of them): each row's name is read from the first of them holding text.
    return [Column(c.index, c.label, "indicator", c.year, c.heading, c.own) if c.role == name and c.label == first.label
            else c for c in columns]


def _items(cell: str) -> list[str]:
    """The indicators a cell lists: each bullet ('- ', '1.', 'a.') starts one, other lines continue it."""
    items: list[str] = []
    for line in cell.split("\n"):
        if not line.strip():
            continue
        if _BULLET.match(line) or not items:
            items.append(line)
        else:
            items[-1] = f"{items[-1]}\n{line}"
    return [tidy(_BULLET.sub("", i, count=1)) for i in items]


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.split("\n") if line.strip()]


def _single_value(cell: str) -> str:
    """One value printed over several lines: a number the column was too narrow for ('321,0' / '0') is closed
    up, words are joined with a space."""
    lines = _lines(cell)
    if len(lines) > 1 and all(re.fullmatch(r"[\d.,%]+", line) for line in lines):
        return "".join(lines)
    return tidy(_CLOSING_LINE.sub("", "\n".join(lines)).replace("\n", " "))


# Indonesian's words of one or two letters ('di', 'ke') may open a line of their own; any other tail that short is
# the end of a word a narrow column broke ('Dishubkominf' / 'o', '(pelayana' / 'n)', 'pendud' / 'uk').
_SHORT_WORDS = ("di", "ke")
_BROKEN_TAIL = re.compile(r"([a-z]{1,2}|\d{1,2})\W{0,2}")


def _broken_word(last: str, line: str, words: frozenset[str] = frozenset()) -> bool:
    """Whether ``line`` continues the word ``last`` ends with, broken by a narrow column without a hyphen: a short
    head closed up with a lower-case continuation ('Doku' / 'men', 'Lem' / 'ba-'), a head and a lower-case
    continuation that make a word the table spells whole elsewhere (``words``) where the head alone is none
    ('Kelura' / 'han' beside 'jumlah kelurahan siaga bencana'), or a tail too short to be a word of its own going on
    in the same kind of character ('Dishubkominf' / 'o', '/100.00' / '0'). Never when the line opens with a word the
    table spells whole elsewhere and the two together make none: an abbreviation before a word of its own ('juml' /
    'pelayanan' beside 'Jumlah pelayanan administratif' on the RKPD's p. 68) is two words."""
    if not last or not line:
        return False
    head, going_on = last.lower(), line.split()[0].lower()
    if len(going_on) > _UNIT_FRAGMENT and going_on in words and head + going_on not in words:
        return False  # the line opens a word of its own ('juml' / 'pelayanan' beside 'jumlah pelayanan ...')
    if line[:1].islower() and len(last) <= _UNIT_FRAGMENT and last.isalpha():
        return True
    if line[:1].islower() and head.isalpha() and head not in words and head + going_on in words:
        return True
    tail = _BROKEN_TAIL.fullmatch(line)
    same_kind = (last[-1].isalpha() and line[0].islower()) or (last[-1].isdigit() and line[0].isdigit())
    return tail is not None and same_kind and tail.group(1) not in _SHORT_WORDS


def _narrow_text(lines: list[str], words: frozenset[str] = frozenset()) -> str:
    """A narrow cell's text (a unit, an agency) as one line: a word the column broke is closed up, other lines
    are joined with a space ('Ribu' / 'Rp./thn'); a hyphen at a line end is tidy's ('Lemba-' / 'ga')."""
    out, last = "", ""
    for line in lines:
        if _broken_word(last, line, words) and not last.endswith("-"):
            out += line
        else:
            out = f"{out}\n{line}" if out else line
        last = line
    return tidy(out)


def _value(text: str, year: int | None, box: Box | None) -> IndicatorValue | None:
    text = re.sub(r"^[-–•]\s+", "", text.strip())  # a listed value keeps its bullet: '- 77,50 %'
    if not text or text in ("-", "–"):
        return None
    if year is not None and text == str(year) or squash(text) in _HEADER_WORDS or squash(text) == "target":
        return None  # a header repeated inside the table, not a value
    if re.fullmatch(r"[\d., ]+", text):
        # Justified digits come out spaced ('1 . 0 10. 830.658'); a number has no spaces.
        text = text.replace(" ", "")
    return IndicatorValue(year=year, value=text, number=parse_number(text), bbox=box)


_BARE_NUMBER = re.compile(r"\d{1,2}")


def _percent_misread(unit: str) -> str:
    """No unit is a bare number: it is a lone '%' OCR read as '96', '6' or '26' (its rings as a 6 or a 9)."""
    return "%" if _BARE_NUMBER.fullmatch(unit) else unit


def _unit(indicator: str, unit_cell: str, values: Iterable[IndicatorValue | None]) -> tuple[str, str | None]:
    """(indicator without a trailing '(unit)', unit): the unit column first, then the indicator's trailing
    parenthesis ('... RPJMD Kota Semarang (%)'), then a word after the number ('5.712 siswa')."""
    if unit_cell:
        return indicator, _percent_misread(unit_cell)
    match = _TRAILING_UNIT.search(indicator)
    # '(PHBS)' is a name, '(%)' a unit; a bracket listing things ('(susu, telur, daging)') says what is counted.
    if match and not re.fullmatch(r"[A-Z]{2,}", match.group(1).strip()) and "," not in match.group(1):
        return indicator[: match.start()].rstrip(), _percent_misread(match.group(1).strip())
    for value in values:
        if value is not None and (found := _VALUE_UNIT.match(value.value)):
            return indicator, (found.group(1) or found.group(2)).strip()
    return indicator, None


@dataclass
class _Context:
    """What a row inherits from the rows above it: the goal and programme it serves, the agency."""

    goal: str | None = None
    programme: str | None = None
    code: str | None = None
    agency: str | None = None

    def clear(self) -> None:
        self.goal = self.programme = self.code = self.agency = None


_GROUP_MARK = re.compile(rf"[A-Z]|{SMALL_ROMAN_LETTER}{{1,4}}|\d{{1,2}}|[A-Za-z\d]{{1,3}}[.)]")


def _group_heading(grid: Grid, r: int) -> str | None:
    """A row whose one cell spans most of the table ('Program Keluarga Berencana', 'Misi 1. ...') heads the
    rows under it; a letter or number before it ('A | Program Pendidikan Anak Usia Dini') only counts the groups."""
    own = [(c, grid.text[r][c]) for c in range(len(grid.text[r])) if grid.boxes[r][c] is not None
           and (grid.text[r][c] or "").strip()]
    if len(own) == 2 and _GROUP_MARK.fullmatch((own[0][1] or "").strip()):
        own = own[1:]
    if len(own) != 1:
        return None
    c, text = own[0]
    return tidy(text) if grid.span(r, c) * 2 >= grid.n_cols else None


def _amended(column: Column) -> bool:
    """A column of the figures as amended ('Pagu Indikatif Perubahan RKPD Tahun 2016', 'Setelah Perubahan'), beside
    one of the same year as first set: in an amended plan the amended figure is the plan's."""
    return "perubahan" in column.label and "sebelum" not in column.label


def side_by_side(columns: list[Column]) -> list[list[Column]]:
    """Tables printed side by side under one ruling, read as one grid (a Renstra's cascading chart: each
    programme's indicators and targets, then each activity's to its right): the columns as one list per table,
    each the whole row of columns with those of the other tables set to 'skip', so positions keep their index.
    A table starts at an indicator column that follows a column of values, with the label columns (its goal or
    programme) between them."""
    starts = [0]
    for at, column in enumerate(columns):
        valued_before = [k for k in range(starts[-1], at) if columns[k].role in _VALUED]
        if column.role == "indicator" and valued_before:
            starts.append(max(valued_before) + 1)
    if len(starts) == 1:
        return [columns]
    ends = [*starts[1:], len(columns)]
    return [[c if start <= c.index < end else replace(c, role="skip") for c in columns]
            for start, end in zip(starts, ends, strict=True)]


_NAMES: tuple[Role, ...] = ("goal", "programme", "code", "agency")


def read_table_rows(grid: Grid, columns: list[Column], first_data: int, *, page: int, table_index: int,
                    caption: str, context: _Context | None = None) -> Iterator[RawRow]:
    """The table's rows. ``context`` is what the last row of the same table on the page before served (its goal,
    programme, agency): kept when the first row here goes on from it (a row broken over the page), cleared
    otherwise; read on from row to row, it holds what the table's last row serves when the reading ends."""
    by_role: dict[Role, list[Column]] = {}
    for column in columns:
        by_role.setdefault(column.role, []).append(column)
    if "indicator" not in by_role or not (_VALUED & by_role.keys()):
        return
    if context is None:
        context = _Context()
    header = table_header(columns)
    first = True
    for r in range(first_data, grid.n_rows):
        if _is_numbering(grid.text[r]):
            continue
        heading = _group_heading(grid, r)
        roles = _row_roles(grid, r, columns)
        # A name spread over several header columns is read from the first that holds text in this row; not from a
        # cell the row's ruling gives to a named column beside it ('2 dokumen' under 'Target ... Perangkat Daerah'
        # spanning into its '2012').
        columns_of = {role: [column.index for column in by_role.get(role, [])
                             if column.index in {c.index for c in roles.get(role, [])}] for role in _NAMES}
        names = {role: [grid.covering(r, c) for c in columns_of[role]] for role in _NAMES}
        # A row broken over a page prints its merged cells' words (goal, programme, agency) on the first page only:
        # its part on the next page holds none in any of them.
        cells = [cell for role in _NAMES for cell in names[role]]
        continued = (first and not heading and any(own for _, _, own in cells)
                     and not any(text.strip() for text, _, _ in cells))
        if first and not continued:
            context.clear()
        first = False
        if heading:
            if squash(heading).startswith("program"):
                context.programme = heading
            else:
                context.goal, context.programme = heading, None
            continue
        for role in _NAMES:
            cells = names[role]
            text, at = next(((t, k) for k, (t, _, own) in enumerate(cells) if own and t.strip()), ("", 0))
            if text:
                # An agency's column is narrow: its names break mid-word ('Dishubkominf' / 'o').
                beside = grid.words_beside(columns_of[role][at]) if role == "agency" else frozenset()
                setattr(context, role, _narrow_text(_lines(text), beside) if role == "agency" else tidy(text))
                if role == "goal":
                    context.programme, context.code = None, None
            elif role == "agency" and cells and all(own for _, _, own in cells) and not continued:
                context.agency = None  # an empty agency cell of its own names no agency; a merged one inherits
        found = [grid.covering(r, c.index) for c in by_role["indicator"]]
        text, box, own = next((f for f in found if f[2] and f[0].strip()), ("", None, False))
        if not own:
            # The indicator cell may sit under an unnamed column and span into the header's 'Indikator' (the body
            # ruled apart from the header), as a value cell may: the row's own roles name it.
            unnamed = {c.index for c in columns if not (c.label and c.own)}
            found = [grid.covering(r, c.index) for c in roles.get("indicator", []) if c.index in unnamed]
            text, box, own = next((f for f in found if f[2] and f[0].strip()), ("", None, False))
        if not own:
            # A total's label merged over the code and name columns ('JUMLAH' on the RKPD's p. 150), beside its
            # figures: the row's name, as long as the merged cell covers none of the figures' columns.
            valued = {c.index for c in columns if c.role in _VALUED}
            text, box, own = next(((t, b, True) for t, b, _ in found
                                   if t.strip() and b is not None and not valued & set(grid.columns_in(b))),
                                  ("", None, False))
        if not own:
            continue
        for row in _row_items(grid, r, text, box, roles, context, page=page, table_index=table_index,
                              caption=caption):
            row.header = header
            yield row


def _row_roles(grid: Grid, r: int, columns: list[Column]) -> dict[Role, list[Column]]:
    """The columns' roles for one row. A value cell may sit under a column no header cell of its own names and span
    into the named one beside it (the header's ruling and the body's differ: an RKPD's evaluation table draws each
    heading one column right of its figures, under one heading spanning them all): it takes that column's name."""
    by_role: dict[Role, list[Column]] = {}
    for column in columns:
        c = column.index
        if not (column.label and column.own) and c < len(grid.boxes[r]) and grid.boxes[r][c] is not None:
            named = [columns[k] for k in range(c + 1, min(c + grid.span(r, c), len(columns)))
                     if columns[k].label and columns[k].own]
            if named:
                column = Column(c, named[0].label, named[0].role, named[0].year, named[0].heading, named[0].own)
        by_role.setdefault(column.role, []).append(column)
    for role in _VALUED & by_role.keys():
        # One value per year is kept, the first read: the amended column's, where a year has two.
        by_role[role].sort(key=lambda column: (not _amended(column), column.index))
    return by_role


# A figure left unfinished at a line end: a thousands group short of three digits ('30.18', '184.14') or a
# separator with nothing after it ('1.155.342.').
_UNFINISHED = re.compile(r"\.\d{0,2}$|,$")


def _wrapped_number(lines: list[str]) -> bool:
    """One number printed over two lines of a narrow cell, not two values: the pieces join into a number with
    separators, and the continuation is bare digits ('321,0' / '0'), or it or the first piece cannot stand alone
    as a figure ('281.845' / ',00', '30.18' / '8,00')."""
    if len(lines) != 2 or not _SEPARATED_NUMBER.fullmatch("".join(lines)):
        return False
    head, tail = lines
    return tail.isdigit() or tail[:1] in ".," or bool(_UNFINISHED.search(head))


def _group_lines(lines: list[tuple[float, float, str]], anchors: Sequence[float]) -> list[list[str]]:
    """The indicator lines grouped into as many items as there are value lines. Items are set apart by a wider
    gap than the lines of one item (or set over each other); where the gaps do not give that many items, bullets
    do; else each line goes to the value line it is nearest to. A bullet set on a line of its own is left out: it
    sits between lines."""
    words = [(top, bottom, text) for top, bottom, text in lines if _BULLET.sub("", text).strip()]
    if not words:
        return [[] for _ in anchors]
    blocks: list[list[str]] = [[words[0][2]]]
    for (_, bottom, _), (top, next_bottom, text) in zip(words, words[1:], strict=False):
        # A line set over the one above opens an item too: each item is set at its own place, and the one above
        # ran on into it (ingest.plans.cell_text).
        if abs(top - bottom) > _ITEM_GAP * (next_bottom - top):
            blocks.append([])
        blocks[-1].append(text)
    if len(blocks) == len(anchors):
        return blocks
    starts = [j for j, (_, _, text) in enumerate(words) if j == 0 or _BULLET.match(text)]
    if len(starts) == len(anchors):
        return [[text for _, _, text in words[a:b]] for a, b in zip(starts, [*starts[1:], len(words)], strict=False)]
    groups: list[list[str]] = [[] for _ in anchors]
    for top, _, text in words:
        groups[_nearest(anchors, top)].append(text)
    return groups


def _nearest(anchors: Sequence[float], top: float) -> int:
    return min(range(len(anchors)), key=lambda k: abs(anchors[k] - top))


# A line that opens a value listed one per line: a figure, maybe after a bullet or a sign ('- 77,50 %', '< 1 %',
# '≥100'), or a dash for no value.
_FIGURE_START = re.compile(r"^\s*(?:[-–•]\s*)?(?:[<>≤≥±+]\s*)?\d|^\s*[-–]\s*$")


def _split_by_lines(grid: Grid, indicator_box: Box | None, value_boxes: dict[int, Box]
                    ) -> tuple[list[str], dict[int, list[str]]] | None:
    """A cell listing several indicators, read by position: each line of the value column with most lines opens
    an item, and every indicator (and value) line belongs to the item whose value line it is nearest to. None
    when that leaves an item without words (a value wrapped over two lines, not two values)."""
    if indicator_box is None:
        return None
    columns = {c: grid.cell_lines(box) for c, box in value_boxes.items()}
    if not columns:
        return None
    most = max(columns.values(), key=len)
    if len(most) < 2 or not all(_FIGURE_START.match(text) for _, text in most):
        return None  # words or a figure's unit wrapped in a cell ('sertifikasi' / 'mutu', '70% (7.200' / 'M3)')
    anchors = sorted(top for top, _ in most)
    groups = _group_lines(grid.cell_line_boxes(indicator_box), anchors)
    if any(not g for g in groups):
        return None
    values: dict[int, list[str]] = {}
    for c, lines in columns.items():
        per = [""] * len(anchors)
        for top, text in sorted(lines):
            k = _nearest(anchors, top)
            per[k] = f"{per[k]} {text}".strip()
        values[c] = per
    return [tidy(_BULLET.sub("", "\n".join(g), count=1)) for g in groups], values


def _split_by_items(grid: Grid, indicator_box: Box | None, value_boxes: dict[int, Box], n_items: int
                    ) -> tuple[list[str], dict[int, list[str]]] | None:
    """A cell listing several bulleted indicators whose values stand on the lines of their own item only (a
    Renstra's '- Pemeliharaan Mebeluer (Bulan)' with 12 under 2016, '- Pemeliharaan Mebeluer (%)' with 100 under
    2018): every value line goes to the item whose lines it stands beside. None unless the cell's lines part into
    ``n_items`` items at their bullets and every value line stands beside one item of its own."""
    if indicator_box is None:
        return None
    lines = [(top, bottom, text) for top, bottom, text in grid.cell_line_boxes(indicator_box) if text.strip()]
    starts = [j for j, (_, _, text) in enumerate(lines) if j == 0 or _BULLET.match(text)]
    # Each item names something: a dash before a figure continues a range ('Tahun 2016' / '- 2021').
    if len(starts) != n_items or not all(_BULLET.sub("", lines[j][2], count=1)[:1].isalpha() for j in starts):
        return None
    spans = [(lines[a][0], lines[b - 1][1], "\n".join(t for _, _, t in lines[a:b]))
             for a, b in zip(starts, [*starts[1:], len(lines)], strict=False)]
    values: dict[int, list[str]] = {}
    for c, value_box in value_boxes.items():
        per = [""] * n_items
        for top, bottom, text in grid.cell_line_boxes(value_box):
            middle = (top + bottom) / 2
            beside = [k for k, (item_top, item_bottom, _) in enumerate(spans) if item_top <= middle <= item_bottom]
            if len(beside) != 1 or per[beside[0]]:
                return None  # a line beside no item, or a second value for one: the items are not those listed
            per[beside[0]] = text.strip()
        values[c] = per
    return [tidy(_BULLET.sub("", text, count=1)) for _, _, text in spans], values


def _split_by_units(grid: Grid, unit_box: Box | None, indicator: str, value_boxes: dict[int, Box]
                    ) -> tuple[list[str], dict[int, list[str]]] | None:
    """One indicator whose unit cell lists a unit a line, each year's figure set on the line of its unit (a Renstra
    cascade's 'Bulan' / '%': 12 months in 2017 on the first line, 100 % from 2018 on the second): a row per unit,
    with the figures on its line. None unless every figure stands on a unit's line and every unit has one."""
    if unit_box is None:
        return None
    units = [(top, text) for top, _, text in grid.cell_line_boxes(unit_box) if text.strip()]
    if len(units) < 2:
        return None
    anchors = [top for top, _ in units]
    per: list[dict[int, str]] = [{} for _ in units]
    for c, box in value_boxes.items():
        for top, _, text in grid.cell_line_boxes(box):
            k = _nearest(anchors, top)
            if abs(anchors[k] - top) > _RULED_ALIKE or c in per[k]:
                return None
            per[k][c] = text.strip()
    if not all(per):
        return None
    return [indicator] * len(units), {c: [line.get(c, "") for line in per] for c in value_boxes}


def _row_items(grid: Grid, r: int, indicator_cell: str, box: Box | None, by_role: dict[Role, list[Column]],
               context: _Context, *, page: int, table_index: int, caption: str) -> Iterator[RawRow]:
    items = _items(indicator_cell)
    valued = [c for role in ("baseline", "target", "end_target", "actual") for c in by_role.get(role, [])]
    money = [c for role in ("budget", "budget_realised") for c in by_role.get(role, [])]
    cells = {c.index: _beside(grid, r, c.index, box) for c in valued + money + by_role.get("unit", [])}
    filled = [_lines(cells[c.index][0]) for c in valued if cells[c.index][2] and cells[c.index][0].strip()]
    counts = {len(own) for own in filled}
    lines = _lines(indicator_cell)
    figures_only = all(_FIGURE_START.match(line) for own in filled for line in own)
    if len(items) == 1 and len(counts) == 1 and len(lines) == counts.pop() > 1 and figures_only:
        # Unbulleted indicators one per line, each line with its value on the same line of every year's cell (not a
        # figure with its unit wrapped below it: '3' / 'dokumen').
        items = [tidy(_BULLET.sub("", line, count=1)) for line in lines]
    multi = len(items) > 1
    notes = []
    split = by_items = None
    wrapped = any(_wrapped_number(_lines(cells[c.index][0])) for c in valued if cells[c.index][2])
    value_lines = [len(_lines(cells[c.index][0])) for c in valued if cells[c.index][2]]
    # The value lines do not pair off with the listed indicators.
    unpaired = multi and any(n not in (0, len(items)) for n in value_lines)
    boxes = {c.index: b for c in valued if cells[c.index][2] and (b := cells[c.index][1]) is not None
             and cells[c.index][0].strip()}
    if not wrapped and unpaired:  # each value may stand beside its own item
        split = by_items = _split_by_items(grid, box, boxes, len(items))
    if split is None and not wrapped and any(n > 1 for n in value_lines):
        split = _split_by_lines(grid, box, boxes)
    if split is None and not wrapped and not multi:
        units = next((cells[c.index] for c in by_role.get("unit", [])[:1] if cells[c.index][2]), None)
        split = _split_by_units(grid, units[1] if units else None, items[0], boxes)
    if split is not None:
        items, multi = split[0], len(split[0]) > 1
    elif unpaired:
        # The values do not line up with the listed indicators: read the cell as one indicator.
        notes.append("values do not line up with the indicators listed in the cell")
        items, multi = [tidy(indicator_cell)], False
    # A table of funds alone states a nil budget with a dash ('Dana Insentif Daerah' on the RKPD's p. 121, '-' under
    # every year): the row is the table's all the same, as a planner reads it, with no figure.
    nil_funds = not valued and any(
        own and (lines := _lines(text)) and all(line in ("-", "–") for line in lines)
        for text, _, own in (cells[c.index] for c in money))
    for i, indicator in enumerate(items):
        def value_of(column: Column, i: int = i) -> IndicatorValue | None:
            text, cell_box, own = cells[column.index]
            if not own:
                return None
            if split is not None:
                per = split[1].get(column.index, [])
                return _value(per[i] if i < len(per) else "", column.year, cell_box)
            lines = _lines(text)
            raw = (lines[i] if i < len(lines) else "") if multi else _single_value(text)
            return _value(raw, column.year, cell_box)

        def funds_of(column: Column, i: int = i) -> IndicatorValue | None:
            # A programme's funds are one figure for its row: per listed indicator only when the cell lists as many.
            text, cell_box, own = cells[column.index]
            if not own:
                return None
            lines = _lines(text)
            raw = lines[i] if multi and len(lines) == len(items) else _single_value(text)
            return _value(raw, column.year, cell_box)

        budgets = _first_per_year(v for c in by_role.get("budget", []) if (v := funds_of(c)))
        realised = _first_per_year(v for c in by_role.get("budget_realised", []) if (v := funds_of(c)))
        targets = _first_per_year(v for c in by_role.get("target", []) if (v := value_of(c)))
        baseline = next((v for c in by_role.get("baseline", []) if (v := value_of(c))), None)
        actuals = _first_per_year(v for c in by_role.get("actual", []) if (v := value_of(c)))
        end_target = next((v for c in by_role.get("end_target", []) if (v := value_of(c))), None)
        first_target = min((t.year for t in targets if t.year), default=None)
        if baseline is None and actuals and first_target and actuals[0].year and actuals[0].year < first_target:
            baseline, actuals = actuals[0], actuals[1:]
        if not (targets or baseline or end_target or actuals or budgets or realised or nil_funds):
            continue
        if by_items is not None and not (targets or baseline or end_target or actuals):
            continue  # the programme's funds are the cell's, not this item's: it states no figure of its own
        unit_cell = ""
        for column in by_role.get("unit", [])[:1]:
            text, _, own = cells[column.index]
            lines = _lines(text) if own else []
            one_each = multi and len(lines) == len(items)
            unit_cell = (lines[i] if i < len(lines) else "") if one_each else _narrow_text(
                lines, grid.words_beside(column.index))
        # A figure's unit word may stand only in the years it was realised ('2 dokumen' under each 'Tahun').
        if valued or by_role.get("unit"):
            name, unit = _unit(indicator, unit_cell, [*targets, baseline, end_target, *actuals])
        else:  # a table of funds only counts in the currency its heading names: a bracket is the name's ('(SiLPA)')
            name, unit = indicator, None
        if not name or squash(name).startswith("indikator"):
            continue  # a sub-table's header row ('INDIKATOR KINERJA KEGIATAN (OUTPUT)')
        yield RawRow(page=page, table_index=table_index, row_index=r, item=i, table=caption, indicator=name,
                     unit=unit, baseline=baseline, targets=sorted(targets, key=lambda t: t.year or 0),
                     end_target=end_target, actuals=actuals, goal=context.goal, programme=context.programme,
                     code=context.code, agency=context.agency, bbox=box, items_in_cell=len(items), notes=notes,
                     budgets=budgets, budget_realised=realised)


# How far (points) a value cell's top or bottom may stray from its indicator cell's and still be ruled alike.
_RULED_ALIKE = 1.0


def _beside(grid: Grid, r: int, c: int, indicator_box: Box | None) -> tuple[str, Box | None, bool]:
    """(text, box, own): a row's cell in a value (or unit) column, as what stands beside its indicator cell. The
    value columns may be ruled finer or coarser than the indicator's: one indicator cell beside three value cells,
    its items' figures each in the one beside it (a Renstra's '- Pengelolaan ... (Bulan)' with 12, '- Pelayanan ...
    (%)' with 100 two cells lower), or one value cell beside two indicator cells, each one's figure on its own line.
    Where the rulings differ and every figure stands on a line of an indicator's, the cell is the column's lines
    within the indicator cell's height; a figure set between the lines (centred in a cell beside a name broken over
    two: 'Pendapatan' / 'Daerah') is the whole cell's, as ruled."""
    text, box, own = grid.covering(r, c)
    if indicator_box is None or box is None:
        return text, box, own
    top, bottom = indicator_box[1], indicator_box[3]
    if abs(box[1] - top) <= _RULED_ALIKE and abs(box[3] - bottom) <= _RULED_ALIKE:
        return text, box, own
    span_top, span_bottom = min(box[1], top), max(box[3], bottom)
    names = [line_top for line_top, _, _ in grid.cell_line_boxes((indicator_box[0], span_top, indicator_box[2],
                                                                  span_bottom))]
    figures = grid.cell_line_boxes((box[0], span_top, box[2], span_bottom))
    if not all(any(abs(line_top - name) <= _RULED_ALIKE for name in names) for line_top, _, _ in figures):
        return text, box, own
    span = (box[0], top, box[2], bottom)
    return "\n".join(line for line_top, _, line in figures if top <= line_top < bottom), span, True


def _first_per_year(values: Iterable[IndicatorValue]) -> list[IndicatorValue]:
    """One value per year: where several columns of a year survive (a target split over merged header columns,
    an evaluation's realisation followed by its ratio), the first is the value itself."""
    seen: dict[int | None, IndicatorValue] = {}
    for value in values:
        seen.setdefault(value.year, value)
    return list(seen.values())


def captions_in(text: str) -> list[str]:
    """The tables' captions ('TABEL n' and the lines after it) in a page's text, in order."""
    return [tidy(found.group(0)) for found in _CAPTION.finditer(text)]


def _caption(page: object, top: float) -> str:
    try:
        above = page.crop((0, 0, page.width, max(top, 1))).extract_text(y_tolerance=_Y_TOLERANCE) or ""  # type: ignore[attr-defined]
    except ValueError:
        return ""
    found = captions_in(above)
    return found[-1] if found else ""


PageTables = Callable[[int, float | None], list[tuple[Grid, str]]]
"""Reads one page's tables (1-based page, seconds it may take or None): each table's grid and caption."""


def read_indicator_rows(path: Path, pages: Iterable[int] | None = None, *, deadline: float | None = None,
                        skipped: list[int] | None = None, scanned: PageTables | None = None,
                        scanned_pages: Iterable[int] = ()) -> list[RawRow]:
    """Every indicator row of the target tables on the given pages (1-based; all pages when None).

    Born-digital pages are read with pdfplumber; the pages in ``scanned_pages`` (images with OCR'd text) are
    read by ``scanned`` (ingest.plans.scanned), whose grids go through the same column and row logic.
    A page whose table repeats no header (a table continued from the page before) reuses the last header read
    with the same number of columns. Pages not reached by ``deadline`` (a ``time.monotonic()`` value) are left
    out and listed in ``skipped``."""
    import time

    import pdfplumber

    rows: list[RawRow] = []
    last_header: dict[int, tuple[list[Column], str]] = {}
    # What the last row of each table (by its number of columns and place in the grid) served, on the page read last.
    served: dict[tuple[int, int], _Context] = {}
    served_page = 0
    on_scan = set(scanned_pages) if scanned is not None else set()
    with pdfplumber.open(path) as pdf:
        numbers = list(pages) if pages is not None else list(range(1, len(pdf.pages) + 1))
        for at, number in enumerate(numbers):
            if deadline is not None and time.monotonic() > deadline:
                if skipped is not None:
                    skipped.extend(numbers[at:])
                break
            page = None
            if number in on_scan and scanned is not None:
                try:
                    tables = scanned(number, None if deadline is None else max(deadline - time.monotonic(), 1.0))
                except TimeoutError:  # the budget ran out inside the page's OCR: it is unread, like those after
                    if skipped is not None:
                        skipped.extend(numbers[at:])
                    break
            else:
                page = pdf.pages[number - 1]
                tables = [(pdfplumber_grid(table), _caption(page, table.bbox[1])) for table in page.find_tables()]
            index = 0  # a table's number on its page; tables printed side by side in one grid count one each
            carried = served if served_page == number - 1 else {}
            served, served_page = {}, number
            for grid, caption in tables:
                t, index = index, index + 1
                if grid.n_rows < 2 or grid.n_cols < 3:
                    continue
                grid = join_wrapped_rows(grid)
                columns, first_data = read_columns(grid)
                if first_data == 0 and grid.n_cols in last_header:
                    columns, previous_caption = last_header[grid.n_cols]
                    caption = caption or previous_caption
                elif any(c.role == "indicator" for c in columns):
                    last_header[grid.n_cols] = (columns, caption)
                for k, block in enumerate(side_by_side(columns)):
                    if k:
                        t, index = index, index + 1
                    context = carried.pop((grid.n_cols, k), None) or _Context()
                    rows.extend(read_table_rows(grid, block, first_data, page=number, table_index=t,
                                                caption=caption, context=context))
                    served[(grid.n_cols, k)] = context
            if page is not None:
                page.flush_cache()
    return rows
