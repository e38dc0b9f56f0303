"""A scanned page's target tables as grids: the cell structure found in the page image by img2table (OpenCV: the
ruling lines, merged cells resolved), the text read by Tesseract (ingest.ocr) on the table with its ruling erased,
each word put in the cell that holds its centre.

Why img2table for the structure only: its own OCR step starts Tesseract through a shell with no deadline and no
tie to the parse worker's life (ingest/ocr.py explains why that matters). Why a second OCR of the table rather than
the page's words read for its text: with the ruling in the image Tesseract drops whole rows of a table (the years
under 'Target Capaian Setiap Tahun' on the Semarang Renstra p. 81); erased, it reads them. Boxes are turned into
PDF points from the top of the page, as pdfplumber gives them, so a scanned row's provenance (page, cell boxes)
opens the same way as a born-digital one's.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from core.settings import Settings
from ingest.ocr import OcrWord, ocr_image_words, ocr_page_text, render_page
from ingest.plans.cell_text import Box, LineBox, PlacedWord
from ingest.plans.comparison_signs import comparison_sign, with_sign
from ingest.plans.deskew import straightened
from ingest.plans.figure_cells import (
    FigureLine,
    better_reading,
    figure_column,
    reread_lines,
    unread_ink,
    worth_reading_again,
)
from ingest.plans.ruling import PixelBox, RuledTable, ruled_tables
from ingest.plans.tables import Grid, PageTables, captions_in
from ingest.plans.unsure_words import reread_unsure

logger = logging.getLogger(__name__)

# A ruling line read as a character ('|', '[', '_') is no text; a value's edge may carry one ('0,65|').
_RULE_ONLY = re.compile(r"^[|\[\]_{}—]+$")
_RULE_EDGES = "|[]_{}—"
# A speck at a word's edge is read as a quote or a tilde ('“kursus', '~'); tables quote no words this way.
_SPECK_MARKS = "“”\"‘’~`«"
# Marks that are a word of their own: no value, a list's dash, a unit, a conjunction, a comparison ('Penduduk yang
# Berusia > 15 tahun', 'umur istri < 20 th'), so not specks; in brackets too, as an indicator's unit ends it ('(%)').
_SIGNS = frozenset({"-", "–", "%", "&", "/", "±", "<", ">", "≤", "≥"})
_NUMBER_TAIL = re.compile(r"(?<=\d)[-–—]+$")  # the stub of a ruling line after a figure: '0,3424-——'
# Two words are on one line when their centres lie within this share of the cell's type height of each other: a
# capital's centre sits ~0.15 of it above a small letter's, the next line of a tightly set cell ~1.4 below.
_SAME_LINE = 0.5
# Tesseract's sparse mode gives some words a box far taller than their type, reaching into the line above ('Langganan
# telepon (%)' 14 pt tall under '... (Bulan)' on the Renstra p. 77): past this share of the cell's type height a box
# is trimmed to it around its centre, which stays on its line.
_TALL_BOX = 1.6
# No letter or figure is a third as tall as the cell's type (a small letter is ~0.6 of it): a word that short is a
# speck or a list's dash read as one ('5' of 1 pt beside the RKPD's '8.028 siswa', p. 134; '5', '2', 'é' for the dashes
# of the Renstra's p. 71), and it would lead its line astray.
_SPECK_HEIGHT = 0.35
# A shaded cell (a year with no target, printed grey) is read as a short word of letters Tesseract is unsure of
# ('ee', 'TN', 'DANA', 'Ll'): below this confidence such a word is the shading, not text.
_SHADE_CONFIDENCE = 50

# Ink darker than this is ink; a straight run of it longer than this (0.3 in: three letters of 10 pt) is ruling.
_INK_LEVEL = 160
_RULE_RUN_INCH = 0.3
# Paper is lighter than this; between it and ink is a cell's shading (grey 166 where a year has no target, yellow
# headers 226) when it fills a square this wide (0.05 in), wider than any stroke of a letter.
_PAPER_LEVEL = 235
_SHADE_INCH = 0.05
# A blot of ink of at most this many pixels at 200 dpi is a speck: a full stop of 9 pt is about 9, and a larger
# threshold broke the rings of a small '%'.
_SPECK_PX_AT_200 = 2
# Tesseract's 'sparse text' segmentation: every cell's words, where the page layout analysis (psm 3) dropped whole
# columns of figures (2018 on the Renstra p. 81) and split words of a serif face ('Pendidil kan'); faster too here.
_SPARSE_TEXT = 11
# ... which in turn drops a lone short word beside a longer one ('D.' of 'D. Pendidikan'): the uniform-block mode
# reads it, and each cell takes the reading that found more in it.
_BLOCK = 6
_READINGS = (_SPARSE_TEXT, _BLOCK)
# Tesseract reads a lone '%' in a narrow cell as 'Yo' (or '%o'): no Indonesian or English word. At 200 dpi its
# rings come apart, the upper one and the stroke read as a letter or '#', the lower one as '6' ('#6', 'f6', 'd6': a
# unit cell of the Renstra pp. 71, 74, 77), also in an indicator's brackets ('(d6)'); no word of a plan's table.
_PERCENT = re.compile(r"^(?:Yo|%o|Jo|[#fd]6)$")
_BRACKETED_PERCENT = re.compile(r"^\((?:Yo|%o|Jo|[#fd]6)\)$")
# A decimal comma read as a point ('0.41'): Indonesian figures mark thousands with points, always three digits.
_POINT_DECIMAL = re.compile(r"^\d+\.\d{1,2}%?$")
# A figure's zero read as a round letter ('100,0C', '1O'): digits on both sides or after the figure's separator,
# and no other letter, so a word ('Dokumen', '5 unit') is never touched.
_ZERO_AS_LETTER = re.compile(r"^\d[\d.,]*[.,\d][OoCD]%?$|^\d[\d.,]*[OoCD][\d.,]*\d%?$")
# A year in brackets whose opening bracket Tesseract read as a stroke ('12016)', 'l2016)', '|2016)'): a header's
# 'TAHUN AWAL PERENCANAAN (2016)' then names no year, and the baseline column's values lost theirs.
_BRACKETED_YEAR = re.compile(r"^[1lI|\[{]((?:19|20)\d{2}\))$")
_TABLE_MARGIN_PX = 6
# A word of at least this many characters whose box is narrower than this share of the type's height per character
# (a small letter is ~0.5 of it, an 'i' or 'l' ~0.25) holds fewer letters than Tesseract read in it; the box is read
# again with this margin (a share of the type's height) in single-character mode.
_OVERLONG_CHARS = 3
_CHAR_WIDTH = 0.3
_LETTER_PAD = 0.5
_SINGLE_CHARACTER = 10
# Letters whose capital is their small letter enlarged: read alone, the case is the box's height (a small letter's is
# ~0.65 of the type's, a capital's ~0.95).
_SIZED_LETTERS = frozenset("cosuvwxz")
_CAPITAL_HEIGHT = 0.8

# A rule missed by img2table is looked for this many pixels either side of a column edge, inside the cell's height
# less its ends, and counts when a column of pixels is this share ink.
_RULE_SEARCH_PX = 4
_RULE_INSET_PX = 3
_RULED_SHARE = 0.9


def _sign(text: str) -> bool:
    return text in _SIGNS or (text[:1] == "(" and text[-1:] == ")" and text[1:-1] in _SIGNS)


def _clean(word: OcrWord) -> str:
    if _RULE_ONLY.match(word.text):
        return ""
    if word.confidence < _SHADE_CONFIDENCE and len(word.text) <= 4 and not any(ch.isdigit() for ch in word.text) \
            and not _sign(word.text) and not _PERCENT.match(word.text):
        return ""
    text = _NUMBER_TAIL.sub("", word.text.strip(_RULE_EDGES)).strip(_SPECK_MARKS)
    if text == "=":  # a list's dash, thickened by the scan
        return "-"
    if not any(ch.isalnum() for ch in text) and not _sign(text):
        return ""  # a speck read as a mark: '.', '~', '“'

    if _ZERO_AS_LETTER.match(text):
        text = re.sub(r"[OoCD]", "0", text)
    if _BRACKETED_YEAR.match(text):
        return _BRACKETED_YEAR.sub(r"(\1", text)
    if _POINT_DECIMAL.match(text):
        return text.replace(".", ",")
    if _BRACKETED_PERCENT.match(text):
        return "(%)"
    return "%" if _PERCENT.match(text) else text


def _type_height(words: Sequence[PlacedWord]) -> float:
    """The height of the cell's type: the median of its words' (a bullet or a comma is no measure)."""
    heights = [w[3] - w[1] for w in words if any(ch.isalnum() for ch in w[4])] or [w[3] - w[1] for w in words]
    return statistics.median(heights)


def _trimmed(word: PlacedWord, height: float) -> PlacedWord:
    if word[3] - word[1] <= _TALL_BOX * height:
        return word
    middle = (word[1] + word[3]) / 2
    return (word[0], middle - height / 2, word[2], middle + height / 2, word[4])


def _speck(word: PlacedWord, height: float) -> bool:
    """A letter or figure far shorter than the type: a bullet or a sign ('-', '%') is not one."""
    return word[3] - word[1] < _SPECK_HEIGHT * height and any(ch.isalnum() for ch in word[4])


def _off_line(line: list[PlacedWord], word: PlacedWord) -> float:
    """How far a word's centre lies from a line's, measured at the line's word nearest it across: a line of a page
    scanned askew drifts along its length, and its neighbour is where it has drifted to."""
    x = (word[0] + word[2]) / 2
    near = min(line, key=lambda w: abs((w[0] + w[2]) / 2 - x))
    return abs((near[1] + near[3]) / 2 - (word[1] + word[3]) / 2)


def _as_dash(lines: list[list[PlacedWord]], speck: PlacedWord, height: float) -> None:
    """A speck opening a line is the dash of a listed item, read as a letter or figure: it joins the line as '-'
    (the bullet that starts an item). Anywhere else it is left out."""
    fits = [line for line in lines if _off_line(line, speck) <= _SAME_LINE * height
            and speck[2] <= min(w[0] for w in line)]
    if fits:
        min(fits, key=lambda line: _off_line(line, speck)).append((*speck[:4], "-"))


def lines_of(words: Sequence[PlacedWord], table_type: float = 0.0) -> list[LineBox]:
    """Words grouped into lines, each line's words left to right: a word joins the line whose centre is nearest its
    own, if near enough. Not by overlap with a line's whole extent, which grows with every word and chained two close
    lines into one, interleaving the words of items alike ('Pemenuhan Pemenuhan kebutuhan kebutuhan'). Not by
    whether words stand over each other either: Tesseract's boxes of a line's last words may reach over their
    neighbours ('87' over its '%'). A speck is measured against the table's type (``table_type``) too: alone in an
    empty cell it is all the type the cell has (a 1 pt '7' in a year the Renstra's p. 71 sets no target for)."""
    if not words:
        return []
    height = _type_height(words)
    specks = [w for w in words if _speck(w, max(height, table_type))]
    kept = [_trimmed(w, height) for w in words if w not in specks]
    lines: list[list[PlacedWord]] = []
    for word in sorted(kept, key=lambda w: (w[1] + w[3]) / 2):
        fits = [line for line in lines if _off_line(line, word) <= _SAME_LINE * height]
        if fits:
            min(fits, key=lambda line: _off_line(line, word)).append(word)
        else:
            lines.append([word])
    for speck in specks:
        _as_dash(lines, speck, height)
    return sorted((min(w[1] for w in line), max(w[3] for w in line), " ".join(w[4] for w in sorted(line)))
                  for line in lines)


# A ruling stub or a speck at a cell's edge read as a word of one or two letters before a figure ('Da 100%',
# 'im 77,50 %'), on the figure's line or a line of its own above it; 'Rp' is the one such word a figure cell prints.
_EDGE_NOISE = re.compile(r"^(?!Rp\b)[A-Za-z]{1,2}(?:\s+(?=\d)|$)")


def cell_lines(words: Sequence[PlacedWord], table_type: float = 0.0) -> list[LineBox]:
    """A cell's lines (``lines_of``) without the noise read at its edge before a figure."""
    lines = lines_of(words, table_type)
    out = []
    for k, (top, bottom, text) in enumerate(lines):
        before_figure = k + 1 < len(lines) and lines[k + 1][2][:1].isdigit()
        if _EDGE_NOISE.fullmatch(text) and before_figure:
            continue
        out.append((top, bottom, _EDGE_NOISE.sub("", text) if not _EDGE_NOISE.fullmatch(text) else text))
    return out


def _inside(words: Sequence[PlacedWord], box: Box) -> list[PlacedWord]:
    x0, top, x1, bottom = box
    return [w for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and top <= (w[1] + w[3]) / 2 <= bottom]


def _column_edges(keys: list[list[PixelBox]]) -> list[tuple[int, int]]:
    """Each column's left and right edge: those of its narrowest cell."""
    edges = []
    for c in range(max((len(row) for row in keys), default=0)):
        own = [k for row in keys if c < len(row) for k in (row[c],)]
        narrowest = min(own, key=lambda k: k[2] - k[0])
        edges.append((narrowest[0], narrowest[2]))
    return edges


def _ruled(gray: object, x: int, top: int, bottom: int) -> bool:
    """Whether a vertical rule is printed near ``x`` from ``top`` to ``bottom`` (pixels): a column of ink all the
    way down, give or take the scan's specks."""
    import numpy as np

    pixels = np.asarray(gray)
    top, bottom = top + _RULE_INSET_PX, bottom - _RULE_INSET_PX
    if bottom <= top:
        return False
    band = pixels[top:bottom, max(x - _RULE_SEARCH_PX, 0): x + _RULE_SEARCH_PX + 1] < _INK_LEVEL
    return bool(band.size) and float(band.mean(axis=0).max()) >= _RULED_SHARE


def _split_missed_rules(keys: list[list[PixelBox]], gray: object) -> list[list[PixelBox]]:
    """img2table merges two cells when the rule between them is short (a header row of 40 px: 'Indikator Kinerja'
    beside 'Target Capaian 2016' on the RKPD p. 134), and the table then has no targets column. A merged cell is
    cut again wherever a rule runs down it at a column edge."""
    edges = _column_edges(keys)
    spans: dict[PixelBox, list[int]] = {}
    for row in keys:
        for c, key in enumerate(row):
            spans.setdefault(key, [])
            if c not in spans[key]:
                spans[key].append(c)
    pieces: dict[tuple[PixelBox, int], PixelBox] = {}
    for key, columns in spans.items():
        columns.sort()
        start = key[0]
        for at, c in enumerate(columns):
            last = at == len(columns) - 1
            if last or _ruled(gray, edges[c][1], key[1], key[3]):
                right = key[2] if last else edges[c][1]
                for k in columns[:at + 1]:
                    pieces.setdefault((key, k), (start, key[1], right, key[3]))
                start = right
    return [[pieces[(key, c)] for c, key in enumerate(row)] for row in keys]


def _points(key: PixelBox, scale: float) -> Box:
    return (key[0] * scale, key[1] * scale, key[2] * scale, key[3] * scale)


def _figures_reread(cells: list[list[PixelBox]], reading: _Reading, clean: object, scale: float,
                    settings: Settings, deadline: float | None) -> list[list[PlacedWord]]:
    """The readings with the lines of the cells of figure columns (figure_cells.figure_column) replaced where
    read again as figures more surely (figure_cells.better_reading), in every reading alike; a line the image shows
    opening with '≥' or '≤' (comparison_signs) opens with it."""
    readings, confidences, table_type = reading.words, reading.confidences, reading.table_type
    columns: dict[int, list[PixelBox]] = {}
    for row in cells:
        for c, key in enumerate(row):
            if key not in columns.setdefault(c, []):
                columns[c].append(key)
    # Each cell's words and lines, read once for the column test and the lines read again.
    words_of = {k: _cell_words(readings, _points(k, scale)) for keys in columns.values() for k in keys}
    lines_in = {k: cell_lines(words, table_type) for k, words in words_of.items()}
    figure_keys: list[PixelBox] = []
    for keys in columns.values():
        if figure_column([lines_in[k][0][2] if lines_in[k] else "" for k in keys]):
            figure_keys += [k for k in keys if k not in figure_keys]
    lines: list[FigureLine] = []
    regions: list[Box] = []
    for key in figure_keys:
        box = _points(key, scale)
        words = words_of[key]
        found = [(round(top / scale), round(bottom / scale)) for top, bottom, _ in lines_in[key]]
        for inked in unread_ink(clean, key, found, table_type / scale):
            # A line of ink the table's reading found no word on: its reading must be as sure as the setting asks,
            # there being none to be surer than.
            lines.append(FigureLine(inked, "", settings.ocr.empty_figure_confidence))
            regions.append((box[0], inked[1] * scale, box[2], inked[3] * scale))
        for top, bottom, text in lines_in[key]:
            if not worth_reading_again(text):
                continue
            region = (box[0], top, box[2], bottom)
            own = _inside(words, region)
            confidence = statistics.fmean(confidences.get(w, 0.0) for w in own) if own else 0.0
            lines.append(FigureLine((key[0], round(top / scale), key[2], round(bottom / scale)), text, confidence))
            regions.append(region)
    if not lines:
        return readings
    reads = reread_lines(clean, lines, settings, upscale=settings.ocr.figure_upscale, deadline=deadline)
    replaced = []
    for region, line, read in zip(regions, lines, reads, strict=True):
        text = read[0] if read is not None and better_reading(line, *read) else line.text
        sign = comparison_sign(clean, line.box)
        text = with_sign(text, *sign) if sign is not None else text
        if text != line.text:
            replaced.append((region, text))
    logger.debug("figure lines read again: %d of %d replaced", len(replaced), len(lines))
    return [[w for w in words if not any(_inside([w], region) for region, _ in replaced)]
            + [(*region, text) for region, text in replaced] for words in readings]


def _grid(cells: list[list[PixelBox]], readings: list[list[PlacedWord]], scale: float, table_type: float) -> Grid:
    """A ruled table (every position holding the cell that covers it, a merged cell repeated) as a Grid whose
    merged cells are anchored at their top-left position."""
    text: list[list[str | None]] = []
    boxes: list[list[Box | None]] = []
    seen: set[PixelBox] = set()
    for row in cells:
        text.append([])
        boxes.append([])
        for key in row:
            if key in seen:
                text[-1].append(None)
                boxes[-1].append(None)
                continue
            seen.add(key)
            box = _points(key, scale)
            boxes[-1].append(box)
            text[-1].append("\n".join(line for _, _, line in cell_lines(_cell_words(readings, box), table_type)))

    def lines_in(box: Box) -> list[LineBox]:
        return cell_lines(_cell_words(readings, box), table_type)

    return Grid(text, boxes, lines_in)


def _despeckled(image: object, dpi: int) -> object:
    """The page with a scanner's specks painted white: blots of ink of a few pixels standing alone, smaller than
    any full stop. A speck beside a figure is read as a separator ('100;00', '80:00', '70,00.'); a median filter
    would also thin the commas of a 200 dpi scan into full stops."""
    import cv2
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L")).copy()  # type: ignore[attr-defined]
    ink = (gray < _INK_LEVEL).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    largest = max(1, round(_SPECK_PX_AT_200 * (dpi / 200) ** 2))
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= largest)
    specks = specks[specks > 0]  # label 0 is the paper
    gray[np.isin(labels, specks)] = 255
    return Image.fromarray(gray, "L")


