"""The ingest task: one file, run inside a worker process (``banding-kota worker``).

Each worker process opens one Library (the embedder loaded once) and keeps it between tasks. Parsing and OCR
run in the Library's isolated parse processes with the CLI's time and memory limits; embedding and storing
run here.
"""

from __future__ import annotations

import logging
import random
import shutil
import time
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis
from celery import Task

from core.settings import Settings, get_settings
from core.types import DeadLetter, IngestOutcome
from ingest.library import LibraryWriter, writer_alive
from ingest.pipeline import content_hash, doc_id_for
from ingest.queue import deadletters
from ingest.queue.locks import LEXICAL_LOCK, LockBusy, document_lock_name, held_lock

logger = logging.getLogger(__name__)

_library: LibraryWriter | None = None
LEXICAL_WANTED = "banding-kota:lexical:wanted"
LEXICAL_SAVED = "banding-kota:lexical:saved"
# A document locked by another worker is looked at again this soon (its ingest, or its lock's expiry, ends it).
BUSY_RETRY_S = 2.0


@lru_cache(maxsize=4)
def redis_client(url: str) -> redis.Redis:
    # Without a connect timeout a client waits on an unreachable host for as long as the kernel lets it.
    return redis.Redis.from_url(url, socket_connect_timeout=5)


def worker_library(settings: Settings) -> LibraryWriter:
    """This worker process's Library, opened on first use; abandoned documents are rolled back then, each under
    its own lock so that no live worker's document is touched."""
    global _library
    if _library is None:
        library = LibraryWriter.open(settings, recover=False)
        recover_abandoned(library, redis_client(settings.queue.url), settings.queue.lock_ttl_s)
        _library = library
    return _library


def close_worker_library() -> None:
    global _library
    if _library is not None:
        _library.close()
        _library = None


def recover_abandoned(library: LibraryWriter, client: redis.Redis, ttl_s: float) -> list[str]:
    """Roll back documents whose ingest a dead process left unfinished (a redelivered task would also, but its
    message may be gone with a broker that lost its data)."""
    rolled_back = []
    for record in library.catalog.unfinished_ingests():
        if writer_alive(record.owner):
            continue
        try:
            with held_lock(client, document_lock_name(record.doc_id), ttl_s, wait=False):
                if library.roll_back_unfinished(record.doc_id):
                    rolled_back.append(record.doc_id)
        except LockBusy:
            continue  # a live worker has taken the document over
    if rolled_back:
        _rebuild_lexical(library, client, ttl_s)
    return rolled_back


def _rebuild_lexical(library: LibraryWriter, client: redis.Redis, ttl_s: float) -> None:
    """Rebuild the shared lexical index after a document was stored, unless a rebuild begun since has saved it.
    A rebuild reads the whole store, so workers finishing together share one rather than queueing one each:
    every stored document draws a number, and a rebuild covers every number drawn before it started. The
    database's index (``BK_STORE__LEXICAL=postgres``) was written with the document itself."""
    if library.settings.store.lexical == "postgres":
        return
    wanted = int(client.incr(LEXICAL_WANTED))
    with held_lock(client, LEXICAL_LOCK, ttl_s, wait=True):
        if int(client.get(LEXICAL_SAVED) or 0) >= wanted:
            return
        covers = int(client.get(LEXICAL_WANTED) or wanted)
        library.rebuild_lexical()
        client.set(LEXICAL_SAVED, covers)


def _document_lock(client: redis.Redis, path: Path, ttl_s: float) -> tuple[str | None, AbstractContextManager[None]]:
    try:
        doc_id = doc_id_for(content_hash(path))
    except OSError:
        return None, nullcontext()  # unreadable: the Library reports it as the CLI would
    return doc_id, held_lock(client, document_lock_name(doc_id), ttl_s, wait=False)


