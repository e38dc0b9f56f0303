"""kill -9 trials of a running CLI ingest at points of its own progress (see tests/test_crash_consistency.py):
a bench of uninterrupted runs, then one killed run per trial, checked right after the crash, after recovery and
after the resume."""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingest.library import LibraryWriter
from ingest.pipeline import content_hash, doc_id_for
from testing.consistency import check_data_dir
from testing.corpus import corpus_env, make_settings
from vectorstore.library import Library

# Pasal per inbox document, each its own passage: enough that a document has several passages for a kill in
# its chroma_write to tear, and that its embed stage lasts far longer than kill_at_stage's poll. Embedding
# is most of an ingest's work here, and the trials run about a dozen ingests: 14 Pasal made this test take
# three minutes in CI.
INBOX_PASALS = 4


def make_inbox(folder: Path, count: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cities = ["Balikpapan", "Samarinda", "Malang", "Kendari"]
    for i in range(count):
        city = cities[i % len(cities)]
        body = "\n\n".join(
            f"Pasal {j}\n(1) Pemerintah Kota {city} menyelenggarakan SPBE sesuai Peraturan Wali Kota Nomor {i + 10} "
            f"Tahun 2022 bagian {j}. (2) Dokumen nomor {i} memuat ketentuan teknis tambahan."
            for j in range(1, INBOX_PASALS + 1)
        )
        (folder / f"perwali_{i}.txt").write_text(body, encoding="utf-8")
    return folder


def _cli(*args: str) -> str:
    return shlex.join([sys.executable, "-m", "ingest.cli", *args])


def run_ingest(inbox: Path, data_dir: Path, delete: str | None = None,
               progress: Path | None = None) -> subprocess.Popen:
    """The CLI ingest of ``inbox`` (after ``banding-kota delete <delete>`` when given), in its own session; its
    stages are appended to ``progress`` when given."""
    command = _cli("ingest", str(inbox))
    if delete is not None:  # on a resumed run the document may be gone already: the ingest runs regardless
        command = f"{_cli('delete', delete)}; {command}"
    extra = {"BK_INGEST__PROGRESS_FILE": str(progress)} if progress is not None else {}
    return subprocess.Popen(
        ["sh", "-c", command],
        env=corpus_env(data_dir, **extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so kill -9 reaches the parse workers too, as a crash of the machine would
    )


def read_stages(progress: Path) -> list[str]:
    if not progress.exists():
        return []
    lines = progress.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["stage"] for line in lines if line.endswith("}")]


@dataclass(frozen=True)
class KillPoint:
    """The ``occurrence``-th (0-based) start of ``stage`` in a run's progress."""

    stage: str
    occurrence: int


def kill_points(stages: list[str]) -> dict[str, int]:
    """How many times each stage started in an uninterrupted run."""
    counts: dict[str, int] = {}
    for stage in stages:
        counts[stage] = counts.get(stage, 0) + 1
    return counts


def kill_at_stage(process: subprocess.Popen, progress: Path, point: KillPoint,
                  timeout_s: float = 600) -> tuple[bool, bool]:
    """SIGKILL the ingest's process group the moment its progress shows ``point``. Returns (interrupted: it was
    still running when killed, landed: no later stage had started, so the kill fell inside the chosen one)."""
    deadline = time.monotonic() + timeout_s
    size = -1
    while time.monotonic() < deadline:
        current = progress.stat().st_size if progress.exists() else 0
        if current != size:
            size = current
            if read_stages(progress).count(point.stage) > point.occurrence:
                break
        if process.poll() is not None:
            return False, False
        time.sleep(0.0005)
    alive = process.poll() is None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stages = read_stages(progress)
    seen = [i for i, stage in enumerate(stages) if stage == point.stage]
    landed = alive and len(seen) > point.occurrence and seen[point.occurrence] == len(stages) - 1
    return alive, landed


def expected_ids(inbox: Path) -> set[str]:
    return {doc_id_for(content_hash(p)) for p in inbox.iterdir() if p.is_file()}


@dataclass
class Trial:
    """One kill -9: where it was aimed, whether it interrupted the run (and fell inside the chosen stage), and
    what was wrong at each check (empty: nothing)."""

    point: KillPoint
    interrupted: bool
    landed: bool
    after_crash: list[str]
    after_recovery: list[str]
    after_resume: list[str]


@contextmanager
def updated_inbox(inbox: Path, index: int) -> Iterator[str]:
    """The inbox with one file taken out (yields its doc id, for ``banding-kota delete``) and another changed;
    put back as it was afterwards."""
    files = sorted(p for p in inbox.iterdir() if p.is_file())
    removed, changed = files[index % len(files)], files[(index + 1) % len(files)]
    doc_id = doc_id_for(content_hash(removed))
    aside = removed.rename(inbox.parent / f"aside-{removed.name}")
    original = changed.read_bytes()
    changed.write_bytes(original + f"\n\nPasal 99\nPerubahan ke-{index}.\n".encode())
    try:
        yield doc_id
    finally:
        changed.write_bytes(original)
        aside.rename(removed)


def timed_run(inbox: Path, data_dir: Path, delete: str | None = None, progress: Path | None = None) -> float:
    """Run the ingest to its end; the seconds it took."""
    started = time.monotonic()
    assert run_ingest(inbox, data_dir, delete, progress).wait(timeout=600) == 0, "an uninterrupted ingest failed"
    return time.monotonic() - started


@dataclass
class Bench:
    """An inbox, its folder ingested uninterrupted, how long a first ingest and an update take, and which
    stages each went through how many times (the kill points to choose from)."""

    inbox: Path
    reference: Path
    first_s: float
    update_s: float
    first_stages: dict[str, int]
    update_stages: dict[str, int]


def prepare(work: Path) -> Bench:
    inbox = make_inbox(work / "inbox")
    reference = work / "reference"
    first_s = timed_run(inbox, reference, progress=work / "first.progress")
    scratch = work / "update-timing"
    shutil.copytree(reference, scratch)
    with updated_inbox(inbox, 1) as delete:
        update_s = timed_run(inbox, scratch, delete, progress=work / "update.progress")
    shutil.rmtree(scratch, ignore_errors=True)
    return Bench(inbox, reference, first_s, update_s, kill_points(read_stages(work / "first.progress")),
                 kill_points(read_stages(work / "update.progress")))


def choose_point(stages: dict[str, int], index: int, rng: random.Random) -> KillPoint:
    """Stages in turn (so every stage is hit as often as the others), an occurrence of it at random."""
    names = sorted(stages)
    stage = names[(index // 2) % len(names)]
    return KillPoint(stage, rng.randrange(stages[stage]))


def crash_trial(index: int, bench: Bench, work: Path, rng: random.Random) -> Trial:
    """Even trials kill a first ingest into an empty folder; odd trials kill an update of a copy of the
    reference folder (one document deleted, one file changed). Each is checked right after the kill (raw),
    after recovery, and after the run is done again to its end."""
    data_dir = work / f"trial{index}"
    progress = work / f"trial{index}.progress"
    progress.unlink(missing_ok=True)
    with ExitStack() as stack:
        delete = None
        if index % 2:
            shutil.copytree(bench.reference, data_dir)
            delete = stack.enter_context(updated_inbox(bench.inbox, index))
        point = choose_point(bench.update_stages if delete else bench.first_stages, index, rng)
        interrupted, landed = kill_at_stage(run_ingest(bench.inbox, data_dir, delete, progress), progress, point)
        after_crash = check_data_dir(data_dir, settled=False).problems
        if (data_dir / "catalog.sqlite").exists():
            LibraryWriter.open(make_settings(data_dir)).close()  # the recovery the next run starts with
        after_recovery = check_data_dir(data_dir, settled=True, lexical=False).problems
        resumed = run_ingest(bench.inbox, data_dir, delete).wait(timeout=600)
        after_resume = check_data_dir(data_dir).problems if resumed == 0 else [f"the resumed run exited {resumed}"]
        with Library.open(make_settings(data_dir)) as library:
            stored = {d.doc_id for d in library.documents()}
        if stored != expected_ids(bench.inbox):
            after_resume.append(f"documents {sorted(stored)} instead of {sorted(expected_ids(bench.inbox))}")
    shutil.rmtree(data_dir, ignore_errors=True)
    progress.unlink(missing_ok=True)
    return Trial(point, interrupted, landed, after_crash, after_recovery, after_resume)
