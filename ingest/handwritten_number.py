"""A title block's number written by hand, read again from its own spot on the scanned page.

Tesseract reads a page line by line with a language model: a number written by hand between a typed "NOMOR :" and
"TAHUN" is read among its typed neighbours, and often as something else (a handwritten "3" came out "5", a
handwritten "700/22/2020" came out "10022 (2020"). Cut out of its line — the box between the NOMOR word and the
TAHUN word, or the line's end — and read alone as a block of digits and separators, the same strokes are read
without that context (the 3 then reads 3; the 700/22/2020 still reads differently at each margin, and is left as
the page's guess). Only a number the title parser already marks as a guess is read again (one more OCR of the title
page, and of the small box), and only one printed in digits and separators: a coded number ("KEP/028/II") has
letters a digits-only read would destroy, and is left to the vote over its typed repetitions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from core.settings import Settings
from core.types import CleanDocument, LegalDocument
from ingest.legal.nomor import is_tahun
from ingest.legal.title import title_nomor_at
from ingest.ocr import OcrWord, ocr_image_words, render_page

# What an Indonesian instrument's number is written with: digits and the separators of "700/22/2020",
# "188.45-390".
DIGITS_AND_SEPARATORS = "0123456789/.-"
_NOMOR = re.compile(r"N[O0]M[O0]R\W*", re.I)
_DIGITS_ONLY = re.compile(r"[0-9./\-\s]+")
_SLASH_YEAR = re.compile(r"\d/(?:19|20)\d\d$")
# A pen stroke reaches above and below the typed line: the box is grown by a share of the typed word's height.
# Tesseract's reading of handwriting changes with the box, so the box is read at three margins and a reading
# counts only when all three agree (on the devset's scans a handwritten "3" read "3" at each, where a
# handwritten "700/22/2020" read three different numbers, and a box that took in a misread TAHUN the same wrong
# one, which ``digits_reading`` refuses).
_MARGINS = (0.5, 0.75, 1.0)
_BLOCK_PSM = 6  # one uniform block: a single-line mode (7) read nothing in the 150 dpi handwritten box


@dataclass(frozen=True)
class NumberBox:
    box: tuple[int, int, int, int]  # (left, top, right, bottom) in the page image's pixels
    before_tahun: bool  # it ends at the TAHUN word; else at the line's end, and holds the year too


def _nomor_word(words: Sequence[OcrWord], line: str) -> OcrWord | None:
    """The NOMOR word (as OCR cased it: "NomoR") of the page's line most like the title's NOMOR line as the text
    reads it; a cover letter's "Nomor :" line comes first on some title pages."""
    def likeness(word: OcrWord) -> float:
        rest = " ".join(w.text for w in words if w.line == word.line and w.left >= word.left)
        return SequenceMatcher(None, rest, line).ratio()

    return max((w for w in words if _NOMOR.fullmatch(w.text)), key=likeness, default=None)


def number_box(words: Sequence[OcrWord], line: str, margin_share: float = _MARGINS[0]) -> NumberBox | None:
    """Where the number of a page's NOMOR line (``line``, as the page's text reads it) is: right of the NOMOR
    word, up to the TAHUN word (as OCR spells it) or the last word beside it; None without a NOMOR line."""
    nomor = _nomor_word(words, line)
    if nomor is None:
        return None
    middle = nomor.top + nomor.height / 2
    # Beside the NOMOR word: a word its middle line crosses (a handwritten word is taller than the typed line,
    # and Tesseract may give it a line of its own).
    beside = sorted((w for w in words
                     if w.left > nomor.left + nomor.width // 2 and w.top <= middle <= w.top + w.height),
                    key=lambda w: w.left)
    tahun = next((w for w in beside if is_tahun(w.text)), None)
    number = [w for w in beside if tahun is None or w.left < tahun.left]
    margin = int(nomor.height * margin_share)
    left = nomor.left + nomor.width + margin // 2
    if tahun is not None:
        right = tahun.left - margin // 2
    elif number:
        right = max(w.left + w.width for w in number) + margin
    else:
        return None
    top = min([nomor.top, *(w.top for w in number)]) - margin
    bottom = max([nomor.top + nomor.height, *(w.top + w.height for w in number)]) + margin
    return NumberBox((left, max(0, top), right, bottom), tahun is not None) if right > left else None


def digits_reading(words: Sequence[OcrWord], before_tahun: bool) -> str | None:
    """The words of a digits-only read of the number's box as one number ("700/22/2020"), or None when nothing
    with a digit was read. A box that runs to the line's end holds the year: a reading that does not end in a
    slash and a year ("2 TAHUN 2014" read "220") read the TAHUN word as digits, and is no reading of the number."""
    text = re.sub(r"\s*([/.\-])\s*", r"\1", " ".join(w.text for w in words)).strip(" .-")
    if not _DIGITS_ONLY.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    return text if before_tahun or _SLASH_YEAR.search(text) else None


def title_number_reading(path: Path, clean: CleanDocument, legal: LegalDocument, settings: Settings) -> str | None:
    """The title block's number read again from its box on the page image, where the parser could only guess it
    (``legal``'s number confidence below 1) and it is written in digits; None when there is nothing to read again,
    the title page was not OCR'd, or the reads do not agree."""
    ref = legal.regulation
    if ref is None or ref.confidence_of("number") >= 1.0 or re.search(r"[A-Za-z]", ref.number):
        return None
    title_at = title_nomor_at(clean.text)
    if title_at is None:
        return None
    return reread_title_number(path, clean, title_at, settings)


def reread_title_number(path: Path, clean: CleanDocument, title_at: int, settings: Settings) -> str | None:
    """The number of the NOMOR line at ``title_at`` (an offset of the clean text), read again from its box on
    the page's image; None when that page was not OCR'd, no number is found there, or the reads disagree."""
    page = next((p for p in clean.pages if p.start <= title_at < p.end), None)
    if page is None or page.source != "ocr":
        return None
    line_end = clean.text.find("\n", title_at)
    line = clean.text[title_at : len(clean.text) if line_end < 0 else line_end]
    image, _dpi = render_page(path, page.number - 1, settings)
    words = ocr_image_words(image, settings)
    readings = set()
    for share in _MARGINS:
        found = number_box(words, line, share)
        if found is None:
            return None
        crop = image.crop(found.box)  # type: ignore[attr-defined]
        read = ocr_image_words(crop, settings, psm=_BLOCK_PSM, whitelist=DIGITS_AND_SEPARATORS)
        readings.add(digits_reading(read, found.before_tahun))
    return readings.pop() if len(readings) == 1 else None
