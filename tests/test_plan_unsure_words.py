"""A scanned table's words Tesseract is unsure of, read again alone and enlarged (ingest.plans.unsure_words): on a
page printed as the plans print their tables (Helvetica 8 pt) and rendered at the scan's 200 dpi, a word misread
among the table's words is read as printed; a sure word, a fragment, and a reading that only gains or loses a letter
at an end or a mark are left as the table read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from core.settings import Settings
from ingest.plans.unsure_words import one_word, reread_unsure, unsure
from testing.line_images import SCAN_DPI, rendered_lines

_PRINTED = ["Fasilitasi", "Kandri", "Dokumen"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={"store": base.store.model_copy(update={"data_dir": tmp_path / "data"})})


def _placed(k: int, text: str) -> tuple[float, float, float, float, str]:
    """Where line k's word was printed (points from the page's top, as the table's words are placed), read as
    ``text``."""
    baseline = 40 + 20 * k
    return (19.5, baseline - 6.5, 20.5 + stringWidth(_PRINTED[k], "Helvetica", 8), baseline + 2.0, text)


def test_words_misread_among_the_table_s_words_are_read_again_as_printed(tmp_path, settings):
    image = rendered_lines(tmp_path / "words.pdf", _PRINTED)
    # As the table's reading gave them (the Renstra p. 71, scanned): 'Fasiltasi', 'Kandi'.
    misread = [_placed(0, "Fasiltasi"), _placed(1, "Kandi")]
    sure = _placed(2, "Dokumen")
    confidences = {misread[0]: 83.0, misread[1]: 84.0, sure: 96.0}
    readings = [[*misread, sure], [misread[0], sure]]
    again = reread_unsure(readings, confidences, image.convert("L"), 72 / SCAN_DPI, settings, None)
    assert [w[4] for w in again[0]] == _PRINTED
    assert [w[4] for w in again[1]] == ["Fasilitasi", "Dokumen"]
    assert all(w[:4] == before[:4] for w, before in zip(again[0], readings[0], strict=True))


def test_only_unsure_words_of_letters_long_enough_to_be_no_fragment_are_read_again():
    assert unsure("Fasiltasi", 83.0, 90.0) and not unsure("Fasiltasi", 93.0, 90.0)
    assert not unsure("100,00", 40.0, 90.0)  # figures are read again as figure lines
    assert not unsure("h", 40.0, 90.0) and not unsure("on", 40.0, 90.0)  # pieces of a word ('h' of 'Daerah')
    assert not unsure("Kandi", 84.0, 0.0)  # a threshold of 0 reads none again


def test_a_reading_again_is_one_word_less_the_noise_at_its_edges():
    assert one_word("| Squater |") == "Squater" and one_word("“tinja") == "tinja"
    assert one_word("(OUT COME") is None and one_word("| |") is None
