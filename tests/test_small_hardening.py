"""The small holes of issue 16: a file download racing a delete is a 404 (never a 500), upload spool folders
left by a killed server are removed by recovery, and a PDF with nothing on it to read is refused like a blank
one, whether or not OCR runs."""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfWriter

from api.app import create_app
from core.errors import EmptyDocumentError, NotFoundError
from core.settings import Settings
from ingest.library import LibraryWriter
from ingest.loaders import load_document
from testing.corpus import make_settings
from testing.filemakers import _assemble_pdf, _page_objects, flate_bomb_pdf, scanned_pdf, text_pdf
from vectorstore.library import Library


def test_an_opened_original_outlives_a_delete_and_a_later_open_is_not_found(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    path = text_pdf(tmp_path / "perwali.pdf")
    with LibraryWriter.open(settings) as library:
        doc_id = library.ingest_paths([path])[0].doc_id
        assert doc_id is not None
        handle = library.open_stored_file(doc_id)
        library.delete_document(doc_id)
        with handle:
            assert handle.read() == path.read_bytes()
        with pytest.raises(NotFoundError):
            library.open_stored_file(doc_id)


def test_file_downloads_racing_deletes_are_200_or_404_never_500(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    path = text_pdf(tmp_path / "perwali.pdf")
    statuses: Counter[int] = Counter()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        library = client.app.state.services.writer  # type: ignore[attr-defined]
        for _ in range(6):
            with client.app.state.services.write_lock:  # type: ignore[attr-defined]
                doc_id = library.ingest_paths([path])[0].doc_id
            stop = threading.Event()

            def download(doc_id: str | None = doc_id, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    response = client.get(f"/documents/{doc_id}/file")
                    statuses[response.status_code] += 1
                    if response.status_code == 200:
                        assert response.content == path.read_bytes()

            readers = [threading.Thread(target=download) for _ in range(4)]
            for reader in readers:
                reader.start()
            statuses[client.delete(f"/documents/{doc_id}").status_code] += 1
            stop.set()
            for reader in readers:
                reader.join()
    assert set(statuses) <= {200, 204, 404}, statuses
    assert statuses[204] == 6 and statuses[200] > 0


def test_a_server_beside_another_writer_reads_and_refuses_every_write(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    with LibraryWriter.open(settings) as writer:  # a CLI ingest holding the writer lock
        doc_id = writer.ingest_paths([text_pdf(tmp_path / "perwali.pdf")])[0].doc_id
        assert doc_id is not None
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            services = client.app.state.services  # type: ignore[attr-defined]
            assert services.writer is None and not isinstance(services.library, LibraryWriter)
            assert client.get("/health").json()["status"] == "degraded"
            assert client.get(f"/documents/{doc_id}").json()["doc_id"] == doc_id
            refused = [client.delete(f"/documents/{doc_id}"), client.post("/admin/reindex"),
                       client.post("/documents", files={"file": ("a.txt", b"Pasal 1", "text/plain")})]
            assert [r.status_code for r in refused] == [423, 423, 423]
            assert {r.json()["error"]["code"] for r in refused} == {"read_only"}
        assert writer.document(doc_id).doc_id == doc_id


def test_recovery_removes_upload_spool_folders_a_killed_server_left(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    spool = settings.store.data_dir / "uploads" / "0f3c5e9a2b7d4c1e8f6a9b0c1d2e3f4a"
    spool.mkdir(parents=True)
    (spool / "perwali.pdf").write_bytes(b"%PDF-1.4 half an upload")
    with Library.open(settings):
        assert spool.exists()  # a reader never removes what a writer may be using
    with LibraryWriter.open(settings) as library:
        assert library.upload_dir == settings.store.data_dir / "uploads"
        assert not spool.exists() and library.upload_dir.is_dir()


def _no_ocr(tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path / "data")
    return settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"enabled": False})})


def _empty_pdfs(folder: Path) -> list[Path]:
    blank = folder / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    writer.write(blank)
    drawing_only = folder / "drawing_only.pdf"
    drawing_only.write_bytes(_assemble_pdf(_page_objects(zlib.compress(b"q 1 0 0 1 0 0 cm 0 0 m 100 100 l S Q"),
                                                         b" /Filter /FlateDecode")))
    empty_stream = folder / "empty_stream.pdf"
    empty_stream.write_bytes(_assemble_pdf(_page_objects(zlib.compress(b""), b" /Filter /FlateDecode")))
    undecodable = folder / "undecodable.pdf"
    undecodable.write_bytes(_assemble_pdf(_page_objects(b"x\x9c not zlib at all", b" /Filter /FlateDecode")))
    return [blank, drawing_only, empty_stream, undecodable]


@pytest.mark.parametrize("ocr", [False, True])
def test_a_pdf_whose_streams_decode_to_no_text_is_refused_like_a_blank_one(tmp_path: Path, ocr: bool) -> None:
    settings = _no_ocr(tmp_path) if not ocr else make_settings(tmp_path / "data")
    for path in _empty_pdfs(tmp_path):
        with pytest.raises(EmptyDocumentError, match=path.name):
            load_document(path, settings)


def test_a_scan_without_ocr_is_kept_with_its_warning_and_a_bomb_is_not_taken_for_empty(tmp_path: Path) -> None:
    settings = _no_ocr(tmp_path)
    scan = load_document(scanned_pdf(tmp_path / "scan.pdf"), settings)
    assert scan.pages[0].text == "" and any("OCR disabled" in w for w in scan.warnings)
    bomb = load_document(flate_bomb_pdf(tmp_path / "bomb.pdf", expanded_mb=1024), settings)
    assert "decompression" in (bomb.pages[0].note or "")
