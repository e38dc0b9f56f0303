"""A title block's NOMOR line — "NOMOR 12 TAHUN 2024", "NOMOR : B/430/II.02/HK/TUBABA/2018",
"NOMOR 400.10.11 — 6098 TAHUN 2025" — read even where the scan wrote it by hand and Tesseract misread it
("NOMOR : §21 /1/ z01s", "NOMOR 36 AHuN 2019"), with how sure the reading is.

The number is kept as printed (spaces around "/" and dashes dropped, leading zeros of a numeric first part
dropped); a slash number's last part that is the year becomes the year, as the reference parser reads the
same number cited elsewhere, so both meet at one registry key.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ingest.legal.numbers import lost_digit_years, ocr_digit, ocr_digits, ocr_year

NOMOR_WORD = re.compile(r"\bN\s?[O0]\s?M\s?[O0]\s?R\b\s*[:;.,'\u2018\u2019\"]*\s*", re.I)
_TENTANG = re.compile(r"\bT\s?E\s?N\s?T\s?A\s?N\s?G\b", re.I)
# A Keputusan's page header "NOMOR : … / TANGGAL : …" that the layout joined onto one line ends at TANGGAL.
_TANGGAL = re.compile(r"\bTANGGAL\b")
# Below this likeness a word is not Tesseract's "TAHUN": "Takur", "AHuN", "TAHUIN" pass, "DAN", "PADA" do not.
_TAHUN_LIKENESS = 0.55
REPAIRED = 0.5  # a value read only after repairing OCR errors is a guess worth showing, not a fact


@dataclass(frozen=True)
class Nomor:
    number: str
    year: int | None
    start: int
    end: int
    number_confidence: float = 1.0
    year_confidence: float = 1.0
    printed: str = ""  # the number as read, even where it is unreadable ("KEP/o28/@"): a vote on a repeated one
    year_candidates: tuple[int, ...] = ()  # what a year that lost a digit can be ("204": 2004, 2014, 2024)


def is_tahun(word: str) -> bool:
    word = word.upper()
    return word == "TAHUN" or (len(word) >= 3 and SequenceMatcher(None, word, "TAHUN").ratio() >= _TAHUN_LIKENESS)


def _clean_number(raw: str) -> tuple[str, bool]:
    """The number in normal form, and whether OCR errors had to be repaired to read it."""
    raw = re.sub(r"\s*[\u2013\u2014]\s*|\s+-\s*|\s*-\s+", "-", raw.strip(" .,:;'\u2018\u2019\"-"))
    parts = [p for p in re.split(r"\s*/\s*", raw) if p]
    if not parts:
        return "", False
    repaired = False
    head = parts[0]
    if not re.fullmatch(r"[0-9.\-]+", head) and (fixed := ocr_digits(head)):
        head, repaired = fixed, True
    if re.fullmatch(r"\d+", head):
        head = head.lstrip("0") or "0"
    parts = [head, *parts[1:]]
    month = _roman_month(parts)
    if month is not None:
        repaired = repaired or month != parts[-1]
        parts[-1] = month
    return re.sub(r"\s+", "", "/".join(parts)), repaired


_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _roman_month(parts: list[str]) -> str | None:
    """A coded number's last part is the month in Roman numerals ("228/KPT/I/2017", "KEP/028/II/2006"), as
    administrative numbering writes it; OCR reads its strokes as 1, l, | or T ("228/KPT/1", "KEP/029/IT")."""
    if len(parts) < 3 or not any(re.fullmatch(r"[A-Za-z]{2,}", p) for p in parts[:-1]):
        return None
    fixed = re.sub(r"[1l|T]", "I", parts[-1])
    return fixed if fixed in _ROMAN_MONTHS else None


def read_nomor(text: str, start: int, end: int) -> Nomor | None:
    """The first NOMOR line in text[start:end]: its number and year, each with a confidence."""
    word = NOMOR_WORD.search(text, start, end)
    if word is None:
        return None
    line_end = text.find("\n", word.end())
    line_end = len(text) if line_end < 0 else line_end
    if not text[word.end() : line_end].strip():  # "NOMOR :" with the number on the next line
        nxt = text.find("\n", line_end + 1)
        line_end = len(text) if nxt < 0 else nxt
    tentang = _TENTANG.search(text, word.end(), line_end) or _TANGGAL.search(text, word.end(), line_end)
    stop = tentang.start() if tentang else line_end
    body = text[word.end() : stop].rstrip()
    return _split(body, word.start(), word.end() + len(body))


def _readable(number: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9.\-/]+", number)) and any(c.isdigit() for c in number)


def _split(body: str, start: int, end: int) -> Nomor | None:
    words = body.split()
    if not words:
        return None
    # "12 TAHUN 2024", OCR "36 AHuN 2019", "5 Takur 2019"
    for i in range(len(words) - 1, 0, -1):
        if is_tahun(words[i]) and i + 1 < len(words):
            year, year_repaired = ocr_year(words[i + 1])
            printed, repaired = _clean_number(" ".join(words[:i]))
            sure = words[i].upper() == "TAHUN"
            number = printed if _readable(printed) else ""  # "NOMOR § TAHUN 2024": the pen's number, unread
            return Nomor(number, year, start, end,
                         0.0 if not number else 1.0 if sure and not repaired else REPAIRED,
                         0.0 if year is None else 1.0 if sure and not year_repaired else REPAIRED, printed,
                         lost_digit_years(words[i + 1]) if year is None else ())
    # "521/1/2015", "B/430/II.02/HK/TUBABA/2018"; OCR "§21 /1/ z01s", "KEP/ 029 / IT 12006" (the last "/" read
    # as "1"), "10022 (2020" (read as "(")
    m = re.search(r"(?:[/(|]\s*|\s[1lI|])(?P<year>\S{4})\W*$", body)
    if m:
        year, year_repaired = ocr_year(m.group("year"))
        if year is not None:
            number, repaired = _clean_number(body[: m.start()])
            slash = m.group().lstrip().startswith("/")
            if not _readable(number):
                return Nomor("", year, start, end, 0.0, 1.0 if slash and not year_repaired else REPAIRED, number)
            return Nomor(number, year, start, end, 1.0 if slash and not repaired else REPAIRED,
                         1.0 if slash and not year_repaired else REPAIRED, number)
    # No year to be read ("2 \"ata 204"): the first word is the number, if anything is; a last word that is a
    # year short of a digit says which years it can be
    number, repaired = _clean_number(words[0])
    if not _readable(number):
        return None
    candidates = lost_digit_years(words[-1]) if len(words) > 1 else ()
    return Nomor(number, None, start, end, REPAIRED if repaired or len(words) > 1 else 1.0, 0.0, number,
                 candidates)


# The title block's NOMOR line repeated on a Keputusan's continuation pages and lampiran headers ("NOMOR :
# KEP/028/II/2006" under "KEPUTUSAN KEPALA LAPAN"): capitals at a line's start, where a citation is "Nomor".
_COPY = re.compile(r"^[^\S\n]*N[O0]M[O0]R\b", re.M)
_COPY_REACH = 120


# A NOMOR line under one of these names another instrument: the one amended or revoked, in a subject or in
# Menetapkan ("PERUBAHAN ATAS PERATURAN BUPATI PINRANG / NOMOR 3 TAHUN 2015"), often of the same year.
_OTHER_INSTRUMENT = re.compile(r"\b(?:PERUBAHAN|ATAS|PENCABUTAN|MENCABUT|TENTANG)\b", re.I)


def copies(text: str, title: Nomor, after: int | None = None) -> list[Nomor]:
    """The readings of the title's number repeated after the title block (from ``after``, its subject's end):
    same year, not under a line naming an amended or revoked instrument."""
    out = []
    for m in _COPY.finditer(text, title.end if after is None else max(after, title.end)):
        above = text[: m.start()].rstrip().rsplit("\n", 1)[-1]
        if _OTHER_INSTRUMENT.search(above):
            continue
        copy = read_nomor(text, m.start(), min(len(text), m.start() + _COPY_REACH))
        if copy and copy.year == title.year:
            out.append(copy)
    return out


def agree(title: Nomor, repeated: list[Nomor]) -> Nomor:
    """A number written by hand is misread differently each time it is written ("KEP/029", "KEP/024",
    "KEP/c28", "KEP/o28" for KEP/028): each digit of the title's number is the one most of its readings give,
    where at least two repeated readings of the same length outvote the title's own. A changed number is a
    guess, marked as one."""
    parts = title.number.split("/")
    repeated = [c for c in repeated if c.printed.count("/") == title.number.count("/")]
    changed = False
    for i, part in enumerate(parts):
        readings = [c.printed.split("/")[i] for c in repeated]
        readings = [r for r in readings if len(r) == len(part)]
        if len(readings) < 2 or not any(ch.isdigit() for ch in part):
            continue
        chars = list(part)
        for pos, own in enumerate(part):
            if not own.isdigit():
                continue
            votes = Counter(d for r in [part, *readings] if (d := ocr_digit(r[pos])) is not None)
            best, count = votes.most_common(1)[0]
            if best != own and count > votes[own]:
                chars[pos], changed = best, True
        parts[i] = "".join(chars)
    if not changed:
        return title
    return replace(title, number="/".join(parts), number_confidence=min(title.number_confidence, REPAIRED))


def reread(title: Nomor, reading: str) -> Nomor:
    """The title's guessed number replaced by a digits-only reading of its own spot on the page
    (``ingest.handwritten_number``): Tesseract reads a handwritten number better alone than among its typed
    neighbours. The reading must be a number, of the title's year where it holds one; it is still handwriting,
    and stays marked as a guess."""
    if title.number_confidence >= 1.0 or re.search(r"[A-Za-z]", title.number):
        return title
    again = _split(reading, title.start, title.end)
    tail = re.search(r"/(\d{4})$", reading)  # a slash number's year part, a year or not ("2520")
    if again is None or not again.number or (tail and title.year and int(tail.group(1)) != title.year):
        return title
    return replace(title, number=again.number, number_confidence=REPAIRED)


def typed_repetition(title: Nomor, repeated: list[Nomor]) -> Nomor:
    """A title number that is a guess (written by hand, or OCR-damaged) gives way to the one its repetitions
    read sure give (a lampiran's "NOMOR : 3 TAHUN 2015", a continuation page's header): a typed line is read as
    printed where handwriting is not, so its shape may differ from the misread one ("10022" for 700/22). Sure
    repetitions that disagree decide nothing. Taken from elsewhere, it stays marked as a guess."""
    if title.number_confidence >= 1.0:
        return title
    sure = {c.number for c in repeated if c.number and c.number_confidence >= 1.0}
    if len(sure) != 1 or title.number in sure:
        return title
    return replace(title, number=sure.pop(), number_confidence=REPAIRED)
