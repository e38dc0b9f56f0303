"""Highlighting a quoted span on a rendered PDF page: the quote is found in the page's text layer despite the
clean text's different spacing and hyphenation, and its boxes sit where the words are printed."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from api.page_highlight import highlighted_page, locate, span_boxes
from api.source_view import word_window

LINES = [
    "BAB II RUANG LINGKUP",
    "Pasal 2 Ruang lingkup Peraturan Wali Kota ini meliputi tata kelola,",
    "manajemen, dan layanan Sistem Pemerintahan Berbasis Elek-",
    "tronik di lingkungan Pemerintah Kota Balikpapan.",
    "Pasal 3 Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.",
]


def yellow_pixels(png: bytes) -> int:
    """Pixels of the highlight's colour (black print on white has none)."""
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if raw[i] > 240 and raw[i + 1] > 190 and raw[i + 2] < 170)


def make_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    for line in LINES:
        page.drawString(72, y, line)
        y -= 18
    page.showPage()
    page.save()
    return path


def test_a_quote_split_by_a_hyphen_across_lines_is_found_and_boxed_on_its_lines(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(make_pdf(tmp_path / "perwali.pdf"))
    page = pdf[0]
    # The clean text joins the hyphenated word and the lines, as the cleaner does.
    boxes = span_boxes(page, "layanan Sistem Pemerintahan Berbasis Elektronik di lingkungan")
    assert len(boxes) == 2  # one rectangle per printed line
    width, height = page.get_size()
    top_of_text = 1 - (780 + 12) / height
    for box in boxes:
        assert 0 < box.left < box.right <= 1 and top_of_text < box.top < box.bottom < 0.25
    # the lines quoted are the third and fourth: below the first two
    assert min(b.top for b in boxes) > 1 - (780 - 2 * 18 + 14) / height
    pdf.close()


def test_a_quote_the_page_does_not_hold_gets_no_boxes(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(make_pdf(tmp_path / "perwali.pdf"))
    assert span_boxes(pdf[0], "Kota Samarinda menetapkan anggaran banjir tahunan") == []
    pdf.close()


def test_rendered_page_carries_the_highlight_colour_only_when_the_quote_is_there(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "perwali.pdf")
    png, boxes = highlighted_page(path, 1, "mulai berlaku pada tanggal diundangkan", width_px=600)
    assert boxes and Image.open(io.BytesIO(png)).width == 600
    assert yellow_pixels(png) > 200
    plain, none = highlighted_page(path, 1, "", width_px=600)
    assert none == [] and yellow_pixels(plain) == 0


def test_locate_tolerates_a_noisy_text_layer() -> None:
    page = "Pasal 5 Setiap Perangkat Daerah waiib menyusun rencana dan anggaran sesuai arsitektur SPBE."
    found = locate(page, "Setiap Perangkat Daerah wajib menyusun rencana dan anggaran")
    assert found and page[found[0]] == "S" and page[found[-1]] == "n"
    assert locate(page, "Kota Samarinda menetapkan hal lain sama sekali") == []


@given(st.text(alphabet="ab \n", max_size=80), st.integers(0, 80), st.integers(0, 80), st.integers(0, 30))
def test_context_snippets_never_start_or_end_inside_a_word(text: str, a: int, b: int, window: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    before, after = word_window(text, start, end, window)
    assert text[:start].endswith(before) and text[end:].startswith(after)
    assert len(before) <= window and len(after) <= window
    lo, hi = start - len(before), end + len(after)
    if before and lo > 0:
        assert text[lo - 1].isspace()  # what is shown before begins after a space, never inside a word
    if after and hi < len(text):
        assert text[hi].isspace()
