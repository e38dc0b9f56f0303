"""The hostile corpus: files built to hang, exhaust or crash a parser (Flate and zip bombs, cyclic page trees,
entity expansion, a 50 MB line ...) and what must come of each, for tests/test_hostile_files.py and
scripts/reliability.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import DocumentError, EmptyDocumentError, EncryptedDocumentError
from core.settings import PROJECT_ROOT, Settings
from core.types import ExtractedDocument
from testing import filemakers

TIMEOUT_S = 20.0
MEMORY_MB = 1024
SURABAYA = PROJECT_ROOT / "documents" / "regulations" / "perwali_surabaya_68_2021_sotk_sekretariat_dprd.pdf"

Outcome = ExtractedDocument | DocumentError


@dataclass(frozen=True)
class Expect:
    """What must come of one hostile file: a document passing ``check``, or exactly ``error`` saying ``says``."""

    describe: str
    check: Callable[[Outcome], bool]
    error: type[DocumentError] | None = None


def expect_error(cls: type[DocumentError], says: str) -> Expect:
    def check(outcome: Outcome) -> bool:
        return type(outcome) is cls and says in outcome.message  # a subclass (timeout, crash) is another outcome
    return Expect(f"{cls.__name__} saying {says!r}", check, cls)


def _document(describe: str, predicate: Callable[[ExtractedDocument], bool]) -> Expect:
    def check(outcome: Outcome) -> bool:
        return isinstance(outcome, ExtractedDocument) and predicate(outcome)
    return Expect(describe, check)


def _text(doc: ExtractedDocument) -> str:
    return "\n".join(page.text for page in doc.pages)


def _content_skipped(doc: ExtractedDocument) -> bool:
    """A bomb's page kept as an empty page that says why, never expanded."""
    page = doc.pages[0]
    return len(doc.pages) == 1 and page.source == "none" and not page.text and "decompression" in (page.note or "")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def hostile_corpus(folder: Path, *, long_line_mb: float = 50) -> dict[Path, Expect]:
    """Every hostile file with what must come of it."""
    f = folder
    return {
        filemakers.flate_bomb_pdf(f / "flate_bomb.pdf", expanded_mb=1024):
            _document("one empty page noting the decompression limit", _content_skipped),
        filemakers.circular_xref_pdf(f / "circular_xref.pdf"):
            _document("its one page of text", lambda d: len(d.pages) == 1 and "Pasal 1 berlaku" in _text(d)),
        filemakers.cyclic_page_tree_pdf(f / "cyclic_pages.pdf"): expect_error(DocumentError, says="cyclic page"),
        filemakers.huge_length_pdf(f / "huge_length.pdf"):
            _document("one empty page noting the decompression limit", _content_skipped),
        filemakers.text_pdf(f / "encrypted.pdf", user_password="rahasia"):
            expect_error(EncryptedDocumentError, says="password"),
        _write(f / "zero.pdf", b""): expect_error(EmptyDocumentError, says="empty"),
        filemakers.truncated_pdf(f / "truncated.pdf", SURABAYA, keep=0.4):
            _document("the pages that arrived, title block first",
                      lambda d: len(d.pages) >= 10 and "PERATURAN WALIKOTA SURABAYA" in d.pages[0].text),
        _write(f / "page.pdf", b"<!DOCTYPE html><html><body><p>Kota Kendari</p></body></html>"):
            _document("an HTML page", lambda d: d.media_type == "text/html" and "Kota Kendari" in _text(d)),
        filemakers.scanned_pdf(f / "image_only.pdf"):
            _document("its OCR'd text", lambda d: d.pages[0].source == "ocr" and "KETENTUAN" in d.pages[0].text),
        filemakers.docx_zip_bomb(f / "zip_bomb.docx", expanded_mb=256): expect_error(DocumentError, says="zip bomb"),
        filemakers.docx_with_entity(f / "external_entity.docx"): expect_error(DocumentError, says="DTD"),
        filemakers.docx_with_entity(f / "billion_laughs.docx", billion_laughs=True):
            expect_error(DocumentError, says="DTD"),
        filemakers.deep_html(f / "deep.html", depth=10_000):
            _document("the innermost text", lambda d: "teks terdalam" in _text(d)),
        filemakers.dirty_text(f / "dirty.txt"):
            _document("the text without NUL bytes", lambda d: "\x00" not in _text(d) and "Tahun 2020" in _text(d)),
        filemakers.long_line_text(f / "long_line.txt", mb=long_line_mb):
            _document("all of it", lambda d: len(_text(d)) >= int(long_line_mb * 1024 * 1024)),
        filemakers.text_pdf(f / "good.pdf"):
            _document("all three pages", lambda d: "BAB III KETENTUAN PENUTUP" in d.pages[2].text),
        filemakers.docx_file(f / "good.docx"): _document("its heading", lambda d: "BAB I KETENTUAN UMUM" in _text(d)),
    }


def hostile_settings(data_dir: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={
        "store": base.store.model_copy(update={"data_dir": data_dir}),
        "ocr": base.ocr.model_copy(update={"max_pages": 1}),
        "ingest": base.ingest.model_copy(update={"parse_timeout_s": TIMEOUT_S, "parse_memory_mb": MEMORY_MB}),
    })


def describe_outcome(outcome: Outcome) -> str:
    if isinstance(outcome, DocumentError):
        return f"{type(outcome).__name__}: {outcome.message}"
    return f"document {outcome.media_type}, {len(outcome.pages)} page(s): {_text(outcome)[:120]!r}"