def _without_ruling(image: object, dpi: int) -> object:
    """The image with its ruling lines painted white: runs of ink longer than any letter, across or down (a
    morphological opening), so a letter set against a cell's border keeps every stroke."""
    import cv2
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L")).copy()  # type: ignore[attr-defined]
    ink = (gray < _INK_LEVEL).astype(np.uint8) * 255
    run = max(10, round(_RULE_RUN_INCH * dpi))
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    ruling = cv2.dilate(cv2.bitwise_or(across, down), np.ones((3, 3), np.uint8))
    gray[ruling > 0] = 255
    return Image.fromarray(gray, "L")


def _unshaded(image: object, dpi: int) -> object:
    """The image with the shading of its cells painted white. Tesseract reads a grey cell's texture as words
    ('KANAN', 'PAKAN', 'ee', 'F3' in the years a Renstra chart leaves without a target); the letters printed on a
    shaded cell are darker than it and stay."""
    import cv2
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L")).copy()  # type: ignore[attr-defined]
    mid = ((gray >= _INK_LEVEL) & (gray < _PAPER_LEVEL)).astype(np.uint8)
    closed = cv2.morphologyEx(mid, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))  # the scan's white specks in the grey
    size = max(3, round(_SHADE_INCH * dpi))
    shade = cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))
    shade = cv2.dilate(shade, np.ones((3, 3), np.uint8))
    gray[(shade > 0) & (gray >= _INK_LEVEL)] = 255
    return Image.fromarray(gray, "L")


