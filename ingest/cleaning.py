"""Repair what PDF extraction and OCR break, and build the clean text every offset refers to.

Extraction hands us one visual line per line: words hyphenated at line ends, sentences cut every
few words (two-column layouts), running heads, e-signature footers and page numbers on every page.
``clean_pages`` rebuilds paragraphs (separated by "\\n\\n"), keeps structural lines (Pasal, ayat,
list items, headings, table rows) on lines of their own, and records where each page lies.

Everything is line-by-line with anchored regexes applied to bounded prefixes, so a 50 MB single-line
text costs one linear pass.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from core.legal_patterns import (
    ARTICLE,
    DECIDING,
    ENACTING,
    KONSIDERANS_LABEL,
    ORDINAL,
    PART,
    ROMAN_LETTER,
    SMALL_ROMAN_LETTER,
    SUBPART,
    TITLE_WORD,
    chapter_heading,
)
from core.types import CleanDocument, Page, PageSpan
from ingest.legal.diktum_column import label_moves, reorder

logger = logging.getLogger(__name__)

# Longest prefix of a line the pattern tests look at: structure is always announced at the start.
PROBE = 200
# How many non-empty lines at the top and bottom of a page may hold running heads, footers, numbers.
HEAD_LINES = 3
FOOT_LINES = 3
# A line recurring at the edges of at least this share of pages (and of 3 pages) is a header/footer.
REPEAT_SHARE = 0.4
# A line recurring ANYWHERE on at least this share of pages (and on 3) is furniture too: a verification footer
# printed under a QR code ("Untuk mengecek keaslian dokumen ini …") sits below the running head or above the
# page's last lines, where the edge rule does not look. Only lines long enough not to be a phrase the text
# itself repeats ("Cukup jelas", "Pasal 5") count.
SCATTERED_SHARE = 0.5
SCATTERED_MIN_KEY = 20
# A sentence-final line shorter than this share of the column width ends its paragraph.
SHORT_LINE = 0.75

_TRANSLATE = {
    **{c: " " for c in (0x00A0, 0x2007, 0x202F, 0x3000)},
    **{c: "\n" for c in (0x0B, 0x0C, 0x85, 0x2028, 0x2029)},
    **{c: None for c in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
    **{c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)},
    0x7F: None,
}

_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?"
    # OCR'd "- 12 -" as "_10_" or "-t2-": between two rules a misread digit is still a page number.
    r"|[-–—_]\s*(?=[^\d]*\d)[\dOoIlit|]{1,4}\s*[-–—_]"
    r"|(?:halaman|hal\.?|page|pg\.?)\s*:?\s*\d{1,4}(?:\s*(?:dari|of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|dari|of)\s*\d{1,4}"
    r"|(?-i:(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))",  # front-matter numbering: i, ii, iv ... xxxix
    re.IGNORECASE,
)
_ESIGN = re.compile(
    r"ditandatangani\s+secara\s+elektronik|balai\s+sertifikasi\s+elektronik|(?-i:\bBSrE\b)"
    r"|sertifikat\s+elektronik\s+yang\s+diterbitkan"
    # the line under an e-signature's QR code; second to the scattered-line rule, for a document of few pages
    r"|mengecek\s+keaslian\s+dokumen",
    re.IGNORECASE,
)
# A printer's error page scanned with the document opens the page with its report ("PCL XL error",
# "Subsystem: GE_VECTOR", "Error: …", "Warning: …"); the regulation's text follows on the same page.
_PRINTER_ERROR = re.compile(r"PCL\s*XL\s+error\b|ERROR:\s*\S+.{0,40}OFFENDING\s+COMMAND", re.IGNORECASE)
_PRINTER_FIELD = re.compile(r"(?:Subsystem|Error|Warning|Operator|Position|Offending\s+Command|Stack)\s*:",
                            re.IGNORECASE)
PRINTER_LINES = 8
# Indonesian regulations print the first words of the next page under the last line: "(5) Dalam . . ."
_CATCHWORD = re.compile(r"(?P<head>.{1,60}?)\s*(?:\.\s?\.\s?\.|…)")
# How far up from a page's foot a catchword may sit: OCR puts stray fragments of the page below it.
CATCHWORD_LINES = 6
# Tesseract's usual digit/letter swaps, applied to both sides when a catchword is compared with the next page: a
# fold of words, not a reading of numbers (ingest.legal.numbers' digit map): it folds a t too, and leaves the s, z,
# g and b a number's reading takes, which would make too many words alike.
_OCR_FOLD = str.maketrans({"o": "0", "l": "1", "i": "1", "|": "1", "t": "1"})
# The issuer's letterhead ("WALIKOTA SURABAYA / PROVINSI JAWA TIMUR"), printed above the title block.
_LETTERHEAD = re.compile(
    r"(?:(?:WALI\s?KOTA|BUPATI|GUBERNUR|PRESIDEN)(?:\s+[A-Z][A-Z.\- ]*)?|(?:PROVINSI|KABUPATEN|KOTA)\s+[A-Z][A-Z.\- ]*"
    r"|REPUBLIK\s+INDONESIA)"
)
_TITLE_LINE = re.compile(rf"(?:{TITLE_WORD})\b")
# Lines that head a legal unit: what follows them starts a line of its own.
_LEGAL_HEAD = re.compile(
    rf"(?:{chapter_heading()}\b.*|{PART}|{SUBPART}|{ARTICLE}|PASAL\s+(?:\d|{ROMAN_LETTER})+[A-Z]?"
    rf"|{DECIDING}\s*:?|PENJELASAN\b.*|LAMPIRAN\b.*|Salinan sesuai\b.*)\s*"
)
# Lines that open a legal block on a line of their own but whose text may run on: "Menimbang : a. bahwa ...",
# "KESATU : ...".
_LEGAL_LEAD = re.compile(rf"(?:{KONSIDERANS_LABEL}|{ENACTING}|{ORDINAL})\b")
# A list's bullet.
BULLET = "[-•*·▪●◦‣–]"
# A list item's mark: "1.", "a)", "(2)", "(iv)", a bullet. A regulation numbers its items with digits and letters
# of either case ("A. Umum" in a Lampiran).
_LIST_ITEM = re.compile(
    rf"(?:\(?\d{{1,3}}[.)]|\(?[a-zA-Z][.)]|\((?:\d{{1,2}}|{SMALL_ROMAN_LETTER.lower()}{{1,4}})\)|{BULLET})\s"
)
_MD_HEADING = re.compile(r"#{1,6}\s")
_CONNECTOR = re.compile(r"(?:\b(?:DAN|ATAU|DI|KE|DARI|YANG|UNTUK|PADA|DENGAN|SERTA|OF|AND|THE|FOR|IN|ON)|[&,])$")
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_CLOSED = re.compile(r"[.!?:;][\"'”’)\]]*$")


@dataclass(frozen=True)
class _Line:
    text: str
    page: int  # index into the pages sequence
    gap: bool  # blank line(s) before it on its page, or it opens a page
    table: bool
    legal: bool  # heads a legal unit (BAB, Pasal ...): a line of its own
    lead: bool  # opens a legal block (Menimbang ...): starts a line, its text may run on
    heading: bool
    item: bool


def clean_pages(pages: Sequence[Page]) -> CleanDocument:
    """The clean text of a document and where each of its pages lies in it."""
    page_lines = [_normalise_lines(page.text) for page in pages]
    _drop_page_furniture(page_lines)
    lines: list[_Line] = []
    spacing = [_double_spaced(raw) for raw in page_lines]
    for index, raw in enumerate(page_lines):
        lines.extend(_classify(raw, index))
    text, starts = _assemble(_restack_diktum_labels(lines), spacing)
    return CleanDocument(text=text, pages=_page_spans(pages, starts, len(text)))


def _normalise_lines(text: str) -> list[str]:
    """Lines with unicode spaces unified, runs of spaces collapsed; blank lines kept as ''."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    out = []
    for line in text.split("\n"):
        if "\t" in line and line.strip():
            # Table rows keep their tabs (cell boundaries); only space runs are tidied.
            out.append(re.sub(" {2,}", " ", line).strip(" "))
        else:
            out.append(" ".join(line.split()))
    return out


