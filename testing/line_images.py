"""Lines of text printed on a PDF page and rendered as the plans' scans are (grayscale, 200 dpi): the images the
scanned-table readers' tests read, each line's box known from where it was printed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from reportlab.pdfgen import canvas

SCAN_DPI = 200


def rendered_lines(path: Path, lines: list[str], *, font: str = "Helvetica", page: tuple[int, int] = (200, 160),
                   top: int = 40, step: int = 20) -> Image.Image:
    """``lines`` at 8 pt (a plan's table print), the first ``top`` pt below the page's top and each ``step`` pt
    below the last, written to ``path`` and rendered at :data:`SCAN_DPI`. ``font``: a registered face."""
    pdf = canvas.Canvas(str(path), pagesize=page)
    pdf.setFont(font, 8)
    for k, line in enumerate(lines):
        pdf.drawString(20, page[1] - top - step * k, line)
    pdf.save()
    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().copy()
    finally:
        document.close()


def line_box(k: int, *, top: int = 40, step: int = 20) -> tuple[int, int, int, int]:
    """Line k's box in pixels, as wide as a figure cell: from its cap height above the baseline to its
    descenders."""
    baseline = (top + step * k) * SCAN_DPI / 72
    return (round(10 * SCAN_DPI / 72), round(baseline - 7 * SCAN_DPI / 72), round(120 * SCAN_DPI / 72),
            round(baseline + 2 * SCAN_DPI / 72))
