"""The title block: jenis ("PERATURAN WALI KOTA SINGKAWANG"), NOMOR … TAHUN …, TENTANG <subject>.

The title block is the regulation's identity. The subject is title-cased the way running text cites it, and
what the scan cannot give (the Kendari scan's handwritten number) comes from the curator's hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from core.legal_patterns import INSTRUMENTS, KONSIDERANS_LABEL, LOCAL_KINDS, TITLE_WORDS, agency_instrument
from core.types import Region, RegulationRef
from ingest.legal.enactment import Enactment, read_enactment
from ingest.legal.lines import collapse, is_caps, lines, rstrip_end
from ingest.legal.nomor import NOMOR_WORD, REPAIRED, Nomor, agree, copies, read_nomor, reread, typed_repetition
from ingest.legal.numbers import arabic
from ingest.legal.ocr_words import repair

if TYPE_CHECKING:
    from core.gazetteer import Gazetteer

_TITLE_WORD_LIKENESS = 0.8  # OCR's "PERATIJRAN" (0.84) is PERATURAN; "PERATURAN" is no other title word
_CAPS_WORD = re.compile(r"[A-Z][A-Za-z\-]{4,}")
NOMOR = re.compile(
    r"\bNOMOR\b\s*:?\s*(?P<num>(?:[A-Z]{1,5}\s*/\s*)?[0-9lO][0-9A-Za-z.\-]*(?:\s*/\s*[A-Za-z0-9.\-]+)*?)?\s*"
    r"(?:\bTAHUN\s+(?P<year>[12][0-9]{3})|/\s*(?P<year2>[12][0-9]{3})\b)"
)
_TENTANG = re.compile(r"\bT\s?E\s?N\s?T\s?A\s?N\s?G\b\s*:?", re.I)  # "T\nENTANG": a word broken by the layout
# "DENGAN RAHMAT TUHAN", also as OCR and layout break it ("DE\nNGAN RAHMAT", "DENGAN RAHIMAT TUHAN")
_PREAMBLE = re.compile(r"D\s?E\s?N\s?G\s?A\s?N\s+R\s?A\s?H|R\s?A\s?H\s?M\s?A\s?T\s+T\s?U\s?H\s?A\s?N", re.I)
_KONSIDERANS_LABEL = re.compile(rf"{KONSIDERANS_LABEL}\b\s*(?P<rest>.*)$", re.I)
_OFFICE = re.compile(r"(?:WALI\s*KOTA|BUPATI|GUBERNUR|PRESIDEN|KEPALA|MENTERI|MAJELIS|KETUA)\b", re.I)
_ISSUER_TAIL = re.compile(r"\s+(?:WALI\s*KOTA|BUPATI|GUBERNUR|PRESIDEN|KEPALA|MENTERI)\b[^,]*,$")
_TITLE_REACH = 400  # a title block's NOMOR line follows its jenis within a few lines

# The region kind whose name follows an instrument's jenis line ("PERATURAN WALI KOTA" + "SINGKAWANG");
# a Perda names a kota, kabupaten or provinsi, a national instrument none.
_PLACE_KIND: dict[str, str | None] = {"local": "any", "kota": "Kota", "kabupaten": "Kabupaten",
                                       "provinsi": "Provinsi", "national": None}
# (pattern on the jenis, normal instrument, place kind); longest Indonesian name first, so that
# "PERATURAN PEMERINTAH PENGGANTI UNDANG-UNDANG" is not read as "PERATURAN PEMERINTAH".
_INSTRUMENTS: tuple[tuple[str, str, str | None], ...] = tuple(
    (re.escape(i.indonesian.upper()).replace(r"\ ", r"\s*"), i.name, _PLACE_KIND[i.issuer])
    for i in sorted(INSTRUMENTS.values(), key=lambda i: -len(i.indonesian))
)
_SMALL_WORDS = {"dan", "di", "atas", "serta", "untuk", "dalam", "yang", "pada", "ke", "dari", "atau", "bagi",
                "oleh", "dengan", "sebagai", "antara", "tentang", "melalui"}
_ACRONYMS = {"SPBE", "SOP", "OPD", "SKPD", "DPRD", "PPID", "APBD", "APBN", "BUMD", "BUMN", "UMKM", "RI", "TIK",
             "SDM", "ASN", "PNS", "BSSN", "RPJMD", "RPJPD", "RKPD", "HSPK", "ASB", "SIPD", "CSIRT", "PLID", "NKRI"}


@dataclass(frozen=True)
class Title:
    jenis: str
    ref: RegulationRef | None
    start: int
    end: int
    raw_subject: str
    region: Region | None
    issuer: str | None = None


def parse_title(text: str, gazetteer: Gazetteer, hint: RegulationRef | None,
                number_reading: str | None = None) -> Title | None:
    """The title block; ``number_reading`` is its number read again from the page image where the text's reading
    was a guess (``ingest.handwritten_number``)."""
    found = _title_start(text)
    if found is None:
        return None
    first, word, length = found
    nomor = read_nomor(text, first, min(len(text), first + _TITLE_REACH))
    line_end = text.find("\n", first)
    jenis_end = nomor.start if nomor else (len(text) if line_end < 0 else line_end)
    jenis = collapse(word + text[first + length : jenis_end])
    instrument, region = _instrument(jenis, gazetteer)
    named_issuer = _named_issuer(jenis)
    subject = _subject(text, nomor.end if nomor else jenis_end, named_issuer)
    if nomor is not None:
        repeated = copies(text, nomor, subject.end)
        nomor = agree(nomor, repeated) if nomor.number else nomor
        nomor = reread(nomor, number_reading) if number_reading else nomor
        nomor = typed_repetition(nomor, repeated)
    issuer = named_issuer or _preamble_issuer(text, subject.end)
    closing = read_enactment(text, subject.end, issuer, _year_hint(text, nomor))
    year, year_confidence = _year(text, nomor, closing)
    subject_text, misread = repair(subject.text, text)
    confidence = {"number": nomor.number_confidence if nomor else 0.0, "year": year_confidence,
                  "enacted": closing.enacted_confidence, "promulgated": closing.promulgated_confidence,
                  "subject": REPAIRED if misread else 1.0 if subject.text else 0.0}
    ref = _with_hint(
        RegulationRef(
            instrument=instrument,
            number=nomor.number if nomor else "",
            year=year,
            region_code=region.code if region else None,
            region_name=region.official if region else None,
            subject=subject_case(subject_text) or None,
            surface=collapse(text[first : nomor.end]) if nomor else jenis,
            enacted=closing.enacted,
            promulgated=closing.promulgated,
            signer=subject_case(closing.signer) if closing.signer else None,
            confidence=tuple((k, v) for k, v in confidence.items() if v < 1.0),
        ),
        hint,
    )
    return Title(jenis, ref, first, subject.end, subject.text, region, issuer)


def title_nomor_at(text: str) -> int | None:
    """Where the title block's NOMOR line starts, for reading its number again from the page image."""
    found = _title_start(text)
    word = NOMOR_WORD.search(text, found[0], found[0] + _TITLE_REACH) if found else None
    return word.start() if word else None