def _furniture_key(line: str) -> str:
    """Header/footer identity: page numbers and spacing differ from page to page, the words do not."""
    return re.sub(r"[^a-z#]", "", re.sub(r"\d+", "#", line[:PROBE].lower()))


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:HEAD_LINES] + filled[-FOOT_LINES:]))


def _is_structural(line: str) -> bool:
    probe = line[:PROBE]
    return bool(_LEGAL_HEAD.fullmatch(probe) or _LEGAL_LEAD.match(probe) or _LIST_ITEM.match(probe))


def _drop_page_furniture(page_lines: list[list[str]]) -> None:
    """Blank out page numbers, running heads/footers, e-signature footers, catchwords and a letterhead, in place."""
    repeated = _repeated_keys(page_lines)
    scattered = _scattered_keys(page_lines)
    for lines in page_lines:
        _drop_printer_report(lines)
        for i in _edge_indices(lines):
            if _PAGE_NUMBER.fullmatch(lines[i][:PROBE]) or _is_running_head(lines[i], repeated):
                lines[i] = ""
    _drop_scattered(page_lines, scattered)
    filled = [n for n, lines in enumerate(page_lines) if any(lines)]
    for n, following in zip(filled, filled[1:], strict=False):
        _drop_catchwords(page_lines[n], page_lines[following])
    if len(filled) > 1:
        _drop_foot_letterhead(page_lines[filled[0]])
    for lines in page_lines:
        for i, line in enumerate(lines):
            if line and len(line) < 400 and _ESIGN.search(line):
                lines[i] = ""


