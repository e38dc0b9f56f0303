"""kill -9 of a running ingest at random moments: afterwards every document is fully present or absent,
a re-run resumes and finishes with no duplicate and no orphan, the lexical index equals the vector ids, and
Chroma reopens. Trial count comes from --reliability-size (scripts/reliability.py runs 100)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingest.library import Library
from tests.conftest import corpus_env, make_settings
from tests.reliability import check_library


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


def run_ingest(inbox: Path, data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "ingest", str(inbox)],
        env=corpus_env(data_dir),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so kill -9 reaches the parse workers too, as a crash of the machine would
    )


def kill_at(process: subprocess.Popen, delay_s: float) -> bool:
    """SIGKILL the ingest and its workers after delay_s; False if it had already finished."""
    deadline = time.monotonic() + delay_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return True


def assert_consistent(data_dir: Path, expect_all: int | None = None) -> None:
    with Library.open(make_settings(data_dir), writer=True) as library:
        report = check_library(library)
        assert report.ok, report.problems
        if expect_all is not None:
            assert report.documents == expect_all


def test_kill9_during_ingest_leaves_documents_whole_and_resume_finishes(
    tmp_path: Path, reliability_size: int
) -> None:
    inbox = make_inbox(tmp_path / "inbox")
    files = len(list(inbox.iterdir()))
    started = time.monotonic()
    assert run_ingest(inbox, tmp_path / "reference").wait(timeout=600) == 0
    full_run_s = time.monotonic() - started
    rng = random.Random(20261123)
    killed = 0
    for trial in range(reliability_size):
        data_dir = tmp_path / f"trial{trial}"
        killed += kill_at(run_ingest(inbox, data_dir), rng.uniform(0.05, 0.8) * full_run_s)
        if data_dir.exists():
            assert_consistent(data_dir)  # every document whole or absent, right after the crash
        assert run_ingest(inbox, data_dir).wait(timeout=600) == 0
        assert_consistent(data_dir, expect_all=files)
    if reliability_size:
        assert killed, "no trial interrupted the ingest; the kill window is wrong"


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
