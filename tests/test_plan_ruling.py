"""A scanned page's ruled tables (ingest.plans.ruling): a table whose cells img2table found with a hole among them is
kept, the hole a cell of its own; a cell of no width img2table gives under a merged cell is that cell; a chart's boxes
joined by an arrow into one incoherent table are read box by box."""

from __future__ import annotations

from ingest.plans.ruling import chart_boxes, slivers_joined_above, with_holes_filled


def test_a_heading_img2table_found_no_cell_for_becomes_a_cell_spanning_its_hole():
    # The Renstra's p. 90 programme table, scanned (pixels): 'INDIKATOR' and 'SATUAN' span two header rows, the
    # years sit under a 'TARGET' heading img2table found no cell for; it dropped the table as incoherent.
    indicator, unit = (586, 437, 860, 528), (860, 437, 914, 528)
    years = [(x, 483, x + 63, 528) for x in (914, 977)]
    body = [(586, 528, 860, 656), (860, 528, 914, 656), (914, 528, 977, 656), (977, 528, 1040, 656)]
    table = with_holes_filled({indicator, unit, *years, *body})
    assert table is not None and table.box == (586, 437, 1040, 656)
    target = (914, 437, 1040, 483)
    assert table.cells == [[indicator, unit, target, target], [indicator, unit, *years], body]


def test_cells_that_overlap_or_leave_slivers_are_no_grid_to_fill():
    assert with_holes_filled({(0, 0, 100, 50), (50, 0, 150, 50), (0, 50, 150, 100)}) is None  # overlapping
    assert with_holes_filled({(0, 0, 100, 50), (102, 0, 200, 50), (0, 50, 200, 100)}) is None  # a 2 px sliver


def test_cells_of_no_width_under_a_merged_cell_are_that_cell_going_on():
    # The Renstra's p. 90 'Kegiatan 4' box, scanned (pixels): 'Meningkatnya kesesuaian antar dokumen ...' is merged
    # down the first column; img2table gave its first row's cell and, below, cells of no width at its right edge.
    goal, degenerate = (2160, 1446, 2475, 1474), [(2475, 1474, 2475, 1503), (2475, 1503, 2475, 1533)]
    rows = [[goal, (2475, 1446, 2854, 1474)], [degenerate[0], (2475, 1474, 2854, 1503)],
            [degenerate[1], (2475, 1503, 2854, 1533)]]
    merged = (2160, 1446, 2475, 1533)
    assert [row[0] for row in slivers_joined_above(rows)] == [merged, merged, merged]
    assert [row[1] for row in slivers_joined_above(rows)] == [row[1] for row in rows]


def test_a_cell_of_no_width_outside_the_cell_above_is_left_alone():
    rows = [[(0, 0, 100, 50)], [(300, 50, 300, 100)]]
    assert slivers_joined_above(rows) == rows


def test_a_charts_boxes_joined_by_an_arrow_are_read_box_by_box():
    # The Renstra's p. 90 'Kegiatan 1' and 'Kegiatan 2' boxes, scanned (pixels), with the arrow down their left
    # (x 2132): img2table gave one table whose cells overlap, each box's outline a cell of the full width over the
    # box's own cells; the arrow's stub reaching into a table kept below is no cell of either.
    first = (2132, 357, 3263, 528)  # the first box's title and header: 'SASARAN KEGIATAN' got no cell
    header = [(2475, 437, 2854, 528), (2854, 437, 3263, 528)]
    goal, rows = (2132, 528, 2475, 992), [(2475, 528, 2854, 760), (2854, 528, 3263, 760),
                                         (2475, 760, 2854, 992), (2854, 760, 3263, 992)]
    second = (2132, 992, 3263, 1174)  # the second box's outline: its first column got no cell at all
    inner = [(2475, 1027, 2854, 1100), (2854, 1027, 3263, 1100), (2475, 1100, 2854, 1174), (2854, 1100, 3263, 1174)]
    stub = (3204, 1174, 3263, 2057)
    kept_below = (2160, 1391, 3263, 1733)
    cells = {first, *header, goal, *rows, second, *inner, stub}
    assert with_holes_filled(cells) is None  # the outlines overlap the boxes' cells
    boxes = chart_boxes(cells, [kept_below])
    assert [b.box for b in boxes] == [(2132, 357, 3263, 992), (2132, 992, 3263, 1174)]
    top, bottom = boxes
    assert top.cells[0] == [(2132, 357, 3263, 437)] * 3  # the box's title across it
    assert top.cells[1] == [(2132, 437, 2475, 528), *header]  # the unruled header cell is a cell of its own
    assert [row[0] for row in top.cells[2:]] == [goal, goal]
    assert bottom.cells[0] == [(2132, 992, 3263, 1027)] * 3  # the box's title across it
    assert [row[0] for row in bottom.cells[1:]] == [(2132, 1027, 2475, 1174)] * 2


def test_an_incoherent_table_with_no_outline_is_no_chart():
    assert chart_boxes({(0, 0, 100, 50), (50, 0, 150, 50), (0, 50, 150, 100)}, []) == []
