"""What a development plan is (RPJPD, RPJMD, RKPD, Renstra, Renja), of which region and period, read from its
cover and first pages; and its chapters (BAB I–IX), read from the pages they open."""

from __future__ import annotations

import re

from core.gazetteer import Gazetteer
from core.legal_patterns import PAGE_LABEL, SMALL_ROMAN_LETTER, chapter_heading, roman_value, to_roman
from core.types import CleanDocument, PassageKind, PlanKind, PlanRef, RegulationRef, Section
from ingest.legal.title import parse_title

# A plan names itself on its cover; the first pages are enough and keep a cited RPJMD in a paper's body from
# making the paper a plan.
_HEAD_CHARS = 4000
_KINDS: tuple[tuple[PlanKind, re.Pattern[str]], ...] = (
    ("RPJPD", re.compile(r"\bRPJPD\b|Rencana\s+Pembangunan\s+Jangka\s+Panjang\s+Daerah", re.IGNORECASE)),
    ("RPJMD", re.compile(r"\bRPJMD\b|Rencana\s+Pembangunan\s+Jangka\s+Menengah\s+Daerah", re.IGNORECASE)),
    ("Renstra", re.compile(r"\bRenstra\b|Rencana\s+Strategis", re.IGNORECASE)),
    ("Renja", re.compile(r"\bRenja\b|Rencana\s+Kerja\s+(?!Pemerintah)", re.IGNORECASE)),
    ("RKPD", re.compile(r"\bRKPD\b|Rencana\s+Kerja\s+Pemerintah\s+Daerah", re.IGNORECASE)),
)
_PERIOD = re.compile(r"(?:Tahun|Periode|TA\.?)?\s*(20\d\d|19\d\d)\s*(?:[-–—]|s\.?d\.?|sampai(?:\s+dengan)?)\s*"
                     r"(20\d\d|19\d\d)", re.IGNORECASE)
_ONE_YEAR = re.compile(r"\b(?:Tahun|TA\.?|Tahun\s+Anggaran)\s+(20\d\d|19\d\d)\b", re.IGNORECASE)
# An RKPD or a Renja plans one year; a longer period on its first pages is the RPJMD or Renstra it serves.
_ONE_YEAR_KINDS: tuple[PlanKind, ...] = ("RKPD", "Renja")
# How far after a plan's name its year may come ("(RKPD) Kota Semarang Tahun 2016").
_NAME_TO_YEAR = 60
_AMENDMENT = re.compile(r"\bPerubahan(?:\s+(Kedua|Ketiga|Keempat|Pertama))?\b", re.IGNORECASE)
# The Perangkat Daerah a Renstra belongs to, as its title names it: "Rencana Strategis Bappeda Kota Semarang".
_AGENCY = re.compile(r"(?:Renstra|Rencana\s+Strategis|Renja|Rencana\s+Kerja)\s+(?:Perangkat\s+Daerah\s+)?"
                     r"((?:Badan|Dinas|Bappeda|Inspektorat|Sekretariat|Satuan|Kantor|Bagian|Kecamatan|RSUD)"
                     r"[A-Za-z ,&]*?)\s+(?=Kota|Kabupaten|Provinsi|Tahun|\d)", re.IGNORECASE)

# A chapter as a plan's page opens with it, letter-spaced as many print it ("B A B I I"); its number is checked
# against the chapter expected next.
_CHAPTER = re.compile(
    r"\b" + chapter_heading(rf"(?:{SMALL_ROMAN_LETTER} ?){{1,5}}", word="B ?A ?B", gap=r"\s+") + "(?![a-z])"
)
# A chapter's title as the table of contents gives it, up to its leaders or page label.
_CHAPTER_TITLE = re.compile(
    r"\b" + chapter_heading(rf"{SMALL_ROMAN_LETTER}{{1,5}}", gap=r"\s+")
    + rf"\.?\s+([A-Z][A-Z0-9 ,\-–&/]{{3,120}}?)(?=\s*(?:\.{{3,}}|-{{3,}}|…|\n|\s{PAGE_LABEL}|$))"
)
_LEADERS = re.compile(r"\.{5,}|-{5,}|…{2,}")
# A chapter opens its page: the running header and page label may come first, never a paragraph.
_CHAPTER_WINDOW = 300


def enacting_regulation(clean: CleanDocument, gazetteer: Gazetteer) -> RegulationRef | None:
    """The regulation a plan is published as the annex of, from the title its cover page opens with ("PERATURAN
    WALIKOTA SEMARANG NOMOR 28 TAHUN 2016 TENTANG PERUBAHAN ATAS … RKPD …"), when the text carries none of a
    regulation's body (konsiderans, articles) to parse: it is the plan's identity as an instrument, so a question
    naming "Perwal Semarang 28/2016" finds the plan, and one asking which regulation enacts it reads its cover."""
    if not clean.pages:
        return None
    cover = clean.text[clean.pages[0].start : clean.pages[0].end]
    title = parse_title(cover, gazetteer, None)
    ref = title.ref if title is not None else None
    return ref if ref is not None and ref.number and ref.year else None


def plan_kind(text: str) -> PlanKind | None:
    """The kind of plan a document's cover names, the first that appears there (an RKPD cites the RPJMD it
    implements further down, so position decides, not the list order)."""
    head = text[:_HEAD_CHARS]
    found = [(m.start(), kind) for kind, pattern in _KINDS if (m := pattern.search(head))]
    return min(found)[1] if found else None


