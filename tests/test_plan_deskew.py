"""A scanned page turned straight (ingest.plans.deskew), by its ruling's slope where img2table's own estimate leaves it
askew: it left the RKPD's p. 43, scanned 0.3° askew, as it was, and found no table on it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ingest.plans.deskew import ruling_skew, straightened


def _ruled_page(degrees: float) -> Image.Image:
    """A portrait page at 200 dpi with a table of 1 px rules and some text-like ink, turned as a scanner turns it."""
    page = Image.new("L", (1700, 2600), 255)
    draw = ImageDraw.Draw(page)
    for y in range(300, 2301, 100):
        draw.line([(200, y), (1500, y)], fill=0, width=1)
    for x in (200, 450, 800, 1150, 1500):
        draw.line([(x, 300), (x, 2300)], fill=0, width=1)
    for y in range(330, 2300, 100):
        draw.rectangle([220, y, 300, y + 8], fill=0)  # a word's blot: too short for a rule, too flat for a letter
    return page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _rgb(image: Image.Image) -> np.ndarray:
    """The page as img2table decodes it."""
    return np.asarray(image.convert("RGB"))


def _upright_share(page: np.ndarray, x: int) -> float:
    """The largest share of ink down a column near x, over the table's height."""
    gray = page.mean(axis=2) if page.ndim == 3 else page
    top = (gray.shape[0] - 2600) // 2  # a page img2table turned is grown to hold its corners
    left = (gray.shape[1] - 1700) // 2
    band = gray[top + 320:top + 2280, left + x - 6:left + x + 7] < 160
    return float(band.mean(axis=0).max())


def test_a_page_scanned_askew_is_measured_by_its_rules_and_turned_straight():
    from img2table.document.rotation import fix_rotation_image

    page = _ruled_page(0.3)
    assert not fix_rotation_image(img=_rgb(page))[1], "no letters: img2table finds no skew to turn, as on p. 43"
    skew = ruling_skew(page, 200)
    assert skew is not None and abs(skew + 0.3) < 0.02
    assert _upright_share(_rgb(page), 800) < 0.5  # askew, a vertical rule drifts across columns of pixels
    assert _upright_share(np.asarray(straightened(_rgb(page), 200)), 800) > 0.9


def test_a_straight_page_or_one_without_rules_is_left_as_it_is():
    straight = _rgb(_ruled_page(0.0))
    assert straightened(straight, 200) is straight
    blank = Image.new("L", (1700, 2600), 255)
    assert ruling_skew(blank, 200) is None and straightened(_rgb(blank), 200) is not None
