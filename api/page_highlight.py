"""A PDF page rendered as an image with a quoted span highlighted on it.

The span is a slice of the document's *clean* text, which differs from the PDF's text layer in whitespace,
hyphenation at line ends and Unicode forms. So the quote is located in the page's characters after both sides
are reduced to letters and digits (casefolded, NFKC), with an index back to every PDF character; where the text
layer is noisy (an OCR layer baked into a scan) the longest common runs of the two are used instead. The
characters found give the rectangles pdfium reports for them, in PDF points, turned into image pixels.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

logger = logging.getLogger(__name__)

# Runs shorter than this are chance agreements between a quote and a noisy text layer, not the quote.
MIN_FUZZY_RUN = 6
# The fuzzy match needs most of the quote to be there, else it highlights a stray phrase.
MIN_FUZZY_SHARE = 0.6
MAX_FUZZY_GAP = 30
HIGHLIGHT_FILL = (255, 214, 0, 96)
HIGHLIGHT_EDGE = (230, 140, 0, 255)
MAX_WIDTH_PX = 2000
# Enough for word boxes; the text itself was read at ingest time.
OCR_DPI = 200


@dataclass(frozen=True)
class Box:
    """A highlight rectangle as fractions of the page's width and height, top-left origin."""

    left: float
    top: float
    right: float
    bottom: float


def _reduce(text: str) -> tuple[str, list[int]]:
    """``text`` as casefolded letters and digits only, and the index in ``text`` of each kept character."""
    kept, where = [], []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFKC", ch).casefold():
            if part.isalnum():
                kept.append(part)
                where.append(i)
    return "".join(kept), where


def locate(page_chars: str, quote: str) -> list[int]:
    """Indices of the characters of ``page_chars`` that spell ``quote`` (ignoring case, spacing, punctuation
    and hyphenation); empty when the page does not hold it."""
    page, page_at = _reduce(page_chars)
    wanted, _ = _reduce(quote)
    if not wanted or not page:
        return []
    found = page.find(wanted)
    if found >= 0:
        # The spaces and punctuation between the first and last letters belong to the quote too.
        return list(range(page_at[found], page_at[found + len(wanted) - 1] + 1))
    matcher = SequenceMatcher(None, page, wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= MIN_FUZZY_RUN]
    if sum(b.size for b in blocks) < MIN_FUZZY_SHARE * len(wanted):
        return []
    indices: list[int] = []
    for block in blocks:
        lo, hi = page_at[block.a], page_at[block.a + block.size - 1]
        # A short gap between two agreeing runs is a misread word of the quote, not the end of it.
        if indices and lo - indices[-1] <= MAX_FUZZY_GAP:
            lo = indices[-1] + 1
        indices.extend(range(lo, hi + 1))
    return indices


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive index runs as (first, count)."""
    runs: list[tuple[int, int]] = []
    for i in sorted(set(indices)):
        if runs and i == runs[-1][0] + runs[-1][1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _page_chars(textpage: pdfium.PdfTextPage) -> str:
    """The page's characters one per pdfium index (``get_text_range`` may merge or add characters, which would
    shift every index after them)."""
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 32) for i in range(textpage.count_chars()))


def span_boxes(page: pdfium.PdfPage, quote: str) -> list[Box]:
    """Rectangles covering ``quote`` on ``page`` from its text layer; empty when the layer does not hold it."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        indices = locate(_page_chars(textpage), quote)
        boxes = []
        for first, count in _runs(indices):
            for r in range(textpage.count_rects(first, count)):
                left, bottom, right, top = textpage.get_rect(r)
                boxes.append(Box(left / width, 1 - top / height, right / width, 1 - bottom / height))
        return boxes
    finally:
        textpage.close()


@lru_cache(maxsize=32)
def _ocr_words(pdf_path: str, modified_ns: int, page_index: int, languages: str) -> tuple[
        tuple[tuple[str, float, float, float, float], ...], bool]:
    """Tesseract's words of one page with their boxes (fractions of the page), and whether OCR ran. Cached: a
    scanned page takes seconds to read and the viewer asks for it again on every rerun (``modified_ns`` keys
    a replaced file apart)."""
    try:
        import pytesseract  # optional: only scans without a text layer need it
    except ImportError:
        return (), False
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        image = pdf[page_index].render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    try:
        data = pytesseract.image_to_data(image, lang=languages, output_type=pytesseract.Output.DICT, timeout=120)
    except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
        logger.info("no OCR word boxes for %s page %d: %s", pdf_path, page_index + 1, exc)
        return (), False
    w, h = image.size
    words = tuple((str(word), data["left"][i] / w, data["top"][i] / h, (data["left"][i] + data["width"][i]) / w,
                   (data["top"][i] + data["height"][i]) / h)
                  for i, word in enumerate(data["text"]) if str(word).strip())
    return words, True


def ocr_boxes(pdf_path: Path, page_index: int, quote: str, languages: str) -> list[Box]:
    """Word boxes of a scanned page from Tesseract, for the words that spell ``quote``; empty without OCR."""
    words, _ran = _ocr_words(str(pdf_path), pdf_path.stat().st_mtime_ns, page_index, languages)
    # The words joined with one space; each character remembers its word, so ``locate`` maps back to words.
    joined, owner = "", []
    for i, (word, *_box) in enumerate(words):
        joined += word + " "
        owner.extend([i] * (len(word) + 1))
    chosen = sorted({owner[c] for c in locate(joined, quote)})
    return [Box(*words[i][1:]) for i in chosen]


def page_count(pdf_path: Path) -> int:
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def highlighted_page(pdf_path: Path, page_number: int, quote: str, *, width_px: int = 1100,
                     ocr_languages: str | None = None) -> tuple[bytes, list[Box]]:
    """PNG of page ``page_number`` (from 1) at ``width_px`` with ``quote`` highlighted, and the boxes drawn.
    A page whose text layer lacks the quote is read by OCR for word boxes when ``ocr_languages`` is given."""
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[page_number - 1]
        boxes = span_boxes(page, quote) if quote.strip() else []
        if not boxes and quote.strip() and ocr_languages:
            boxes = ocr_boxes(pdf_path, page_number - 1, quote, ocr_languages)
        width = min(max(200, width_px), MAX_WIDTH_PX)
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGBA")
    finally:
        pdf.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    w, h = image.size
    for box in boxes:
        rect = (box.left * w - 2, box.top * h - 2, box.right * w + 2, box.bottom * h + 2)
        draw.rectangle(rect, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=1)
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue(), boxes