def _year_after_name(head: str, kind: PlanKind) -> int | None:
    """The year written after a one-year plan's name ("Rencana Kerja Pemerintah Daerah Kabupaten Pinrang Tahun
    2019"), the first time the head names it with one."""
    pattern = dict(_KINDS)[kind]
    for name in pattern.finditer(head):
        if year := _ONE_YEAR.search(head[name.end() : name.end() + _NAME_TO_YEAR]):
            return int(year.group(1))
    return None


def read_plan_identity(text: str, gazetteer: Gazetteer) -> PlanRef | None:
    """The plan's identity from its first pages, or None when the document is not a plan."""
    kind = plan_kind(text)
    if kind is None:
        return None
    head = text[:_HEAD_CHARS]
    mentions = [m for m in gazetteer.city_mentions(head) if m.region.kind != "provinsi"]
    if not mentions:
        mentions = gazetteer.city_mentions(head)
    region = mentions[0].region if mentions else None
    start = end = None
    if kind in _ONE_YEAR_KINDS and (named_year := _year_after_name(head, kind)):
        start = end = named_year  # "RKPD … Tahun 2019", though it cites the "RPJMD … Tahun 2014-2019" it serves
    elif period := _PERIOD.search(head):
        start, end = int(period.group(1)), int(period.group(2))
    elif year := _ONE_YEAR.search(head):
        start = end = int(year.group(1))
    amendment = None
    if (found := _AMENDMENT.search(head)) and found.start() < 1500:
        amendment = f"Perubahan {found.group(1).capitalize()}" if found.group(1) else "Perubahan"
    agency = None
    if kind in ("Renstra", "Renja") and (named := _AGENCY.search(head)):
        agency = " ".join(named.group(1).split())
    return PlanRef(kind=kind, region_code=region.code if region else None,
                   region_name=region.official if region else None, period_start=start, period_end=end,
                   agency=agency, amendment=amendment)


def _chapter_titles(text: str) -> dict[int, str]:
    """Chapter titles as the table of contents or the 'sistematika' list give them ('BAB IV TUJUAN DAN SASARAN')."""
    titles: dict[int, str] = {}
    for match in _CHAPTER_TITLE.finditer(text):
        titles.setdefault(roman_value(match.group(1)), " ".join(match.group(2).split()).strip(" -–"))
    return titles


def find_chapters(clean: CleanDocument) -> list[Section]:
    """BAB I, II, III ... in order, each from the page it opens to the next chapter. A heading counts only at the
    top of a page and in sequence, so the table of contents and the 'sistematika' list (which name every
    chapter, with leaders or a description) are not taken for chapters."""
    text = clean.text
    starts: list[tuple[int, int]] = []
    expected = 1
    for page in clean.pages:
        window = text[page.start:min(page.end, page.start + _CHAPTER_WINDOW)]
        match = _CHAPTER.search(window)
        if match is None or roman_value(match.group(1).replace(" ", "")) != expected:
            continue
        after = text[page.start + match.end():page.start + match.end() + _CHAPTER_WINDOW]
        if _LEADERS.search(after) or re.match(r"\s*\S+\s+berisi\b", after, re.IGNORECASE):
            continue
        starts.append((expected, page.start + match.start()))
        expected += 1
    titles = _chapter_titles(text)
    sections = []
    for i, (number, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        label = f"BAB {to_roman(number)}"
        if number in titles:
            label = f"{label} {titles[number]}"
        sections.append(Section(path=(label,), start=start, end=end, kind=PassageKind.HEADING))
    return sections


# A page label ('IV-1', 'II-22', 'III.8'): a heading holding one is the running header printed on every page.
_PAGE_LABEL = re.compile(rf"(?<![\w.]){PAGE_LABEL}(?![\w.])")


def _not_a_heading(part: str) -> bool:
    """A heading the outline finder took from a chapter's text that is no heading of it: a chapter line (the
    chapter itself, or the 'sistematika' list naming every chapter, which would otherwise head all the text after
    it) or the running header with its page label."""
    return bool(_CHAPTER.match(part.strip()) or _PAGE_LABEL.search(part))


def nest_in_chapters(chapters: list[Section], sections: list[Section]) -> list[Section]:
    """The document's sections (numbered headings found by ``find_sections``) cut at each chapter start, with
    the chapter first in their path; text before the first chapter (cover, foreword, contents) keeps its own
    path. Text no section covers inside a chapter becomes a section of the chapter itself."""
    if not chapters:
        return sections
    cuts = sorted({c.start for c in chapters})
    out: list[Section] = []
    for section in sections:
        bounds = [section.start, *(c for c in cuts if section.start < c < section.end), section.end]
        for start, end in zip(bounds, bounds[1:], strict=False):
            chapter = next((c for c in chapters if c.start <= start < c.end), None)
            own = tuple(part for part in section.path if not _not_a_heading(part))
            path = section.path if chapter is None else (*chapter.path, *own)
            out.append(section.model_copy(update={"path": path, "start": start, "end": end}))
    covered = sorted((s.start, s.end) for s in out)
    for chapter in chapters:
        first = min((s for s, _ in covered if chapter.start <= s < chapter.end), default=chapter.end)
        if first > chapter.start:
            out.append(chapter.model_copy(update={"end": first}))
    return sorted(out, key=lambda s: (s.start, s.end))
