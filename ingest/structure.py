"""Find the headed sections of a paper, plan or report (regulations go through ``ingest.legal``).

Main headings are recognised by name (ABSTRACT, PENDAHULUAN, METODE PENELITIAN, HASIL DAN
PEMBAHASAN, DAFTAR PUSTAKA ...) or as "BAB I ..." chapters, whatever their markup, because markup
levels are unreliable in converted papers ("## Pendahuluan" next to "### Metode Penelitian").
Everything between two main headings may hold subheadings: numbered ("3.1 Data"), markdown
("#### Bentuk ..."), bold lines, or short title-case lines standing alone before a paragraph.

Sections are leaves: they do not overlap, follow each other in order and carry the full heading
path, e.g. ("RESULTS AND DISCUSSION", "Regulation: Two Faces of Implementation ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.legal_patterns import SMALL_ROMAN_LETTER, chapter_heading, roman_value
from core.types import PassageKind, Section
from ingest.cleaning import BULLET

MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16
# Share of a heading's longer words that must be capitalised for a plain line to count as a title.
TITLE_CASE_SHARE = 0.6

_KNOWN = re.compile(
    r"abstra(?:ct|k)|introduction|pendahuluan|latar belakang|background"
    r"|literature review|tinjauan pustaka|kajian pustaka|kajian teori(?:tis)?|landasan teori|tinjauan teori(?:tis)?"
    r"|theoretical (?:framework|background)|(?:research |materials and )?methods?|(?:research )?methodology"
    r"|metode(?: penelitian)?|metodologi(?: penelitian)?|research design"
    r"|results?(?: and discussions?)?|discussions?|findings(?: and discussions?)?"
    r"|hasil(?: penelitian)?(?: dan pembahasan)?|pembahasan"
    r"|conclusions?(?: and (?:recommendations?|suggestions?|implications?))?|kesimpulan(?: dan saran)?|simpulan"
    r"|penutup|saran|recommendations?|acknowledge?ments?|ucapan terima kasih"
    r"|references|bibliography|daftar pustaka|daftar referensi|referensi",
    re.IGNORECASE,
)
_REFERENCES = re.compile(r"references|bibliography|daftar pustaka|daftar referensi|referensi", re.IGNORECASE)
_MARKDOWN = re.compile(r"(#{1,6})\s+(.*?)\s*#*")
_BOLD_LINE = re.compile(r"\*\*([^*]+?)\*\*:?")
_NUMBERED = re.compile(r"((?:\d{1,2}\.)*\d{1,2})\.?\s+(\S.*)")
_ROMAN = re.compile(rf"({SMALL_ROMAN_LETTER}{{1,5}})\.\s+(\S.*)")
# A paper's or plan's chapter: nothing checks its numbers run in order, so the word stands apart ("BABI" is a word).
_CHAPTER = re.compile(chapter_heading(gap=r"\s+") + r"\b\.?\s*(.*)")
_CAPTION = re.compile(
    r"(?:table|tabel|figure|fig\.|gambar|grafik|bagan|source|sumber|keywords?|kata kunci|catatan|note)\b",
    re.IGNORECASE,
)
# A list item's mark, which a title never opens with: not the "1." or "A." a paper numbers its headings with, as
# cleaning's list items are (ingest.cleaning), only small letters, bracketed numbers and bullets.
_LIST_ITEM = re.compile(rf"(?:{BULLET}\s|\(?[a-z]\)|\(\d{{1,2}}\)|[a-z]\.\s)")
_EMPHASIS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class _Heading:
    start: int
    title: str
    main: bool
    rank: int  # nesting rank among subheadings; larger is deeper, 0 for "same as the previous one"
    number: tuple[int, ...] = ()
    references: bool = False


def find_sections(text: str) -> list[Section]:
    """Leaf sections covering ``text`` in order, each with its heading path."""
    if not text.strip():
        return []
    headings = _headings(text)
    if not headings:
        return [Section(path=(), start=0, end=len(text), kind=PassageKind.TEXT)]
    return _sections(text, headings)


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _headings(text: str) -> list[_Heading]:
    lines = _lines(text)
    found: list[_Heading] = []
    main_number: int | None = None
    in_body = in_references = False
    numbered_mains = False
    skip = -1
    for index, (offset, raw) in enumerate(lines):
        line = raw.strip()
        if index <= skip or not line or len(line) > MAX_HEADING_CHARS * 2 or "\t" in raw:
            continue
        main = _main_heading(line, lines, index)
        if main is not None:
            title, number, references, skip = main
            found.append(_Heading(offset + raw.index(line[0]), title, True, 0, number, references))
            main_number = number[0] if number else None
            numbered_mains = numbered_mains or bool(number)
            in_body, in_references = True, references
            continue
        if not in_body or in_references:
            continue
        sub = _subheading(line, lines, index, main_number if numbered_mains else None)
        if sub is not None:
            title, rank, number = sub
            found.append(_Heading(offset + raw.index(line[0]), title, False, rank, number))
    return found


def _strip_markup(line: str) -> tuple[str, int]:
    """The heading text without markdown/bold markup, and its markdown level (0 if none)."""
    level = 0
    match = _MARKDOWN.fullmatch(line)
    if match:
        level, line = len(match.group(1)), match.group(2)
    bold = _BOLD_LINE.fullmatch(line)
    if bold:
        line = bold.group(1)
    return _EMPHASIS.sub("", line).strip(), level


def _main_heading(line: str, lines: list[tuple[int, str]], index: int) -> tuple[str, tuple[int, ...], bool, int] | None:
    """(title, number, is the reference list, index of the heading's last line) for a main heading."""
    title, _level = _strip_markup(line)
    chapter = _CHAPTER.fullmatch(title)
    if chapter:
        name, last = chapter.group(2).strip(), index
        if not name:
            name, last = _next_caps_line(lines, index)
        label = f"BAB {chapter.group(1)}" + (f" {name}" if name else "")
        return label, (roman_value(chapter.group(1)),), False, last
    number: tuple[int, ...] = ()
    bare = title
    numbered = _NUMBERED.fullmatch(title)
    roman = _ROMAN.fullmatch(title)
    if numbered and "." not in numbered.group(1):
        number, bare = (int(numbered.group(1)),), numbered.group(2)
    elif roman:
        number, bare = (roman_value(roman.group(1)),), roman.group(2)
    bare = bare.rstrip(" .:")
    if not bare[:1].isupper() or not _KNOWN.fullmatch(bare):
        return None
    return title.rstrip(" :"), number, bool(_REFERENCES.fullmatch(bare)), index


def _next_caps_line(lines: list[tuple[int, str]], index: int) -> tuple[str, int]:
    """A chapter's name printed on the line after "BAB II", and that line's index."""
    for following in range(index + 1, min(index + 3, len(lines))):
        line = lines[following][1].strip()
        if line:
            if line.isupper() and len(line) <= MAX_HEADING_CHARS:
                return line, following
            break
    return "", index


def _subheading(
    line: str, lines: list[tuple[int, str]], index: int, main_number: int | None
) -> tuple[str, int, tuple[int, ...]] | None:
    title, level = _strip_markup(line)
    if not title or len(title) > MAX_HEADING_CHARS or _CAPTION.match(title):
        return None
    numbered = _NUMBERED.fullmatch(title)
    if numbered and "." in numbered.group(1):
        number = tuple(int(part) for part in numbered.group(1).split("."))
        if main_number is not None and number[0] == main_number and _looks_like_title(numbered.group(2), loose=True):
            return title, len(number), number
        return None
    if level:
        return (title, level, ()) if _looks_like_title(title, loose=True) else None
    standalone = _blank_around(lines, index)
    if (_BOLD_LINE.fullmatch(line) or standalone) and _looks_like_title(title) and _precedes_body(lines, index):
        return title, 0, ()
    return None


def _looks_like_title(title: str, *, loose: bool = False) -> bool:
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS or not title[0].isupper():
        return False
    if title.endswith((".", ":", ";", ",")) or _LIST_ITEM.match(title) or title.count(",") >= 2:
        return False
    if loose:
        return True
    long_words = [w for w in words if sum(c.isalpha() for c in w) > 3]
    capitalised = [w for w in long_words if w[0].isupper()]
    return bool(long_words) and len(capitalised) >= TITLE_CASE_SHARE * len(long_words)


def _blank_around(lines: list[tuple[int, str]], index: int) -> bool:
    """The line is a paragraph of its own, and not the answer to a lead-in such as "Keywords:"."""
    before = index == 0 or not lines[index - 1][1].strip()
    after = index + 1 >= len(lines) or not lines[index + 1][1].strip()
    lead_in = index >= 2 and lines[index - 2][1].rstrip().endswith(":")
    return before and after and not lead_in


def _precedes_body(lines: list[tuple[int, str]], index: int) -> bool:
    """A heading is followed by running text, not by the end of the document or a table."""
    for _offset, raw in lines[index + 1 : index + 4]:
        if raw.strip():
            return "\t" not in raw and len(raw.strip()) > MAX_HEADING_CHARS
    return False


def _has_body(text: str, start: int, end: int) -> bool:
    newline = text.find("\n", start, end)
    return newline >= 0 and bool(text[newline:end].strip())


def _sections(text: str, headings: list[_Heading]) -> list[Section]:
    sections: list[Section] = []
    if text[: headings[0].start].strip():
        sections.append(Section(path=(), start=0, end=headings[0].start, kind=PassageKind.TITLE))
    main = ""
    references = False
    stack: list[tuple[int, str]] = []
    pending_start: int | None = None
    for i, heading in enumerate(headings):
        if heading.main:
            main, references, stack = heading.title, heading.references, []
        else:
            rank = heading.rank or (stack[-1][0] if stack else 99)
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, heading.title))
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        start = heading.start if pending_start is None else pending_start
        if i + 1 < len(headings) and not _has_body(text, heading.start, end):
            # A heading right above another one: its line joins the next section.
            pending_start = start
            continue
        pending_start = None
        path = (main, *(title for _rank, title in stack))
        kind = PassageKind.REFERENCES if references else PassageKind.TEXT
        sections.append(Section(path=path, start=start, end=end, kind=kind))
    if sections and sections[0].start > 0:
        first = sections[0]
        sections[0] = first.model_copy(update={"start": 0})
    return sections