def _drop_printer_report(lines: list[str]) -> None:
    filled = [i for i, line in enumerate(lines) if line][:PRINTER_LINES]
    if not filled or not _PRINTER_ERROR.match(lines[filled[0]][:PROBE]):
        return
    lines[filled[0]] = ""
    for i in filled[1:]:
        if not _PRINTER_FIELD.match(lines[i][:PROBE]):
            return
        lines[i] = ""


def _may_be_scattered(line: str) -> bool:
    """Whether a line could be furniture wherever it sits. Never a sentence, a heading or title line in
    capitals (a Lampiran repeats the title block on its pages; the edge rule reads running heads), a table
    row or a legal unit's heading; a bulleted line can be (footers print their lines as bullets)."""
    probe = line[:PROBE]
    return not (
        "\t" in line or _TERMINAL.search(line[-5:]) or line.isupper()
        or _LEGAL_HEAD.fullmatch(probe) or _LEGAL_LEAD.match(probe)
    )


def _scattered_keys(page_lines: list[list[str]]) -> set[str]:
    """Keys of lines printed once on each of most pages. A line the text repeats (a table cell's words) comes
    back several times on some page; a footer, once a page."""
    filled_pages = sum(1 for lines in page_lines if any(lines))
    pages_with: Counter[str] = Counter()
    repeated_on_a_page: set[str] = set()
    for lines in page_lines:
        on_page = Counter(key for line in lines if line and _may_be_scattered(line)
                          and len(key := _furniture_key(line)) >= SCATTERED_MIN_KEY)
        pages_with.update(on_page.keys())
        repeated_on_a_page.update(key for key, n in on_page.items() if n > 1)
    threshold = max(3, math.ceil(SCATTERED_SHARE * filled_pages))
    return {key for key, n in pages_with.items() if n >= threshold and key not in repeated_on_a_page}


def _drop_scattered(page_lines: list[list[str]], scattered: set[str]) -> None:
    """Every copy of a line printed from the first page on; of a line that starts later (a table's column heads
    repeated on its continuation pages) the first copy stays, where the table begins."""
    first_page = next((lines for lines in page_lines if any(lines)), [])
    from_first = {_furniture_key(line) for line in first_page if line} & scattered
    seen: set[str] = set()
    for lines in page_lines:
        for i, line in enumerate(lines):
            if not line or not _may_be_scattered(line) or (key := _furniture_key(line)) not in scattered:
                continue
            if key in from_first or key in seen:
                lines[i] = ""
            seen.add(key)


def _ocr_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower()).translate(_OCR_FOLD)


def _drop_catchwords(lines: list[str], next_page: list[str]) -> None:
    """A catchword ends in '...' and either closes the page or repeats how the next page begins."""
    filled = [i for i, line in enumerate(lines) if line]
    opening = _ocr_key(" ".join([line for line in next_page if line][:2]))
    for rank, i in enumerate(reversed(filled[-CATCHWORD_LINES:])):
        m = _CATCHWORD.fullmatch(lines[i][:PROBE])
        if not m:
            continue
        head = _ocr_key(m.group("head"))
        if rank < 3 or (len(head) >= 3 and opening.startswith(head)):
            lines[i] = ""


