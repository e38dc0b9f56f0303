"""Recovery from an interrupted run: a replacement cut off part-way heals on the next start, a failed parse
leaves no record behind, and through a Chroma server another live writer's unfinished work is left alone."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.library import LibraryWriter, writer_alive, writer_id
from testing.chroma_server import running_chroma_server
from testing.consistency import check_library
from testing.corpus import make_settings
from testing.filemakers import SAMPLE_PAGES, garbage_pdf, text_pdf


def test_a_replacement_cut_off_after_the_old_passages_went_heals_on_the_next_start(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    path = text_pdf(tmp_path / "perwali.pdf")
    original = path.read_bytes()
    with LibraryWriter.open(settings) as library:
        old = library.ingest_paths([path])[0]
        assert old.doc_id is not None
        # What _commit does for a changed file, up to a kill -9: marked unfinished, then its passages deleted.
        library.catalog.set_ingest_state(old.doc_id, str(path), "pending", owner=writer_id())
        library.store.delete_document(old.doc_id)
    with LibraryWriter.open(settings) as library:
        assert library.catalog.get_document(old.doc_id) is None
        assert not list((settings.store.data_dir / "files").glob(f"{old.doc_id}.*"))
        path.write_bytes(original)
        again = library.ingest_paths([path])[0]
        assert again.status == "added" and again.doc_id == old.doc_id and again.passages == old.passages
        assert check_library(library).ok


def test_a_file_that_fails_to_parse_leaves_no_ingest_record(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    with LibraryWriter.open(settings) as library:
        outcome = library.ingest_paths([garbage_pdf(tmp_path / "rusak.pdf")])[0]
        assert outcome.status == "failed"
        assert library.catalog.unfinished_ingests() == []
    with LibraryWriter.open(settings) as library:
        assert library.recover() == []


def test_a_record_is_alive_while_its_writer_process_is() -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert writer_alive(f"{socket.gethostname()}:{sleeper.pid}")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not writer_alive(f"{socket.gethostname()}:{sleeper.pid}")
    assert not writer_alive(writer_id())  # this very process has nothing in flight when it recovers
    assert writer_alive("another-host:1")  # only that host can tell
    assert not writer_alive(None)


@pytest.mark.slow
def test_through_a_server_recovery_leaves_another_live_writers_ingest_alone(tmp_path: Path) -> None:
    with running_chroma_server(tmp_path / "chroma") as server:
        settings = make_settings(tmp_path / "data")
        settings = settings.model_copy(update={"store": settings.store.model_copy(
            update={"chroma_host": server.host, "chroma_port": server.port})})
        with LibraryWriter.open(settings) as library:
            mine = library.ingest_paths([text_pdf(tmp_path / "a.pdf")])[0]
            theirs = library.ingest_paths([text_pdf(tmp_path / "b.pdf", SAMPLE_PAGES[:1])])[0]
            assert mine.doc_id is not None and theirs.doc_id is not None
            # b.pdf is mid-ingest in a live process (the test runner's parent), a.pdf in a dead one.
            host = socket.gethostname()
            library.catalog.set_ingest_state(theirs.doc_id, "b.pdf", "embedded", owner=f"{host}:{os.getppid()}")
            library.catalog.set_ingest_state(mine.doc_id, "a.pdf", "embedded", owner=f"{host}:999999999")
        with LibraryWriter.open(settings) as library:
            assert library.store.doc_ids() == {theirs.doc_id}
            assert library.catalog.ingest_state(theirs.doc_id) == "embedded"


def test_a_delete_cut_off_after_the_passages_went_is_finished_on_the_next_start(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    with LibraryWriter.open(settings) as library:
        doc = library.ingest_paths([text_pdf(tmp_path / "perwali.pdf")])[0]
        assert doc.doc_id is not None
        # What _remove does, up to a kill -9: marked unfinished, then the passages deleted.
        library.catalog.set_ingest_state(doc.doc_id, str(tmp_path / "perwali.pdf"), "pending", owner=writer_id())
        library.store.delete_document(doc.doc_id)
    with LibraryWriter.open(settings) as library:
        assert library.documents() == [] and library.store.count() == 0
        assert not list((settings.store.data_dir / "files").iterdir())


def test_a_failed_file_says_what_to_do(tmp_path: Path) -> None:
    with LibraryWriter.open(make_settings(tmp_path / "data")) as library:
        locked = library.ingest_paths([text_pdf(tmp_path / "terkunci.pdf", user_password="rahasia")])[0]
    assert locked.status == "failed" and locked.hint and "password" in locked.hint.lower()


def test_a_run_killed_while_saving_the_lexical_index_has_it_rebuilt_on_the_next_start(tmp_path: Path) -> None:
    # Found by a kill -9 at the lexical_save stage of a first ingest: every document was committed, so the
    # resumed run had nothing to do and left the store without a saved lexical index.
    settings = make_settings(tmp_path / "data")
    with LibraryWriter.open(settings) as library:
        library.ingest_paths([text_pdf(tmp_path / "perwali.pdf")])
        library._mark_lexical_stale()  # what _commit does before it touches the store
    shutil.rmtree(settings.store.data_dir / "lexical")  # the save the kill cut off
    with LibraryWriter.open(settings) as library:
        # Saved by the start itself, before anything asks the library for its index.
        assert (settings.store.data_dir / "lexical").is_dir()
        assert not (settings.store.data_dir / "lexical.stale").exists()
        assert check_library(library).ok
