"""The ingest queue for real: Redis, a Chroma server and two `banding-kota worker` processes on loopback, one of
them killed with `kill -9` in the middle of a task. Every good document must end whole exactly once, the corrupt
one alone in the dead-letter list with the reason the CLI gives."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import PROJECT_ROOT, Settings
from ingest.library import LibraryWriter
from ingest.pipeline import content_hash, doc_id_for
from testing.chroma_server import running_chroma_server
from testing.consistency import check_library
from testing.corpus import corpus_env, make_settings
from testing.filemakers import SAMPLE_PAGES, garbage_pdf, text_pdf
from testing.redis_server import redis_executable, running_redis_server
from testing.servers import free_port
from vectorstore.library import Library

pytestmark = pytest.mark.skipif(redis_executable() is None,
                                reason="redis-server is not installed (scripts/setup.sh installs it)")

# Short on purpose: the killed worker's task comes back after this; the live worker's longer tasks may come back
# too, which the document lock and the content hash must absorb.
VISIBILITY_S = 6


def regulation_pages(city: str) -> list[tuple[str, list[str]]]:
    return [(heading, [f"{p} Kota {city}." for p in paragraphs]) for heading, paragraphs in SAMPLE_PAGES]


def make_documents(folder: Path) -> tuple[list[Path], Path]:
    folder.mkdir()
    good = [text_pdf(folder / f"perwali-{city.lower()}.pdf", regulation_pages(city))
            for city in ("Balikpapan", "Samarinda", "Malang")]
    for city in ("Kendari", "Pinrang"):
        text = folder / f"catatan-{city.lower()}.txt"
        text.write_text(f"Catatan rapat Bappeda Kota {city} tentang sistem pemerintahan berbasis elektronik. "
                        * 40, encoding="utf-8")
        good.append(text)
    return good, garbage_pdf(folder / "rusak.pdf")


@pytest.fixture
def cluster(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Settings, dict[str, str]]]:
    """Redis, a Chroma server and the settings of workers sharing them; the catalog is the data folder's SQLite
    file, or (parametrised ``"postgresql"``) a database of the session's PostgreSQL, as scripts/cluster.sh runs it."""
    database_url = request.getfixturevalue("postgres_url") if getattr(request, "param", "") == "postgresql" else ""
    with running_redis_server(tmp_path / "redis") as url, running_chroma_server(tmp_path / "chroma") as chroma:
        data_dir = tmp_path / "data"
        env = corpus_env(
            data_dir, BK_QUEUE__URL=url, BK_STORE__CHROMA_HOST=chroma.host, BK_STORE__CHROMA_PORT=str(chroma.port),
            BK_QUEUE__VISIBILITY_TIMEOUT_S=str(VISIBILITY_S), BK_QUEUE__RESTORE_INTERVAL_S="1",
            BK_QUEUE__LOCK_TTL_S="4", BK_QUEUE__RETRY_BACKOFF_S="1", BK_INGEST__WORKERS="1",
            BK_STORE__DATABASE_URL=database_url,
        )
        settings = make_settings(data_dir)
        settings = settings.model_copy(update={
            "store": settings.store.model_copy(update={"chroma_host": chroma.host, "chroma_port": chroma.port,
                                                       "database_url": database_url}),
            "queue": settings.queue.model_copy(update={"url": url}),
        })
        yield settings, env


def start_worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ingest.cli", "worker", "--name", name], env=env, cwd=PROJECT_ROOT,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


