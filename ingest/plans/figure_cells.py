"""A scanned table's figure cells read again, each line as one line of figures: Tesseract in single-line mode (psm 7)
with only the characters a figure prints, kept where it reads a figure more surely than the table's reading did.

Why: read among a table's words, a figure's brackets and separators take the shapes of letters and digits near them
('(2016)' read '12016)', '5 unit' read '5S unit', a target '2' read 'Z'); limited to figures, Tesseract has no such
letters to choose. Why one run per batch of lines, not one per line: a Tesseract process costs ~0.3 s to start with
ind+eng on the shared cores, and a target table holds a hundred figure lines; the lines are set side by side with a
wide gap, one strip read as one line. '≥', '≤' and '±' are in neither language model's character set, so a
whitelist cannot bring them back ('≥100' stays '2100').
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytesseract

from core.settings import Settings
from ingest.ocr import ocr_image_words

logger = logging.getLogger(__name__)

# What the figures of the hand-checked rows print, less '≥', '≤', '±' (no model of ours has them) and the space (a
# word gap, not a character to Tesseract): digits, separators, brackets (a year '(2016)'), a range's dash, '%'.
FIGURE_CHARACTERS = "0123456789,.%()-<> "
# A figure: an optional comparison, digits with separators, an optional '%', in brackets or not; then the unit words
# the cell prints after it ('780 orang', '9 jenis lomba').
_FIGURE = re.compile(r"[<>]?\(?\d[\d.,]*\)?(?: ?%)?(?: [A-Za-z][A-Za-z/]*)*")
_UNIT_WORD = re.compile(r"[A-Za-z]{2,}")
# A column holds figures when more than this share of its non-empty cells opens with one (its header does not).
_FIGURE_COLUMN_SHARE = 0.5
_OPENS_WITH_FIGURE = re.compile(r"^[<>(]?\d")
# A line of at most this many characters and no digit may still be a misread figure ('Z', '1O').
_SHORT_WORD = 2
# The line's box is widened by this share of its height above and below: Tesseract wants white around a line.
_LINE_PAD = 0.35
# Lines set side by side in one strip, this many line heights apart, at most this many lines to a strip.
_GAP_HEIGHTS = 3
_LINES_PER_STRIP = 40
# Tesseract refuses an image wider than 32,767 px ('Image too large'): a strip of 40 words of letters enlarged three
# times (ingest.plans.unsure_words) reached 48,000.
_STRIP_PX = 30000


@dataclass(frozen=True)
class FigureLine:
    """One line of a figure cell: its box in the page image's pixels (x0, top, x1, bottom), its text as the table's
    reading gave it and the mean confidence of that reading's words."""

    box: tuple[int, int, int, int]
    text: str
    confidence: float


def figure_column(first_lines: Sequence[str]) -> bool:
    """Whether a column holds figures, from the first line of each of its non-empty cells."""
    filled = [t for t in first_lines if t.strip()]
    opening = sum(bool(_OPENS_WITH_FIGURE.match(t)) for t in filled)
    return bool(filled) and opening > _FIGURE_COLUMN_SHARE * len(filled)


def worth_reading_again(text: str) -> bool:
    """Whether a line of a figure column may be a misread figure: it holds a digit, or it is a word of one or two
    characters ('Z' for '2'). A longer line of letters is a title or a note across the row ('Program Pelayanan
    Administrasi Perkantoran' spans the year columns too): read again it costs a Tesseract run of its own, as its
    letters make a whitelist no other line shares."""
    return any(ch.isdigit() for ch in text) or len(text.strip()) <= _SHORT_WORD


def unit_words(text: str) -> list[str]:
    """The words of two letters or more a figure line prints (its unit): a lone letter is no unit, but a digit
    misread ('Z' for '2', the 'S' of '5S')."""
    return [w for w in text.split() if _UNIT_WORD.fullmatch(w)]


