"""A figure's leading '≥' or '≤' found in the page image: a chevron over a bar of its own width.

Why from the ink rather than from Tesseract: '≥' and '≤' are in neither the ``ind`` nor the ``eng`` model's character
set, so Tesseract reads '≥100' as '2100' and drops a '≤' set apart from its figure ('≤ 0,02' read '0,02'; the RKPD's
p. 21, scanned, prints eight targets so). Drawn, the signs are plain: a '>' or '<' and, under it, a flat stroke as
wide, two pieces of ink no digit, '%' or separator makes ('=' is two flat strokes, '±' a cross over one).
"""

from __future__ import annotations

from typing import NamedTuple

_INK_LEVEL = 160  # as ingest.plans.scanned reads ink
# A piece of ink of at most this many pixels is a speck the scan left, no stroke of a sign.
_SPECK_AREA = 4
# The bar is at least this many times as wide as it is tall; the chevron is not flat, at least this share of its
# width tall; the two are this alike in width.
_FLAT = 3.0
_CHEVRON_HEIGHT = 0.6
_WIDTH_RATIO = (0.6, 1.7)
# The chevron's middle row of ink (its point) covers at most this share of its width (a cross's covers it all) and
# is centred in this outer share of it.
_POINT_WIDTH = 0.6
_POINT_SHARE = 0.35
# A gap after the sign wider than this share of the next glyph's height is a word space ('≤ 0,02', not '≥100').
_SPACE_SHARE = 0.3
# Characters Tesseract reads a '≥' or '≤' as, when it reads one at all.
_MISREAD_SIGNS = "2<>=-"


class _Ink(NamedTuple):
    x: int
    y: int
    width: int
    height: int


def comparison_sign(image: object, box: tuple[int, int, int, int]) -> tuple[str, bool] | None:
    """('≥' or '≤', whether a space follows it) when the line in ``box`` (pixels of ``image``: x0, top, x1,
    bottom) opens with one; None otherwise."""
    import cv2
    import numpy as np

    x0, top, x1, bottom = box
    pad = max(2, (bottom - top) // 3)
    pixels = np.asarray(image.crop((x0, max(top - pad, 0), x1, bottom + pad)))  # type: ignore[attr-defined]
    ink = (pixels < _INK_LEVEL).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = sorted((_Ink(*(int(v) for v in stats[k, :4])), k) for k in range(1, count)
                    if stats[k, cv2.CC_STAT_AREA] > _SPECK_AREA)
    if len(pieces) < 3:  # a sign and at least a digit
        return None
    (first, first_label), rest = pieces[0], pieces[1:]
    stacked = [(p, k) for p, k in rest if min(p.x + p.width, first.x + first.width) - max(p.x, first.x)
               >= 0.5 * min(p.width, first.width)]
    if len(stacked) != 1:
        return None
    (chevron, label), (bar, _) = sorted([(first, first_label), stacked[0]], key=lambda pk: pk[0].y)
    if not (bar.y >= chevron.y + chevron.height * 0.8 and bar.width >= _FLAT * bar.height
            and chevron.height >= _CHEVRON_HEIGHT * chevron.width
            and _WIDTH_RATIO[0] <= bar.width / max(chevron.width, 1) <= _WIDTH_RATIO[1]):
        return None
    middle = labels[chevron.y + chevron.height // 2, chevron.x:chevron.x + chevron.width] == label
    if not middle.any() or middle.mean() > _POINT_WIDTH:
        return None
    centre = float(np.flatnonzero(middle).mean()) / max(chevron.width - 1, 1)
    if _POINT_SHARE < centre < 1 - _POINT_SHARE:
        return None
    sign = "≥" if centre >= 1 - _POINT_SHARE else "≤"
    right = max(chevron.x + chevron.width, bar.x + bar.width)
    after = [p for p, _ in rest if p.x >= right and p is not bar]
    if not after:
        return None
    following = after[0]
    return sign, following.x - right > _SPACE_SHARE * following.height


def with_sign(text: str, sign: str, spaced: bool) -> str:
    """The line's text opening with the sign: in place of the character Tesseract read it as ('2100' → '≥100',
    '< 0,32' → '≤ 0,32'), else before the figure ('0,02' → '≤ 0,02')."""
    if text.startswith(sign):
        return text
    # Set apart, the sign was read as a word of its own or not at all; set close, as the figure's first character.
    misread = text[:1] in _MISREAD_SIGNS and (text[1:2] == " " if spaced else text[1:2].isdigit())
    return sign + (" " if spaced else "") + (text[1:].lstrip() if misread else text)
