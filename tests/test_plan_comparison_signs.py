"""A figure's leading '≥' or '≤' found in the page image (ingest.plans.comparison_signs): Tesseract has neither in its
character sets and read the RKPD's '≥100' (p. 21, scanned) as '2100'. The lines are printed as a plan prints them
(a sans face, 8 pt) and rendered at the scan's 200 dpi."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ingest.plans.comparison_signs import comparison_sign, with_sign
from testing.line_images import line_box, rendered_lines

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # a face that draws '≥', '≤' and '±'
_LINES = ["≥100", "≤ 0,02", "2100", "100,00", "±5", "= 3", "75%", "< 1 %"]


def _page(path: Path) -> object:
    # scripts/setup.sh installs the face (fonts-dejavu-core): without it this test fails, it is not skipped.
    assert _FONT.exists(), f"{_FONT} is missing: install fonts-dejavu-core (scripts/setup.sh does)"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(_FONT)))
    return rendered_lines(path, _LINES, font="DejaVuSans", page=(200, 220), top=30)


def _box(k: int) -> tuple[int, int, int, int]:
    return line_box(k, top=30)


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
