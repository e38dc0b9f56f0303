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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from core.types import (
    LegalDocument,
    OutlineNode,
    Region,
    RegulationMention,
    RegulationRef,
    RegulationRelation,
    Section,
)
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
    # Without a real digit only 1s and 0s are misread ones ("IO", "lI"): "So" is no number.
    if not m or not (any(c.isdigit() for c in m.group(1)) or re.fullmatch(r"[lI|][lI|Oo]*", m.group(1))):
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
_LEVEL = {"amendment_article": 0, "amendment_item": 1, "bab": 2, "bagian": 3, "paragraf": 4, "pasal": 5,
          "amended_pasal": 5, "diktum": 5}
# Inside Pasal I of an amending regulation: "2. Di antara Pasal 11 dan Pasal 12 disisipkan ...", the numbered
# changes ("angka") that each introduce the new wording of an article of the amended regulation.
_VERB = r"\b(?:diubah|disisipkan|dihapus|ditambah(?:kan)?)\b"
_AMEND_ITEM = re.compile(
    rf"^(?P<num>\d{{1,3}})\s*\.\s+(?=(?:Ketentuan|Di\s*antara|Pasal|BAB|Bab|Bagian|Paragraf|Lampiran|Penjelasan"
    rf"|Judul|Ayat|Huruf|Angka|Setelah|Sebelum)\b).*{_VERB}"
)
# The line that introduces an amended article's new wording: "... diubah sehingga berbunyi sebagai berikut:".
_DIRECTIVE_LINE = re.compile(rf"{_VERB}.*:$")
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
    changes: list[OutlineNode] = field(default_factory=list)  # amendment_change nodes read from its own text

    @property
    def path_label(self) -> str:
        """How the unit reads in a citation path: an amended article says what happened to it."""
        return f"{self.label} ({self.title})" if self.kind == "amended_pasal" and self.title else self.label


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
        self.last_item = 0
        self.directive = ""
        self.next_diktum = 0

    def read(self, lines: Sequence[_Line], i: int) -> _Heading | None:
        line = lines[i]
        text = line.text
        if self.last_article and (m := _AMEND_ITEM.match(text)) and int(m.group("num")) == self.last_item + 1:
            self.last_item, self.directive, self.last_pasal = int(m.group("num")), text, None
            return _Heading("amendment_item", f"angka {self.last_item}", m.group("num"), line.start, "", line.end)
        if self.last_article and _DIRECTIVE_LINE.search(text):
            self.directive = text
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
            self.last_article, self.last_pasal, self.last_item, self.directive = value, None, 0, ""
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
        if self.amendment and self.last_article:
            return self._amended(lines, i, number, start, head_end)
        return _Heading("pasal", f"Pasal {number}", number, start, "", head_end)

    def _amended(self, lines: Sequence[_Line], i: int, number: str, start: int, head_end: int) -> _Heading:
        """An article of the amended regulation, quoted in an amending article; it opens at the line
        announcing it, so that the new wording is cited together with what happened to it."""
        lead = lines[i - 1] if i > 0 and _DIRECTIVE_LINE.search(lines[i - 1].text) else None
        action = _action(lead.text if lead else self.directive, number)
        return _Heading("amended_pasal", f"Pasal {number}", number, lead.start if lead else start, action, head_end)


def _action(directive: str, number: str) -> str:
    """What the directive does to Pasal ``number``: 'disisipkan' when it inserts it, else 'diubah'."""
    if not directive:
        return ""
    inserted = re.search(r"disisipkan\b.*?\b(?:yakni|yaitu)\b(?P<new>.*)", directive)
    if inserted and re.search(rf"\bPasal\s+{re.escape(number)}\b", inserted.group("new")):
        return "disisipkan"
    return "diubah" if re.search(r"\b(?:diubah|ditambah(?:kan)?)\b", directive) else ""


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


# ------------------------------------------------------------------------------------------ amendments

