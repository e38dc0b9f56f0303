"""Background ingestion of uploaded files: one worker thread (the store has one writer), jobs kept in a dict;
or, with an ingest queue configured (``BK_QUEUE__URL``), one queue task per upload, its job read from the queue.

A job is read by whoever uploaded the file, so it says nothing about the server: the outcome names the
uploaded file, never the folder it was spooled to, and a failure says what to do rather than what broke
inside (the trace goes to the log).
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from core.api_models import Job
from core.settings import Settings
from core.types import IngestOutcome

logger = logging.getLogger(__name__)

Ingest = Callable[[Sequence[Path]], list[IngestOutcome]]

# Any absolute path left in a message (a library error quoting another file, say) is cut to its last part.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(?:/[^\s/'\":;,()\[\]]+)+/([^\s/'\":;,()\[\]]+)")
_RETRY = "Check that the file opens on your computer, save it again and upload it again."
_WHAT_TO_DO = {
    "empty_document": "Upload a file that contains text.",
    "encrypted_document": "Remove the password (print or export it to a new PDF) and upload it again.",
    "parse_timeout": "Split the document into smaller files, or ask the administrator to raise "
                     "BK_INGEST__PARSE_TIMEOUT_S.",
    "parse_crashed": "The file may be damaged or too large to parse: " + _RETRY,
    "file_too_large": "Split the document into smaller files and upload them one by one.",
    "unsupported_format": "Upload PDF, DOCX, HTML, TXT or Markdown.",
}


def public_text(text: str, path: Path, filename: str) -> str:
    """``text`` with the server-side path of the upload replaced by the name the user gave the file."""
    text = text.replace(str(path), filename)
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)


def public_outcome(outcome: IngestOutcome, path: Path, filename: str) -> IngestOutcome:
    return outcome.model_copy(update={
        "path": filename,
        "error": public_text(outcome.error, path, filename) if outcome.error else outcome.error,
        "hint": public_text(outcome.hint, path, filename) if outcome.hint else outcome.hint,
        "warnings": tuple(public_text(w, path, filename) for w in outcome.warnings),
    })


def failure_message(outcome: IngestOutcome | None, filename: str) -> str:
    if outcome is None or not outcome.error:
        return f"{filename} could not be ingested. {_RETRY}"
    what_to_do = outcome.hint or _WHAT_TO_DO.get(outcome.error_code or "", _RETRY)
    return f"{outcome.error.rstrip('.')}. {what_to_do}"


class Jobs(Protocol):
    def submit(self, path: Path, filename: str) -> Job: ...

    def get(self, job_id: str) -> Job | None: ...

    def shutdown(self) -> None: ...


class QueuedJobs:
    """Uploads as tasks on the ingest queue: any worker ingests them (and removes the spool folder), the job's
    state comes from the result backend, and it is worded for the uploader as :class:`JobQueue` words it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def submit(self, path: Path, filename: str) -> Job:
        from ingest.queue.client import enqueue

        try:
            queued = enqueue(self._settings, [path], spool=True, names={path: filename})[0]
        except BaseException:
            shutil.rmtree(path.parent, ignore_errors=True)  # nobody will ingest it: its spool folder goes now
            raise
        return Job(job_id=queued.task_id, filename=filename, status="queued")

    def get(self, job_id: str) -> Job | None:
        from ingest.queue.client import job

        found = job(self._settings, job_id)
        if found is not None and found.status == "queued" and found.message:
            # The retry's cause is the server's business (it may name hosts or folders); the uploader needs to
            # know only that the file is still on its way.
            return found.model_copy(update={"message": "waiting to retry: the server could not store it yet"})
        if found is None or (found.outcome is None and found.status != "failed"):
            return found
        outcome = found.outcome
        if outcome is not None:
            outcome = public_outcome(outcome, Path(outcome.path), found.filename)
        message = found.message
        if found.status == "failed":
            message = (failure_message(outcome, found.filename) if outcome is not None else
                       f"{found.filename} could not be ingested: the server failed while storing it. Upload it "
                       "again; if that fails too, the server log has the details.")
        return found.model_copy(update={"outcome": outcome, "message": message})

    def shutdown(self) -> None:
        """Nothing runs here: the queue and its workers outlive this server."""


class JobQueue:
    def __init__(self, ingest: Ingest, on_done: Callable[[], None] | None = None) -> None:
        self._ingest = ingest
        self._on_done = on_done
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    def submit(self, path: Path, filename: str) -> Job:
        job = Job(job_id=uuid.uuid4().hex, filename=filename, status="queued")
        self._set(job)
        self._executor.submit(self._run, job, path)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _set(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.job_id] = job

    def _run(self, job: Job, path: Path) -> None:
        self._set(job.model_copy(update={"status": "running"}))
        try:
            outcomes = self._ingest([path])
            outcome = public_outcome(outcomes[0], path, job.filename) if outcomes else None
            if outcome is None or outcome.status == "failed":
                message = failure_message(outcome, job.filename)
                self._set(job.model_copy(update={"status": "failed", "outcome": outcome, "message": message}))
            else:
                message = f"{outcome.status}: {outcome.passages} passages from {outcome.pages} pages"
                self._set(job.model_copy(update={"status": "done", "outcome": outcome, "message": message}))
        except Exception as exc:  # a job must end in a state the client can read, whatever broke
            logger.exception("ingest job %s (%s) failed", job.job_id, path)
            message = (f"{job.filename} could not be ingested: the server failed while storing it "
                       f"({type(exc).__name__}). Upload it again; if that fails too, the server log has the details.")
            self._set(job.model_copy(update={"status": "failed", "message": message}))
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
            if self._on_done is not None:
                self._on_done()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
