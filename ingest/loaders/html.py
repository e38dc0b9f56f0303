"""HTML: the visible text, with block structure kept as line breaks.

BeautifulSoup with the lxml builder: it tolerates broken markup, decodes by the page's own
charset declaration, and (unlike lxml.html on its own, which stops at 256 levels) keeps the
whole tree of a pathologically deep page. The walk below uses an explicit stack, so a
10,000-level page cannot exhaust Python's recursion limit.

Hidden text is dropped: it is what a reader never sees, and a favourite place for keyword
stuffing or injected instructions. By default a real browser decides (``html_browser.py``: Chromium lays
the page out, so off-screen, clipped and covered text are found too); without one, or with
``BK_INGEST__HTML_VISIBILITY=css``, the rules below do. Hidden then means what a browser would not show for
the usual tricks: ``display:none``, ``visibility:hidden``, ``opacity:0``, transparent text or text in the
colour of its background (white on white), a font size of 1pt or less, the ``hidden`` attribute
and ``aria-hidden``. What the page's CSS declares for each element is worked out in
``css.py``; whether text in that colour, size and opacity can be read, in ``legibility.py``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag, UnicodeDammit
from bs4.element import PageElement, PreformattedString

from core.errors import DocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest.loaders import unreadable
from ingest.loaders.css import Declared, element_style, stylesheet_styles
from ingest.loaders.html_browser import BrowserUnavailable, browser_path, rendered_parts
from ingest.loaders.legibility import INVISIBLE_ALPHA, MIN_CONTRAST, TINY_PX, Look

logger = logging.getLogger(__name__)
# Hidden text shorter than this (a stray label, an icon's text) is dropped without a warning.
HIDDEN_WARN_CHARS = 16

_DROPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
                      "canvas", "select", "button"})
_PARAGRAPH_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "nav", "aside", "main",
                               "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
                               "pre", "figure", "figcaption", "form", "fieldset", "address", "hr", "caption",
                               "details", "summary", "body", "html"})
_LINE_BLOCKS = frozenset({"li", "tr", "dt", "dd", "br", "legend", "option"})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_RUNS = re.compile(r" {2,}")
_CELL_GAPS = re.compile(r" *\t *")
_MARKERS = re.compile(r"(?:\x00[PLC])+")

_PARAGRAPH, _LINE, _CELL = "\x00P", "\x00L", "\x00C"


def look_of(tag: Tag, parent: Look, styles: dict[int, Declared]) -> Look | None:
    """The look of ``tag``'s text, or None when the element and all inside it are not rendered at all."""
    if tag.name in _DROPPED or tag.has_attr("hidden"):
        return None
    if str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return None
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return None
    values = element_style(tag, styles)
    return parent.inside(values) if values else parent


def visible_text(root: Tag) -> str:
    """Visible text of ``root``; paragraphs end with a blank line, rows/items with a newline, cells with a tab."""
    styles = stylesheet_styles(root)
    parts: list[str] = []
    stack: list[tuple[PageElement | str, Look]] = [(root, Look())]
    while stack:
        node, look = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a structure marker pushed below
        elif isinstance(node, Tag):
            inner = look_of(node, look, styles) if node is not root else look
            if inner is None:
                continue
            marker = _PARAGRAPH if node.name in _PARAGRAPH_BLOCKS else _LINE if node.name in _LINE_BLOCKS else (
                _CELL if node.name in _CELLS else None)
            if marker:
                parts.append(marker)
                stack.append((marker, inner))
            stack.extend((child, inner) for child in reversed(node.contents))
        elif not isinstance(node, PreformattedString) and look.text_shows():  # not comments, doctype, CDATA
            parts.append(_SPACES.sub(" ", str(node).replace("\x00", "")).replace("\n", " "))
    return _assemble(parts)


def _assemble(parts: list[str]) -> str:
    text = _MARKERS.sub(_strongest_break, "".join(parts))
    out: list[str] = []
    for raw in text.split("\n"):
        line = _CELL_GAPS.sub("\t", _RUNS.sub(" ", raw)).strip(" ")
        if line.strip("\t"):
            out.append(line)
        elif out and out[-1]:
            out.append("")  # one blank line marks a paragraph break, however many blocks closed
    return "\n".join(out).strip()


def _strongest_break(match: re.Match[str]) -> str:
    run = match.group(0)
    if _PARAGRAPH in run:
        return "\n\n"
    if _LINE in run:
        return "\n"
    return "\t"


def _rendered_text(raw: bytes, settings: Settings) -> tuple[str, int]:
    """The visible text as Chromium lays the page out, and how many characters of text it found hidden."""
    executable = browser_path(settings.ingest.browser_executable)
    if executable is None:
        raise BrowserUnavailable(f"no browser at {settings.ingest.browser_executable}")
    constants: list[object] = [sorted(_DROPPED), sorted(_PARAGRAPH_BLOCKS), sorted(_LINE_BLOCKS), sorted(_CELLS),
                               MIN_CONTRAST, TINY_PX, INVISIBLE_ALPHA]
    parts: list[str] = []
    hidden = 0
    for kind, value in rendered_parts(UnicodeDammit(raw, is_html=True).unicode_markup or "", executable, constants):
        if kind == "m":
            parts.append({"P": _PARAGRAPH, "L": _LINE}.get(value, _CELL))
        elif kind == "t":
            parts.append(_SPACES.sub(" ", value.replace("\x00", "")).replace("\n", " "))
        else:
            hidden += len(value.strip())
    return _assemble(parts), hidden


def _page_text(raw: bytes, soup: BeautifulSoup, path: Path, settings: Settings) -> tuple[str, tuple[str, ...]]:
    if settings.ingest.html_visibility == "css":
        return visible_text(soup), ()
    try:
        text, hidden = _rendered_text(raw, settings)
    except BrowserUnavailable as exc:
        logger.warning("%s: %s; hidden text judged by the CSS rules", path.name, exc)
        return visible_text(soup), (
            f"{path.name}: hidden text was judged by the page's CSS rules only ({exc}); text hidden by layout "
            "(off-screen, clipped or covered) may have been kept. Install Chromium (Debian: chromium) to check it.",)
    if hidden >= HIDDEN_WARN_CHARS:
        return text, (f"{path.name}: {hidden} characters of text a reader cannot see (off-screen, clipped, covered, "
                      "transparent, tiny or in the background's colour) were left out; it may be a prompt injection",)
    return text, ()


def load_html(path: Path, settings: Settings) -> ExtractedDocument:
    try:
        raw = path.read_bytes()
        soup = BeautifulSoup(raw, "lxml")
    except OSError as exc:
        raise unreadable(path, exc) from exc
    except Exception as exc:  # lxml/bs4 raise varied types on pathological input
        raise DocumentError(str(path), f"could not be parsed as HTML ({type(exc).__name__})",
                            hint="Save the page again from a browser and re-add it.") from exc
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if isinstance(title_tag, Tag) else ""
    text, warnings = _page_text(raw, soup, path, settings)
    return ExtractedDocument(
        path=str(path),
        media_type="text/html",
        pages=(Page(number=1, text=text, source="text"),),
        title_hint=title[:300] or None,
        warnings=warnings,
    )
