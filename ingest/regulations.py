"""Regulation references in running text, English or Indonesian, read into normal form.

"Mayor's Regulation 31/2020", "Peraturan Wali Kota Balikpapan Nomor 31 Tahun 2020" and
"PERATURAN WALIKOTA BALIKPAPAN NOMOR  31  TAHUN 2020" are one RegulationRef: Perwali, Kota Balikpapan,
number '31', year 2020.

The issuing region of a local instrument (Perda, Perwali, Perbup, Pergub, Kep*) is taken from, in order:
1. the reference itself: "Peraturan Wali Kota Balikpapan ...", "Malang City Mayor Regulation ...";
2. the table column it sits in, when a tab- or pipe-separated table names one city per column;
3. the nearest region named before it in its paragraph (a paragraph that starts in lower case is the
   continuation of the previous one, broken by PDF extraction);
4. ``default_region`` (the document's own city).
A region is only taken when its kind fits the instrument (a Perwali is a kota's); a bare name adapts
("Malang Regent Regulation" is Kabupaten Malang's). National instruments never get a region.

The constitution has no number: "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945" is UUD, number '',
year 1945. A PDF's text layer may split a word of the instrument's name ("Un dang-Undang Nomor 12 Tahun
2011", "Peraturan Pe merintah"); such a name is still read, and its surface keeps the split as written.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from core.gazetteer import Gazetteer, trie_pattern
from core.legal_patterns import (
    INSTRUMENTS,
    NUMBER_WORD,
    PHRASES,
    YEAR_WORD,
    Issuer,
    agency_instrument,
    instrument_named,
)
from core.types import CityMention, Region, RegulationMention, RegulationRef

log = logging.getLogger(__name__)

_PHRASE_SPELLINGS = {s for ps in PHRASES.values() for p in ps for s in (p, p.replace("'", "\u2019"))}

_WS = r"[^\S\n]*(?:\n[^\S\n]*)?"  # spaces with at most one line break: a reference never spans paragraphs
_MARKER = rf"{NUMBER_WORD}(?:\.|(?![a-z]))"
# A Keputusan's number may open with its series letters: "B/430/II.02/HK/TUBABA/2018", "KEP/028/II/2006".
_NUMBER = (r"(?:(?-i:[A-Z]{1,5})[^\S\n]*/[^\S\n]*)?\d+(?:[.\-]\d+)*"
           r"(?:[^\S\n]*/[^\S\n]*(?!(?:19|20)\d\d(?!\w))[A-Za-z0-9][A-Za-z0-9.\-]*(?<![.\-]))*")
_YEAR = rf"(?P<ysep>{_WS},?{_WS}{YEAR_WORD}\.?(?![a-z]){_WS}|[^\S\n]*/[^\S\n]*)(?P<year>(?:19|20)\d\d)(?!\d)"

_INSTRUMENT_RE = re.compile(
    rf"(?<!\w)(?P<phrase>{trie_pattern(_PHRASE_SPELLINGS)})(?!\w)", re.IGNORECASE
)
_GAP_WORD = rf"(?!{_MARKER}|(?:tentang|concerning|regarding|about|on)\b)(?:(?-i:[A-Z][\w.'\u2019/&-]*)|dan|and|of|the)"
_TAIL_RE = re.compile(
    rf"(?P<gap>(?:[^\S\n]*\((?-i:[A-Z][A-Za-z]{{1,12}})\))?(?:(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*){_GAP_WORD}){{0,10}})"
    rf"{_WS}[,:]?{_WS}(?:(?P<marker>{_MARKER}){_WS}[:.]?{_WS})?"
    rf"(?P<num>{_NUMBER})(?:{_YEAR})?",
    re.IGNORECASE,
)
_MORE_RE = re.compile(
    rf"{_WS}(?:,|(?:,{_WS})?(?:and|dan|serta|&)(?!\w)){_WS}(?:{_MARKER}{_WS}[:.]?{_WS})?(?P<num>{_NUMBER}){_YEAR}",
    re.IGNORECASE,
)
_COLON_SUBJECT_RE = re.compile(r"[^\S\n]*:[^\S\n]*(?P<subject>[^\n\t(\u2022;:]{2,200}?)[^\S\n]*(?=[\n\t(\u2022;]|$)")
_ABOUT_RE = re.compile(r"[^\S\n]*,?\s*(?:tentang|concerning|regarding|on|about)(?!\w)\s*", re.IGNORECASE)
_CONNECTORS = frozenset({
    "dan", "atau", "di", "ke", "dari", "yang", "untuk", "serta", "pada", "atas", "dalam", "bagi", "oleh", "dengan",
    "sebagai", "antara", "tentang", "melalui",
    "of", "and", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with", "or", "concerning", "regarding",
    "&", "-", "/",
})
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_SUBJECT_END = re.compile(r"\n[^\S\n]*\n|\bDENGAN\s+RAHMAT\b")  # a title block's subject ends at the preamble
# "Perundang- undangan": the layout split a hyphenated word, whose second part is no new (lower-case) word.
_HYPHEN_SPLIT = re.compile(r"(?<=\w)-[^\S\n]*\n?[^\S\n]*(?=[a-z])")
_AMENDS_TAIL = re.compile(r"(?:atas|terhadap|to|of|amending)\s*$", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d*"

# Between the words of a name, as the gazetteer's names allow: "Undang -Undang", "Undang-\nUndang".
_NAME_SEP = r"(?=[\s-])[^\S\n]*\n?[^\S\n]*-?[^\S\n]*"
_REPUBLIC = rf"Republi[ck]{_WS}(?:of{_WS})?[Il]ndonesia"
_CONSTITUTION_RE = re.compile(
    rf"(?<!\w)(?=[uc1])(?:"
    rf"(?:Undang{_NAME_SEP}Undang{_WS}Dasar(?:{_WS}Negara{_WS}{_REPUBLIC})?|UUD(?:{_WS}NRI)?)"
    rf"{_WS}(?:,{_WS})?(?:Tahun{_WS})?1945(?!\d)"
    rf"|1945{_WS}Constitution(?:{_WS}of{_WS}the{_WS}{_REPUBLIC})?(?!\w)"
    rf"|Constitution{_WS}of{_WS}the{_WS}{_REPUBLIC}{_WS}(?:of{_WS})?1945(?!\d))",
    re.IGNORECASE,
)
# Inside a word a justified PDF line may put a space or a line break ("Un dang-Undang", "Pe merintah").
_WORD_SPLIT = r"(?:[^\S\n]+\n?|\n)[^\S\n]*"
_SPLIT_PART = 2  # letters each part keeps at least; shorter words are never taken for split ones
# Only the Indonesian names are written out in full, which is where PDFs split them.
_FIRST_WORDS = ("undang", "peraturan", "keputusan", "instruksi")


def _split_word(word: str) -> str:
    forms = [re.escape(word)]
    forms += [re.escape(word[:i]) + _WORD_SPLIT + re.escape(word[i:]) for i in range(_SPLIT_PART, len(word) - 1)]
    return "(?:" + "|".join(forms) + ")"


def _split_names() -> str:
    """Every Indonesian name, each word written whole or split, grouped by first word; longest first, so that
    the longest name wins where several start alike."""
    groups = []
    for first in _FIRST_WORDS:
        rests = sorted({p.split(first, 1)[1] for ps in PHRASES.values() for p in ps
                        if re.match(rf"{first}[\s-]", p)}, key=len, reverse=True)
        tails = "|".join(_NAME_SEP.join(_split_word(w) for w in re.split(r"[\s-]+", rest.strip(" -")))
                         for rest in rests)
        groups.append(f"{_split_word(first)}{_NAME_SEP}(?:{tails})")
    return "|".join(groups)


_SPLIT_INSTRUMENT_RE = re.compile(rf"(?<!\w)(?=[ukpi])(?P<phrase>{_split_names()})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Phrase:
    """An instrument's name as written, where it starts a reference."""

    start: int
    end: int
    text: str
    constitution: bool = False