def whitelist_for(text: str) -> str:
    """The characters a line may be read with: those of figures and the letters of the unit it prints."""
    letters = sorted({ch for word in unit_words(text) for ch in word})
    return FIGURE_CHARACTERS + "".join(letters)


def better_reading(line: FigureLine, text: str, confidence: float) -> bool:
    """Whether a re-read line replaces the table's reading: it is a figure (with the same unit), it differs, and
    Tesseract is at least as sure of it."""
    return (text != line.text and _FIGURE.fullmatch(text) is not None
            and unit_words(text) == unit_words(line.text) and confidence >= line.confidence)


# An empty cell's ink is looked for this many pixels inside its ruling (an erased rule's remnants stay at its edge);
# a blot of at most this many pixels is a speck; the ink is a figure when as tall as this share of the table's type.
_CELL_INSET_PX = 3
_SPECK_AREA = 4
_GLYPH_HEIGHT = 0.5


def unread_ink(image: object, box: tuple[int, int, int, int], read: Sequence[tuple[int, int]], type_px: float
               ) -> list[tuple[int, int, int, int]]:
    """The lines of ink in a figure cell that no line the table's reading found stands on (pixels: x0, top, x1,
    bottom; the cell's width, each line's height): Tesseract's reading of a table drops a lone short figure beside
    longer words ('12' under 2017 on the Renstra p. 77, the third '1' of four in a cell of its p. 74), the line
    reading finds it. ``read`` holds the tops and bottoms of the lines found; ink of specks only, or nothing as tall
    as a figure, is no line."""
    import cv2
    import numpy as np

    x0, top, x1, bottom = box
    if x1 - x0 <= 2 * _CELL_INSET_PX or bottom - top <= 2 * _CELL_INSET_PX:
        return []
    inset = top + _CELL_INSET_PX
    pixels = np.asarray(image.crop((x0 + _CELL_INSET_PX, inset, x1 - _CELL_INSET_PX,  # type: ignore[attr-defined]
                                    bottom - _CELL_INSET_PX)))
    count, _, stats, _ = cv2.connectedComponentsWithStats((pixels < 160).astype(np.uint8), connectivity=8)
    spans = sorted((inset + int(stats[k, cv2.CC_STAT_TOP]),
                    inset + int(stats[k, cv2.CC_STAT_TOP] + stats[k, cv2.CC_STAT_HEIGHT]))
                   for k in range(1, count) if stats[k, cv2.CC_STAT_AREA] > _SPECK_AREA)
    bands: list[list[int]] = []
    for start, end in spans:  # pieces of ink side by side make one line
        if bands and start < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], end)
        else:
            bands.append([start, end])
    return [(x0, start, x1, end) for start, end in bands if end - start >= _GLYPH_HEIGHT * type_px
            and not any(start <= (a + b) / 2 <= end or a <= (start + end) / 2 <= b for a, b in read)]


def _crop(image: object, box: tuple[int, int, int, int], upscale: float) -> object:
    from PIL import Image

    x0, top, x1, bottom = box
    pad = round(_LINE_PAD * (bottom - top))
    width, height = image.size  # type: ignore[attr-defined]
    crop = image.crop((max(x0, 0), max(top - pad, 0), min(x1, width), min(bottom + pad, height)))  # type: ignore[attr-defined]
    if upscale != 1:
        crop = crop.resize((max(1, round(crop.width * upscale)), max(1, round(crop.height * upscale))),
                           Image.Resampling.LANCZOS)
    return crop