@dataclass(frozen=True)
class _Reading:
    """A table's words, one list per segmentation mode (_READINGS), each word's confidence, and the table's type
    height (that of the first reading's words)."""

    words: list[list[PlacedWord]]
    confidences: dict[PlacedWord, float]
    table_type: float


def _table_words(clean: object, table: RuledTable, dpi: int, settings: Settings, deadline: float | None
                 ) -> _Reading:
    """The table's words, read by Tesseract on the table's own part of the page with the ruling erased: one
    reading per segmentation mode (_READINGS)."""
    x1, y1, x2, y2 = table.box
    left, top = max(x1 - _TABLE_MARGIN_PX, 0), max(y1 - _TABLE_MARGIN_PX, 0)
    width, height = clean.size  # type: ignore[attr-defined]
    # Within the page: PIL fills what lies beyond with black, a band Tesseract then reads the margin against.
    crop = clean.crop((left, top, min(x2 + _TABLE_MARGIN_PX, width), min(y2 + _TABLE_MARGIN_PX, height)))  # type: ignore[attr-defined]
    scale = 72 / dpi
    readings: list[list[PlacedWord]] = []
    confidences: dict[PlacedWord, float] = {}
    for psm in _READINGS:
        placed: list[PlacedWord] = []
        left_s = None if deadline is None else max(deadline - time.monotonic(), 1.0)
        for word in ocr_image_words(crop, settings, psm=psm, timeout_s=left_s):
            text = _clean(word)
            if text:
                placed.append(((word.left + left) * scale, (word.top + top) * scale,
                               (word.left + word.width + left) * scale, (word.top + word.height + top) * scale,
                               text))
                confidences[placed[-1]] = word.confidence
        readings.append(placed)
    table_type = _type_height(readings[0]) if readings and readings[0] else 0.0
    if table_type:
        readings = [[_letter_read_again(w, clean, table_type, scale, settings, confidences) for w in words]
                    for words in readings]
    readings = reread_unsure(readings, confidences, clean, scale, settings, deadline)
    return _Reading(readings, confidences, table_type)