@dataclass(frozen=True)
class _Found:
    instrument: str
    start: int
    end: int
    number: str
    year: int | None
    gap: tuple[int, int]


def parse_regulation_refs(
    text: str, gazetteer: Gazetteer, default_region: Region | None = None
) -> list[RegulationMention]:
    """Every regulation referred to in the text, in order, with offsets such that text[start:end] is its surface."""
    places = _Places(text, gazetteer)
    found: list[_Found] = []
    for phrase in _phrases(text):
        if found and phrase.start < found[-1].end:
            continue
        found.extend(_constitution(phrase) if phrase.constitution else _read_reference(text, phrase))
    starts_regions = [_issuer_of(hit, places, default_region) for hit in found]
    for n in range(1, len(found)):
        # "Perda Provinsi Sulawesi Selatan Nomor 7 Tahun 2015 tentang Perubahan atas Peraturan Daerah Nomor 10
        # Tahun 2008": an issuer amends only its own instruments, so the amended one is the province's too.
        prev, hit = found[n - 1], found[n]
        if prev.instrument == hit.instrument and _AMENDS_BETWEEN.fullmatch(text, prev.end, hit.start) \
                and not _names_region(text, hit):
            starts_regions[n] = (starts_regions[n][0], starts_regions[n - 1][1])
    starts = [start for start, _ in starts_regions]
    out: list[RegulationMention] = []
    for index, (hit, (start, region)) in enumerate(zip(found, starts_regions, strict=True)):
        ref = RegulationRef(
            instrument=hit.instrument, number=hit.number, year=hit.year,
            region_code=region.code if region else None, region_name=region.official if region else None,
            subject=_subject(text, hit.end, starts[index + 1 :]), surface=text[start : hit.end],
        )
        out.append(RegulationMention(ref=ref, start=start, end=hit.end))
    return out


