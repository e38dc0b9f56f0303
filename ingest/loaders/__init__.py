"""Loaders: one per file format; each returns an ExtractedDocument.

``load_document`` decides the format from the file's content first (a renamed file is read as
what it is), then from its extension, and refuses what it cannot read with a typed error that
names the file, says what is wrong and what to do.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from core.errors import DocumentError, EmptyDocumentError, FileTooLargeError, UnsupportedFormatError
from core.settings import Settings
from core.types import ExtractedDocument

_SUPPORTED_HINT = "Supported formats: PDF, TXT, Markdown, DOCX and HTML."
_SNIFF_BYTES = 8192

# Binary formats people drop in by mistake, with what to do about each.
_BINARY_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls/.ppt)", "Save it as .docx or PDF and add it again."),
    (b"\x89PNG", "a PNG image", "Put the image into a PDF and add the PDF; scanned pages are OCR'd."),
    (b"\xff\xd8\xff", "a JPEG image", "Put the image into a PDF and add the PDF; scanned pages are OCR'd."),
    (b"GIF8", "a GIF image", "Put the image into a PDF and add the PDF."),
    (b"II*\x00", "a TIFF image", "Put the image into a PDF and add the PDF; scanned pages are OCR'd."),
    (b"MM\x00*", "a TIFF image", "Put the image into a PDF and add the PDF; scanned pages are OCR'd."),
    (b"\x1f\x8b", "a gzip archive", "Unpack it and add the documents inside."),
    (b"7z\xbc\xaf", "a 7-Zip archive", "Unpack it and add the documents inside."),
    (b"Rar!", "a RAR archive", "Unpack it and add the documents inside."),
    (b"\x7fELF", "a program, not a document", _SUPPORTED_HINT),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml")
_HTML_ANYWHERE = (b"<html", b"<body", b"<head>")


def _sniff_zip(path: Path, suffix: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if suffix == ".docx":
            raise DocumentError(str(path), f"is not a readable Word document ({exc})",
                                hint="Open it in Word or LibreOffice, save it again as .docx, and re-add it.") from exc
        raise UnsupportedFormatError(str(path), "is a damaged ZIP archive, not a document",
                                     hint=_SUPPORTED_HINT) from exc
    if "word/document.xml" in names:
        return "docx"
    if suffix == ".docx":
        raise DocumentError(str(path), "is named .docx but has no word/document.xml inside (not a Word document)",
                            hint="Open it in Word or LibreOffice, save it as .docx, and re-add it.")
    raise UnsupportedFormatError(str(path), "is a ZIP archive (or an Excel/PowerPoint/OpenDocument file), "
                                 "not a supported document", hint=_SUPPORTED_HINT)


def _looks_like_html(head: bytes, suffix: str) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_HTML_STARTS) and (not text.startswith(b"<?xml") or b"<html" in text):
        return True
    # Markdown and text files may quote HTML; only unmarked files are judged by tags further in.
    if suffix in (".txt", ".md", ".markdown"):
        return False
    return any(marker in text for marker in _HTML_ANYWHERE)


def sniff_format(path: Path, head: bytes) -> str:
    """``"pdf" | "docx" | "html" | "text"`` from the content, then the extension; raises for anything else."""
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path, suffix)
    for magic, what, hint in _BINARY_MAGIC:
        if head.startswith(magic):
            raise UnsupportedFormatError(str(path), f"is {what}", hint=hint)
    if _looks_like_html(head, suffix):
        return "html"
    if suffix == ".pdf":
        raise DocumentError(str(path), "is named .pdf but is not a PDF (no %PDF header; damaged or mislabeled)",
                            hint="Download or export the PDF again and re-add it.")
    if suffix == ".docx":
        raise DocumentError(str(path), "is named .docx but is not a Word document (not a ZIP container)",
                            hint="Open it in Word or LibreOffice, save it as .docx, and re-add it.")
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".txt", ".md", ".markdown"):
        return "text"
    raise UnsupportedFormatError(str(path), f"has an unsupported file type ({suffix or 'no extension'})",
                                 hint=_SUPPORTED_HINT)


def unreadable(path: Path, exc: OSError) -> DocumentError:
    """The error for a file the operating system would not let us read."""
    return DocumentError(str(path), f"cannot be read ({exc.strerror or exc})", hint="Check the file's permissions.")


def _check_size(path: Path, settings: Settings) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise DocumentError(str(path), "does not exist", hint="Check the path and try again.") from exc
    except OSError as exc:
        raise unreadable(path, exc) from exc
    if not path.is_file():
        raise DocumentError(str(path), "is not a regular file", hint="Give the path of a document file.")
    if size == 0:
        raise EmptyDocumentError(str(path), "is empty (0 bytes)", hint="Copy or download the file again.")
    limit = settings.ingest.max_file_mb
    if size > limit * 1024 * 1024:
        raise FileTooLargeError(str(path), f"is {size / 1024 / 1024:.1f} MB, above the {limit:g} MB limit",
                                hint="Split the document, or raise ingest.max_file_mb (BK_INGEST__MAX_FILE_MB).")


def _loader(kind: str) -> Callable[[Path, Settings], ExtractedDocument]:
    # Imported lazily so that reading a text file does not load pdfium, lxml or Tesseract.
    if kind == "pdf":
        from ingest.loaders.pdf import load_pdf

        return load_pdf
    if kind == "docx":
        from ingest.loaders.docx import load_docx

        return load_docx
    if kind == "html":
        from ingest.loaders.html import load_html

        return load_html
    from ingest.loaders.text import load_text

    return load_text


def load_document(path: Path, settings: Settings) -> ExtractedDocument:
    """The pages of one file. Raises a ``DocumentError`` subclass (with a user message) when it cannot."""
    path = Path(path)
    _check_size(path, settings)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        raise unreadable(path, exc) from exc
    document = _loader(sniff_format(path, head))(path, settings)
    if not any(page.text.strip() for page in document.pages) and not any(page.note for page in document.pages):
        raise EmptyDocumentError(str(path), "contains no text", hint="Check that the file has content.")
    return document
