"""A scanned table's figure lines read again as figures (ingest.plans.figure_cells): on a page printed as the plans
print their targets (Helvetica 8 pt) and rendered at the scan's 200 dpi, a line read wrong among the table's words
is read right in single-line mode limited to figures, and a reading that is no figure, or less sure, is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from ingest.plans.figure_cells import (
    FigureLine,
    better_reading,
    figure_column,
    reread_lines,
    unread_ink,
    whitelist_for,
)
from testing.line_images import SCAN_DPI, line_box, rendered_lines

_LINES = ["(2016)", "5 unit", "2", "WTP", "100,00"]


def _page(path: Path) -> object:
    return rendered_lines(path, _LINES)


_box = line_box


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={"store": base.store.model_copy(update={"data_dir": tmp_path / "data"})})


def test_figure_lines_misread_among_the_table_s_words_are_read_again_as_the_figures_printed(tmp_path, settings):
    image = _page(tmp_path / "figures.pdf")
    # As the table's reading gave them (Renstra and RKPD scans): a bracket read as '1', a speck as 'S', '2' as 'Z'.
    misread = ["12016)", "5S unit", "Z", "WTP", "100,00"]
    lines = [FigureLine(_box(k), text, 60.0) for k, text in enumerate(misread)]
    reads = reread_lines(image, lines, settings, upscale=2.0)
    kept = [read[0] if read and better_reading(line, *read) else line.text
            for line, read in zip(lines, reads, strict=True)]
    assert kept == ["(2016)", "5 unit", "2", "WTP", "100,00"]


def test_a_reading_tesseract_was_surer_of_is_kept():
    line = FigureLine((0, 0, 10, 10), "12016)", 95.0)
    assert not better_reading(line, "(2016)", 90.0)
    assert better_reading(line, "(2016)", 95.0)


def test_a_re_read_that_is_no_figure_or_changes_the_unit_is_not_taken():
    line = FigureLine((0, 0, 10, 10), "780 orang", 40.0)
    assert not better_reading(line, "780 oran", 90.0)
    assert not better_reading(FigureLine((0, 0, 10, 10), "Tidak ada", 40.0), "-", 90.0)


def test_a_unit_s_letters_may_be_read_a_lone_letter_s_may_not():
    assert whitelist_for("780 orang").endswith("agnor")
    assert whitelist_for("Z").isascii() and not any(ch.isalpha() for ch in whitelist_for("5S"))


def test_a_column_holds_figures_when_most_of_its_cells_open_with_one():
    assert figure_column(["Target 2017", "100,00", "(2016)", "9 jenis lomba", ""])
    assert not figure_column(["Indikator", "Angka Melek Aksara", "100,00", "Jumlah puskesmas"])


def test_a_line_of_ink_the_table_s_reading_found_no_word_on_is_found_and_read_as_a_figure(tmp_path, settings):
    # The Renstra's p. 74, scanned: a cell printing '1' on four lines, the table's reading found three of them.
    image = _page(tmp_path / "figures.pdf")
    cell = (_box(0)[0], _box(0)[1] - 4, _box(0)[2], _box(4)[3] + 4)  # the five lines' cell
    found = [_box(k)[1::2] for k in range(4)]  # every line but '100,00'
    unread = unread_ink(image, cell, found, type_px=8 * SCAN_DPI / 72)
    assert len(unread) == 1 and _box(4)[1] - 3 <= unread[0][1] < unread[0][3] <= _box(4)[3] + 3
    (read,) = reread_lines(image, [FigureLine(unread[0], "", 75.0)], settings, upscale=2.0)
    assert read is not None and read[0] == "100,00" and read[1] >= 75.0


def test_specks_or_nothing_in_a_cell_are_no_line_to_read():
    from PIL import Image

    page = Image.new("L", (200, 60), 255)
    for x, y in ((20, 20), (90, 30), (150, 44)):
        page.putpixel((x, y), 0)  # a scanner's specks
    assert unread_ink(page, (0, 0, 200, 60), [], type_px=22.0) == []
