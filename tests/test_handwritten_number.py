"""A title number written by hand, read again from its own box on the scanned page: where the box is, what a
digits-only read of it counts as, and a generated scan whose page read gets the pen's 3 wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from ingest.handwritten_number import digits_reading, number_box
from ingest.ocr import OcrWord, tesseract_available
from ingest.pipeline import process_file
from testing import filemakers


def _word(text: str, left: int, top: int = 100, width: int = 60, height: int = 30, line: int = 1) -> OcrWord:
    return OcrWord(text, 90.0, left, top, width, height, (1, 1, line))


_TITLE_LINE = [_word("NOMOR:", 100, width=120), _word("5", 240, top=95, width=20, height=40), _word("Takur", 280),
               _word("2019", 360)]


def test_the_box_lies_between_the_nomor_word_and_the_tahun_word_as_ocr_spells_it() -> None:
    found = number_box(_TITLE_LINE, "NOMOR: 5 Takur 2019")
    assert found is not None and found.before_tahun
    left, top, right, bottom = found.box
    assert 220 <= left <= 240 and 260 <= right <= 280  # the "5", not the NOMOR word nor "Takur"
    assert top < 95 and bottom > 135  # grown beyond the pen's strokes


def test_without_a_tahun_word_the_box_runs_to_the_lines_end() -> None:
    words = [_word("NOMOR", 100), _word("10022", 180, top=90, height=50), _word("(2020", 250, top=90, height=50)]
    found = number_box(words, "NOMOR 10022 (2020")
    assert found is not None and not found.before_tahun
    assert found.box[2] > 310


def test_the_title_line_is_chosen_over_a_cover_letters_nomor_line() -> None:
    letter = [_word("Nomor", 100, top=20, line=1), _word(":", 170, top=20, line=1),
              _word("800/12/BKD", 190, top=20, width=150, line=1)]
    title = [_word(w.text, w.left, w.top + 300, w.width, w.height, line=2) for w in _TITLE_LINE]
    found = number_box(letter + title, "NOMOR: 5 Takur 2019")
    assert found is not None and found.box[1] > 300


def test_a_page_without_a_nomor_line_has_no_box() -> None:
    assert number_box([_word("PERATURAN", 100), _word("BUPATI", 200)], "NOMOR 3 TAHUN 2015") is None


@pytest.mark.parametrize(("texts", "before_tahun", "reading"), [
    (["3"], True, "3"),
    ([".", "700/22/2020-"], False, "700/22/2020"),
    (["188.45", "-", "390"], True, "188.45-390"),
    (["220"], False, None),  # "2 TAHUN 2014" with TAHUN read as digits: no slash and year at its end
    (["-", "."], True, None),
])
def test_a_digits_only_read_counts_only_as_a_whole_number(texts: list[str], before_tahun: bool,
                                                         reading: str | None) -> None:
    words = [_word(t, 100 + 70 * i) for i, t in enumerate(texts)]
    assert digits_reading(words, before_tahun) == reading


@pytest.mark.skipif(not tesseract_available("ind+eng"), reason="needs Tesseract with ind+eng")
def test_a_pen_written_number_the_page_misreads_is_read_from_its_own_box(tmp_path: Path) -> None:
    base = Settings()
    settings = base.model_copy(update={"store": base.store.model_copy(update={"data_dir": tmp_path / "data"})})
    doc = process_file(filemakers.handwritten_number_scan(tmp_path / "perbup.pdf"), settings, None)
    assert "NOMOR: 3" not in doc.clean.text  # the page's own read of the pen's 3 is another digit
    ref = doc.meta.regulation
    assert ref is not None and (ref.instrument, ref.number, ref.year) == ("Perbup", "3", 2015)
    assert ref.confidence_of("number") < 1.0  # still handwriting: shown as a guess
