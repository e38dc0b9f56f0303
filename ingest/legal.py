"""Indonesian legal structure: title block, konsiderans, BAB → Bagian → Paragraf → Pasal → ayat, diktum,
Penjelasan, Lampiran, and the regulation's own relations (cites / amends / revokes).

Every offset is into the text given (a document's clean text). Headings are read line by line: a BAB,
Bagian, Paragraf, Pasal or diktum heading stands on its own line, so "sebagaimana dimaksud dalam Pasal 5"
inside a sentence never opens an article. Article numbers must also run forward, which keeps a reference
that happens to sit alone on a line, and OCR noise, from opening one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.types import LegalDocument, OutlineNode, Region, RegulationRef, RegulationRelation, Section
from ingest.regulations import INSTRUMENTS

if TYPE_CHECKING:
    from ingest.gazetteer import Gazetteer

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str, start: int = 0, end: int | None = None) -> list[_Line]:
    """Non-blank lines of text[start:end], stripped, with their offsets."""
    out = []
    for m in re.finditer(r"[^\n]+", text[: len(text) if end is None else end]):
        if m.end() <= start:
            continue
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


# ------------------------------------------------------------------------------------ OCR-tolerant numbers

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Tesseract reads "1" as l/I/| and "0" as O: only applied to tokens that are mostly digits already.
_DIGIT_FIX = str.maketrans({"l": "1", "I": "1", "|": "1", "i": "1", "O": "0", "o": "0", "S": "5"})
_ORDINAL_UNITS = ["satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def _roman(token: str) -> str | None:
    fixed = token.upper().replace("1", "I").replace("|", "I").replace("L", "I")
    return fixed if fixed and _ROMAN.match(fixed) else None


def _arabic(token: str) -> str | None:
    """'12', '5A', OCR 'l2' / '2O' → '12' / '20'; None when the token is no article number."""
    m = re.fullmatch(r"([0-9lIi|Oo5S]{1,3})([A-Z]?)", token)
    if not m or not any(c.isdigit() for c in m.group(1)):
        return None
    digits = m.group(1).translate(_DIGIT_FIX)
    return f"{int(digits)}{m.group(2)}" if digits.isdigit() and int(digits) > 0 else None


def _number_key(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number)
    return (int(m.group(1)), m.group(2)) if m else (0, number)


def _ordinals() -> list[str]:
    """KESATU … KESEMBILAN PULUH SEMBILAN, the way Indonesian drafting counts diktum and Bagian."""
    units = ["se" + "puluh", "se" + "belas"]
    words = [f"ke{u}" for u in _ORDINAL_UNITS] + [f"ke{units[0]}", f"ke{units[1]}"]
    words += [f"ke{u} belas" for u in _ORDINAL_UNITS[1:]]
    for tens in _ORDINAL_UNITS[1:]:
        words.append(f"ke{tens} puluh")
        words += [f"ke{tens} puluh {u}" for u in _ORDINAL_UNITS]
    return [w.upper() for w in words]


ORDINALS = _ordinals()
_ORDINAL_INDEX = {w: i for i, w in enumerate(ORDINALS)} | {"PERTAMA": 0}

# ------------------------------------------------------------------------------------------ headings

_BAB = re.compile(r"^BAB\s*([IVXLCl1|]{1,7})\b\.?\s*(?P<title>[A-Z][A-Z0-9 ,/&()-]*)?$")
_ORD_WORD = r"(?:Pertama|Ke(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas)" \
            r"(?:\s+(?:Belas|Puluh(?:\s+(?:Satu|Dua|Tiga|Empat|Lima|Enam|Tujuh|Delapan|Sembilan))?))?)"
# Cleaning may glue a heading it did not recognise to the line after it ("BagianKeenam LLID",
# "Pasal II Peraturan ini mulai berlaku"); what follows such a heading starts with a capital or "(1)".
_REST = r"(?:\s+(?P<rest>[A-Z(][^\n]*))?$"
_BAGIAN = re.compile(rf"^Bagian\s*(?P<ord>{_ORD_WORD}){_REST}", re.I)
_PARAGRAF = re.compile(rf"^Paragraf\s+(?P<num>\d+|[IVX]+){_REST}")
_PASAL_TOKEN = r"Pa[s5]a[l1I7|]?\s*(?P<num>[0-9lIi|Oo5S]{1,3}[A-Z]?|[IVXL]{1,6})"
_PASAL = re.compile(rf"^{_PASAL_TOKEN}{_REST}")
# ... or glue it to the end of the sentence before: "... keuangan negara. Pasa77".
_PASAL_AT_END = re.compile(rf"(?<=[.;:])\s+(?P<head>{_PASAL_TOKEN})$")
_DIKTUM = re.compile(r"^(?P<ord>PERTAMA|KE[A-Z]+(?:\s+(?:BELAS|PULUH)(?:\s+[A-Z]+)?)?)\s*(?::|$)")
_LEVEL = {"amendment_article": 0, "bab": 1, "bagian": 2, "paragraf": 3, "pasal": 4, "diktum": 4}
_MAX_PASAL_GAP = 5
# A heading-alone line that is really the tail of a sentence ("... dimaksud dalam\nPasal 5").
_DANGLING = re.compile(r"(?:\b(?:dalam|pada|dan|atau|dengan|dimaksud|oleh|dari|di)|,)$", re.I)


@dataclass
class _Heading:
    kind: str
    label: str
    number: str
    start: int
    title: str = ""
    head_end: int = 0
    end: int = 0
    children: list[_Heading] = field(default_factory=list)


def _title_after(lines: Sequence[_Line], i: int, *, caps: bool, max_lines: int) -> tuple[str, int]:
    """The heading title on the lines after lines[i] (BAB titles are capitals, Bagian titles short)."""
    parts: list[str] = []
    end = lines[i].end
    for line in lines[i + 1 : i + 1 + max_lines]:
        if _heading_kind(line.text) or (caps and not _is_caps(line.text)) or len(line.text) > 120:
            break
        if not caps and (parts or line.text[0] in "(0123456789" or line.text.endswith((".", ";", ":"))):
            break
        parts.append(line.text)
        end = line.end
    return _collapse(" ".join(parts)), end


def _heading_kind(line: str) -> str | None:
    for kind, pattern in (("bab", _BAB), ("bagian", _BAGIAN), ("paragraf", _PARAGRAF), ("pasal", _PASAL)):
        if pattern.match(line):
            return kind
    return None


class _BodyScanner:
    """Reads the batang tubuh's headings in order, keeping article numbers plausible."""

    def __init__(self, amendment: bool) -> None:
        self.amendment = amendment
        self.last_pasal: tuple[int, str] | None = None
        self.last_article = 0
        self.next_diktum = 0

    def read(self, lines: Sequence[_Line], i: int) -> _Heading | None:
        line = lines[i]
        text = line.text
        if m := _BAB.match(text):
            roman = _roman(m.group(1))
            if roman:
                title = m.group("title") or ""
                head_end = line.end
                if not title:
                    title, head_end = _title_after(lines, i, caps=True, max_lines=3)
                return _Heading("bab", f"BAB {roman}", roman, line.start, _collapse(title), head_end)
        if m := _BAGIAN.match(text) or _PARAGRAF.match(text):
            kind = "bagian" if text[:1] in "Bb" else "paragraf"
            label = f"Bagian {_collapse(m.group('ord')).title()}" if kind == "bagian" else f"Paragraf {m.group('num')}"
            if m.group("rest"):
                return _Heading(kind, label, label, line.start, _collapse(m.group("rest")), line.end)
            title, head_end = _title_after(lines, i, caps=False, max_lines=1)
            return _Heading(kind, label, label, line.start, title, head_end)
        if m := _PASAL.match(text):
            rest = m.group("rest")
            return self._pasal(lines, i, m.group("num"), line.start, line.start + m.end("num"), bool(rest))
        if m := _PASAL_AT_END.search(text):
            start = line.start + m.start("head")
            return self._pasal(lines, i, m.group("num"), start, line.end, True)
        if (m := _DIKTUM.match(text)) and _ORDINAL_INDEX.get(_collapse(m.group("ord"))) == self.next_diktum:
            self.next_diktum += 1
            return _Heading("diktum", _collapse(m.group("ord")), str(self.next_diktum), line.start, "", line.end)
        return None

    def _pasal(self, lines: Sequence[_Line], i: int, token: str, start: int, head_end: int, glued: bool):
        if not glued and i > 0 and _DANGLING.search(lines[i - 1].text):
            return None
        if not glued and i + 1 < len(lines) and lines[i + 1].text[:1].islower():
            return None
        roman = _roman(token) if re.fullmatch(r"[IVXL]+", token) else None
        if roman and self.amendment:
            value = _roman_value(roman)
            if value != self.last_article + 1:
                return None
            self.last_article, self.last_pasal = value, None
            return _Heading("amendment_article", f"Pasal {roman}", roman, start, "", head_end)
        # Outside an amendment "Pasal I" / "Pasal l" is Tesseract's reading of "Pasal 1".
        number = _arabic(token.replace("I", "1").replace("l", "1") if re.fullmatch(r"[Il|]+", token) else token)
        if number is None:
            return None
        key = _number_key(number)
        limit = (self.last_pasal[0] if self.last_pasal else 0) + _MAX_PASAL_GAP
        unbounded = self.amendment and self.last_article > 0 and not glued
        if self.last_pasal is not None and key <= self.last_pasal:
            return None
        if key[0] > limit and not unbounded:
            return None
        self.last_pasal = key
        return _Heading("pasal", f"Pasal {number}", number, start, "", head_end)