def _letter_read_again(word: PlacedWord, clean: object, table_type: float, scale: float, settings: Settings,
                       confidences: dict[PlacedWord, float]) -> PlacedWord:
    """A word of three characters or more in a box too narrow for them is one letter Tesseract read as several (the
    'o' a narrow agency cell breaks off 'Dishubkominf' / 'o', read 'ke)' on the RKPD p. 144): its box is read again
    as a single character."""
    x0, top, x1, bottom, text = word
    if len(text) < _OVERLONG_CHARS or x1 - x0 >= _CHAR_WIDTH * table_type * len(text):
        return word
    from PIL import Image

    pad = round(_LETTER_PAD * table_type / scale)
    crop = clean.crop((max(round(x0 / scale) - pad, 0), max(round(top / scale) - pad, 0),  # type: ignore[attr-defined]
                       round(x1 / scale) + pad, round(bottom / scale) + pad))
    upscale = settings.ocr.figure_upscale
    crop = crop.resize((round(crop.width * upscale), round(crop.height * upscale)), Image.Resampling.LANCZOS)
    try:
        read = [w for w in ocr_image_words(crop, settings, psm=_SINGLE_CHARACTER) if w.text.strip()]
    except pytesseract.TesseractError:
        return word
    if len(read) != 1 or len(read[0].text) != 1 or not read[0].text.isalnum():
        return word
    letter = read[0].text
    if letter.lower() in _SIZED_LETTERS:  # alone, 'o' and 'O' differ only in height
        letter = letter.lower() if bottom - top < _CAPITAL_HEIGHT * table_type else letter.upper()
    again = (x0, top, x1, bottom, letter)
    confidences[again] = read[0].confidence
    return again


