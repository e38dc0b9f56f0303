"""Article, chapter and diktum numbers as printed, and as Tesseract misreads them."""

from __future__ import annotations

import datetime as dt
import re

from core.legal_patterns import FIRST, ORDINALS, ROMAN_NUMERAL

# A Roman numeral's letters as a scan's OCR gives them, regex source: Tesseract reads I as l, 1 or | ("BAB l1");
# :func:`roman` reads them back.
OCR_ROMAN_LETTER = "[IVXLCl1|]"
# An article number's digits as printed or misread ("Pasal l2", "Pasal 2O", "Pasal 5"), regex source; only the
# swaps a one-to-three character token cannot be taken for a word with (not the B, g or z of :data:`_OCR_DIGITS`).
ARTICLE_DIGIT = "[0-9lIi|Oo5S]"
# Characters Tesseract puts for digits in handwritten or faint numbers ("§21" for 521, "z01s" for 2015); only applied
# to tokens that are mostly digits already.
_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "O": "0", "o": "0", "D": "0",
                             "S": "5", "s": "5", "§": "5", "z": "2", "Z": "2", "B": "8", "g": "9", "q": "9",
                             "G": "6", "b": "6"})


def roman(token: str) -> str | None:
    """'IV', 'XL', OCR 'l|' → 'II'; None when the token is no Roman numeral. Only a small l is OCR's I: a capital
    L is fifty ("BAB XL")."""
    fixed = token.replace("l", "I").upper().replace("1", "I").replace("|", "I")
    return fixed if ROMAN_NUMERAL.match(fixed) else None


def arabic(token: str) -> str | None:
    """'12', '5A', OCR 'l2' / '2O' → '12' / '20'; None when the token is no article number."""
    m = re.fullmatch(rf"({ARTICLE_DIGIT}{{1,3}})([A-Z]?)", token)
    # Without a real digit only 1s and 0s are misread ones ("IO", "lI"): "So" is no number.
    if not m or not (any(c.isdigit() for c in m.group(1)) or re.fullmatch(r"[lI|][lI|Oo]*", m.group(1))):
        return None
    digits = m.group(1).translate(_OCR_DIGITS)
    return f"{int(digits)}{m.group(2)}" if digits.isdigit() and int(digits) > 0 else None


def number_key(number: str) -> tuple[int, str]:
    """'11A' → (11, 'A'): article numbers compare by number, then by the letter of an inserted article."""
    m = re.match(r"(\d+)(.*)", number)
    return (int(m.group(1)), m.group(2)) if m else (0, number)


# A diktum's or a Bagian's place in its sequence from its ordinal word: KESATU (or PERTAMA) 0, KEDUA 1 …
ORDINAL_INDEX = {w: i for i, w in enumerate(ORDINALS)} | {FIRST: 0}


def ocr_digits(token: str) -> str | None:
    """'§21' → '521', 'z01s' → '2015': a token that is at least half digits already, read as digits."""
    digits = sum(c.isdigit() for c in token)
    if not token or digits == 0 or digits * 2 < len(token):
        return None
    fixed = token.translate(_OCR_DIGITS)
    return fixed if fixed.isdigit() else None


def ocr_digit(char: str) -> str | None:
    """One character as the digit it is or OCR misread ('o' → '0'); None for any other character."""
    fixed = char.translate(_OCR_DIGITS)
    return fixed if len(fixed) == 1 and fixed.isdigit() else None


def ocr_year(token: str) -> tuple[int | None, bool]:
    """A year as printed or as OCR misread it ('ZO1S' → 2015), and whether it had to be repaired."""
    token = token.strip(".,;:)(")
    if re.fullmatch(r"(19|20)\d\d", token):
        return int(token), False
    if len(token) == 4 and any(c.isdigit() for c in token):
        fixed = token.translate(_OCR_DIGITS)
        if re.fullmatch(r"(19|20)\d\d", fixed):
            return int(fixed), True
    return None, False


_FIRST_YEAR = 1945  # the Republic's first regulations


def lost_digit_years(token: str) -> tuple[int, ...]:
    """The years a three-character year that lost a digit to OCR can be ('204' → 2004, 2014, 2024): one digit
    put back anywhere, between 1945 and this year."""
    token = token.strip(".,;:)(")
    digits = token.translate(_OCR_DIGITS)
    if len(digits) != 3 or not digits.isdigit() or sum(c.isdigit() for c in token) < 2:
        return ()
    this_year = dt.date.today().year
    found = {int(digits[:i] + d + digits[i:]) for i in range(4) for d in "0123456789"}
    return tuple(sorted(y for y in found if _FIRST_YEAR <= y <= this_year))
