"""A scanned table page turned straight: by img2table's estimate of its skew where it makes one, else by the slope
of the page's ruling.

Why the ruling too: img2table estimates the skew from the angles between letters' centres, to a hundredth of a
degree, and turns the page only from 0.25° on. The RKPD's p. 43, scanned 0.3° askew, came out at 0.0: the page stayed
askew, its vertical rules (1 px wide, drifting a pixel every 190 px down a 2,000 px table) broke into pieces too short
for a line, and img2table found no table on it. A table's horizontal rules are long straight strokes: their slope
gives the skew to a few thousandths of a degree on every scanned page measured (0.29°–0.30° for the 0.3° printed by
scripts/measure_scanned_tables.py). Why not the ruling's slope alone, on every page: the page is turned as img2table
turns it (bilinear, on a canvas grown to hold the corners) so that a page it turned reads as before; turned by the
ruling's 0.30° instead of its 0.29° (or bicubic, or on a canvas of the page's size), Tesseract read the same development
pages' grey cells and small letters differently, a few dozen rows better and as many worse.
"""

from __future__ import annotations

import math

# Ink darker than this is ink (as ingest.plans.scanned reads it); a horizontal run of it this long (0.3 in, three
# letters of 10 pt) is ruling, and a stretch of ruling this long (1 in) is measured for its slope.
_INK_LEVEL = 160
_RULE_RUN_INCH = 0.3
_MEASURED_RULE_INCH = 1.0
# A page is turned when its skew moves a rule by more than this many pixels along the page's longer side: less is
# no break in a rule, and turning blurs the letters a little.
_DRIFT_PX = 2.0


def ruling_skew(gray: object, dpi: int) -> float | None:
    """The page's skew in degrees (negative: the rules climb to the right, as PIL's ``rotate`` turns them back),
    the median slope of its horizontal rules weighted by their length; None without a rule to measure."""
    import cv2
    import numpy as np

    pixels = np.asarray(gray)
    ink = (pixels < _INK_LEVEL).astype(np.uint8)
    run = max(10, round(_RULE_RUN_INCH * dpi))
    # A run of the rule's length stays whole under the opening while the rule drifts a pixel down or up: 8-connected,
    # its steps join into one stretch.
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(across, connectivity=8)
    slopes: list[tuple[float, int]] = []
    for k in range(1, count):
        x, y, width, height = (int(v) for v in stats[k, :4])
        if width < _MEASURED_RULE_INCH * dpi:
            continue
        ys, xs = np.nonzero(labels[y:y + height, x:x + width] == k)
        slopes.append((math.degrees(math.atan(float(np.polyfit(xs, ys, 1)[0]))), width))
    if not slopes:
        return None
    slopes.sort()
    half = sum(width for _, width in slopes) / 2
    seen = 0
    for angle, width in slopes:
        seen += width
        if seen >= half:
            return angle
    return slopes[-1][0]


def straightened(page: object, dpi: int) -> object:
    """The page (an RGB array, as img2table decodes it) turned straight: as img2table turns it where its estimate
    reaches 0.25°, else by the ruling's skew when that moves a rule by more than two pixels; else as it is."""
    import cv2
    from img2table.document.rotation import fix_rotation_image, rotate_img_with_border

    turned, done = fix_rotation_image(img=page)
    if done:
        return turned
    skew = ruling_skew(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), dpi)  # type: ignore[call-overload]
    longer = max(page.shape[:2])  # type: ignore[attr-defined]
    if skew is None or abs(math.tan(math.radians(skew))) * longer <= _DRIFT_PX:
        return page
    # cv2 turns by a positive angle the way PIL does: anticlockwise, so the ruling's skew turns it back.
    return rotate_img_with_border(img=page, angle=skew)