_UNIT = r"Pasal\s+\d+[A-Z]?(?:\s+ayat\s+\(\w{1,3}\))?"
_AYAT_OF = r"(?:(?P<ayat>ayat\s+\(\w{1,3}\))\s+)?"
# "Ketentuan Pasal 11 [dalam Peraturan ... yang telah diubah dengan ...] diubah sehingga berbunyi ..."; the
# verb of an earlier amendment ("diubah dengan", "diubah beberapa kali") is not the directive's.
_CHANGED = re.compile(
    rf"Ketentuan\s+{_AYAT_OF}(?P<unit>{_UNIT})(?:(?!Ketentuan\b)[\s\S]){{0,1200}}?"
    r"\b(?:diubah|ditambah(?:kan)?)\b(?!\s+(?:dengan|beberapa|terakhir))"
)
_INSERTED = re.compile(
    r"Di\s*antara\s+(?P<between>[^:;]{0,120}?)\s+disisipkan\b[^:;]{0,200}?\b(?:yakni|yaitu)\s+"
    r"(?P<new>(?:Pasal\s+\d+[A-Z]?|ayat\s+\(\w{1,3}\))(?:\s*(?:,|dan)\s*(?:Pasal\s+\d+[A-Z]?|ayat\s+\(\w{1,3}\)))*)"
)
_DELETED = re.compile(rf"{_AYAT_OF}(?P<unit>{_UNIT})\s+dihapus\b")
_NEW_UNIT = re.compile(r"Pasal\s+\d+[A-Z]?|ayat\s+\(\w{1,3}\)")


def _record_changes(text: str, roots: list[_Heading]) -> None:
    """What the amending articles do to the amended regulation ("Pasal 11" diubah, "Pasal 11A" disisipkan,
    "Pasal 13" dihapus), read from their directives and kept as amendment_change nodes of the outline."""
    seen: set[tuple[str, str]] = set()
    for h in _walk(roots):
        if h.kind not in {"amendment_article", "amendment_item", "amended_pasal"}:
            continue
        start = h.head_end if h.kind == "amendment_article" else h.start
        stop = h.head_end if h.kind == "amended_pasal" else (h.children[0].start if h.children else h.end)
        for change in _directives(text, start, stop):
            overlaps = any(c.start < change.end and change.start < c.end for c in h.changes)
            if (change.label, change.title) not in seen and not overlaps:
                seen.add((change.label, change.title))
                h.changes.append(change)


def _directives(text: str, start: int, stop: int) -> Iterator[OutlineNode]:
    def node(label: str, action: str, m: re.Match[str]) -> OutlineNode:
        return OutlineNode(kind="amendment_change", label=_collapse(label), title=action, start=m.start(), end=m.end())

    for m in _CHANGED.finditer(text, start, stop):
        yield node(_unit_label(m.group("unit"), m.group("ayat")), "diubah", m)
    for m in _INSERTED.finditer(text, start, stop):
        within = re.search(r"Pasal\s+\d+[A-Z]?", m.group("between"))
        for new in _NEW_UNIT.findall(m.group("new")):
            inserted = new if new.startswith("Pasal") or within is None else f"{within.group()} {new}"
            yield node(inserted, "disisipkan", m)
    for m in _DELETED.finditer(text, start, stop):
        yield node(_unit_label(m.group("unit"), m.group("ayat")), "dihapus", m)


def _unit_label(unit: str, ayat: str | None) -> str:
    """'ayat (2) Pasal 15' is cited as 'Pasal 15 ayat (2)'."""
    return f"{unit} {ayat}" if ayat else unit


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


# A Menimbang clause opens with "bahwa" ("a. bahwa ...", or after a comma once OCR lost the letters).
_BAHWA = re.compile(r"(?<![\w.])(?:[a-z]\s*\.\s*)?bahwa\b")
# A clause ends at ';' or a full stop before a new line or sentence, or where a label or a numbered item starts.
_CLAUSE_END = re.compile(r";|\.(?=\s*\n|\s+[A-Z(]|\s*$)|^(?=Mengingat\b|\d{1,2}\s*\.\s)", re.M)
# The first legal basis: a numbered item, the constitution ("Pasal 18 ayat (6) Undang-Undang Dasar ...") or a
# regulation reference.
_LEGAL_BASIS = re.compile(
    r"^\d{1,2}\s*\.\s"
    r"|(?:Pasal\s+\d+[A-Z]?(?:\s+ayat\s+\(\w+\))?(?:\s*(?:,|dan)\s*(?:Pasal\s+\d+[A-Z]?|ayat\s+\(\w+\)))*\s+)?"
    r"Undang-Undang\s+Dasar\b"
    r"|(?<![\w-])(?:Undang-Undang|Peraturan|Keputusan|Instruksi)\b[^\n;]{0,120}?\bNomor\b",
    re.M,
)
_ITEM_MARK = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-z])\s*\.\s*$")
_LABEL_ONLY = re.compile(r"(?:^|\n)[ \t]*Menetapkan\s*:?\s*$")