_AMENDS_BETWEEN = re.compile(r"\s*tentang\s+Perubahan(?:\s+(?:Kedua|Ketiga|Keempat|Kelima))?\s+atas\s*", re.I)


def _names_region(text: str, hit: _Found) -> bool:
    """Whether the reference itself names a place ("Peraturan Daerah Kabupaten Pinrang Nomor …")."""
    return bool(re.search(r"\b(?:Kota|Kabupaten|Kab\.|Provinsi|Prov\.)\s", text[hit.gap[0] : hit.gap[1]], re.I))


def _issuer_of(hit: _Found, places: _Places, default_region: Region | None) -> tuple[int, Region | None]:
    issuer = INSTRUMENTS[hit.instrument].issuer if hit.instrument in INSTRUMENTS else "national"
    if issuer == "national":
        return hit.start, None
    return places.region_for(hit, issuer, default_region)


# ---------------------------------------------------------------------------------------- the reference


def _phrases(text: str) -> list[_Phrase]:
    """Instrument names in text order: of the names starting at one place the longest, none inside another."""
    found = [_Phrase(m.start(), m.end(), m.group("phrase"))
             for pattern in (_INSTRUMENT_RE, _SPLIT_INSTRUMENT_RE) for m in pattern.finditer(text)]
    found += [_Phrase(m.start(), m.end(), m.group(), constitution=True) for m in _CONSTITUTION_RE.finditer(text)]
    out: list[_Phrase] = []
    for phrase in sorted(found, key=lambda p: (p.start, -p.end)):
        if not out or phrase.start >= out[-1].end:
            out.append(phrase)
    return out


def _constitution(phrase: _Phrase) -> list[_Found]:
    """UUD 1945: named, never numbered."""
    return [_Found("UUD", phrase.start, phrase.end, "", 1945, (phrase.end, phrase.end))]


def _read_reference(text: str, m: _Phrase) -> list[_Found]:
    """The reference an instrument phrase opens, and the ones listed after it ('Regulations 31/2020 and 14/2022')."""
    instrument = instrument_named(m.text)
    if instrument is None:
        return []
    tail = _TAIL_RE.match(text, m.end)
    if tail is None:
        return []
    gap_text = tail.group("gap")
    has_gap = bool(re.sub(r"\([^)]*\)", "", gap_text).strip())
    if tail.group("marker") is None and (tail.group("year") is None or has_gap):
        return []  # without "Nomor"/"No." only "<number>/<year>" or "<number> Tahun <year>" is a reference
    if instrument in ("agency", "agency decree"):
        instrument = agency_instrument("Peraturan" if instrument == "agency" else "Keputusan Kepala", gap_text)
        if instrument is None:
            return []
    gap = (tail.start("gap"), tail.end("gap"))
    out = [_Found(instrument, m.start, tail.end(), _number(tail.group("num")), _year(tail.group("year")), gap)]
    pos = tail.end()
    while tail.group("year") and (more := _MORE_RE.match(text, pos)):
        out.append(_Found(instrument, more.start("num"), more.end(), _number(more.group("num")),
                          _year(more.group("year")), gap))
        pos = more.end()
    return [f for f in out if f.year is None or 1945 <= f.year <= 2100]


