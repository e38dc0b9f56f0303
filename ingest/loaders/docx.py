"""DOCX: paragraphs and tables in document order, after the container has been checked.

A DOCX is a ZIP of XML parts, so two attacks come with the format: a zip bomb (tiny file,
gigabytes declared inside) and XML entity tricks (billion laughs, external entities reading
local files). Both are refused before python-docx parses anything: the declared sizes and entry
count are checked against the limits, and every XML part is pre-parsed by defusedxml with DTDs
forbidden — a Word document never needs a DTD.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from core.errors import DocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page

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


def _is_heading(paragraph: Paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "Title", "Subtitle"))


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        rows.append("\t".join(cells))
    return "\n".join(rows)


def _blocks(document: object) -> tuple[list[str], str | None]:
    blocks: list[str] = []
    first_heading = None
    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            text = _table_text(item)
        else:
            # Each paragraph (a heading too) is its own block, so a heading never runs into its body.
            text = item.text.strip()
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
