"""kill -9 of a running ingest at points of its own progress: right after the crash (before any recovery) every
committed document is whole and nothing is stored for a document the catalog does not know; after recovery nothing is
half-written; a re-run resumes and finishes with exactly the inbox's documents, no duplicate, no orphan
(passages, files, registry rows) and the saved lexical index equal to the vector ids; Chroma reopens.

Trials alternate between a first ingest into an empty folder and an update of an ingested folder — one
document deleted, one file changed (so it is replaced) — in the same killed run. Each trial picks a stage the
uninterrupted run went through (parse, embed, chroma_write, catalog_commit, delete, lexical_save, as the ingest
reports them in BK_INGEST__PROGRESS_FILE) and one of its occurrences, watches the killed run's own progress and
kills its process group the moment that stage starts: every trial must interrupt a running ingest. Trial count
comes from --reliability-size (scripts/reliability.py runs 100)."""

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
from ingest.library import Library
from ingest.pipeline import content_hash, doc_id_for
from tests.conftest import corpus_env, make_settings
from tests.reliability import check_data_dir


def make_inbox(folder: Path, count: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cities = ["Balikpapan", "Samarinda", "Malang", "Kendari"]
    for i in range(count):
        city = cities[i % len(cities)]
        body = "\n\n".join(
            f"Pasal {j}\n(1) Pemerintah Kota {city} menyelenggarakan SPBE sesuai Peraturan Wali Kota Nomor {i + 10} "
            f"Tahun 2022 bagian {j}. (2) Dokumen nomor {i} memuat ketentuan teknis tambahan."
            for j in range(1, 15)
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
            Library.open(make_settings(data_dir), writer=True).close()  # the recovery the next run starts with
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


def test_kill9_during_ingest_leaves_documents_whole_and_resume_finishes(
    tmp_path: Path, reliability_size: int
) -> None:
    bench = prepare(tmp_path)
    assert check_data_dir(bench.reference).ok, check_data_dir(bench.reference).problems
    assert {"parse", "embed", "chroma_write", "catalog_commit", "lexical_save"} <= set(bench.first_stages)
    assert {"delete", "embed", "chroma_write", "catalog_commit", "lexical_save"} <= set(bench.update_stages)
    rng = random.Random(20261123)
    for index in range(reliability_size):
        trial = crash_trial(index, bench, tmp_path, rng)
        assert trial.interrupted, f"trial {index} ({trial.point}) killed an ingest that had already finished"
        assert not trial.after_crash, f"trial {index}, right after the crash: {trial.after_crash}"
        assert not trial.after_recovery, f"trial {index}, after recovery: {trial.after_recovery}"
        assert not trial.after_resume, f"trial {index}, after the resumed run: {trial.after_resume}"


def test_the_checks_see_what_recovery_would_hide(tmp_path: Path) -> None:
    # A half-written document, an orphan file and a stale saved lexical index are each reported as stored,
    # not as the Library would show them after repairing.
    inbox = make_inbox(tmp_path / "inbox", 2)
    data_dir = tmp_path / "data"
    timed_run(inbox, data_dir)
    with Library.open(make_settings(data_dir)) as library:
        doc = library.documents()[0]
        library.catalog.set_ingest_state(doc.doc_id, "x", "embedded")
    assert check_data_dir(data_dir, settled=False).ok
    assert "unfinished" in " ".join(check_data_dir(data_dir).problems)
    with Library.open(make_settings(data_dir)) as library:
        library.catalog.set_ingest_state(doc.doc_id, "x", "committed")
        library.store.delete_document(doc.doc_id)
    assert any("passage counts differ" in p for p in check_data_dir(data_dir, settled=False).problems)
    assert any("lexical" in p for p in check_data_dir(data_dir).problems)
    (data_dir / "files" / "0123456789abcdef.txt").write_text("x", encoding="utf-8")
    assert any("stored files without" in p for p in check_data_dir(data_dir).problems)


def test_second_writer_fails_fast_with_clear_message(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Library.open(make_settings(data_dir), writer=True):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "ingest.cli", "ingest", str(make_inbox(tmp_path / "inbox", 1))],
            env=corpus_env(data_dir), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        )
        elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "lock" in (result.stderr + result.stdout).lower()
    assert elapsed < 60  # model-free failure: the lock is taken before anything heavy loads