def _cell_words(readings: Sequence[Sequence[PlacedWord]], box: Box) -> list[PlacedWord]:
    """A cell's words from the reading that found most characters in it (the first on a tie: a unit cell's '%'
    read by one mode and '4' by the other keeps the sparse reading's '%')."""
    found = [_inside(words, box) for words in readings]
    return max(found, key=lambda ws: sum(len(w[4]) for w in ws))


def page_tables(image: object, dpi: int, settings: Settings, timeout_s: float | None = None
                ) -> list[tuple[Grid, str]]:
    """The ruled tables of a scanned page image, each as a grid and its caption (the 'TABEL n' lines above it,
    from the page's OCR text)."""
    import numpy as np
    from img2table.document import Image
    from PIL import Image as PilImage

    buffer = io.BytesIO()
    _despeckled(image, dpi).save(buffer, format="PNG")  # type: ignore[attr-defined]
    # A page scanned a little askew (0.3° drifts a landscape table's rules by 6 px) breaks img2table's ruling
    # into pieces: the page is turned straight first (ingest.plans.deskew), and the words are read on it as turned.
    page = straightened(Image(src=buffer.getvalue(), detect_rotation=False).images[0], dpi)
    tables = sorted(ruled_tables(page), key=lambda t: t.box[1])
    if not tables:
        return []
    despeckled = PilImage.fromarray(np.asarray(page)).convert("L")
    page_text, _ = ocr_page_text(image, dpi, settings)  # the page as the parse read it: from the cache
    # The page's captions belong to its last tables: a table above the first caption continues one from the page
    # before (its caption is inherited where its header is).
    captions = captions_in(page_text)[-len(tables):]
    captions = [""] * (len(tables) - len(captions)) + captions
    scale = 72 / dpi
    clean = _unshaded(_without_ruling(despeckled, dpi), dpi)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s  # for all the page's Tesseract runs
    grids = []
    for table, caption in zip(tables, captions, strict=True):
        cells = _split_missed_rules(table.cells, despeckled)
        reading = _table_words(clean, table, dpi, settings, deadline)
        words = _figures_reread(cells, reading, clean, scale, settings, deadline)
        grids.append((_grid(cells, words, scale, reading.table_type), caption))
    return grids


def scanned_page_tables(path: Path, settings: Settings) -> PageTables:
    """A ``PageTables`` reader for ``read_indicator_rows``: a scanned page of ``path`` rendered as OCR renders it."""

    def read(number: int, seconds: float | None) -> list[tuple[Grid, str]]:
        image, dpi = render_page(path, number - 1, settings)
        try:
            return page_tables(image, dpi, settings, seconds)
        except subprocess.TimeoutExpired as exc:  # the table budget ran out while Tesseract read this page
            raise TimeoutError(f"page {number}: OCR of its tables outran the table budget") from exc

    return read