def _title_start(text: str) -> tuple[int, str, int] | None:
    """Where the title block's jenis starts and its first word in normal spelling: the first title word
    printed in capitals (OCR-misspelt ones too) that a NOMOR line follows. Page 1 may be a cover letter, and
    a scan's OCR layer may open with debris on the jenis' own line."""
    for line in lines(text, 0, min(len(text), 6000))[:80]:
        for m in _CAPS_WORD.finditer(line.text):
            word = _title_word(m.group())
            if word is None or not is_caps(line.text[m.start() :]):
                continue
            at = line.start + m.start()
            if NOMOR_WORD.search(text, at, at + _TITLE_REACH):
                return at, word, len(m.group())
    return None


def _title_word(word: str) -> str | None:
    upper = word.upper()
    for title_word in TITLE_WORDS:
        if upper == title_word or (
            upper[0] == title_word[0] and SequenceMatcher(None, upper, title_word).ratio() >= _TITLE_WORD_LIKENESS
        ):
            return title_word
    return None


def _year(text: str, nomor: Nomor | None, closing: Enactment) -> tuple[int | None, float]:
    """The NOMOR line's year; where OCR could not read it, or only guessed, the printed dates decide."""
    year, confidence = (nomor.year, nomor.year_confidence) if nomor and nomor.year else (None, 0.0)
    if confidence >= 1.0:
        return year, confidence
    dated = closing.enacted if closing.enacted and closing.enacted_confidence >= 1.0 else None
    if dated is not None:
        return dated.year, 1.0 if dated.year == year else REPAIRED
    gazette = _GAZETTE.search(text)
    if gazette is not None:  # the Berita/Lembaran Daerah line is typed where the number is handwritten
        gazette_year = int(gazette.group("year"))
        if year is None and nomor and nomor.year_candidates and gazette_year not in nomor.year_candidates:
            # The handwritten year lost a digit and the typed gazette year is none of what it can be (a form
            # typed in December, signed in January): the one nearest the gazette's.
            return min(nomor.year_candidates, key=lambda y: abs(y - gazette_year)), REPAIRED
        return gazette_year, 1.0 if gazette_year == year else REPAIRED
    return year, confidence


