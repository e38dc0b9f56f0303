"""The closing formula: "Ditetapkan di Pinrang pada tanggal 20 Juni 2017 / BUPATI PINRANG," (a UU is
"Disahkan"), "Diundangkan di … pada tanggal …", and the office that signs; dates handwritten on scans
("2 Jamuari ZO1S") are read with a lower confidence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ingest.legal.lines import collapse
from ingest.legal.nomor import REPAIRED
from ingest.legal.numbers import ocr_digits, ocr_year
from ingest.legal.ocr_words import variants

_MONTHS = {"januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
           "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11, "desember": 12}
# Below this likeness a word is not an OCR'd month name: "Jamuari" (0.86) passes, "Sarwar" does not.
_MONTH_LIKENESS = 0.7
# "Ditetapkan di Pinrang pada tanggal 20 Juni 2017"; on scans "pada tanggal" may be lost under a signature
# ("Ditetapkan di Pinrang 2 Jamuari ZO1S"), so the date is looked for in what follows the place.
# OCR misspells the formula's verb by a letter or glues it to "di" ("Ditetapkap-di Pinrang"): a word like one of
# the three verbs (likeness at least _VERB_LIKENESS) followed by "di" is the formula.
_CLOSING = re.compile(r"\b(?P<kind>D[a-z1|]{5,10})[^\S\n]*[-.,]?[^\S\n]*di\b", re.I)
_VERBS = {"ditetapkan": "enacted", "disahkan": "enacted", "diundangkan": "promulgated"}
_VERB_LIKENESS = 0.85  # "ditetapkap" (0.9) is "ditetapkan"; "diumumkan" (0.7 to "diundangkan") is no formula
_DATE_REACH = 90
# A signature block whose labels are drawn as an image leaves its dates alone on a line.
_BARE_DATES = re.compile(r"^[^\S\n]*(?P<first>\d{1,2}\s+[A-Za-z]{3,10}\s+\d{4})(?:[^\S\n]+(?P<second>\d{1,2}\s+"
                         r"[A-Za-z]{3,10}\s+\d{4}))?[^\S\n]*$", re.M)
_DATE = re.compile(r"(?<![\w§])(?P<day>[0-9Oo§lI|zZ]{1,2}|\d\s\d)\s+(?P<month>[A-Za-z]{3,10})\.?\s+"
                   r"(?P<year>\S{4})(?!\w)")
_SHORT_YEAR_DATE = re.compile(r"(?<!\w)(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,10})\.?\s+(?P<year>\S{1,4})")
_OFFICE_WORDS = r"(?:BUPATI|GUBERNUR|WALI\s*KOTA|WALIKOTA|PRESIDEN|MENTERI|KEPALA|KETUA|MAJELIS|DIREKTUR|SEKRETARIS)"
_SIGNER = re.compile(
    rf"\s*(?P<behalf>a\.?\s?n\.?\s+)?(?:(?:Plt|Pj|Plh)\.?\s+)?(?P<office>{_OFFICE_WORDS}\b[A-Z ,.\-\n]{{0,120}}?),",
    re.I,
)


@dataclass(frozen=True)
class Enactment:
    enacted: dt.date | None = None
    promulgated: dt.date | None = None
    signer: str | None = None
    enacted_confidence: float = 1.0
    promulgated_confidence: float = 1.0


def _named_month(word: str) -> int | None:
    """The month a word names in full or as an abbreviation ("Jan", "FEB"), if only one."""
    if word in _MONTHS:
        return _MONTHS[word]
    prefix = {n for name, n in _MONTHS.items() if len(word) >= 3 and name.startswith(word)}
    return prefix.pop() if len(prefix) == 1 else None


def _month(word: str) -> tuple[int | None, bool]:
    word = word.lower()
    named = _named_month(word)
    if named is not None:
        return named, False
    # A letter OCR confuses ("Juk" for Juli, "Jon" for Jan), undone one at a time, before the name is given up on
    undone = {m for variant in variants(word) if (m := _named_month(variant)) is not None}
    if len(undone) == 1:
        return undone.pop(), True
    best = max(_MONTHS, key=lambda name: SequenceMatcher(None, word, name).ratio())
    return (_MONTHS[best], True) if SequenceMatcher(None, word, best).ratio() >= _MONTH_LIKENESS else (None, False)


def read_date(text: str, year_hint: int | None = None) -> tuple[dt.date | None, float, int]:
    """'20 Juni 2017' → (2017-06-20, 1.0); OCR '2 Jamuari ZO1S' → (2015-01-02, 0.5); garbage → (None, 0);
    with where the date ends in ``text``. An unreadable year ('9 oktober 209.') is ``year_hint``'s, if any."""
    m = _DATE.search(text) or _SHORT_YEAR_DATE.search(text)
    if not m:
        return None, 0.0, 0
    day_text = m.group("day").replace(" ", "")
    day_digits = day_text if day_text.isdigit() else ocr_digits(day_text)
    month, month_fuzzy = _month(m.group("month"))
    year, year_repaired = ocr_year(m.group("year"))
    if year is not None and year > dt.date.today().year + 1:  # nothing is enacted in the future
        year = None
    if year is None and year_hint is not None:
        year, year_repaired = year_hint, True
    if not day_digits or month is None or year is None:
        return None, 0.0, 0
    try:
        date = dt.date(year, month, int(day_digits))
    except ValueError:
        return None, 0.0, 0
    repaired = month_fuzzy or year_repaired or day_digits != day_text
    return date, REPAIRED if repaired else 1.0, m.end()


