"""Plain text and Markdown: one page, decoded as UTF-8 with a warned fallback for legacy encodings."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest.loaders import unreadable
from ingest.loaders.converted import looks_converted, plain_layout

# C0 control characters other than tab, newline, carriage return and form feed carry no text and
# break downstream tools (NUL in particular ends strings in C libraries and SQLite text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARKDOWN_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Text converted from PDF or HTML to Markdown keeps inline HTML ("<ul style=...> • Perwali 31/2020",
# "<i>smart city</i>"): the markup is not the document's words and must not reach a quote. Only HTML
# element names are removed, so "x < y" and placeholders such as "<Kota>" survive. A footnote mark
# (<sup>) is set apart rather than glued to its word.
_INLINE_TAG = re.compile(r"</?(?:i|b|u|s|em|strong|small|span|a|mark|font|code)\b[^<>\n]{0,300}>", re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:ul|ol|li|p|br|div|table|thead|tbody|tr|td|th|h[1-6]|blockquote|hr|sup|sub)\b[^<>\n]{0,300}/?>", re.I
)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+|mailto:[^<>\s]+)>", re.I)


def strip_markup(text: str) -> str:
    """Inline HTML tags dropped, block tags turned into a space, Markdown autolinks ``<http://...>`` unwrapped."""
    text = _AUTOLINK.sub(r"\1", text)
    text = _INLINE_TAG.sub("", text)
    return _BLOCK_TAG.sub(" ", text)


def decode_text(data: bytes) -> tuple[str, str | None]:
    """The text of ``data`` and, when it was not clean UTF-8, a warning saying how it was read.

    A file with more valid UTF-8 characters than invalid bytes is UTF-8 with some damage (the
    damage is replaced); one with fewer is a legacy 8-bit file, where almost every non-ASCII byte
    is invalid UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8-sig", errors="replace")
    invalid = lenient.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
    valid_non_ascii = sum(ch >= "\x80" for ch in lenient) - lenient.count("\ufffd")
    if valid_non_ascii >= invalid:
        return lenient, f"{invalid} invalid UTF-8 byte sequence(s) were replaced with \ufffd"
    try:
        return data.decode("cp1252"), "not UTF-8; read as Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8; read as Latin-1"


def _title(text: str, markdown: bool) -> str | None:
    if markdown:
        match = _MARKDOWN_TITLE.search(text[:20_000])
        if match:
            return match.group(1)[:300]
    return None


def load_text(path: Path, settings: Settings) -> ExtractedDocument:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    text, warning = decode_text(data)
    text = _CONTROL.sub("", text)
    markdown = path.suffix.lower() in (".md", ".markdown")
    if markdown and looks_converted(text):
        text = plain_layout(text)
    text = strip_markup(text)
    return ExtractedDocument(
        path=str(path),
        media_type="text/markdown" if markdown else "text/plain",
        pages=(Page(number=1, text=text, source="text"),),
        title_hint=_title(text, markdown),
        warnings=(f"{path}: {warning}",) if warning else (),
    )
