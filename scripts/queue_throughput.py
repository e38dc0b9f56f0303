"""The ingest queue against the embedded ingest, in one run (``scripts/benchmark.py --cluster``, issue 15).

The same documents go, each time into a fresh store: through the plain ``banding-kota ingest`` CLI into an embedded
store, then through the queue of a fresh ``scripts/cluster.sh up N`` cluster (Redis, PostgreSQL, a Chroma server
and N workers on loopback, new ports, its own data folder) with 1 worker and with 2. Each run is timed from the
command (``banding-kota ingest`` or ``banding-kota ingest --queue``) to the last document stored (every job done,
polled as ``queue-status`` reads it), so each includes one cold start per process: the CLI's opening of the store
and the embedder, or each worker's in its first task (workers open their Library on first use, after "ready").
The clusters' own start-up (``cluster.sh up``) is not timed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from core.api_models import Job

logger = logging.getLogger(__name__)
WORKER_COUNTS = (1, 2)
POLL_S = 0.25


@dataclass
class ThroughputRow:
    label: str
    workers: int  # 0: the embedded CLI
    documents: int
    failed: int
    passages: int
    seconds: float
    load_before: float
    load_after: float

    @property
    def documents_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def passages_per_s(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0

    @property
    def seconds_per_document(self) -> float:
        return self.seconds / self.documents if self.documents else float("nan")


def document_set(documents_dir: Path, count: int, folder: Path) -> list[Path]:
    """The first ``count`` files of the sample corpus (as ``benchmark.py`` ingests it), topped up with scale-corpus
    documents when ``count`` is larger."""
    from scale_corpus import ScaleCorpus, sample_documents

    sample = sample_documents(documents_dir)
    if count <= len(sample):
        return sample[:count]

    return sample + ScaleCorpus.from_documents(documents_dir).write(folder, count - len(sample))


def embedded_run(paths: Sequence[Path], env: Mapping[str, str], data_dir: Path, log: Path) -> ThroughputRow:
    from testing.cluster_script import PLACEMENT
    from vectorstore.catalog import Catalog
    from vectorstore.catalog_db import SQLITE_FILENAME, sqlite_url

    env = {k: v for k, v in env.items() if k not in PLACEMENT}
    env["BK_STORE__DATA_DIR"] = str(data_dir)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w") as out:
        # Exit status 1 means some file failed, which the counts below show; the others are stored.
        done = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", *map(str, paths)], env=env,
                              cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"banding-kota ingest exited with {done.returncode}; see {log}")
    catalog = Catalog(sqlite_url(data_dir / SQLITE_FILENAME))
    try:
        stored = catalog.list_documents()
    finally:
        catalog.close()
    return ThroughputRow("embedded (banding-kota ingest)", 0, len(stored), len(paths) - len(stored),
                         sum(d.passage_count for d in stored), seconds, load_before, os.getloadavg()[0])


def queue_run(paths: Sequence[Path], env: Mapping[str, str], workers: int, timeout_s: float) -> ThroughputRow:
    from testing.cluster_script import cluster_up, script_env

    data_dir = Path(env["BK_STORE__DATA_DIR"])
    with cluster_up(script_env(env, data_dir), workers) as cluster_env:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        queued = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", "--queue", *map(str, paths)],
                                env=cluster_env, cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=300)
        if queued.returncode != 0:
            raise RuntimeError(f"banding-kota ingest --queue failed:\n{queued.stderr[-3000:]}")
        task_ids = [line.split("\t", 1)[0] for line in queued.stdout.splitlines() if "\t" in line]
        jobs = finished_jobs(cluster_env["BK_QUEUE__URL"], task_ids, timeout_s)
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()[0]
    stored = [j for j in jobs if j.status == "done" and j.outcome is not None]
    for failed in (j for j in jobs if j.status != "done"):
        logger.warning("%s: %s", failed.filename, failed.message)
    return ThroughputRow(f"queue, {workers} worker{'s' if workers > 1 else ''}", workers, len(stored),
                         len(jobs) - len(stored), sum(j.outcome.passages for j in stored if j.outcome), seconds,
                         load_before, load_after)


def finished_jobs(queue_url: str, task_ids: Sequence[str], timeout_s: float) -> list[Job]:
    """Every job once it is done or failed, read as ``banding-kota queue-status`` reads them."""
    from core.settings import QueueSettings, Settings
    from ingest.queue.client import job

    settings = Settings(queue=QueueSettings(url=queue_url))
    deadline = time.monotonic() + timeout_s
    while True:
        jobs = [job(settings, task_id) for task_id in task_ids]
        if all(j is not None and j.status in ("done", "failed") for j in jobs):
            return [j for j in jobs if j is not None]
        if time.monotonic() > deadline:
            waiting = sum(j is None or j.status not in ("done", "failed") for j in jobs)
            raise TimeoutError(f"{waiting} of {len(task_ids)} queued documents unfinished after {timeout_s:.0f} s")
        time.sleep(POLL_S)


def measure(paths: Sequence[Path], work: Path, env: Mapping[str, str], timeout_s: float) -> list[ThroughputRow]:
    """The embedded CLI, then the queue with each of WORKER_COUNTS, each into a fresh store under ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    rows = [embedded_run(paths, env, work / "embedded" / "data", work / "embedded.log")]
    for workers in WORKER_COUNTS:
        run_env = {**env, "BK_STORE__DATA_DIR": str(work / f"queue-{workers}" / "data")}
        rows.append(queue_run(paths, run_env, workers, timeout_s))
    return rows


def comparisons(rows: Sequence[ThroughputRow]) -> dict[str, float]:
    """Throughput of 2 workers over 1, and the queue's cost per document over the embedded ingest (1 worker)."""
    embedded = next(r for r in rows if r.workers == 0)
    by_workers = {r.workers: r for r in rows if r.workers}
    one, two = by_workers[1], by_workers[2]
    return {
        "documents_per_s_2_over_1": two.documents_per_s / one.documents_per_s,
        "passages_per_s_2_over_1": two.passages_per_s / one.passages_per_s,
        "queue_overhead_s_per_document": one.seconds_per_document - embedded.seconds_per_document,
        "queue_over_embedded_s_per_document": one.seconds_per_document / embedded.seconds_per_document,
    }


def print_rows(rows: Sequence[ThroughputRow]) -> dict[str, float]:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Ingest through the queue vs embedded (the same documents, a fresh store each)",
                  title_justify="left")
    for name in ("run", "docs", "failed", "passages", "wall s", "docs/s", "passages/s", "s/doc", "load avg"):
        table.add_column(name, justify="left" if name == "run" else "right")
    for r in rows:
        table.add_row(r.label, str(r.documents), str(r.failed), f"{r.passages:,}", f"{r.seconds:.1f}",
                      f"{r.documents_per_s:.3f}", f"{r.passages_per_s:.2f}", f"{r.seconds_per_document:.2f}",
                      f"{r.load_before:.1f}→{r.load_after:.1f}")
    figures = comparisons(rows)
    table.caption = (f"2 workers / 1 worker: {figures['documents_per_s_2_over_1']:.2f}× documents/s, "
                     f"{figures['passages_per_s_2_over_1']:.2f}× passages/s. Queue overhead (1 worker − embedded): "
                     f"{figures['queue_overhead_s_per_document']:+.2f} s per document, "
                     f"{figures['queue_over_embedded_s_per_document']:.2f}× the embedded seconds per document")
    Console(width=170).print(table)
    return figures
