"""A hostile corpus, generated here, run through ``map_isolated(load_document)`` as an ingest would.

Each file must end within its limits with a named ``DocumentError`` or a sane document, and no
file may be lost: the good files in the same batch still load.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import DocumentError, EmptyDocumentError, EncryptedDocumentError
from core.settings import PROJECT_ROOT, Settings
from core.types import ExtractedDocument
from ingest.loaders import load_document
from ingest.workers import map_isolated
from tests import filemakers

TIMEOUT_S = 20.0
MEMORY_MB = 1024
SURABAYA = PROJECT_ROOT / "documents" / "regulations" / "perwali_surabaya_68_2021_sotk_sekretariat_dprd.pdf"

Outcome = ExtractedDocument | DocumentError
Check = Callable[[Outcome], bool]


def _error(*classes: type[DocumentError], says: str = "") -> Check:
    def check(outcome: Outcome) -> bool:
        return isinstance(outcome, classes) and says in outcome.message
    return check


def _document(predicate: Callable[[ExtractedDocument], bool]) -> Check:
    def check(outcome: Outcome) -> bool:
        return isinstance(outcome, ExtractedDocument) and predicate(outcome)
    return check


def _either(predicate: Callable[[ExtractedDocument], bool]) -> Check:
    """A named error, or a document that passes ``predicate`` (a sane result of a damaged file)."""
    def check(outcome: Outcome) -> bool:
        return isinstance(outcome, DocumentError) or (isinstance(outcome, ExtractedDocument) and predicate(outcome))
    return check


def _text(doc: ExtractedDocument) -> str:
    return "\n".join(page.text for page in doc.pages)


def _small(doc: ExtractedDocument) -> bool:
    return len(_text(doc)) < 1_000_000


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def hostile_corpus(folder: Path) -> dict[Path, Check]:
    """Every hostile file with what must come of it."""
    f = folder
    return {
        filemakers.flate_bomb_pdf(f / "flate_bomb.pdf", expanded_mb=1024): _either(_small),
        filemakers.circular_xref_pdf(f / "circular_xref.pdf"): _either(lambda d: "Pasal 1" in _text(d)),
        filemakers.cyclic_page_tree_pdf(f / "cyclic_pages.pdf"): _either(lambda d: len(d.pages) <= 2),
        filemakers.huge_length_pdf(f / "huge_length.pdf"): _either(_small),
        filemakers.text_pdf(f / "encrypted.pdf", user_password="rahasia"): _error(EncryptedDocumentError,
                                                                                  says="password"),
        _write(f / "zero.pdf", b""): _error(EmptyDocumentError),
        filemakers.truncated_pdf(f / "truncated.pdf", SURABAYA, keep=0.4): _either(lambda d: len(d.pages) >= 1),
        _write(f / "page.pdf", b"<!DOCTYPE html><html><body><p>Kota Kendari</p></body></html>"):
            _document(lambda d: d.media_type == "text/html" and "Kota Kendari" in _text(d)),
        filemakers.scanned_pdf(f / "image_only.pdf"):
            _document(lambda d: d.pages[0].source == "ocr" and "KETENTUAN" in d.pages[0].text),
        filemakers.docx_zip_bomb(f / "zip_bomb.docx", expanded_mb=256): _error(DocumentError, says="zip bomb"),
        filemakers.docx_with_entity(f / "external_entity.docx"): _error(DocumentError, says="DTD"),
        filemakers.docx_with_entity(f / "billion_laughs.docx", billion_laughs=True): _error(DocumentError, says="DTD"),
        filemakers.deep_html(f / "deep.html", depth=10_000): _document(lambda d: "teks terdalam" in _text(d)),
        filemakers.dirty_text(f / "dirty.txt"):
            _document(lambda d: "\x00" not in _text(d) and "Tahun 2020" in _text(d)),
        filemakers.long_line_text(f / "long_line.txt", mb=50): _document(lambda d: len(_text(d)) >= 50 * 1024 * 1024),
        filemakers.text_pdf(f / "good.pdf"): _document(lambda d: "BAB III KETENTUAN PENUTUP" in d.pages[2].text),
        filemakers.docx_file(f / "good.docx"): _document(lambda d: "BAB I KETENTUAN UMUM" in _text(d)),
    }


@pytest.fixture
def hostile_settings(tmp_path: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={
        "store": base.store.model_copy(update={"data_dir": tmp_path / "data"}),
        "ocr": base.ocr.model_copy(update={"max_pages": 1}),
        "ingest": base.ingest.model_copy(update={"parse_timeout_s": TIMEOUT_S, "parse_memory_mb": MEMORY_MB}),
    })


def test_hostile_corpus_ends_in_named_errors_or_sane_documents(tmp_path: Path, hostile_settings: Settings) -> None:
    corpus_dir = tmp_path / "hostile"
    corpus_dir.mkdir()
    corpus = hostile_corpus(corpus_dir)
    started = time.monotonic()
    outcomes: dict[Path, Outcome] = {}
    for path, outcome in map_isolated(load_document, list(corpus), workers=2, timeout_s=TIMEOUT_S,
                                      memory_mb=MEMORY_MB, args=(hostile_settings,)):
        assert path not in outcomes, f"{path.name} reported twice"
        outcomes[path] = outcome
    elapsed = time.monotonic() - started
    assert set(outcomes) == set(corpus), "a file was lost"
    failures = {path.name: _describe(outcomes[path]) for path, check in corpus.items() if not check(outcomes[path])}
    assert not failures, failures
    for path, outcome in outcomes.items():
        if isinstance(outcome, DocumentError):
            assert path.name in outcome.message, "the error must name the file"
    # Two workers, and no file may use its whole deadline: all of them together stay well below it.
    assert elapsed < len(corpus) / 2 * TIMEOUT_S / 4, f"hostile corpus took {elapsed:.1f} s"


def _describe(outcome: Outcome) -> str:
    if isinstance(outcome, DocumentError):
        return f"{type(outcome).__name__}: {outcome.message}"
    return f"document {outcome.media_type}, {len(outcome.pages)} page(s): {_text(outcome)[:120]!r}"
