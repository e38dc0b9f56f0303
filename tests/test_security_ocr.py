"""Tesseract never outlives the parse that started it: a worker killed at its deadline takes its Tesseract
child with it, and one page's OCR stops at the per-file time limit even in the process that started it."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from core.errors import ParseTimeoutError
from core.settings import Settings
from ingest import ocr
from ingest.workers import parse_isolated
from testing import filemakers
from testing.corpus import make_settings

DPI = 480


def _settings(data_dir: Path, **ingest: object) -> Settings:
    base = make_settings(data_dir)
    return base.model_copy(update={"ocr": base.ocr.model_copy(update={"dpi": DPI}),
                                   "ingest": base.ingest.model_copy(update=ingest)})


@contextmanager
def tesseracts_started() -> Iterator[set[int]]:
    """The pids of every Tesseract this test process (or its workers) starts while the block runs."""
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        me = psutil.Process()
        while not stop.is_set():
            for child in me.children(recursive=True):
                try:
                    if child.name().startswith("tesseract"):
                        seen.add(child.pid)
                except psutil.Error:
                    pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        stop.set()
        watcher.join()


def still_running(pids: set[int], grace_s: float = 2.0) -> list[int]:
    def running(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    deadline = time.monotonic() + grace_s
    while (alive := [pid for pid in pids if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


@pytest.fixture(scope="module")
def noise_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filemakers.noise_scan_pdf(tmp_path_factory.mktemp("ocr") / "noise.pdf", dpi=DPI)


def test_tesseract_dies_with_the_worker_killed_at_its_deadline(tmp_path: Path, noise_scan: Path) -> None:
    settings = _settings(tmp_path / "data")
    with tesseracts_started() as seen, pytest.raises(ParseTimeoutError):
        parse_isolated(ocr.ocr_pdf_page, noise_scan, 0, settings, timeout_s=4.0, memory_mb=2048)
    assert seen, "Tesseract never started before the deadline; this test proves nothing"
    assert not still_running(seen), "Tesseract kept reading the page after its worker was killed"


def test_one_page_of_ocr_stops_at_the_file_time_limit(tmp_path: Path, noise_scan: Path) -> None:
    settings = _settings(tmp_path / "data", parse_timeout_s=2.0)
    started = time.monotonic()
    with tesseracts_started() as seen, pytest.raises(subprocess.TimeoutExpired):
        ocr.ocr_pdf_page(noise_scan, 0, settings)
    assert time.monotonic() - started < 8.0
    assert seen and not still_running(seen)