def read_enactment(text: str, start: int, issuer: str | None, year_hint: int | None = None) -> Enactment:
    """Dates and signer from the first closing formulas after ``start`` (the body); ``issuer`` (the title
    block's "BUPATI PINRANG," line) names the signer where the signature block does not, or signs a.n."""
    found: dict[str, tuple[dt.date | None, float]] = {}
    signer = None
    formulas = [(m, kind) for m in _CLOSING.finditer(text, start) if (kind := _formula_kind(m.group("kind")))]
    for n, (m, kind) in enumerate(formulas):
        if found.get(kind, (None, 0.0))[0] is not None:
            continue
        reach = min(m.end() + _DATE_REACH, formulas[n + 1][0].start() if n + 1 < len(formulas) else len(text))
        date, confidence, date_end = read_date(text[m.end() : reach], year_hint)
        found[kind] = (date, confidence)
        if kind == "enacted" and date is not None and signer is None:
            signer = _signer(text, m.end() + date_end)
        if all(found.get(k, (None, 0.0))[0] is not None for k in ("enacted", "promulgated")):
            break
    if not formulas:
        found.update(_bare_dates(text, start))
    if found.get("enacted", (None, 0.0))[0] is None:
        found.update(_header_date(text, start))
    if signer in (None, "a.n.") and issuer:
        signer = issuer
    elif signer and issuer:
        signer = _full_office(signer, issuer)
    enacted, enacted_conf = found.get("enacted", (None, 1.0))
    promulgated, promulgated_conf = found.get("promulgated", (None, 1.0))
    return Enactment(enacted, promulgated, None if signer == "a.n." else signer,
                     enacted_conf if enacted else 1.0, promulgated_conf if promulgated else 1.0)


def _formula_kind(verb: str) -> str | None:
    """'Ditetapkan' / 'Disahkan' → enacted, 'Diundangkan' → promulgated, as printed or misspelt by OCR."""
    capital = verb[:1] == "D"
    verb = verb.lower().replace("1", "i").replace("|", "i")
    if verb in _VERBS:
        return _VERBS[verb]
    if not capital:  # a misspelt verb is taken only where it opens the formula, capitalised, not mid-sentence
        return None
    best = max(_VERBS, key=lambda name: SequenceMatcher(None, verb, name).ratio())
    return _VERBS[best] if SequenceMatcher(None, verb, best).ratio() >= _VERB_LIKENESS else None


# A Keputusan's continuation and lampiran pages repeat its identity: "KEPUTUSAN KEPALA LAPAN / NOMOR : … /
# TANGGAL : 27 FEB 2006" — the enactment date, typed or stamped where the closing's is handwritten.
_HEADER_DATE = re.compile(r"^[^\S\n]*TANGGAL[^\S\n]*:[^\S\n]*(?P<date>[^\n]{6,30})$", re.M)


def _header_date(text: str, start: int) -> dict[str, tuple[dt.date | None, float]]:
    for m in _HEADER_DATE.finditer(text, start):
        date, _, _ = read_date(m.group("date"))
        if date is not None:
            return {"enacted": (date, REPAIRED)}
    return {}


def _bare_dates(text: str, start: int) -> dict[str, tuple[dt.date | None, float]]:
    """The signature block's dates without their labels (drawn as an image): the first is the enactment's,
    a second on the same line the promulgation's; a guess, so marked as one."""
    for m in _BARE_DATES.finditer(text, start):
        enacted, _, _ = read_date(m.group("first"))
        if enacted is None:
            continue
        out: dict[str, tuple[dt.date | None, float]] = {"enacted": (enacted, REPAIRED)}
        if m.group("second"):
            promulgated, _, _ = read_date(m.group("second"))
            out["promulgated"] = (promulgated, REPAIRED)
        return out
    return {}


# A signature block that names the body first and the position under it, in title case: "Majelis Akreditasi /
# Ketua," is the office "KETUA MAJELIS AKREDITASI".
_POSITION = r"(?:Ketua|Kepala|Direktur|Sekretaris|Menteri|Gubernur|Bupati|Wali\s*[Kk]ota)"
_BODY_THEN_POSITION = re.compile(
    rf"\s*(?P<body>[A-Z][A-Za-z]+(?:[^\S\n]+[A-Za-z]+){{0,10}})\s*\n?\s*(?P<position>{_POSITION})[^\S\n]*,")


def _full_office(signer: str, issuer: str) -> str:
    """The signature block may shorten the issuing body that the preamble names in full ("KETUA MAJELIS
    AKREDITASI" under "MAJELIS AKREDITASI BADAN AKREDITASI NASIONAL PERGURUAN TINGGI,"): the full name."""
    if issuer.startswith(signer + " "):
        return issuer
    for cut in range(1, len(signer.split())):
        position, body = " ".join(signer.split()[:cut]), " ".join(signer.split()[cut:])
        if issuer.startswith(body + " ") and not issuer.startswith(position):
            return f"{position} {issuer}"
    return signer


def _signer(text: str, pos: int) -> str | None:
    """The office printed above the signature: "BUPATI PINRANG,", "GUBERNUR\\nDAERAH ISTIMEWA YOGYAKARTA,";
    "a.n." when signed on another's behalf (the issuer is then the signer of record)."""
    window = text[pos : pos + 160]
    window = re.sub(r"^[\s\W]*(?:ttd|dto|TTD)?\.?\s*", "", window)
    m = _SIGNER.match(window)
    if not m or not collapse(m.group("office")).isupper():
        reversed_block = _BODY_THEN_POSITION.match(window)
        if reversed_block and not reversed_block.group("body").isupper():
            return collapse(f"{reversed_block.group('position')} {reversed_block.group('body')}").upper()
    if not m:
        return None
    if m.group("behalf"):
        return "a.n."
    office = collapse(m.group("office"))
    if not office.isupper() or len(office.split()) > 12:
        return None
    return office