def _year_hint(text: str, nomor: Nomor | None) -> int | None:
    """The year a date whose year is unreadable ("9 oktober 209.") stands in: an instrument's TAHUN is the
    year it was enacted in; the gazette line's year where the NOMOR line's is a guess."""
    if nomor and nomor.year and nomor.year_confidence >= 1.0:
        return nomor.year
    gazette = _GAZETTE.search(text)
    return int(gazette.group("year")) if gazette else (nomor.year if nomor else None)


_GAZETTE = re.compile(r"\b(?:BERITA|LEMBARAN)\s+(?:DAERAH|NEGARA)\b[^\n]{0,80}?\bTAHUN\s+(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class _Subject:
    text: str
    end: int


def _subject(text: str, after: int, issuer: str | None) -> _Subject:
    """The TENTANG line(s) as printed, and where the title block ends.

    OCR of a two-column scan may put the konsiderans labels ("Menimbang", "Mengingat") inside the title
    block, before its last line ("TAHUN ANGGARAN 2015"): capitals after bare labels still belong to it.
    """
    tentang = _TENTANG.search(text, after, after + 200)
    begin = tentang.end() if tentang else after
    parts: list[str] = []
    end = begin
    labels_seen = False
    for line in lines(text, begin, min(len(text), begin + 1500)):
        line_text = text[max(line.start, begin) : line.end].strip()
        if not line_text:
            continue
        if _PREAMBLE.match(text, line.start) or _is_issuer_line(line_text, issuer):
            break
        label = _KONSIDERANS_LABEL.match(line_text)
        if label:
            if label.group("rest").strip(" :"):
                break
            labels_seen = True
            continue
        if (labels_seen or not tentang) and not is_caps(line_text):
            break
        parts.append(line_text)
        if not labels_seen:
            end = line.end
    raw = _ISSUER_TAIL.sub("", collapse(" ".join(parts))).strip(" ,.;:")
    return _Subject(raw, rstrip_end(text, begin, end) if parts else begin)


def _is_issuer_line(line: str, issuer: str | None) -> bool:
    """'BUPATI PINRANG,', 'MENTERI DALAM NEGERI,': the office issuing the instrument, opening the preamble;
    OCR may cut it from its comma ("MENTERI RISET, TEKNOLOGI, DAN PENDIDIKAN TINGGI" / "REPUBLIK INDONESIA,")."""
    if not (_OFFICE.match(line) and is_caps(line)):
        return False
    return line.rstrip().endswith(",") or bool(issuer and len(line.split()) >= 2 and issuer.startswith(line.upper()))


def _named_issuer(jenis: str) -> str | None:
    """The issuing office where the jenis names it: "KEPUTUSAN MENTERI DALAM NEGERI" → "MENTERI DALAM NEGERI"."""
    rest = re.sub(r"^\S+\s+", "", jenis.upper())
    return rest.strip(" ,") if _OFFICE.match(rest) else None


_OFFICE_LINE = re.compile(r"^[^\S\n]*(?P<office>[A-Z][A-Z ,.\-]{3,120}?),[^\S\n]*$", re.M)


def _preamble_issuer(text: str, after: int) -> str | None:
    """The preamble's "BUPATI PINRANG," line, for a jenis that names no office ("PERATURAN DAERAH …"); a long
    office breaks over two lines ("MAJELIS AKREDITASI" / "BADAN AKREDITASI NASIONAL PERGURUAN TINGGI,")."""
    for m in _OFFICE_LINE.finditer(text, after, min(len(text), after + 400)):
        if _OFFICE.match(m.group("office")):
            return collapse(m.group("office"))
        above_start = text.rfind("\n", after, max(after, m.start() - 1))
        above = text[after if above_start < 0 else above_start + 1 : m.start()].strip()
        if above and is_caps(above) and not above.endswith(",") and _OFFICE.match(above):
            return collapse(f"{above} {m.group('office')}")
    return None


def parse_heading_ref(jenis: str, nomor: re.Match[str] | None, gazetteer: Gazetteer,
                      inherit: Region | None) -> tuple[str, Region | None, str, int | None]:
    """(instrument, region, number, year) of a jenis line and its NOMOR … TAHUN … match; a local instrument
    that names no place ("PERATURAN WALI KOTA NOMOR 48 TAHUN 2021" inside a Perwali) is ``inherit``'s."""
    instrument, region = _instrument(jenis, gazetteer)
    region = region or (inherit if instrument in LOCAL_KINDS else None)
    number = _clean_number(nomor.group("num")) if nomor and nomor.group("num") else ""
    year_text = (nomor.group("year") or nomor.group("year2")) if nomor else None
    return instrument, region, number, int(year_text) if year_text else None


def subject_case(subject: str) -> str:
    """Title-case a subject printed in capitals, the way it is cited in running text."""
    if not is_caps(subject):
        return subject
    return " ".join(_word_case(n, word) for n, word in enumerate(subject.split(" ")))


def _word_case(n: int, word: str) -> str:
    core = word.strip(",.;:()")
    if core in _ACRONYMS or (core.isalpha() and not re.search(r"[AEIOU]", core)):
        return word
    if n and core.lower() in _SMALL_WORDS:
        return word.lower()
    return "-".join(p.capitalize() for p in word.lower().split("-"))


def _instrument(jenis: str, gazetteer: Gazetteer) -> tuple[str, Region | None]:
    """'PERATURAN WALI KOTA SINGKAWANG' → ('Perwali', Kota Singkawang)."""
    upper = collapse(jenis.upper().replace("REPUBLIK INDONESIA", ""))
    for pattern, instrument, place_kind in _INSTRUMENTS:
        m = re.match(pattern + r"\b\s*(?P<place>.*)$", upper)
        if not m:
            continue
        place = m.group("place").strip(" ,.")
        if place_kind is None or not place:
            return instrument, None
        query = place if place_kind == "any" else f"{place_kind} {place}"
        return instrument, gazetteer.resolve(query.title())
    agency = re.match(r"(?P<kind>PERATURAN|KEPUTUSAN\s+KEPALA)\s+(?P<body>BADAN|LEMBAGA)\s+(?P<name>.+)$", upper)
    if agency:
        kind = "Peraturan" if agency.group("kind") == "PERATURAN" else "Keputusan Kepala"
        named = agency_instrument(kind, agency.group("name"), agency.group("body").title())
        if named:
            return named, None
    words = upper.split()
    return (" ".join([words[0].title(), *words[1:]]) if words else ""), None


def _clean_number(raw: str) -> str:
    number = re.sub(r"\s*/\s*", "/", collapse(raw)).strip("/ ")
    head, _, rest = number.partition("/")
    fixed = arabic(head) if re.fullmatch(r"[0-9lO]+", head) else None
    return (fixed or head.lstrip("0") or head) + (f"/{rest}" if rest else "")


def _with_hint(ref: RegulationRef, hint: RegulationRef | None) -> RegulationRef:
    """The curator's hint fills only what the text did not yield, or only guessed (a handwritten number OCR
    cannot read, or read as 195 for 15)."""
    if hint is None:
        return ref
    guessed = {name for name, value in ref.confidence if value < 1.0}
    filled = {
        name: getattr(hint, name)
        for name in ("instrument", "number", "year", "region_code", "region_name", "subject")
        if (not getattr(ref, name) or name in guessed) and getattr(hint, name)
    }
    if "region_code" in filled and ref.region_code is None and "region_name" not in filled:
        filled["region_name"] = hint.region_name
    if filled:
        filled["confidence"] = tuple((name, value) for name, value in ref.confidence if name not in filled)
    return ref.model_copy(update=filled) if filled else ref