def _roman_value(roman: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(roman, roman[1:] + " ", strict=True):
        total += -values[a] if values.get(b, 0) > values[a] else values[a]
    return total


def _nest(flat: list[_Heading], text: str, end: int) -> list[_Heading]:
    """Each heading runs to the next one of its level or higher; deeper ones become its children."""
    for n, heading in enumerate(flat):
        level = _LEVEL[heading.kind]
        stop = next((h.start for h in flat[n + 1 :] if _LEVEL[h.kind] <= level), end)
        heading.end = _rstrip_end(text, heading.start, stop)
    roots: list[_Heading] = []
    stack: list[_Heading] = []
    for heading in flat:
        while stack and _LEVEL[stack[-1].kind] >= _LEVEL[heading.kind]:
            stack.pop()
        (stack[-1].children if stack else roots).append(heading)
        stack.append(heading)
    return roots


# ------------------------------------------------------------------------------------------ title block

_TITLE_START = re.compile(r"^(PERATURAN|KEPUTUSAN|INSTRUKSI|UNDANG-UNDANG|QANUN)\b")
_NOMOR = re.compile(
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
_SMALL_WORDS = {"dan", "di", "atas", "serta", "untuk", "dalam", "yang", "pada", "ke", "dari", "atau", "bagi",
                "oleh", "dengan", "sebagai", "antara", "tentang", "melalui"}
_ACRONYMS = {"SPBE", "SOP", "OPD", "SKPD", "DPRD", "PPID", "APBD", "APBN", "BUMD", "BUMN", "UMKM", "RI", "TIK",
             "SDM", "ASN", "PNS", "BSSN", "RPJMD", "RPJPD", "RKPD", "HSPK", "ASB", "SIPD", "CSIRT", "PLID", "NKRI"}


def _subject_case(subject: str) -> str:
    """Title-case a subject printed in capitals, the way it is cited in running text."""
    if not _is_caps(subject):
        return subject
    words = []
    for n, word in enumerate(subject.split(" ")):
        core = word.strip(",.;:()")
        if core in _ACRONYMS or (core.isalpha() and not re.search(r"[AEIOU]", core)):
            words.append(word)
        elif n and core.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(p.capitalize() for p in word.lower().split("-")))
    return " ".join(words)


def _instrument(jenis: str, gazetteer: Gazetteer) -> tuple[str, Region | None]:
    """'PERATURAN WALI KOTA SINGKAWANG' → ('Perwali', Kota Singkawang)."""
    upper = _collapse(jenis.upper().replace("REPUBLIK INDONESIA", ""))
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
    number = re.sub(r"\s*/\s*", "/", _collapse(raw)).strip("/ ")
    head, _, rest = number.partition("/")
    fixed = _arabic(head) if re.fullmatch(r"[0-9lO]+", head) else None
    return (fixed or head.lstrip("0") or head) + (f"/{rest}" if rest else "")


@dataclass(frozen=True)
class _Title:
    jenis: str
    ref: RegulationRef | None
    start: int
    end: int
    raw_subject: str
    region: Region | None


def _parse_heading_ref(jenis: str, nomor: re.Match[str] | None, gazetteer: Gazetteer, inherit: Region | None):
    instrument, region = _instrument(jenis, gazetteer)
    region = region or (inherit if instrument in {"Perda", "Perwali", "Kepwali", "Perbup", "Kepbup", "Pergub",
                                                   "Kepgub"} else None)
    number = _clean_number(nomor.group("num")) if nomor and nomor.group("num") else ""
    year_text = (nomor.group("year") or nomor.group("year2")) if nomor else None
    return instrument, region, number, int(year_text) if year_text else None


def _parse_title(text: str, gazetteer: Gazetteer, hint: RegulationRef | None) -> _Title | None:
    head = _lines(text, 0, min(len(text), 4000))[:40]
    first = next((line for line in head if _TITLE_START.match(line.text)), None)
    if first is None:
        return None
    nomor = _NOMOR.search(text, first.start, first.start + 400)
    jenis = _collapse(text[first.start : nomor.start()]) if nomor else first.text
    instrument, region, number, year = _parse_heading_ref(jenis, nomor, gazetteer, None)
    after = nomor.end() if nomor else first.end
    tentang = _TENTANG.search(text, after, after + 200)
    raw_subject, end = "", after
    if tentang:
        stop = _SUBJECT_END.search(text, tentang.end(), tentang.end() + 1500)
        end = stop.start() if stop else min(len(text), tentang.end() + 400)
        raw_subject = _ISSUER_TAIL.sub("", _collapse(text[tentang.end() : end])).strip(" ,.;:")
        end = _rstrip_end(text, tentang.end(), end)
    ref = _with_hint(
        RegulationRef(
            instrument=instrument,
            number=number or "",
            year=year,
            region_code=region.code if region else None,
            region_name=region.official if region else None,
            subject=_subject_case(raw_subject) or None,
            surface=_collapse(text[first.start : nomor.end()]) if nomor else first.text,
        ),
        hint,
    )
    return _Title(jenis, ref, first.start, end, raw_subject, region)


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


# ----------------------------------------------------------------------------------- konsiderans & tail

_MARKERS = {
    "Menimbang": re.compile(r"^\s*Menimbang\b", re.M),
    "Mengingat": re.compile(r"^\s*Mengingat\b", re.M),
    "Menetapkan": re.compile(r"^\s*(?:MEMUTUSKAN|M E M U T U S K A N)\b", re.M),
}
_MENETAPKAN = re.compile(r"^\s*(?:Menetapkan|MEMUTUSKAN|M E M U T U S K A N)\b", re.M)
_CLOSING = re.compile(r"^[^\n]{0,40}?\b(?:Agar\s+setiap\s+orang\s+mengetahuinya|Ditetapkan\s+di)\b", re.M)
_TAIL = re.compile(r"^[ \t]*(?P<kind>PENJELASAN|LAMPIRAN)\b(?P<rest>[^\n]*)", re.M)
_REVOKE = re.compile(r"dicabut\s+dan\s+dinyatakan\s+tidak\s+berlaku", re.I)
_AMENDS_SUBJECT = re.compile(
    r"^(?P<what>PERUBAHAN(?:\s+\w+)?\s+ATAS|PENCABUTAN(?:\s+ATAS)?)\s+(?P<target>.+?\bNOMOR\b.+?\b(?:TAHUN\s+\d{4}|/\d{4}))",
    re.I,
)


def _first(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    m = pattern.search(text, start, end)
    return m.start() + (len(m.group()) - len(m.group().lstrip())) if m else None


def _konsiderans(text: str, start: int, body_start: int) -> list[tuple[str, int, int]]:
    positions = {name: _first(pattern, text, start, body_start) for name, pattern in _MARKERS.items()}
    found = sorted((pos, name) for name, pos in positions.items() if pos is not None)
    parts = []
    for n, (pos, name) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else body_start
        if stop > pos:
            parts.append((name, pos, _rstrip_end(text, pos, stop)))
    return parts


def _tail_nodes(text: str, start: int) -> list[OutlineNode]:
    heads = [m for m in _TAIL.finditer(text, start) if m.group("kind") == "LAMPIRAN" or not m.group("rest").strip()]
    nodes = []
    for n, m in enumerate(heads):
        begin = m.start("kind")
        stop = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        roman = re.match(r"\s*([IVX]+)\b", m.group("rest"))
        label = m.group("kind") + (f" {roman.group(1)}" if roman and m.group("kind") == "LAMPIRAN" else "")
        nodes.append(OutlineNode(kind=m.group("kind").lower(), label=label, start=begin,
                                 end=_rstrip_end(text, begin, stop)))
    return nodes


# ------------------------------------------------------------------------------------------ public API

_SIGNS = (
    re.compile(r"^\s*(PERATURAN|KEPUTUSAN)\b.*\n(?:.*\n){0,3}?\s*NOMOR\b", re.M),
    re.compile(r"^\s*Menimbang\b", re.M),
    re.compile(r"^\s*Mengingat\b", re.M),
    re.compile(r"^\s*(MEMUTUSKAN|Menetapkan)\b", re.M),
    re.compile(r"^\s*Pasal\s+\d+\s*$", re.M),
)


def looks_like_regulation(text: str) -> bool:
    """A regulation opens with a title block and konsiderans; three of these signs are enough."""
    head = text[:20000]
    return sum(bool(sign.search(head)) for sign in _SIGNS) >= 3


def parse_legal(text: str, gazetteer: Gazetteer, hint: RegulationRef | None = None) -> LegalDocument:
    """Parse a regulation's clean text into its legal structure.

    ``hint`` (what the manifest or file name says the regulation is) is used only for fields the text
    does not yield — the Kendari scan's handwritten number is the case in point.
    """
    title = _parse_title(text, gazetteer, hint)
    own = title.ref if title else hint
    region = title.region if title and title.region else _hint_region(hint, gazetteer)
    scan_from = title.end if title else 0
    decide = _first(_MENETAPKAN, text, scan_from, len(text))
    body_from = decide if decide is not None else scan_from
    closing = _first(_CLOSING, text, body_from, len(text))
    tail = _tail_nodes(text, closing if closing is not None else body_from)
    stops = [p for p in (closing, tail[0].start if tail else None) if p is not None]
    body_end = min(stops) if stops else len(text)
    amendment = bool(title and re.match(r"PERUBAHAN\b", title.raw_subject, re.I))
    flat = _scan_body(text, body_from, body_end, amendment)
    amendment = amendment or any(h.kind == "amendment_article" for h in flat)
    body_start = flat[0].start if flat else body_end
    roots = _nest(flat, text, body_end)
    konsiderans = _konsiderans(text, scan_from, body_start)
    outline = _outline(konsiderans, roots, tail)
    sections = _sections(text, title, konsiderans, roots, tail, body_end)
    relations = _relations(text, own, region, title, konsiderans, roots, gazetteer) if own else []
    return LegalDocument(
        regulation=own,
        jenis=title.jenis if title else "",
        outline=tuple(outline),
        sections=tuple(sections),
        relations=tuple(relations),
        is_amendment=amendment,
    )


def _hint_region(hint: RegulationRef | None, gazetteer: Gazetteer) -> Region | None:
    return gazetteer.resolve(hint.region_code) if hint and hint.region_code else None


def _scan_body(text: str, start: int, end: int, amendment: bool) -> list[_Heading]:
    scanner = _BodyScanner(amendment)
    lines = _lines(text, start, end)
    return [h for i in range(len(lines)) if (h := scanner.read(lines, i)) is not None]


def _to_node(h: _Heading) -> OutlineNode:
    return OutlineNode(kind=h.kind, label=h.label, title=h.title, start=h.start, end=h.end,
                       children=tuple(_to_node(c) for c in h.children))


def _outline(konsiderans, roots: list[_Heading], tail: list[OutlineNode]) -> list[OutlineNode]:
    nodes = []
    if konsiderans:
        nodes.append(OutlineNode(kind="konsiderans", label="Konsiderans", start=konsiderans[0][1],
                                 end=konsiderans[-1][2],
                                 children=tuple(OutlineNode(kind="konsiderans", label=name, start=s, end=e)
                                                for name, s, e in konsiderans)))
    return nodes + [_to_node(h) for h in roots] + tail


# ------------------------------------------------------------------------------------------ sections


def _ayat_pattern(n: int) -> re.Pattern[str]:
    # Tesseract turns "(2)" into "(21" or "l2l"; the expected number keeps that from being read as ayat 21.
    confusable = {"1": "[1lI|]", "0": "[0Oo]", "5": "[5S]"}
    digits = "".join(confusable.get(d, d) for d in str(n))
    return re.compile(rf"^[(\[lI1|]\s*{digits}\s*[)\]lI1|}}]")


def _ayat_sections(text: str, pasal: _Heading, path: tuple[str, ...]) -> list[Section]:
    starts: list[tuple[int, int]] = []
    for line in _lines(text, pasal.head_end, pasal.end):
        if _ayat_pattern(len(starts) + 1).match(line.text):
            starts.append((len(starts) + 1, line.start))
    out = []
    for k, (n, begin) in enumerate(starts):
        stop = starts[k + 1][1] if k + 1 < len(starts) else pasal.end
        out.append(Section(path=(*path[:-1], f"{path[-1]} ayat ({n})"), start=begin,
                           end=_rstrip_end(text, begin, stop), kind="ayat"))
    return out


def _body_sections(text: str, headings: list[_Heading], parents: tuple[str, ...]) -> Iterator[Section]:
    for h in headings:
        path = (*parents, h.label)
        if h.kind in {"pasal", "amendment_article"}:
            own_end = _rstrip_end(text, h.start, h.children[0].start) if h.children else h.end
            yield Section(path=path, start=h.start, end=own_end, kind="pasal")
            if not h.children:
                yield from _ayat_sections(text, h, path)
        elif h.kind == "diktum":
            yield Section(path=(*parents, f"Diktum {h.label}"), start=h.start, end=h.end, kind="diktum")
        yield from _body_sections(text, h.children, path)


def _sections(text, title, konsiderans, roots, tail, body_end) -> list[Section]:
    sections = []
    if title:
        first = len(text) - len(text.lstrip())
        stop = konsiderans[0][1] if konsiderans else title.end
        sections.append(Section(path=("Judul",), start=first, end=_rstrip_end(text, first, stop), kind="title"))
    sections += [Section(path=("Konsiderans", name), start=s, end=e, kind="konsiderans") for name, s, e in konsiderans]
    sections += list(_body_sections(text, roots, ()))
    closing_end = tail[0].start if tail else len(text)
    if roots and body_end < closing_end and text[body_end:closing_end].strip():
        sections.append(Section(path=("Penutup",), start=body_end, end=_rstrip_end(text, body_end, closing_end)))
    for node in tail:
        label = node.label.title() if node.kind == "penjelasan" else "Lampiran" + node.label[8:]
        sections.append(Section(path=(label,), start=node.start, end=node.end, kind=node.kind))
    return [s for s in sections if s.end > s.start]


# ------------------------------------------------------------------------------------------ relations


def _relations(text, own: RegulationRef, region, title, konsiderans, roots, gazetteer) -> list[RegulationRelation]:
    relations: list[RegulationRelation] = []
    if title:
        relations += _subject_relations(title, own, region, gazetteer)
    refs = _ref_parser()
    if refs is not None:
        relations += _cites(text, own, region, konsiderans, gazetteer, refs)
        relations += _revokes(text, own, region, roots, gazetteer, refs)
    seen: set[tuple[str, str]] = set()
    unique = []
    for rel in relations:
        if (rel.kind, rel.target.key) not in seen and rel.target.key != own.key:
            seen.add((rel.kind, rel.target.key))
            unique.append(rel)
    return unique


def _ref_parser():
    try:
        from ingest.regulations import parse_regulation_refs
    except ImportError:  # pragma: no cover - only while the module is being written
        log.warning("ingest.regulations is unavailable; cites/revokes relations skipped")
        return None
    return parse_regulation_refs


def _subject_relations(title: _Title, own, region, gazetteer) -> list[RegulationRelation]:
    m = _AMENDS_SUBJECT.match(title.raw_subject)
    if not m:
        return []
    target_text = m.group("target")
    nomor = _NOMOR.search(target_text)
    jenis = target_text[: nomor.start()] if nomor else target_text
    instrument, target_region, number, year = _parse_heading_ref(jenis, nomor, gazetteer, region)
    if not number:
        return []
    rest = title.raw_subject[m.end() :]
    subject = re.sub(r"^\s*TENTANG\s+", "", rest, flags=re.I).strip()
    target = RegulationRef(instrument=instrument, number=number, year=year,
                           region_code=target_region.code if target_region else None,
                           region_name=target_region.official if target_region else None,
                           subject=_subject_case(subject) or None, surface=_collapse(target_text))
    kind = "revokes" if m.group("what").upper().startswith("PENCABUTAN") else "amends"
    return [RegulationRelation(kind=kind, source=own, target=target, evidence=title.raw_subject)]


def _cites(text, own, region, konsiderans, gazetteer, parse_refs) -> list[RegulationRelation]:
    out = []
    for name, start, end in konsiderans:
        if name != "Mengingat":
            continue
        items = [(m.start(), m.end()) for m in re.finditer(r"(?ms)^\s*\d{1,2}\s*\..*?(?=^\s*\d{1,2}\s*\.|\Z)",
                                                             text[start:end])] or [(0, end - start)]
        for item_start, item_end in items:
            item = text[start + item_start : start + item_end]
            for mention in parse_refs(item, gazetteer, default_region=region):
                out.append(RegulationRelation(kind="cites", source=own, target=mention.ref, evidence=_collapse(item)))
    return out


def _walk(headings: list[_Heading]) -> Iterator[_Heading]:
    for h in headings:
        yield h
        yield from _walk(h.children)


def _revokes(text, own, region, roots, gazetteer, parse_refs) -> list[RegulationRelation]:
    out = []
    for h in _walk(roots):
        if h.kind not in {"pasal", "diktum", "amendment_article"}:
            continue
        body = text[h.head_end : (h.children[0].start if h.children else h.end)]
        for m in _REVOKE.finditer(body):
            begin = max(body.rfind(". ", 0, m.start()), body.rfind(";", 0, m.start()), -1) + 1
            sentence = body[begin : m.end()]
            for mention in parse_refs(sentence, gazetteer, default_region=region):
                out.append(RegulationRelation(kind="revokes", source=own, target=mention.ref,
                                              evidence=_collapse(sentence)))
    return out


# ------------------------------------------------------------------------------------------ counts


def outline_counts(doc: LegalDocument) -> dict:
    """Summary figures for tests and for the outline-accuracy measure."""
    nodes = list(_walk_nodes(doc.outline))
    pasal = [n.label.split(" ", 1)[1] for n in nodes if n.kind == "pasal"]
    return {
        "bab": sum(n.kind == "bab" for n in nodes),
        "bagian": sum(n.kind == "bagian" for n in nodes),
        "paragraf": sum(n.kind == "paragraf" for n in nodes),
        "pasal": len(pasal),
        "pasal_numbers": pasal,
        "first_pasal": pasal[0] if pasal else None,
        "last_pasal": pasal[-1] if pasal else None,
        "amendment_articles": [n.label for n in nodes if n.kind == "amendment_article"],
        "diktum": [n.label for n in nodes if n.kind == "diktum"],
        "lampiran": sum(n.kind == "lampiran" for n in nodes),
        "penjelasan": sum(n.kind == "penjelasan" for n in nodes),
    }


def _walk_nodes(nodes: Sequence[OutlineNode]) -> Iterator[OutlineNode]:
    for node in nodes:
        yield node
        yield from _walk_nodes(node.children)
