"""Markdown as PDF converters write it (Marker, Docling, pandoc), read back as the document's plain layout.

A converter marks up what the PDF only laid out: a BAB becomes a heading at whatever level its font size
suggested (``# BAB I``, ``#### BAB II``), an article number a superscript (``## Pasal <sup>1</sup>``) or glued to
its word (``Pasal24``), figures become image placeholders (``![](_page_3_Picture_0.jpeg)``) and page numbers
(``- 3 -``) land inside paragraphs. The legal parser reads headings as lines of their own, as printed, so the
marks go and the layout stays: a heading mark is dropped, a superscript number is set after its word, a
placeholder or a page number is removed, and a table row becomes a line of tab-separated cells (as the HTML
loader writes table rows).
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)")
_HEADING_MARK = re.compile(r"^[^\S\n]{0,3}#{1,6}[^\S\n]+", re.M)
_CLOSING_HASHES = re.compile(r"[^\S\n]+#+[^\S\n]*$", re.M)
_SUP_NUMBER = re.compile(r"(?<=[Pp]asal|PASAL)[^\S\n]*<sup>\s*([0-9]+[A-Za-z]?)\s*</sup>")
_GLUED_PASAL = re.compile(r"^([^\S\n]*)(Pasal|PASAL)(\d+[A-Z]?)[^\S\n]*$", re.M)
# "- 3 -" standing between words or alone on a line: a page number the converter left in the flow.
_PAGE_NUMBER = re.compile(r"(?:(?<=\s)|^)-[^\S\n]?\d{1,3}[^\S\n]?-(?:[^\S\n]+|(?=\n)|$)", re.M)
_EMPHASIS_LINE = re.compile(r"^([^\S\n]*)(\*\*|__)(.+?)\2[^\S\n]*$", re.M)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_TABLE_RULE = re.compile(r"^[^\S\n]*\|?[^\S\n]*:?-{3,}:?[^\S\n]*(?:\|[^\S\n]*:?-{3,}:?[^\S\n]*)*\|?[^\S\n]*\n?", re.M)
_TABLE_ROW = re.compile(r"^[^\S\n]*\|(.*)\|[^\S\n]*$", re.M)
_BLANK_RUNS = re.compile(r"\n{3,}")


def looks_converted(text: str) -> bool:
    """Whether a Markdown text carries a converter's marks on a regulation's headings or its page placeholders."""
    return bool(_IMAGE.search(text) or re.search(r"^#{1,6}\s+(?:BAB|Pasal|PASAL)\b", text, re.M)
                or _SUP_NUMBER.search(text) or _GLUED_PASAL.search(text))


def _table_row(m: re.Match[str]) -> str:
    return "\t".join(cell.strip() for cell in m.group(1).split("|"))


def plain_layout(text: str) -> str:
    """The converter's Markdown with its marks removed and its tables as tab-separated rows."""
    text = _IMAGE.sub("", text)
    text = _SUP_NUMBER.sub(r" \1", text)
    text = _HEADING_MARK.sub("", text)
    text = _CLOSING_HASHES.sub("", text)
    text = _EMPHASIS_LINE.sub(r"\1\3", text)
    text = _GLUED_PASAL.sub(r"\1\2 \3", text)
    text = _PAGE_NUMBER.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(_table_row, text)
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"[^\S\n]+\n", "\n", text)
    return _BLANK_RUNS.sub("\n\n", text)
