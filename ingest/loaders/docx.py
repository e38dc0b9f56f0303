"""DOCX: paragraphs and tables in document order, after the container has been checked.

A DOCX is a ZIP of XML parts, so two attacks come with the format: a zip bomb (tiny file,
gigabytes declared inside) and XML entity tricks (billion laughs, external entities reading
local files). Both are refused before python-docx parses anything: the declared sizes and entry
count are checked against the limits, and every XML part is pre-parsed by defusedxml with DTDs
forbidden — a Word document never needs a DTD.

Text a reader of the document never sees is left out, as in the other loaders: hidden runs
(``w:vanish``), text of 1pt or less, and text in the colour of what it is drawn on (white on the
page, unless the run, paragraph or cell is highlighted or shaded). Each property is read as Word
resolves it: the run's own formatting, then its character style, then the paragraph style (each
with the styles it is based on), then the document defaults.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core.errors import DocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest.loaders.legibility import MIN_CONTRAST, WHITE, Rgb, contrast

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_ENTRIES = 5000
_RESAVE_HINT = "Open it in Word or LibreOffice, save it again as .docx, and re-add it."


def check_container(path: Path, settings: Settings) -> None:
    """Refuse zip bombs and XML with DTDs/entities before any XML parser sees the parts."""
    limit_mb = settings.ingest.max_unzipped_mb
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise DocumentError(str(path), f"has {len(infos)} parts inside (more than {MAX_ENTRIES}); "
                                    "refused as a possible zip bomb", hint=_RESAVE_HINT)
            declared = sum(info.file_size for info in infos)
            if declared > limit_mb * 1024 * 1024:
                raise DocumentError(str(path), f"would unpack to {declared / 1024 / 1024:.0f} MB (limit "
                                    f"{limit_mb:g} MB); refused as a possible zip bomb",
                                    hint="If the document is genuine, raise ingest.max_unzipped_mb.")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml_part(path, info.filename, archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise DocumentError(str(path), f"is a damaged DOCX container ({exc})", hint=_RESAVE_HINT) from exc


def _check_xml_part(path: Path, name: str, data: bytes) -> None:
    try:
        safe_xml.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DocumentError(str(path), f"part {name} declares a DTD or entities ({type(exc).__name__}); "
                            "refused because that can read local files or expand without bound",
                            hint=_RESAVE_HINT) from exc
    except safe_xml.ParseError as exc:
        raise DocumentError(str(path), f"part {name} is not well-formed XML ({exc})", hint=_RESAVE_HINT) from exc


TINY_HALF_POINTS = 2  # w:sz counts half-points: 1pt or less cannot be read
_THEME_WHITES = frozenset({"background1", "light1"})
_OFF = frozenset({"0", "false", "off"})


def _hex_rgb(value: str | None) -> Rgb | None:
    if not value or len(value) != 6:
        return None
    try:
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except ValueError:
        return None


def _fill(properties: Any) -> Rgb | None:
    """The shading colour a ``w:pPr``/``w:tcPr``/``w:rPr`` paints (None when it paints none)."""
    shading = properties.find(qn("w:shd")) if properties is not None else None
    return _hex_rgb(shading.get(qn("w:fill"))) if shading is not None else None


class _Visibility:
    """Decides which runs of one document a reader sees."""

    def __init__(self, document: Any) -> None:
        defaults = document.styles.element.find(qn("w:docDefaults"))
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        background = document.element.find(qn("w:background"))
        page = _hex_rgb(background.get(qn("w:color"))) if background is not None else None
        self.page: Rgb = page or WHITE

    def _chain(self, run: Run, paragraph: Paragraph) -> Iterator[Any]:
        yield run._r.rPr
        for style in (run.style, paragraph.style):
            seen = 0
            while style is not None and seen < 20:  # a style based on itself must not loop
                yield style.element.rPr
                style, seen = style.base_style, seen + 1
        yield self.default_rpr

    def _property(self, run: Run, paragraph: Paragraph, tag: str) -> Any:
        for rpr in self._chain(run, paragraph):
            if rpr is not None and (found := rpr.find(qn(tag))) is not None:
                return found
        return None

    def shows(self, run: Run, paragraph: Paragraph, backdrop: Rgb | None) -> bool:
        for tag in ("w:vanish", "w:specVanish"):
            hidden = self._property(run, paragraph, tag)
            if hidden is not None and hidden.get(qn("w:val"), "1").lower() not in _OFF:
                return False
        size = self._property(run, paragraph, "w:sz")
        half_points = size.get(qn("w:val"), "") if size is not None else ""
        if half_points.isdigit() and int(half_points) <= TINY_HALF_POINTS:
            return False
        return self._colour_shows(run, paragraph, backdrop)

    def _colour_shows(self, run: Run, paragraph: Paragraph, backdrop: Rgb | None) -> bool:
        colour = self._property(run, paragraph, "w:color")
        if colour is None:
            return True
        highlight = self._property(run, paragraph, "w:highlight")
        if highlight is not None and highlight.get(qn("w:val"), "none") != "none":
            return True
        painted = _fill(run._r.rPr) or _fill(paragraph._p.pPr) or backdrop or self.page
        if (colour.get(qn("w:themeColor")) or "").lower() in _THEME_WHITES:
            text: Rgb | None = WHITE
        else:
            text = _hex_rgb(colour.get(qn("w:val")))  # "auto" is black or white, whichever can be read
        return text is None or contrast(text, painted) >= MIN_CONTRAST


def _visible_text(paragraph: Paragraph, visibility: _Visibility, backdrop: Rgb | None = None) -> str:
    parts: list[str] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        parts.extend(run.text for run in runs if visibility.shows(run, paragraph, backdrop))
    return "".join(parts)


def _is_heading(paragraph: Paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "Title", "Subtitle"))


def _table_text(table: Table, visibility: _Visibility) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            shading = _fill(cell._tc.tcPr)
            text = " ".join(_visible_text(p, visibility, shading) for p in cell.paragraphs)
            cells.append(" ".join(text.split()))
        rows.append("\t".join(cells))
    return "\n".join(rows)


def _blocks(document: Any) -> tuple[list[str], str | None]:
    visibility = _Visibility(document)
    blocks: list[str] = []
    first_heading = None
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            text = _table_text(item, visibility)
        else:
            # Each paragraph (a heading too) is its own block, so a heading never runs into its body.
            text = _visible_text(item, visibility).strip()
            if text and first_heading is None and _is_heading(item):
                first_heading = text
        if text.strip():
            blocks.append(text)
    return blocks, first_heading


def load_docx(path: Path, settings: Settings) -> ExtractedDocument:
    check_container(path, settings)
    try:
        document = Document(str(path))
        blocks, first_heading = _blocks(document)
        title = (document.core_properties.title or "").strip() or first_heading
    except Exception as exc:  # python-docx raises many types (KeyError, lxml errors ...) on malformed parts
        raise DocumentError(str(path), f"could not be read as a Word document ({type(exc).__name__}: {exc})",
                            hint=_RESAVE_HINT) from exc
    return ExtractedDocument(
        path=str(path),
        media_type=MEDIA_TYPE,
        pages=(Page(number=1, text="\n\n".join(blocks), source="text"),),
        title_hint=title[:300] if title else None,
    )
