"""Background ingestion of uploaded files: one worker thread (the store has one writer), jobs kept in a dict."""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from api.schemas import Job
from core.types import IngestOutcome

logger = logging.getLogger(__name__)

Ingest = Callable[[Sequence[Path]], list[IngestOutcome]]


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
            outcome = outcomes[0] if outcomes else None
            if outcome is None or outcome.status == "failed":
                message = outcome.error if outcome and outcome.error else "The file could not be ingested."
                self._set(job.model_copy(update={"status": "failed", "outcome": outcome, "message": message}))
            else:
                message = f"{outcome.status}: {outcome.passages} passages from {outcome.pages} pages"
                self._set(job.model_copy(update={"status": "done", "outcome": outcome, "message": message}))
        except Exception as exc:  # a job must end in a state the client can read, whatever broke
            logger.exception("ingest job %s failed", job.job_id)
            self._set(job.model_copy(update={"status": "failed", "message": f"Ingest failed: {exc}"}))
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
            if self._on_done is not None:
                self._on_done()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