def _number(raw: str) -> str:
    number = re.sub(r"\s*/\s*", "/", raw.strip())
    head, slash, rest = number.partition("/")
    if head.isdigit():
        head = head.lstrip("0") or "0"
    return head + slash + rest


def _year(raw: str | None) -> int | None:
    return int(raw) if raw else None


# ---------------------------------------------------------------------------------------- the subject


def _subject(text: str, pos: int, following: list[int]) -> str | None:
    """'Mayor's Regulation 31/2020: Implementation of SPBE (...)' or '... tentang Satu Data Indonesia memberikan'."""
    colon = _COLON_SUBJECT_RE.match(text, pos)
    if colon:
        return _tidy(colon.group("subject"))
    about = _ABOUT_RE.match(text, pos)
    if about is None:
        return None
    begin = about.end()
    window = text[begin : min(_subject_limit(text, begin, following), begin + 400)]
    words = re.findall(r"\S+", _HYPHEN_SPLIT.sub("-", _SUBJECT_END.split(window, 1)[0]))
    caps = bool(words) and _is_caps(words[0])
    kept: list[str] = []
    for n, word in enumerate(words):
        bare = word.strip(_QUOTES)
        core = bare.rstrip(",.;:")
        if word.startswith("(") or not _title_word(core, caps):
            break
        kept.append(core)
        ending = bare[len(core) :]
        if "." in ending or ";" in ending:
            break
        if "," in ending:
            after = [w.strip(_QUOTES) for w in words[n + 1 : n + 3]]
            if after and after[0].lower() in {"and", "dan", "or", "atau", "serta"}:
                after = after[1:]
            if not after or not after[0][:1].isupper():
                break  # in running text a comma and a lower-case word end the title
            kept[-1] = core + ","
    return _tidy(" ".join(kept))


def _subject_limit(text: str, begin: int, following: list[int]) -> int:
    """A subject ends where the next reference begins, unless it names what it amends ('Perubahan atas ...')."""
    for start in following:
        if start >= begin and not _AMENDS_TAIL.search(text, begin, start):
            return start
    return len(text)


def _title_word(word: str, caps: bool) -> bool:
    if word[:1].isdigit() or word.lower() in _CONNECTORS:
        return True
    if caps:
        return _is_caps(word)
    return word[:1].isupper() or bool(re.match(r"[a-z]{1,2}-[A-Z]", word))  # "e-Government"


def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _tidy(subject: str) -> str | None:
    words = " ".join(subject.split()).strip(" ,.;:-").split(" ")
    while words and words[0].lower() in {"the", "a", "an"}:
        words.pop(0)
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    return " ".join(words) or None


# ---------------------------------------------------------------------------------------- the issuer