def _konsiderans(text: str, start: int, body_start: int) -> list[tuple[str, int, int]]:
    """Menimbang, Mengingat and Menetapkan, placed by what they say rather than by their labels alone: OCR and
    two-column layouts print a label apart from its text, or all labels in a row ("Menimbang :\nMengingat :")."""
    decide = _first(_MARKERS["Menetapkan"], text, start, body_start)
    stop = body_start if decide is None else decide
    clauses = [m.start() for m in _BAHWA.finditer(text, start, stop)]
    if clauses:
        weighing: int | None = _labelled_start(text, "Menimbang", clauses[0], start)
        end = _CLAUSE_END.search(text, clauses[-1] + len("bahwa"), stop)
        basis_from = end.end() if end else stop
    else:
        weighing = _first(_MARKERS["Menimbang"], text, start, stop)
        basis_from = start if weighing is None else weighing
    basis = _LEGAL_BASIS.search(text, basis_from, stop)
    recalling = (_labelled_start(text, "Mengingat", _item_start(text, basis.start()), start) if basis
                 else _first(_MARKERS["Mengingat"], text, basis_from, stop))
    deciding = None if decide is None else _deciding_start(text, decide, recalling or weighing or start)
    found = sorted((pos, name) for name, pos in
                   (("Menimbang", weighing), ("Mengingat", recalling), ("Menetapkan", deciding)) if pos is not None)
    parts = []
    for n, (pos, name) in enumerate(found):
        stop_at = found[n + 1][0] if n + 1 < len(found) else body_start
        if stop_at > pos:
            parts.append((name, pos, _rstrip_end(text, pos, stop_at)))
    return parts


def _labelled_start(text: str, name: str, content: int, lo: int) -> int:
    """Where a part starts: at its label when the label stands right before the content, else at the content."""
    labels = list(_MARKERS[name].finditer(text, lo, content))
    if labels and re.fullmatch(r"[\s:]*", text[labels[-1].end() : content]):
        return labels[-1].end() - len(name)
    return content