def ingest_with_locks(library: LibraryWriter, client: redis.Redis, path: Path, ttl_s: float) -> IngestOutcome:
    """Ingest one file under its document's lock; what a killed attempt left is rolled back first. Raises
    :class:`LockBusy` when another worker is on the same content."""
    doc_id, lock = _document_lock(client, path, ttl_s)
    with lock:
        rolled_back = doc_id is not None and library.roll_back_unfinished(doc_id)
        outcome = library.ingest_one(path, save_lexical=False)
    if rolled_back or outcome.status in ("added", "replaced"):
        _rebuild_lexical(library, client, ttl_s)
    return outcome


def backoff_s(settings: Settings, failures: int) -> float:
    """Exponential, capped, with jitter so that workers that failed together do not retry together."""
    queue = settings.queue
    return min(queue.retry_backoff_max_s, queue.retry_backoff_s * 2**failures) * random.uniform(0.8, 1.2)


def ingest_file(task: Task, path: str, name: str, spool: bool = False, failures: int = 0) -> dict[str, Any]:
    """The task body (registered by ``app.queue_app``). Returns ``{"name", "outcome"}``; a file that cannot be
    ingested returns its failed outcome (and is dead-lettered) rather than raising, so the job says why."""
    settings = get_settings()
    client = redis_client(settings.queue.url)
    file = Path(path)
    kwargs = {"path": path, "name": name, "spool": spool}
    try:
        outcome = ingest_with_locks(worker_library(settings), client, file, settings.queue.lock_ttl_s)
    except LockBusy:
        logger.info("%s is being ingested by another worker; looking again in %.0f s", name, BUSY_RETRY_S)
        raise task.retry(countdown=BUSY_RETRY_S, kwargs={**kwargs, "failures": failures}) from None
    except Exception as exc:
        # Not the file's fault (its own failures come back as outcomes): the store, catalog or broker. The
        # Library is opened afresh for the next attempt, its connections may be what broke.
        close_worker_library()
        if failures < settings.queue.max_retries:
            delay = backoff_s(settings, failures)
            logger.warning("%s: %s (%s); retry %d in %.0f s", name, type(exc).__name__, exc, failures + 1, delay)
            raise task.retry(exc=exc, countdown=delay, kwargs={**kwargs, "failures": failures + 1}) from exc
        reason = f"{name}: the server failed while storing it ({type(exc).__name__}: {exc})"
        _dead_letter(client, task, file, name, spool, reason, type(exc).__name__, None, failures)
        raise
    if outcome.status == "failed":
        reason = outcome.error or f"{name} could not be ingested"
        _dead_letter(client, task, file, name, spool, reason, outcome.error_code, outcome.hint, failures)
    else:
        deadletters.clear(client, _letter_key(file, name, spool))
        _finish(file, spool)
    return {"name": name, "outcome": outcome.model_dump(mode="json")}


def _dead_letter(client: redis.Redis, task: Task, file: Path, name: str, spool: bool, reason: str,
                 code: str | None, hint: str | None, failures: int) -> None:
    # An upload's spool path means nothing to whoever reads the list; its own name does.
    shown = reason.replace(str(file), name) if spool else reason
    letter = DeadLetter(path=_letter_key(file, name, spool), name=name, task_id=str(task.request.id), reason=shown,
                        error_code=code, hint=hint, attempts=failures + 1, failed_at=time.time())
    deadletters.record(client, letter)
    logger.error("dead letter: %s", shown)
    _finish(file, spool)


def _letter_key(file: Path, name: str, spool: bool) -> str:
    """A file's place in the dead-letter list: its path, or for an upload (spooled in a folder of its own each
    time) its name, so that uploading a repaired copy clears the record."""
    return f"upload:{name}" if spool else str(file)


def _finish(file: Path, spool: bool) -> None:
    """An upload's spool folder goes once its task has ended for good (never before a retry)."""
    if spool:
        shutil.rmtree(file.parent, ignore_errors=True)