def _drop_foot_letterhead(lines: list[str]) -> None:
    """The title page's letterhead, when extraction put it under the page's text instead of above the title.

    Only issuer/region lines without punctuation at the very foot of a page that carries a title block: a
    signature ("WALIKOTA SURABAYA,") has its comma and is followed by a name.
    """
    filled = [i for i, line in enumerate(lines) if line]
    if not any(_TITLE_LINE.match(lines[i]) for i in filled[:12]):
        return
    foot = []
    for i in reversed(filled[-FOOT_LINES:]):
        if not _LETTERHEAD.fullmatch(lines[i][:PROBE]):
            break
        foot.append(i)
    if foot and foot[-1] != filled[0]:
        for i in foot:
            lines[i] = ""


def _repeated_keys(page_lines: list[list[str]]) -> set[str]:
    filled_pages = sum(1 for lines in page_lines if any(lines))
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_furniture_key(lines[i]) for i in _edge_indices(lines)})
    threshold = max(3, math.ceil(REPEAT_SHARE * filled_pages))
    return {key for key, n in counts.items() if n >= threshold and len(key) >= 3}


def _is_running_head(line: str, repeated: set[str]) -> bool:
    """Exact, or (for OCR'd running heads like 'REPUALIK INDONESIA') nearly the same as a repeated line.

    Sentences (ending in a full stop) and structural lines ("Pasal 5", "a. ...") recur at page edges
    by chance, never as furniture.
    """
    if _TERMINAL.search(line[-5:]) or _is_structural(line):
        return False
    key = _furniture_key(line)
    if key in repeated:
        return True
    if len(key) >= 6 and line.isupper() and any(_is_fragment(key, other) for other in repeated):
        return True
    return len(key) >= 8 and any(
        abs(len(key) - len(other)) <= 2 and SequenceMatcher(None, key, other).ratio() >= 0.85 for other in repeated
    )


def _is_fragment(key: str, head: str) -> bool:
    """OCR that lost the start or end of a running head: "K INDONESIA" for "REPUBLIK INDONESIA"."""
    return key != head and 2 * len(key) >= len(head) and (head.endswith(key) or head.startswith(key))


def _double_spaced(lines: list[str]) -> bool:
    """Whether blank lines on this page are mere line spacing rather than paragraph breaks.

    Some extractors put a blank line after every visual line; then many blank-separated lines end
    mid-sentence with the sentence going on in lower case, which real paragraphs rarely do.
    """
    gaps = continued = steps = 0
    previous: str | None = None
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        if previous is not None:
            steps += 1
            if blank and "\t" not in line and "\t" not in previous:
                gaps += 1
                continued += not _CLOSED.search(previous[-5:]) and line[:1].islower()
        previous, blank = line, False
    return steps >= 4 and gaps >= 0.6 * steps and continued >= 0.35 * gaps


def _is_caps_heading(line: str) -> bool:
    return 2 <= len(line) <= 100 and line.isupper() and len(line.split()) <= 14 and not _TERMINAL.search(line)


def _classify(raw: list[str], page: int) -> list[_Line]:
    out: list[_Line] = []
    gap = True
    for line in raw:
        if not line:
            gap = True
            continue
        probe = line[:PROBE]
        out.append(
            _Line(
                text=line,
                page=page,
                gap=gap,
                table="\t" in line,
                legal=bool(_LEGAL_HEAD.fullmatch(probe)),
                lead=bool(_LEGAL_LEAD.match(probe)),
                heading=bool(_MD_HEADING.match(probe)) or _is_caps_heading(line),
                item=bool(_LIST_ITEM.match(probe)),
            )
        )
        gap = False
    return out


def _restack_diktum_labels(lines: list[_Line]) -> list[_Line]:
    """A Keputusan's diktum labels read as a column of their own, each moved to where its text starts
    (``ingest.legal.diktum_column``); the label takes its text's page."""
    moves = label_moves([line.text for line in lines])
    if not moves:
        return lines
    text_of = dict(moves)
    return [replace(lines[n], page=lines[text_of[n]].page, gap=True) if n in text_of else lines[n]
            for n in reorder(len(lines), moves)]


