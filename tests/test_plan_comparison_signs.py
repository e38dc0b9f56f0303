"""A figure's leading '≥' or '≤' found in the page image (ingest.plans.comparison_signs): Tesseract has neither in its
character sets and read the RKPD's '≥100' (p. 21, scanned) as '2100'. The lines are printed as a plan prints them
(a sans face, 8 pt) and rendered at the scan's 200 dpi."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.plans.comparison_signs import comparison_sign, with_sign

_DPI = 200
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # a face that draws '≥', '≤' and '±'
_LINES = ["≥100", "≤ 0,02", "2100", "100,00", "±5", "= 3", "75%", "< 1 %"]


def _page(path: Path) -> object:
    if not _FONT.exists():
        pytest.skip("DejaVu Sans is not installed")
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(_FONT)))
    pdf = canvas.Canvas(str(path), pagesize=(200, 220))
    pdf.setFont("DejaVuSans", 8)
    for k, line in enumerate(_LINES):
        pdf.drawString(20, 220 - 30 - 20 * k, line)
    pdf.save()
    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].render(scale=_DPI / 72, grayscale=True).to_pil().copy()
    finally:
        document.close()


def _box(k: int) -> tuple[int, int, int, int]:
    """Line k's box in pixels, its cell's width: from the cap height above the baseline to the descenders."""
    baseline = (30 + 20 * k) * _DPI / 72
    return (round(10 * _DPI / 72), round(baseline - 7 * _DPI / 72), round(120 * _DPI / 72),
            round(baseline + 2 * _DPI / 72))


def test_a_sign_tesseract_cannot_read_is_found_by_its_chevron_over_a_bar(tmp_path):
    image = _page(tmp_path / "signs.pdf")
    found = [comparison_sign(image, _box(k)) for k in range(len(_LINES))]
    assert found == [("≥", False), ("≤", True), None, None, None, None, None, None]


def test_the_sign_takes_the_place_of_what_tesseract_read_it_as_or_opens_the_figure():
    assert with_sign("2100", "≥", False) == "≥100"  # read as the figure's first digit
    assert with_sign("< 0,32", "≤", True) == "≤ 0,32"  # read as a word of its own
    assert with_sign("0,02", "≤", True) == "≤ 0,02"  # not read at all
    assert with_sign("25", "≥", True) == "≥ 25"  # set apart, so the 2 is the figure's
    assert with_sign("≥100", "≥", False) == "≥100"