class StageGate:
    """The workers' progress (``BK_INGEST__PROGRESS_FILE``) read through a named pipe. A worker opens the file at
    the start of each stage, before the stage's work, and opening a pipe for writing waits for a reader: while the
    gate holds the pipe closed, every worker stands still at the start of its next stage. That puts a kill -9
    exactly where the test wants it, whatever the machine's load."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.events: list[dict[str, Any]] = []
        self._until: Callable[[dict[str, Any]], bool] | None = None
        self._reading = threading.Event()
        self._hit = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._read, daemon=True)

    def stop_at(self, until: Callable[[dict[str, Any]], bool]) -> None:
        """Read on until an event satisfies ``until``, then hold the pipe closed."""
        self._until = until
        self._reading.set()
        if not self._thread.is_alive():
            self._thread.start()

    def wait_hit(self, timeout_s: float) -> dict[str, Any]:
        assert self._hit.wait(timeout_s), f"no worker reached the stage within {timeout_s:.0f} s: {self.events}"
        return self.events[-1]

    def release(self) -> None:
        self._until = None
        self._reading.set()

    def close(self) -> None:
        self._closing = True
        self._reading.set()
        with contextlib.suppress(OSError):  # a reader waiting in open() for a writer is let go by one
            os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
        self._thread.join(timeout=5)

    def _read(self) -> None:
        while not self._closing:
            self._reading.wait()
            # Unbuffered, a byte at a time: a line read ahead and dropped at the stop would be a lost event.
            with open(self.path, "rb", buffering=0) as pipe:
                line = b""
                while (byte := pipe.read(1)) and not self._closing:
                    line += byte
                    if byte != b"\n":
                        continue
                    self.events.append(json.loads(line))
                    line = b""
                    if self._until is not None and self._until(self.events[-1]):
                        self._reading.clear()
                        self._hit.set()
                        break


def wait_for_jobs(settings: Settings, task_ids: list[str], timeout_s: float) -> dict[str, str]:
    from ingest.queue.client import job

    deadline = time.monotonic() + timeout_s
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        jobs = {task_id: job(settings, task_id) for task_id in task_ids}
        states = {task_id: found.status if found else "unknown" for task_id, found in jobs.items()}
        if all(state in ("done", "failed") for state in states.values()):
            return states
        time.sleep(0.5)
    raise AssertionError(f"jobs unfinished after {timeout_s:.0f} s: {states}")


def cli_error(path: Path, tmp_path: Path) -> str | None:
    """What `banding-kota ingest` says about the file (the in-process Library the CLI runs)."""
    with LibraryWriter.open(make_settings(tmp_path / "embedded")) as library:
        return library.ingest_paths([path])[0].error


@pytest.mark.slow
@pytest.mark.parametrize("cluster", ["sqlite", "postgresql"], indirect=True)
def test_a_worker_killed_mid_task_loses_nothing_and_doubles_nothing(
    cluster: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    from ingest.queue.client import dead_letters, enqueue

    settings, env = cluster
    good, corrupt = make_documents(tmp_path / "in")
    expected = {doc_id_for(content_hash(p)) for p in good}
    gate = StageGate(tmp_path / "progress.pipe")
    env = {**env, "BK_INGEST__PROGRESS_FILE": str(gate.path)}
    workers = [start_worker(env, f"w{i}", tmp_path / f"worker{i}.log") for i in (1, 2)]
    pids = {w.pid for w in workers}
    try:
        # A worker that has written a document's passages to Chroma, its catalog record not yet committed: the
        # worst moment to die, with passages stored that no committed document owns.
        gate.stop_at(lambda event: event["stage"] == "chroma_write" and event["pid"] in pids)
        # The first file twice: two tasks of one content must store it once.
        queued = enqueue(settings, [good[0], *good, corrupt])
        hit = gate.wait_hit(timeout_s=90)
        victim = next(w for w in workers if w.pid == hit["pid"])
        killed_doc = hit["doc_id"]
        with Library.open(settings) as library:
            deadline = time.monotonic() + 30
            while killed_doc not in library.store.doc_ids():
                assert time.monotonic() < deadline, "the victim never wrote its passages"
                time.sleep(0.1)
            assert library.catalog.ingest_state(killed_doc) == "embedded"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        survivor = next(w for w in workers if w is not victim)
        gate.release()

        states = wait_for_jobs(settings, [q.task_id for q in queued], timeout_s=120)
        assert survivor.poll() is None, "the surviving worker died"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        gate.close()

    by_name = {q.name: states[q.task_id] for q in queued}
    assert by_name.pop("rusak.pdf") == "failed"
    assert set(by_name.values()) == {"done"}, states
    # The killed document was rolled back and stored again by the other worker.
    assert killed_doc in expected
    taken_over = [e["stage"] for e in gate.events if e["doc_id"] == killed_doc and e["pid"] == survivor.pid]
    assert "delete" in taken_over and "catalog_commit" in taken_over, gate.events

    with Library.open(settings) as library:
        report = check_library(library)
        assert report.ok, report.problems
        assert report.duplicates == 0 and report.orphans == 0 and not report.unfinished
        documents = library.documents()
        assert sorted(d.doc_id for d in documents) == sorted(expected)
        stored = [p.doc_id for p in library.store.iter_passages()]
        for doc in documents:
            assert doc.passage_count > 0 and stored.count(doc.doc_id) == doc.passage_count

    letters = dead_letters(settings)
    assert [letter.name for letter in letters] == ["rusak.pdf"]
    assert letters[0].reason == cli_error(corrupt, tmp_path)
    assert letters[0].error_code == "document_unreadable" and letters[0].hint


@pytest.mark.slow
def test_an_upload_goes_through_the_queue_and_the_api_then_finds_it(
    cluster: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    import httpx

    from testing.servers import api_process

    settings, env = cluster
    text = ("Kelurahan Sukamaju mengelola bank sampah bersama warga; setiap rukun warga menyetor sampah "
            "terpilah sekali seminggu. ") * 20
    worker = start_worker(env, "w1", tmp_path / "worker.log")
    api_env = {**env, "BK_API__PORT": str(free_port()), "BK_API__HOST": "127.0.0.1"}
    try:
        with api_process(api_env, tmp_path / "api.log") as base, httpx.Client(base_url=base, timeout=60) as client:
            accepted = client.post("/documents", files={"file": ("bank-sampah.txt", text.encode(), "text/plain")})
            assert accepted.status_code == 202, accepted.text
            job_id = accepted.json()["job_id"]
            deadline = time.monotonic() + 60
            job = client.get(f"/jobs/{job_id}").json()
            while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
                time.sleep(0.5)
                job = client.get(f"/jobs/{job_id}").json()
            assert job["status"] == "done", job
            # The uploader sees the name they gave, never the server's spool folder.
            assert job["outcome"]["path"] == "bank-sampah.txt" and job["outcome"]["status"] == "added"
            # Written by the worker, found by the API process: it reads the index the worker saved.
            hits = client.post("/search", json={"query": "bank sampah Sukamaju", "k": 3}).json()["hits"]
            assert hits and hits[0]["passage"]["doc_id"] == job["outcome"]["doc_id"]
            assert client.get("/jobs/no-such-job").status_code == 404
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert not any((settings.store.data_dir / "uploads").iterdir()), "the upload's spool folder was left"


# Retries wait about 4 then 8 s (±20 %): from the first retry on, the Chroma server has at least 9.6 s to start
# before the second task would be dead-lettered too (it starts in 1-3 s here).
BACKOFF_S = 4.0


@pytest.mark.slow
def test_a_store_out_of_reach_is_retried_with_backoff_then_dead_lettered_or_caught_up(tmp_path: Path) -> None:
    from ingest.queue.client import dead_letters, enqueue, job

    chroma_port = free_port()
    with running_redis_server(tmp_path / "redis") as url:
        env = corpus_env(tmp_path / "data", BK_QUEUE__URL=url, BK_STORE__CHROMA_HOST="127.0.0.1",
                         BK_STORE__CHROMA_PORT=str(chroma_port), BK_QUEUE__MAX_RETRIES="2",
                         BK_QUEUE__RETRY_BACKOFF_S=str(BACKOFF_S), BK_INGEST__WORKERS="1")
        settings = make_settings(tmp_path / "data")
        settings = settings.model_copy(update={"queue": settings.queue.model_copy(update={"url": url})})
        good, _ = make_documents(tmp_path / "in")
        worker = start_worker(env, "w1", tmp_path / "worker.log")
        try:
            # No Chroma server at all: two retries, then the dead-letter list, the store named as the reason.
            lost = enqueue(settings, [good[3]])[0]
            assert wait_for_jobs(settings, [lost.task_id], timeout_s=60)[lost.task_id] == "failed"
            [letter] = dead_letters(settings)
            assert letter.name == good[3].name and letter.attempts == 3
            assert "StoreUnavailableError" in letter.reason and "Chroma server" in letter.reason

            # The server comes back while the task waits for its retry: it gets through, and is not dead-lettered.
            late = enqueue(settings, [good[4]])[0]
            deadline = time.monotonic() + 60
            while (found := job(settings, late.task_id)) is not None and not found.message.startswith("waiting to "
                                                                                                        "retry"):
                assert time.monotonic() < deadline, f"never retried: {found}"
                time.sleep(0.1)
            with running_chroma_server(tmp_path / "chroma", port=chroma_port):
                assert wait_for_jobs(settings, [late.task_id], timeout_s=60)[late.task_id] == "done"
                assert [letter.name for letter in dead_letters(settings)] == [good[3].name]
        finally:
            worker.terminate()
            worker.wait(timeout=30)