def _strip(crops: Sequence[object]) -> tuple[object, list[tuple[int, int]]]:
    """The crops side by side on white, centred on one line, and each one's span across the strip."""
    from PIL import Image

    height = max(c.size[1] for c in crops)  # type: ignore[attr-defined]
    gap = _GAP_HEIGHTS * height
    width = gap + sum(c.size[0] + gap for c in crops)  # type: ignore[attr-defined]
    strip = Image.new("L", (width, height + gap), 255)
    spans = []
    x = gap
    for crop in crops:
        w, h = crop.size  # type: ignore[attr-defined]
        strip.paste(crop, (x, (height + gap - h) // 2))  # type: ignore[arg-type]
        spans.append((x, x + w))
        x += w + gap
    return strip, spans


def reread_lines(image: object, lines: Sequence[FigureLine], settings: Settings, *, upscale: float = 1.0,
                 deadline: float | None = None, characters: Callable[[str], str | None] = whitelist_for
                 ) -> list[tuple[str, float] | None]:
    """Each line read again as figures (with its unit's letters): its text and mean word confidence, or None where
    Tesseract read nothing in it. ``characters`` gives the whitelist a line is read with from its text (None: any
    character, as ingest.plans.unsure_words reads words of letters)."""
    out: list[tuple[str, float] | None] = [None] * len(lines)
    by_whitelist: dict[str | None, list[int]] = {}
    for k, line in enumerate(lines):
        by_whitelist.setdefault(characters(line.text), []).append(k)
    for whitelist, indices in by_whitelist.items():
        for batch in _batches(lines, indices, upscale):
            _read_strip(image, lines, batch, whitelist, out, settings, upscale, deadline)
    return out


def _batches(lines: Sequence[FigureLine], indices: list[int], upscale: float) -> list[list[int]]:
    """The lines in strips of at most _LINES_PER_STRIP lines and _STRIP_PX pixels across (as _strip lays them out:
    each crop and a gap of _GAP_HEIGHTS times the tallest crop)."""
    batches: list[list[int]] = []
    width = tallest = 0.0
    for k in indices:
        x0, top, x1, bottom = lines[k].box
        height = (bottom - top) * (1 + 2 * _LINE_PAD) * upscale
        grown_tallest = max(tallest, height)
        grown = _GAP_HEIGHTS * grown_tallest * (len(batches[-1]) + 2) + width + (x1 - x0) * upscale \
            if batches else 0.0
        if not batches or len(batches[-1]) >= _LINES_PER_STRIP or grown > _STRIP_PX:
            batches.append([k])
            width, tallest = (x1 - x0) * upscale, height
        else:
            batches[-1].append(k)
            width, tallest = width + (x1 - x0) * upscale, grown_tallest
    return batches


def _read_strip(image: object, lines: Sequence[FigureLine], batch: list[int], whitelist: str | None,
                out: list[tuple[str, float] | None], settings: Settings, upscale: float, deadline: float | None
                ) -> None:
    """One strip of lines read, each line's reading put in ``out``. Tesseract 5 dies of a floating-point error
    (SIGFPE, exit -8) on some strips, every time (a strip of 40 lines of the Renstra's p. 77, scanned and turned
    straight by its ruling): the strip is read again in halves, and a line it still dies on stays unread."""
    strip, spans = _strip([_crop(image, lines[k].box, upscale) for k in batch])
    left_s = None if deadline is None else max(deadline - time.monotonic(), 1.0)
    try:
        words = ocr_image_words(strip, settings, psm=7, timeout_s=left_s, whitelist=whitelist)
    except pytesseract.TesseractError as exc:
        logger.warning("Tesseract failed on a strip of %d figure lines (%s)%s", len(batch), exc,
                       ": read in halves" if len(batch) > 1 else ": the line stays as the table read it")
        if len(batch) > 1:
            half = len(batch) // 2
            _read_strip(image, lines, batch[:half], whitelist, out, settings, upscale, deadline)
            _read_strip(image, lines, batch[half:], whitelist, out, settings, upscale, deadline)
        return
    for k, (x0, x1) in zip(batch, spans, strict=True):
        own = sorted((w for w in words if x0 <= w.left + w.width / 2 <= x1 and w.text.strip()), key=lambda w: w.left)
        if own:
            out[k] = (" ".join(w.text for w in own), statistics.fmean(w.confidence for w in own))