def _joins_hyphenated(left: str, right: str) -> str | None:
    """The joint of a word hyphenated across lines: '' (drop the hyphen), '-' (keep it) or None."""
    if len(left) < 2 or left[-1] != "-" or not left[-2].isalpha() or not right[:1].isalpha():
        return None
    if right[0].isupper():
        return "-"  # "Undang-\nUndang": a real compound
    stem = left.rsplit(" ", 1)[-1][:-1].lower()
    head = right.split(" ", 1)[0].lower()
    # Reduplication ("sekolah-sekolah", "perundang-undangan") keeps its hyphen.
    if any(head.startswith(stem[-k:]) for k in range(3, len(stem) + 1)):
        return "-"
    return ""


def _starts_heading(prev: _Line, line: _Line, prev_heading: bool, spacing: bool) -> bool:
    """A capitalised line is a heading unless it merely continues a sentence ("... terdiri atas\nSIMTARU")."""
    if not line.heading:
        return False
    if line.text.startswith("#") or prev_heading or (line.gap and not spacing):
        return True
    return bool(_CLOSED.search(prev.text[-5:]))


def _separator(prev: _Line, line: _Line, *, prev_heading: bool, heading: bool, width: int, spacing: bool) -> str:
    """How two consecutive lines meet: '\n\n', '\n', ' ', '' (hyphen dropped) or '-' (hyphen kept)."""
    if prev.table or line.table:
        return "\n" if prev.table and line.table and not line.gap else "\n\n"
    if prev.legal or line.legal or line.lead:
        return "\n"
    if heading:
        if not prev_heading:
            return "\n\n"
        multi_line = not prev.text.startswith("#") and _CONNECTOR.search(prev.text) and not line.gap
        return " " if multi_line or (spacing and _CONNECTOR.search(prev.text)) else "\n"
    if prev_heading:
        return "\n\n"
    if line.item:
        return "\n"
    terminal = bool(_TERMINAL.search(prev.text[-5:]))
    if line.page != prev.page:
        return "\n\n" if terminal else _continuation(prev, line)
    if line.gap and not spacing:
        open_sentence = not _CLOSED.search(prev.text[-5:])
        return _continuation(prev, line) if open_sentence and line.text[:1].islower() else "\n\n"
    if terminal and len(prev.text) < SHORT_LINE * width and not line.text[:1].islower():
        return "\n\n"
    return _continuation(prev, line)


def _continuation(prev: _Line, line: _Line) -> str:
    joint = _joins_hyphenated(prev.text, line.text)
    return " " if joint is None else joint


def _assemble(lines: list[_Line], spacing: list[bool]) -> tuple[str, dict[int, int]]:
    """Join the lines into the clean text; also where each page's first line landed."""
    parts: list[str] = []
    length = 0
    starts: dict[int, int] = {}
    recent: list[int] = []  # lengths of the last lines of the current paragraph: the column width
    prev: _Line | None = None
    prev_heading = False
    for line in lines:
        heading = False
        if prev is not None:
            heading = _starts_heading(prev, line, prev_heading, spacing[line.page])
            width = max([*recent, len(line.text)])
            joint = _separator(
                prev, line, prev_heading=prev_heading, heading=heading, width=width, spacing=spacing[line.page]
            )
            if joint == "":
                parts[-1] = parts[-1][:-1]
                length -= 1
            elif joint != "-":
                parts.append(joint)
                length += len(joint)
            if "\n" in joint:
                recent = []
        else:
            heading = line.heading
        starts.setdefault(line.page, length)
        parts.append(line.text)
        length += len(line.text)
        recent = [*recent[-3:], len(line.text)]
        prev, prev_heading = line, heading
    return "".join(parts), starts


def _page_spans(pages: Sequence[Page], starts: dict[int, int], total: int) -> tuple[PageSpan, ...]:
    """Contiguous spans; a page with no text gets an empty span where the next page starts."""
    bounds = [0] * (len(pages) + 1)
    bounds[len(pages)] = total
    for index in range(len(pages) - 1, -1, -1):
        bounds[index] = starts.get(index, bounds[index + 1])
    spans = []
    for index, page in enumerate(pages):
        start = bounds[index]
        end = bounds[index + 1] if index in starts else start
        spans.append(
            PageSpan(number=page.number, start=start, end=end, source=page.source, ocr_confidence=page.ocr_confidence)
        )
    return tuple(spans)
