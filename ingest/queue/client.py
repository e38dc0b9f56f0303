"""What the CLI and the API call: put files on the queue, read a job's state, list the dead letters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import redis
from celery.result import AsyncResult

from core.api_models import Job
from core.errors import InvalidRequestError, QueueUnavailableError
from core.settings import Settings
from core.types import DeadLetter, IngestOutcome, QueuedFile
from ingest.queue import deadletters
from ingest.queue.app import TASK_NAME, queue_app
from ingest.queue.tasks import redis_client

_FILE_KEY = "banding-kota:queued:{task_id}"


def require_queue(settings: Settings) -> None:
    if not settings.queue.url:
        raise InvalidRequestError("No ingest queue is configured.",
                                  hint="Set BK_QUEUE__URL (e.g. redis://127.0.0.1:6379/0; scripts/cluster.sh up "
                                       "starts Redis, a Chroma server and workers).")


@contextmanager
def reaching_queue(settings: Settings) -> Iterator[None]:
    """Redis errors become one typed error that names the queue and what to do."""
    try:
        yield
    except redis.RedisError as exc:
        raise QueueUnavailableError(
            f"Cannot reach the ingest queue at {_without_password(settings.queue.url)}: {exc}",
            hint="Start Redis (scripts/cluster.sh up) or check BK_QUEUE__URL.",
        ) from exc


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=f"{parts.username or ''}:***@{parts.hostname}:{parts.port}").geturl()


def enqueue(settings: Settings, files: Iterable[Path], *, spool: bool = False,
            names: dict[Path, str] | None = None) -> list[QueuedFile]:
    """One task per file. ``spool``: the files are API uploads in folders of their own, removed once ingested.
    Workers read the files by path, so the paths must be the same on every worker's machine (the data folder,
    shared, holds the uploads)."""
    require_queue(settings)
    app = queue_app(settings)
    client = redis_client(settings.queue.url)
    with reaching_queue(settings):
        client.ping()  # Celery's publisher would retry an absent broker for half a minute, then blame the backend
    queued = []
    for file in files:
        path = str(file.resolve())
        name = (names or {}).get(file, file.name)
        result = app.send_task(TASK_NAME, kwargs={"path": path, "name": name, "spool": spool})
        entry = QueuedFile(task_id=result.id, path=path, name=name)
        # What the job is about, readable before any worker has taken it (Celery knows nothing of a task until
        # it starts: an unknown id and a waiting task are both PENDING).
        client.set(_FILE_KEY.format(task_id=result.id), entry.model_dump_json(), ex=settings.queue.result_expires_s)
        queued.append(entry)
    return queued


def queued_file(settings: Settings, task_id: str) -> QueuedFile | None:
    with reaching_queue(settings):
        raw = redis_client(settings.queue.url).get(_FILE_KEY.format(task_id=task_id))
    return QueuedFile.model_validate_json(raw) if raw else None


def job(settings: Settings, task_id: str) -> Job | None:
    """The job of a queued file, from the result backend; None for an id this queue never handed out. Messages
    name the file as it was queued; the API words failures for its users (``api.jobs``)."""
    entry = queued_file(settings, task_id)
    if entry is None:
        return None
    result = AsyncResult(task_id, app=queue_app(settings))
    with reaching_queue(settings):
        state = result.state
    base = Job(job_id=task_id, filename=entry.name, status="queued")
    if state == "STARTED":
        return base.model_copy(update={"status": "running", "message": "ingesting"})
    if state == "RETRY":
        return base.model_copy(update={"message": f"waiting to retry ({result.info})"})
    if state == "SUCCESS":
        outcome = IngestOutcome.model_validate(result.result["outcome"])
        if outcome.status == "failed":
            return base.model_copy(update={"status": "failed", "outcome": outcome, "message": outcome.error or ""})
        message = f"{outcome.status}: {outcome.passages} passages from {outcome.pages} pages"
        return base.model_copy(update={"status": "done", "outcome": outcome, "message": message})
    if state == "FAILURE":
        return base.model_copy(update={"status": "failed", "message": f"{type(result.info).__name__}: {result.info}"})
    return base  # PENDING or RECEIVED: waiting for a worker


def dead_letters(settings: Settings) -> list[DeadLetter]:
    require_queue(settings)
    with reaching_queue(settings):
        return deadletters.dead_letters(redis_client(settings.queue.url))
