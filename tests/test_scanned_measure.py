"""How scripts/measure_scanned_tables.py keeps a held-out page out of a development measure: the page is scanned as
bare paper (testing.filemakers.rasterised_pdf ``blank``) and every other page scans exactly as it would with it
printed, so the development figure moves only by what the reader no longer reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from testing.filemakers import rasterised_pdf
from testing.plan_rows import PLANS


def _pages(path: Path) -> list[np.ndarray]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [np.asarray(page.render(scale=1.0, grayscale=True).to_pil().convert("L")) for page in document]
    finally:
        document.close()


def test_a_page_withheld_is_scanned_blank_and_the_others_as_with_it_printed(tmp_path: Path):
    source = PLANS / "rkpd_perubahan_kota_semarang_2016.pdf"
    def scan(name: str, blank: set[int]) -> list[np.ndarray]:
        return _pages(rasterised_pdf(tmp_path / name, source, [20, 21, 22], dpi=50, skew_degrees=0.3, noise=0.002,
                                     seed=1, blank=blank))

    printed, withheld = scan("printed.pdf", set()), scan("withheld.pdf", {21})
    assert np.array_equal(printed[0], withheld[0]) and np.array_equal(printed[2], withheld[2])
    assert printed[1].shape == withheld[1].shape
    # Paper, give or take the speckles: no line of print is left on it.
    assert (withheld[1] < 100).mean() < 0.01 < (printed[1] < 100).mean()
