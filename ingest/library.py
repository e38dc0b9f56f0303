"""The writing side of a library (:class:`LibraryWriter`): ingest, delete, recovery and the lexical index's
rebuild, over the read side it extends (``vectorstore.library.Library``). The CLI, the API, the queue workers,
the benchmark and the tests that build stores write through it.

Crash consistency: every document goes pending → parsed → embedded → committed in the catalog's ingest
records. Anything not committed when a run starts is rolled back (its passages and catalog rows removed)
and ingested again, so after ``kill -9`` at any moment each document is either fully present or absent.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Self

import psutil

from core.errors import DocumentError
from core.gazetteer import Gazetteer
from core.settings import Settings
from core.types import SUPPORTED_SUFFIXES, DocumentMeta, IngestOutcome
from ingest.pipeline import (
    READER_VERSION,
    ProcessedDocument,
    attach_passages,
    content_hash,
    doc_id_for,
    process_path,
)
from ingest.workers import map_isolated
from vectorstore.catalog import Catalog
from vectorstore.chroma_store import PassageStore
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.lexical_postgres import PostgresLexicalIndex
from vectorstore.library import Library, open_parts
from vectorstore.locking import writer_lock

logger = logging.getLogger(__name__)

Progress = Callable[[IngestOutcome], None]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: folders are walked (hidden files and the manifest skipped); named files are kept as given
    so that an unsupported one is reported rather than silently ignored."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return list(dict.fromkeys(p.resolve() for p in found))


class LibraryWriter(Library):
    """A library opened for writing: the read side, and ingest, delete and the lexical index's rebuild."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: PassageStore,
        catalog: Catalog,
        gazetteer: Gazetteer,
        lock: AbstractContextManager[Path] | None = None,
    ) -> None:
        super().__init__(settings, embedder, store, catalog, gazetteer)
        self._lock = lock

    @classmethod
    def open(cls, settings: Settings, *, recover: bool = True) -> Self:
        """``recover=False`` is for a queue worker, which rolls back abandoned documents one at a time under
        each document's lock (``ingest/queue/tasks.py``) rather than all at once beside other live workers."""
        lock = None
        if not settings.store.chroma_host:
            # Chroma's embedded mode is not process-safe: one writer per folder, and a second fails fast.
            settings.store.data_dir.mkdir(parents=True, exist_ok=True)
            lock = writer_lock(settings.store.data_dir)
            lock.__enter__()
        try:
            library = cls(settings, *open_parts(settings), lock)
        except BaseException:
            if lock is not None:
                lock.__exit__(None, None, None)
            raise
        if recover:
            try:
                library.recover()
            except BaseException:
                library.close()  # releases the lock, so that the next writer is not refused
                raise
        return library

    # -- writing ---------------------------------------------------------------------------------------

    def _rebuild_stale_lexical(self) -> LexicalIndex:
        index = self.rebuild_lexical()
        assert isinstance(index, LexicalIndex)  # only the embedded index is ever stale
        return index

    def _stale_marker(self) -> Path:
        return self.settings.store.data_dir / "lexical.stale"

    def _mark_lexical_stale(self) -> None:
        """Written before the store changes and removed once the saved index matches it again: a run killed in
        between (even during the save itself, when every document is already committed and a resumed run finds
        nothing to do) leaves the marker, and the next writer rebuilds the index on start. The database's index
        needs none: a document's postings are written and removed in one transaction each, with its ingest."""
        if self._server_lexical is None:
            self._stale_marker().touch()

    def rebuild_lexical(self) -> LexicalIndex | PostgresLexicalIndex:
        """The whole index built again from the store (the CLI's ``rebuild-index``, ``POST /admin/reindex``)."""
        self._stage("lexical_save")
        if self._server_lexical is not None:
            self._server_lexical.current().rebuild(self.store.iter_passages())
            self._stale_marker().unlink(missing_ok=True)
            return self._server_lexical.refresh()
        index = LexicalIndex.from_store(self.store)
        index.save(self._lexical_dir())  # staged in a folder of this process's own, then swapped in
        self._lexical_stamp = self._lexical_stamp_now()
        self._stale_marker().unlink(missing_ok=True)
        self._lexical = index
        return index

    def _lexical_changed(self) -> None:
        """After documents were stored or removed: the embedded index is rebuilt; the database's already holds the
        change, and this process's readers are pointed at it at once."""
        if self._server_lexical is not None:
            self._server_lexical.refresh()
        else:
            self.rebuild_lexical()

    def recover(self) -> list[str]:
        """Roll back documents an interrupted run left half-written (or half-removed), so the next ingest redoes
        them. Through a Chroma server other processes may be writing: their records are left alone while they
        live."""
        self._remove_upload_spools()
        rolled_back = []
        for record in self.catalog.unfinished_ingests():
            if self.settings.store.chroma_host and writer_alive(record.owner):
                continue
            self._remove(record.doc_id)
            rolled_back.append(record.doc_id)
        if rolled_back:
            logger.warning("rolled back %d document(s) left unfinished by an interrupted ingest", len(rolled_back))
        if self._stale_marker().exists() or self._server_lexical_missing():
            self.rebuild_lexical()
        elif rolled_back:
            self._lexical_changed()
        return rolled_back

    def _server_lexical_missing(self) -> bool:
        """A store first opened with ``BK_STORE__LEXICAL=postgres`` (it was embedded before) has an empty index."""
        return self._server_lexical is not None and not len(self._server_lexical.current()) and self.store.count() > 0

    def _stage(self, stage: str, doc_id: str = "") -> None:
        """Reports a stage as it starts (``BK_INGEST__PROGRESS_FILE``); written before the work, so a reader
        that sees a stage knows the ingest is in it or past it."""
        target = self.settings.ingest.progress_file
        if target is None:
            return
        line = json.dumps({"stage": stage, "doc_id": doc_id, "pid": os.getpid(), "time": time.time()})
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    @property
    def upload_dir(self) -> Path:
        """Where the API spools uploads, one folder per upload, until their ingest job ends."""
        return self.settings.store.data_dir / "uploads"

    def _remove_upload_spools(self) -> None:
        """Spool folders left by a server killed mid-upload or mid-job: no job of this process exists yet, and
        the writer lock means no other process has one. Through a Chroma server there is no lock, and another
        API's uploads may be in flight, so they are left to their own server."""
        if self._lock is None or not self.upload_dir.is_dir():
            return
        spools = [p for p in self.upload_dir.iterdir() if p.is_dir() and not p.is_symlink()]
        for spool in spools:
            shutil.rmtree(spool, ignore_errors=True)
        if spools:
            logger.warning("removed %d upload spool folder(s) left by an interrupted server", len(spools))

    def ingest_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> list[IngestOutcome]:
        outcomes = []
        for outcome in self._ingest(discover(paths)):
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        return outcomes

    def iter_ingest(self, paths: Iterable[Path]) -> Iterator[IngestOutcome]:
        """Like ``ingest_paths`` but yields each file's outcome as soon as it is known (for progress bars)."""
        yield from self._ingest(discover(paths))

    def ingest_one(self, path: Path, *, save_lexical: bool = True) -> IngestOutcome:
        """One file, as a queue task ingests it; ``save_lexical=False`` leaves the lexical index for the caller
        to rebuild under its own lock (several workers share it)."""
        return list(self._ingest([path.resolve()], save_lexical=save_lexical))[0]

    def roll_back_unfinished(self, doc_id: str) -> bool:
        """Remove what an interrupted ingest or delete of ``doc_id`` left behind; False when it is whole or absent.
        Only for a caller that knows no live writer is on the document (a queue task holding its lock)."""
        record = self.catalog.get_ingest_record(doc_id)
        if record is None or record.state == "committed":
            return False
        logger.warning("rolling back %s, left %s by %s", doc_id, record.state, record.owner)
        self._remove(doc_id)
        return True

    def _ingest(self, files: list[Path], *, save_lexical: bool = True) -> Iterator[IngestOutcome]:
        todo: list[Path] = []
        pending: dict[Path, str] = {}
        changed = False
        for path in files:
            doc_id, unchanged = self._unchanged(path)
            if unchanged is not None:
                yield unchanged
                continue
            todo.append(path)
            if doc_id is not None:
                self.catalog.set_ingest_state(doc_id, str(path), "pending", owner=writer_id())
                pending[path] = doc_id
        ingest = self.settings.ingest
        if todo:
            self._stage("parse")
        try:
            for path, result in map_isolated(
                process_path,
                todo,
                workers=ingest.workers,
                timeout_s=ingest.parse_timeout_s,
                memory_mb=ingest.parse_memory_mb,
                args=(self.settings,),
            ):
                if isinstance(result, BaseException):
                    # Nothing of it was stored: its pending record goes, so no later start "rolls it back".
                    self.catalog.delete_document(pending.get(path, ""))
                    yield _failed(path, result)
                    continue
                try:
                    outcome = self._commit(path, result)
                except DocumentError as exc:
                    outcome = _failed(path, exc)
                changed = changed or outcome.status in ("added", "replaced")
                yield outcome
        finally:
            if changed and save_lexical:
                self._lexical_changed()

    def _unchanged(self, path: Path) -> tuple[str | None, IngestOutcome | None]:
        """The file's document id, and its outcome when there is nothing to do (unchanged, or unreadable)."""
        try:
            doc_id = doc_id_for(content_hash(path))
        except OSError as exc:
            return None, _failed(path, DocumentError(str(path), f"cannot be read ({exc.strerror})"))
        meta = self.catalog.get_document(doc_id)
        if meta is None or self.catalog.ingest_state(doc_id) != "committed":
            return doc_id, None
        if meta.reader < READER_VERSION:
            logger.info("%s: read again, as this version reads documents differently from the one that ingested it",
                        path.name)
            return doc_id, None
        return doc_id, IngestOutcome(path=str(path), status="unchanged", doc_id=doc_id,
                                     passages=meta.passage_count, pages=meta.page_count, warnings=meta.warnings)

    def _commit(self, path: Path, doc: ProcessedDocument) -> IngestOutcome:
        started = time.perf_counter()
        meta = doc.meta.model_copy(update={"embedding_model": self.embedder.model_id,
                                           "source": f"files/{doc.meta.doc_id}{path.suffix.lower()}"})
        doc_id = meta.doc_id
        previous = self.catalog.find_by_original_path(str(path))
        replaced = previous is not None and previous.doc_id != doc_id
        earlier = self.catalog.get_document(doc_id)
        reread = earlier is not None and earlier.reader < READER_VERSION
        if previous is not None and replaced:
            # The old version goes first: a crash in between leaves the document absent, never doubled.
            self._remove(previous.doc_id)
        self._mark_lexical_stale()
        self.catalog.set_ingest_state(doc_id, str(path), "parsed", owner=writer_id())
        self._stage("embed", doc_id)
        vectors = self.embedder.embed_passages([p.embedded_text for p in doc.passages])
        embed_s = time.perf_counter() - started
        self.catalog.set_ingest_state(doc_id, str(path), "embedded", owner=writer_id())
        started = time.perf_counter()
        self._stage("chroma_write", doc_id)
        self.store.delete_document(doc_id)
        self.store.add(doc.passages, vectors, doc_fields={"year": meta.year, "doc_type": meta.doc_type})
        if self._server_lexical is not None:
            self._server_lexical.current().put_document(doc_id, doc.passages)
        stored = self.settings.store.data_dir / meta.source
        stored.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, stored)
        self._stage("catalog_commit", doc_id)
        self.catalog.put_document(meta, doc.clean, source_path=meta.source, original_path=str(path))
        outline = attach_passages(doc.legal.outline, doc.passages) if doc.legal else ()
        self.catalog.put_regulations(
            doc_id,
            doc.mentions,
            own=meta.regulation,
            relations=list(doc.legal.relations) if doc.legal else [],
            outline=outline,
            amendments=doc.legal.amendments if doc.legal else (),
        )
        if doc.indicators:
            self.catalog.put_indicators(doc_id, doc.indicators)
        self.catalog.set_ingest_state(doc_id, str(path), "committed", owner=writer_id())
        timings = {**doc.timings, "embed": embed_s, "store": time.perf_counter() - started}
        return IngestOutcome(path=str(path), status="replaced" if replaced or reread else "added", doc_id=doc_id,
                             passages=len(doc.passages), pages=meta.page_count, seconds=sum(timings.values()),
                             timings=timings, warnings=meta.warnings)

    def _remove(self, doc_id: str) -> None:
        """Marked unfinished, then passages, stored file and catalog rows: the ingest record goes last, so that a
        crash part-way leaves it for :meth:`recover` to finish."""
        record = self.catalog.get_ingest_record(doc_id)
        if record is not None and record.state == "committed":
            self.catalog.set_ingest_state(doc_id, record.path, "pending", owner=writer_id())
        self._stage("delete", doc_id)
        self._mark_lexical_stale()
        self.store.delete_document(doc_id)
        if self._server_lexical is not None:
            self._server_lexical.current().delete_document(doc_id)
        for stored in (self.settings.store.data_dir / "files").glob(f"{doc_id}.*"):
            stored.unlink(missing_ok=True)
        self.catalog.delete_document(doc_id)

    def delete_document(self, doc_id: str) -> DocumentMeta:
        meta = self.document(doc_id)
        self._remove(doc_id)
        self._lexical_changed()
        return meta

    def close(self) -> None:
        super().close()
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None


def writer_id() -> str:
    """Who writes an ingest record ("host:pid"), so that a writer sharing a Chroma server knows whose
    unfinished work it sees."""
    return f"{socket.gethostname()}:{os.getpid()}"


def writer_alive(owner: str | None) -> bool:
    """Is the process that wrote an ingest record ("host:pid") still running? A record of another host is
    taken as alive: only its own host can tell, and rolling back a live ingest would lose its work."""
    if not owner or ":" not in owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    return pid.isdigit() and int(pid) != os.getpid() and psutil.pid_exists(int(pid))


def _failed(path: Path, error: BaseException) -> IngestOutcome:
    message = error.message if isinstance(error, DocumentError) else f"{path}: {error}"
    code = getattr(error, "code", "error")
    logger.error("%s", message)
    return IngestOutcome(path=str(path), status="failed", error=message, error_code=code,
                         hint=getattr(error, "hint", None))
