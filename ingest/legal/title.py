"""The title block: jenis ("PERATURAN WALI KOTA SINGKAWANG"), NOMOR … TAHUN …, TENTANG <subject>.

The title block is the regulation's identity. The subject is title-cased the way running text cites it, and
what the scan cannot give (the Kendari scan's handwritten number) comes from the curator's hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.types import Region, RegulationRef
from ingest.legal.lines import collapse, is_caps, lines, rstrip_end
from ingest.legal.numbers import arabic
from ingest.regulations import INSTRUMENTS

if TYPE_CHECKING:
    from ingest.gazetteer import Gazetteer

_TITLE_START = re.compile(r"^(PERATURAN|KEPUTUSAN|INSTRUKSI|UNDANG-UNDANG|QANUN)\b")
NOMOR = re.compile(
    r"\bNOMOR\b\s*:?\s*(?P<num>[0-9lO][0-9A-Za-z.\-]*(?:\s*/\s*[A-Za-z0-9.\-]+)*?)?\s*"
    r"(?:\bTAHUN\s+(?P<year>[12][0-9]{3})|/\s*(?P<year2>[12][0-9]{3})\b)"
)
_TENTANG = re.compile(r"\bTENTANG\b\s*:?", re.I)
_SUBJECT_END = re.compile(
    r"DENGAN\s+RAHMAT|\bMenimbang\b|^\s*(?:WALI\s*KOTA|BUPATI|GUBERNUR|PRESIDEN|KEPALA|MENTERI)\b[^\n]*,\s*$", re.M
)
_ISSUER_TAIL = re.compile(r"\s+(?:WALI\s*KOTA|BUPATI|GUBERNUR|PRESIDEN|KEPALA|MENTERI)\b[^,]*,$")

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
_LOCAL = {"Perda", "Perwali", "Kepwali", "Perbup", "Kepbup", "Pergub", "Kepgub"}
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


def parse_title(text: str, gazetteer: Gazetteer, hint: RegulationRef | None) -> Title | None:
    head = lines(text, 0, min(len(text), 4000))[:40]
    first = next((line for line in head if _TITLE_START.match(line.text)), None)
    if first is None:
        return None
    nomor = NOMOR.search(text, first.start, first.start + 400)
    jenis = collapse(text[first.start : nomor.start()]) if nomor else first.text
    instrument, region, number, year = parse_heading_ref(jenis, nomor, gazetteer, None)
    raw_subject, end = _subject(text, nomor.end() if nomor else first.end)
    ref = _with_hint(
        RegulationRef(
            instrument=instrument,
            number=number or "",
            year=year,
            region_code=region.code if region else None,
            region_name=region.official if region else None,
            subject=subject_case(raw_subject) or None,
            surface=collapse(text[first.start : nomor.end()]) if nomor else first.text,
        ),
        hint,
    )
    return Title(jenis, ref, first.start, end, raw_subject, region)


def _subject(text: str, after: int) -> tuple[str, int]:
    """The TENTANG line(s) as printed, and where the title block ends."""
    tentang = _TENTANG.search(text, after, after + 200)
    if not tentang:
        return "", after
    stop = _SUBJECT_END.search(text, tentang.end(), tentang.end() + 1500)
    end = stop.start() if stop else min(len(text), tentang.end() + 400)
    raw_subject = _ISSUER_TAIL.sub("", collapse(text[tentang.end() : end])).strip(" ,.;:")
    return raw_subject, rstrip_end(text, tentang.end(), end)


def parse_heading_ref(jenis: str, nomor: re.Match[str] | None, gazetteer: Gazetteer,
                      inherit: Region | None) -> tuple[str, Region | None, str, int | None]:
    """(instrument, region, number, year) of a jenis line and its NOMOR … TAHUN … match; a local instrument
    that names no place ("PERATURAN WALI KOTA NOMOR 48 TAHUN 2021" inside a Perwali) is ``inherit``'s."""
    instrument, region = _instrument(jenis, gazetteer)
    region = region or (inherit if instrument in _LOCAL else None)
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
    words = upper.split()
    return (" ".join([words[0].title(), *words[1:]]) if words else ""), None


def _clean_number(raw: str) -> str:
    number = re.sub(r"\s*/\s*", "/", collapse(raw)).strip("/ ")
    head, _, rest = number.partition("/")
    fixed = arabic(head) if re.fullmatch(r"[0-9lO]+", head) else None
    return (fixed or head.lstrip("0") or head) + (f"/{rest}" if rest else "")


def _with_hint(ref: RegulationRef, hint: RegulationRef | None) -> RegulationRef:
    """The curator's hint fills only what the text did not yield (e.g. a handwritten number OCR cannot read)."""
    if hint is None:
        return ref
    filled = {
        name: getattr(hint, name)
        for name in ("instrument", "number", "year", "region_code", "region_name", "subject")
        if not getattr(ref, name) and getattr(hint, name)
    }
    if "region_code" in filled and ref.region_code is None and "region_name" not in filled:
        filled["region_name"] = hint.region_name
    return ref.model_copy(update=filled) if filled else ref