class _Places:
    """The regions named in a text, and the context rules that give a local instrument its issuer."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.text = text
        self.gazetteer = gazetteer
        self.mentions: list[CityMention] = gazetteer.city_mentions(text)
        self.starts = [m.start for m in self.mentions]
        self.breaks = [(b.start(), b.end()) for b in _PARAGRAPH_BREAK.finditer(text)]

    def region_for(self, hit: _Found, issuer: Issuer, default: Region | None) -> tuple[int, Region | None]:
        """(start of the reference, issuing region): a region written just before it joins its surface."""
        stated = self._in_reference(hit, issuer)
        if stated is not None:
            return hit.start, stated
        before = self._just_before(hit.start, issuer)
        if before is not None:
            return before
        region = self._table_column(hit.start, issuer) or self._paragraph(hit.start, issuer)
        if region is None and default is not None:
            region = default if self._fits(default, issuer, bare=False) else None
        return hit.start, region

    def _fits(self, region: Region, issuer: Issuer, *, bare: bool) -> Region | None:
        if issuer in ("local", "national") or region.kind == issuer:
            return region
        return self.gazetteer.same_name(region, issuer) if bare else None

    def _fit_mention(self, mention: CityMention, issuer: Issuer) -> Region | None:
        return self._fits(mention.region, issuer, bare=self.gazetteer.is_bare(mention.surface))

    def _in_reference(self, hit: _Found, issuer: Issuer) -> Region | None:
        """'Peraturan Wali Kota Balikpapan', 'Perda Kota Singkawang', 'Keputusan Gubernur Kalimantan Barat'."""
        gap_start, gap_end = hit.gap
        i = bisect.bisect_left(self.starts, hit.start - 60)
        for mention in self.mentions[i:]:
            if mention.start >= gap_end:
                break
            if mention.end > gap_start:
                region = self._fit_mention(mention, issuer)
                if region is not None:
                    return region
        return None

    def _just_before(self, start: int, issuer: Issuer) -> tuple[int, Region] | None:
        """'Malang City Mayor Regulation', "Balikpapan City's Mayor's Regulation", 'Banyuwangi Regent Regulation'."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        mention = self.mentions[i]
        if mention.end > start or not re.fullmatch(r"(?:['\u2019]s)?[^\S\n]+", self.text[mention.end : start]):
            return None
        region = self._fit_mention(mention, issuer)
        return (mention.start, region) if region is not None else None

    def _table_column(self, start: int, issuer: Issuer) -> Region | None:
        """In a table whose header row names one city per column, a reference belongs to its column's city."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", start)
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        sep = "\t" if "\t" in line else "|" if line.count("|") >= 2 else None
        if sep is None:
            return None
        column = self.text.count(sep, line_start, start)
        end = line_start - 1
        for _ in range(60):
            if end <= 0:
                break
            begin = self.text.rfind("\n", 0, end) + 1
            row = self.text[begin:end]
            if sep not in row and len(row) > 200:
                break  # back in running prose: no header above this table row
            header = self._header(begin, row, sep)
            if header is not None:
                region = header[column] if column < len(header) else None
                return self._fits(region, issuer, bare=False) if region is not None else None
            end = begin - 1
        return None

    def _header(self, begin: int, row: str, sep: str) -> list[Region | None] | None:
        """The row's city per cell, when at least two cells are each nothing but a region's name."""
        if sep not in row:
            return None
        cells: list[Region | None] = []
        offset = begin
        for cell in row.split(sep):
            cells.append(self._whole_cell(offset, offset + len(cell)))
            offset += len(cell) + 1
        return cells if sum(c is not None for c in cells) >= 2 else None

    def _whole_cell(self, start: int, end: int) -> Region | None:
        i = bisect.bisect_left(self.starts, start)
        inside = [m for m in self.mentions[i:] if m.start < end and m.end <= end]
        content = self.text[start:end].strip(" *|:")
        if len(inside) == 1 and inside[0].surface.strip() == content:
            return inside[0].region
        return None

    def _paragraph(self, start: int, issuer: Issuer) -> Region | None:
        """The nearest fitting region named before the reference in its paragraph."""
        begin = self._paragraph_start(start)
        i = bisect.bisect_right(self.starts, start) - 1
        while i >= 0 and self.mentions[i].start >= begin:
            mention = self.mentions[i]
            # A Perda cited near "East Kalimantan" and "Balikpapan City" is rarely the province's.
            if mention.end <= start and not (issuer == "local" and mention.region.kind == "provinsi"):
                region = self._fit_mention(mention, issuer)
                if region is not None:
                    return region
            i -= 1
        return None

    def _paragraph_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.breaks, (pos, pos))
        begin = 0
        for _ in range(4):  # a paragraph opening in lower case was broken off the one before it
            i -= 1
            if i < 0:
                return 0
            begin = self.breaks[i][1]
            if not self.text[begin : begin + 1].islower():
                return begin
        return begin