def _item_start(text: str, pos: int) -> int:
    """Back over the item mark ("1. ", "a. ") that the content follows on its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    mark = _ITEM_MARK.search(text, line_start, pos)
    return mark.start() if mark else pos


def _deciding_start(text: str, decide: int, lo: int) -> int:
    """A 'Menetapkan' label printed alone just above MEMUTUSKAN belongs to the decision, not to Mengingat."""
    label = _LABEL_ONLY.search(text[lo:decide].rstrip())
    if not label:
        return decide
    return lo + label.start() + (text[lo + label.start()] == "\n")


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
    if amendment:
        _record_changes(text, roots)
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
    children = sorted([*h.changes, *(_to_node(c) for c in h.children)], key=lambda n: n.start)
    return OutlineNode(kind=h.kind, label=h.label, title=h.title, start=h.start, end=h.end, children=tuple(children))


def _outline(konsiderans, roots: list[_Heading], tail: list[OutlineNode]) -> list[OutlineNode]:
    nodes = []
    if konsiderans:
        nodes.append(OutlineNode(kind="konsiderans", label="Konsiderans", start=konsiderans[0][1],
                                 end=konsiderans[-1][2],
                                 children=tuple(OutlineNode(kind="konsiderans", label=name, start=s, end=e)
                                                for name, s, e in konsiderans)))
    return nodes + [_to_node(h) for h in roots] + tail


# ------------------------------------------------------------------------------------------ sections


@cache
def _ayat_pattern(n: int, inline: bool) -> re.Pattern[str]:
    # Tesseract turns "(2)" into "(21" or "l2l"; expecting a number keeps that from being read as ayat 21. Ayat
    # text starts with a capital: "(5) dituangkan" at a line start is a reference wrapped onto a new line.
    confusable = {"1": "[1lI|]", "0": "[0Oo]", "5": "[5S]"}
    digits = "".join(confusable.get(d, d) for d in str(n))
    opening = r"[(\[]" if inline else r"[(\[lI1|]"
    follows = r"[ \t]+(?=[A-Z])" if inline else r"(?!\s*[a-z])"
    return re.compile(rf"{opening}\s*{digits}\s*[)\]lI1|}}]{follows}")


# Where an ayat may open: at a line start, or after a full stop once cleaning joined it to the ayat before.
_INLINE_AYAT = re.compile(r"(?<=\.)[ \t]+(?=[(\[])")
_STRICT_AYAT = re.compile(r"\((\d{1,2})\)(?!\s*[a-z])")
# "1) Pemerintah ..." where the scan lost the opening bracket: an ayat only if a later "(2)" confirms it.
_OPENERLESS_AYAT = re.compile(r"(\d{1,2})\)(?!\s*[a-z])")


def _ayat_starts(text: str, pasal: _Heading) -> list[tuple[str, int]]:
    """(number, offset) of each ayat; a number may be skipped ("(2)" then "(4)"), never run backwards."""
    candidates = {(_skip_space(text, max(line.start, pasal.head_end), pasal.end), False)
                  for line in _lines(text, pasal.head_end, pasal.end)}
    candidates |= {(m.end(), True) for m in _INLINE_AYAT.finditer(text, pasal.head_end, pasal.end)}
    strict = [(pos, int(m.group(1))) for pos, inline in candidates
              if not inline and (m := _STRICT_AYAT.match(text, pos))]
    starts: list[tuple[str, int]] = []
    for pos, inline in sorted(candidates):
        last = int(re.match(r"\d+", starts[-1][0]).group()) if starts else 0
        number = _ayat_number(text, pos, inline, last, [m for p, m in strict if p > pos])
        if number:
            starts.append((number, pos))
    return starts


@cache
def _inserted_ayat(after: int) -> re.Pattern[str]:
    """An ayat an amendment inserted after ayat ``after``: "(2a)"."""
    return re.compile(rf"\(\s*{after}\s*([a-z])\s*\)(?!\s*[a-z])")


def _ayat_number(text: str, pos: int, inline: bool, last: int, later: list[int]) -> str | None:
    """The ayat opening at ``pos``, if any: the next number or the one after, given the ayat before."""
    if last and (m := _inserted_ayat(last).match(text, pos)):
        return f"{last}{m.group(1)}"
    for n in (last + 1, last + 2) if last else (1,):
        if _ayat_pattern(n, inline).match(text, pos):
            return str(n)
        bare = None if inline else _OPENERLESS_AYAT.match(text, pos)
        if bare and int(bare.group(1)) == n and any(m > n for m in later):
            return str(n)
    return None


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _ayat_sections(text: str, pasal: _Heading, path: tuple[str, ...]) -> list[Section]:
    starts = _ayat_starts(text, pasal)
    out = []
    for k, (n, begin) in enumerate(starts):
        stop = starts[k + 1][1] if k + 1 < len(starts) else pasal.end
        out.append(Section(path=(*path[:-1], f"{path[-1]} ayat ({n})"), start=begin,
                           end=_rstrip_end(text, begin, stop), kind="ayat"))
    return out


_ARTICLE_KINDS = {"pasal", "amendment_article", "amendment_item", "amended_pasal"}
_HEADING_KINDS = {"bab", "bagian", "paragraf"}


def _body_sections(text: str, headings: list[_Heading], parents: tuple[str, ...],
                   opening: int | None = None) -> Iterator[Section]:
    """``opening``: where the first heading's section starts when the parent's heading stands bare above it."""
    for n, h in enumerate(headings):
        path = (*parents, h.path_label)
        start = opening if n == 0 and opening is not None else h.start
        own_end = _rstrip_end(text, start, h.children[0].start) if h.children else h.end
        bare = h.kind in _ARTICLE_KINDS and bool(h.children) and not text[h.head_end : h.children[0].start].strip()
        if h.kind in _ARTICLE_KINDS:
            # A bare "Pasal I" (or "1. Ketentuan ... diubah:") travels with the article it introduces.
            if not bare:
                yield Section(path=path, start=start, end=own_end, kind="pasal")
            if not h.children:
                yield from _ayat_sections(text, h, path)
        elif h.kind in _HEADING_KINDS:
            # A heading passage cites the unit it heads; a BAB heading with its first Bagian's heading
            # right under it heads that Bagian too ("BAB III › Bagian Kesatu").
            yield Section(path=path, start=start, end=own_end, kind="heading")
        elif h.kind == "diktum":
            yield Section(path=(*parents, f"Diktum {h.label}"), start=start, end=h.end, kind="diktum")
        yield from _body_sections(text, h.children, path, start if bare else None)


def _merge_headings(sections: list[Section]) -> list[Section]:
    """Consecutive heading sections, each heading the next, become one passage named by the innermost."""
    out: list[Section] = []
    for s in sections:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == s.kind == "heading" and s.path[: len(prev.path)] == prev.path
                and prev.end <= s.start):
            out[-1] = s.model_copy(update={"start": prev.start})
        else:
            out.append(s)
    return out


def _sections(text, title, konsiderans, roots, tail, body_end) -> list[Section]:
    sections = []
    if title:
        first = len(text) - len(text.lstrip())
        stop = konsiderans[0][1] if konsiderans else title.end
        sections.append(Section(path=("Judul",), start=first, end=_rstrip_end(text, first, stop), kind="title"))
    sections += [Section(path=("Konsiderans", name), start=s, end=e, kind="konsiderans") for name, s, e in konsiderans]
    sections += _merge_headings(list(_body_sections(text, roots, ())))
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
        changed = {r.target.key for r in relations if r.kind in {"amends", "revokes"}}
        relations += [r for r in _preamble_references(text, own, region, roots, gazetteer, refs)
                      if r.target.key not in changed]
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


# Where one legal basis ends and the next begins: a ';', a numbered item, or (when OCR lost the numbers)
# "...Nomor 3602), Undang-Undang ...".
_ITEM_BREAK = re.compile(r";|^\s*\d{1,2}\s*\.\s|(?<=\)),\s+(?=(?:Undang-Undang|Peraturan|Keputusan|Instruksi)\b)", re.M)
_EVIDENCE_CHARS = 500
# "diubah dengan Peraturan Wali Kota:\na. Nomor 53 Tahun 2022 ..., dan\nb. Nomor 28 Tahun 2023": one instrument
# named for a list of numbers.
_SHARED_JENIS = re.compile(
    r"\b(?P<jenis>(?:Peraturan|Keputusan)(?:\s+[A-Z][a-z]+){1,4})\s*:\s*(?=[a-z]\s*\.\s*Nomor\b)"
)
_LISTED_NOMOR = re.compile(r"\s*[a-z]\s*\.\s*(?P<ref>Nomor\s+\S+\s+Tahun\s+\d{4})[^\n]*")


def _cites(text, own, region, konsiderans, gazetteer, parse_refs) -> list[RegulationRelation]:
    """Every regulation the Mengingat names, however its items are (or are not, after OCR) numbered."""
    out = []
    for name, start, end in konsiderans:
        if name == "Mengingat":
            out += _references(text[start:end], own, region, gazetteer, parse_refs)
    return out


def _references(passage: str, own: RegulationRef, region: Region | None, gazetteer: Gazetteer,
                parse_refs: Callable[..., list[RegulationMention]]) -> list[RegulationRelation]:
    out = []
    for mention in parse_refs(passage, gazetteer, default_region=region):
        out.append(RegulationRelation(kind="cites", source=own, target=mention.ref,
                                      evidence=_evidence(passage, mention.start)))
    for shared in _SHARED_JENIS.finditer(passage):
        pos = shared.end()
        while item := _LISTED_NOMOR.match(passage, pos):
            for mention in parse_refs(f"{shared.group('jenis')} {item.group('ref')}", gazetteer, default_region=region):
                out.append(RegulationRelation(kind="cites", source=own, target=mention.ref,
                                              evidence=_collapse(item.group())))
            pos = item.end()
    return out


def _evidence(passage: str, pos: int) -> str:
    """The legal-basis item around ``pos``."""
    breaks = [m for m in _ITEM_BREAK.finditer(passage) if m.group() or m.start() != pos]
    begin = max((m.end() for m in breaks if m.end() <= pos), default=0)
    stop = next((m.start() for m in breaks if m.start() > pos), len(passage))
    return _collapse(passage[begin:stop])[:_EVIDENCE_CHARS]


def _preamble_references(text: str, own: RegulationRef, region: Region | None, roots: list[_Heading],
                         gazetteer: Gazetteer, parse_refs: Callable[..., list[RegulationMention]],
                         ) -> list[RegulationRelation]:
    """The regulations an amending article names before its changes: the amended one and its earlier
    amendments ("yang telah beberapa kali diubah terakhir dengan Peraturan Wali Kota Nomor 28 Tahun 2023")."""
    out = []
    for h in roots:
        if h.kind == "amendment_article":
            preamble = text[h.head_end : h.children[0].start if h.children else h.end]
            out += _references(preamble, own, region, gazetteer, parse_refs)
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
        "amended_pasal": [n.label for n in nodes if n.kind == "amended_pasal"],
        "amendment_changes": [(n.label, n.title) for n in amendment_changes(doc)],
        "diktum": [n.label for n in nodes if n.kind == "diktum"],
        "lampiran": sum(n.kind == "lampiran" for n in nodes),
        "penjelasan": sum(n.kind == "penjelasan" for n in nodes),
    }


def amendment_changes(doc: LegalDocument) -> list[OutlineNode]:
    """The amended regulation's units this one changes: label 'Pasal 11', title 'diubah' | 'disisipkan' |
    'dihapus', offsets of the directive. The amended regulation is the target of ``doc``'s amends relation."""
    return [n for n in _walk_nodes(doc.outline) if n.kind == "amendment_change"]


def _walk_nodes(nodes: Sequence[OutlineNode]) -> Iterator[OutlineNode]:
    for node in nodes:
        yield node
        yield from _walk_nodes(node.children)
