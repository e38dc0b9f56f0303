"""The ruled tables of a scanned page image, as img2table (OpenCV) finds their cells: each table's box and its cells
by position, in pixels of the image.

img2table drops a table whose cells do not tile its ruling ('has_valid_shape'). On the Renstra's cascading charts
(pp. 90-92, scanned) it finds no cell for the 'TARGET' heading over the years of a programme's table, and the whole
table was lost with it. Such a table is kept here with each hole a cell of its own: the ruling around a hole is
printed, so it is a cell img2table missed (its words are then read like any other's). A table whose cells overlap
is a chart's column of boxes an arrow joins (the same chart's 'Kegiatan' boxes): each box is read as a table of its
own (``chart_boxes``).

img2table also gives a cell merged down several rows of its first column as the first row's cell and, in the rows
below, cells of no width at its right edge (the Renstra's p. 90 'Meningkatnya kesesuaian antar dokumen ...', p. 77,
the RKPD's p. 140): the cell's lower lines were read into no cell, and the column's centre, taken from its narrowest
cell, fell on the ruling beside it, so every cell of the next column seemed to span two. Such a sliver is the merged
cell above going on (``slivers_joined_above``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

PixelBox = tuple[int, int, int, int]

# Two edges of cells closer than this are one ruling line drawn twice, not a row or column: a table whose cells
# leave such slivers is not a grid to fill.
_SLIVER_PX = 4


@dataclass(frozen=True)
class RuledTable:
    """A table's box and its cells by row and column (a merged cell repeated at every position it covers)."""

    box: PixelBox
    cells: list[list[PixelBox]]


def ruled_tables(image: object) -> list[RuledTable]:
    """The page's bordered tables: those img2table keeps, then those it drops whose cells leave holes in an
    otherwise coherent grid, unless one overlaps a table kept (a cluster of tables that a chart's connecting lines
    join, read already table by table)."""
    from img2table.tables.bordered import extract_bordered_tables
    from img2table.tables.extractor import TableExtractor

    # The extractor's own extract_tables drops the incoherent tables: its lines and cells are taken one step before.
    extractor = TableExtractor(img=image)
    if extractor.characteristics is None:  # no text or ruling to measure: a blank page
        return []
    found = extract_bordered_tables(contours=extractor.characteristics.contours,
                                    horizontal_lines=extractor.horizontal_lines,
                                    vertical_lines=extractor.vertical_lines,
                                    char_length=extractor.characteristics.char_length)
    kept = [RuledTable((t.x1, t.y1, t.x2, t.y2), slivers_joined_above([[_box(c) for c in row.cells] for row in t.rows]))
            for t in found if t.has_valid_shape()]
    for table in found:
        if table.has_valid_shape():
            continue
        cells = {_box(c) for row in table.rows for c in row.cells}
        filled = with_holes_filled(cells)
        for part in [filled] if filled is not None else chart_boxes(cells, [t.box for t in kept]):
            if not any(_overlap(part.box, other.box) for other in kept):
                kept.append(part)
    return kept


def chart_boxes(cells: set[PixelBox], kept: list[PixelBox]) -> list[RuledTable]:
    """The tables of a chart's column of boxes that its connecting lines join into one incoherent table (the
    Renstra's cascade, p. 90: an arrow down the left of the 'Kegiatan' boxes). img2table gives each box's outline
    as a cell of the table's full width over the box's own cells: each such outline starts a box, which runs to
    the next one's top, and its cells (less slivers and the pieces of connectors reaching into tables kept) are
    read as a table within the outline's width. None when no outline is found."""
    left, right = min(c[0] for c in cells), max(c[2] for c in cells)
    cells = {c for c in cells if c[2] - c[0] >= _SLIVER_PX and c[3] - c[1] >= _SLIVER_PX
             and not any(_overlap(c, k) for k in kept)}
    outlines = sorted((c for c in cells if c[0] == left and c[2] == right and any(
        _inside(o, c) for o in cells if o != c)), key=lambda c: c[1])
    tops = [o[1] for o in outlines]
    parts = []
    for k, top in enumerate(tops):
        end = tops[k + 1] if k + 1 < len(tops) else max(c[3] for c in cells)
        own = {c for c in cells if top <= c[1] < end and c not in outlines}
        part = with_holes_filled(own, (left, top, right, max(c[3] for c in own))) if own else None
        if part is not None:
            parts.append(part)
    return parts


def _inside(inner: PixelBox, outer: PixelBox) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def slivers_joined_above(cells: list[list[PixelBox]]) -> list[list[PixelBox]]:
    """The table's cells with each cell of no width (narrower than a sliver) that lies within the width of the cell
    above it taken into that cell, grown down over it: one merged cell at every position either covered."""
    out = [list(row) for row in cells]
    for r in range(1, len(out)):
        for c, cell in enumerate(out[r]):
            if cell[2] - cell[0] >= _SLIVER_PX or c >= len(out[r - 1]):
                continue
            above = out[r - 1][c]
            if above[2] - above[0] < _SLIVER_PX or not above[0] <= cell[0] <= cell[2] <= above[2]:
                continue
            grown = (above[0], above[1], above[2], max(above[3], cell[3]))
            for row in out[:r + 1]:
                row[:] = [grown if k in (above, cell) else k for k in row]
    return out


def _box(cell: object) -> PixelBox:
    return (cell.x1, cell.y1, cell.x2, cell.y2)  # type: ignore[attr-defined]


def _overlap(a: PixelBox, b: PixelBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def with_holes_filled(cells: set[PixelBox], bounds: PixelBox | None = None) -> RuledTable | None:
    """The grid the cells' edges (and the edges of ``bounds``, an outline around them) draw, each hole in it (no
    cell covering a position) filled by a cell spanning as many positions as it covers: to the right first, then
    down. None when cells overlap or leave slivers."""
    frame = [bounds] if bounds is not None else []
    xs = sorted({c[0] for c in [*cells, *frame]} | {c[2] for c in [*cells, *frame]})
    ys = sorted({c[1] for c in [*cells, *frame]} | {c[3] for c in [*cells, *frame]})
    if len(xs) < 3 or len(ys) < 3 or min(b - a for a, b in [*pairwise(xs), *pairwise(ys)]) < _SLIVER_PX:
        return None
    grid: list[list[PixelBox | None]] = []
    for top, bottom in pairwise(ys):
        grid.append([])
        for left, right in pairwise(xs):
            x, y = (left + right) / 2, (top + bottom) / 2
            covering = [c for c in cells if c[0] <= x <= c[2] and c[1] <= y <= c[3]]
            if len(covering) > 1:
                return None
            grid[-1].append(covering[0] if covering else None)
    _fill(grid, xs, ys)
    return RuledTable((xs[0], ys[0], xs[-1], ys[-1]), [[c for c in row if c is not None] for row in grid])


def _fill(grid: list[list[PixelBox | None]], xs: list[int], ys: list[int]) -> None:
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                continue
            right = c
            while right + 1 < len(row) and row[right + 1] is None:
                right += 1
            bottom = r
            while bottom + 1 < len(grid) and all(grid[bottom + 1][k] is None for k in range(c, right + 1)):
                bottom += 1
            hole = (xs[c], ys[r], xs[right + 1], ys[bottom + 1])
            for k in range(r, bottom + 1):
                grid[k][c:right + 1] = [hole] * (right + 1 - c)
