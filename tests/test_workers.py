"""Isolated parsing: a hang, a memory bomb or a segfault costs only its own file, with a named error.

The failing parse functions below are real (they sleep, allocate, dereference NULL) and live at
module level so that the child processes can import them.
"""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import DocumentError, EmptyDocumentError, ParseCrashError, ParseTimeoutError
from core.settings import Settings
from core.types import ExtractedDocument
from ingest.loaders import load_document
from ingest.workers import map_isolated, parse_isolated
from testing import filemakers

TIMEOUT_S = 6.0
MEMORY_MB = 1024


def read_name(path: Path) -> str:
    """A well-behaved parse: depends on the file only."""
    return path.read_text(encoding="utf-8").upper()


def hang(path: Path) -> str:
    time.sleep(3600)
    return "never"


def slow(path: Path, seconds: float) -> str:
    time.sleep(seconds)
    return path.name


def allocate_10_gb(path: Path) -> bytes:
    return bytes(10 * 1024**3)


def grow_until_stopped(path: Path) -> int:
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))  # touched pages, as a real leak would
        hoard[-1][::4096] = b"x" * (len(hoard[-1]) // 4096)


def segfault(path: Path) -> bytes:
    return ctypes.string_at(0)


def refuse(path: Path) -> str:
    raise EmptyDocumentError(str(path), "contains no text", hint="Check the file.")


def buggy(path: Path) -> str:
    raise ValueError("unexpected structure")


def write_pid_then_hang(path: Path) -> str:
    path.write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(3600)
    return "never"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for name in ("balikpapan", "samarinda", "malang"):
        path = tmp_path / f"{name}.txt"
        path.write_text(name, encoding="utf-8")
        out.append(path)
    return out


def test_results_come_back_from_the_child(files: list[Path]) -> None:
    results = dict(map_isolated(read_name, files, workers=2, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB))
    assert results == {path: path.stem.upper() for path in files}


def test_hang_is_stopped_at_the_deadline_and_others_succeed(files: list[Path]) -> None:
    started = time.monotonic()
    with pytest.raises(ParseTimeoutError) as err:
        parse_isolated(hang, files[0], timeout_s=2.0, memory_mb=MEMORY_MB)
    elapsed = time.monotonic() - started
    assert 2.0 <= elapsed < 2.0 + 5.0
    assert files[0].name in err.value.message and "2 s" in err.value.message and err.value.hint
    assert parse_isolated(read_name, files[1], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB) == "SAMARINDA"


@pytest.mark.parametrize("bomb", [allocate_10_gb, grow_until_stopped])
def test_memory_bomb_is_stopped_by_the_memory_limit(files: list[Path], bomb: Callable[[Path], object]) -> None:
    started = time.monotonic()
    with pytest.raises(ParseCrashError) as err:
        parse_isolated(bomb, files[0], timeout_s=30.0, memory_mb=MEMORY_MB)
    assert time.monotonic() - started < 30.0, "the memory limit, not the deadline, must stop it"
    assert files[0].name in err.value.message and "memory" in err.value.message


def test_segfault_becomes_a_crash_error_naming_the_signal(files: list[Path]) -> None:
    with pytest.raises(ParseCrashError) as err:
        parse_isolated(segfault, files[0], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert "SIGSEGV" in err.value.message and files[0].name in err.value.message


def test_child_document_error_is_reraised_with_class_and_message(files: list[Path]) -> None:
    with pytest.raises(EmptyDocumentError) as err:
        parse_isolated(refuse, files[0], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert err.value.message == f"{files[0]}: contains no text"
    assert err.value.hint == "Check the file."


def test_unexpected_exception_becomes_a_document_error(files: list[Path]) -> None:
    with pytest.raises(DocumentError) as err:
        parse_isolated(buggy, files[0], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert "ValueError" in err.value.message and "unexpected structure" in err.value.message


def test_pool_goes_on_after_each_kind_of_failure(tmp_path: Path) -> None:
    """One batch with a hang, a memory bomb and a segfault among good files: every file gets an outcome."""
    dispatch = tmp_path / "cases"
    dispatch.mkdir()
    good = [filemakers.text_pdf(dispatch / f"baik{i}.pdf") for i in range(3)]
    bad = {name: dispatch / f"{name}.pdf" for name in ("hang", "bomb", "segfault")}
    for path in bad.values():
        path.write_bytes(b"%PDF-1.4\n")
    settings = Settings()
    started = time.monotonic()
    outcomes = dict(map_isolated(dispatch_by_name, [*bad.values(), *good], workers=2, timeout_s=4.0,
                                 memory_mb=MEMORY_MB, args=(settings,)))
    assert time.monotonic() - started < 3 * 4.0
    assert set(outcomes) == {*bad.values(), *good}
    assert isinstance(outcomes[bad["hang"]], ParseTimeoutError)
    bomb, crash = outcomes[bad["bomb"]], outcomes[bad["segfault"]]
    assert isinstance(bomb, ParseCrashError) and "memory" in bomb.message
    assert isinstance(crash, ParseCrashError) and "SIGSEGV" in crash.message
    for path in good:
        document = outcomes[path]
        assert isinstance(document, ExtractedDocument)
        assert "BAB II RUANG LINGKUP" in document.pages[1].text


def dispatch_by_name(path: Path, settings: Settings) -> object:
    return {"hang": hang, "bomb": allocate_10_gb, "segfault": segfault}.get(
        path.stem, lambda p: load_document(p, settings))(path)


def test_results_are_yielded_as_children_finish(tmp_path: Path) -> None:
    slow_file, fast_file = tmp_path / "lambat.txt", tmp_path / "cepat.txt"
    order = [path for path, _ in map_isolated(slow_or_fast, [slow_file, fast_file], workers=2, timeout_s=TIMEOUT_S,
                                              memory_mb=MEMORY_MB)]
    assert order == [fast_file, slow_file]


def slow_or_fast(path: Path) -> str:
    return slow(path, 1.0 if path.stem == "lambat" else 0.0)


def test_at_most_workers_children_run_at_once(tmp_path: Path) -> None:
    paths = [tmp_path / f"f{i}.txt" for i in range(4)]
    started = time.monotonic()
    finished = []
    for _path, _result in map_isolated(slow_one_second, paths, workers=2, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB):
        finished.append(time.monotonic() - started)
    # Two at a time: the first pair ends after ~1 s, the second after ~2 s (never all four at ~1 s).
    assert sorted(finished)[2] >= 1.9
    assert finished[-1] < 2 * TIMEOUT_S


def slow_one_second(path: Path) -> str:
    return slow(path, 1.0)


def test_closing_the_iterator_kills_running_children(tmp_path: Path) -> None:
    quick, *pid_files = [tmp_path / "cepat.txt", tmp_path / "a.pid", tmp_path / "b.pid"]
    quick.write_text("cepat", encoding="utf-8")
    results = map_isolated(quick_or_hang, [quick, *pid_files], workers=3, timeout_s=60.0, memory_mb=MEMORY_MB)
    assert next(results) == (quick, "CEPAT")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(p.exists() and p.read_text() for p in pid_files):
        time.sleep(0.05)
    pids = [int(p.read_text()) for p in pid_files]
    results.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def quick_or_hang(path: Path) -> str:
    return read_name(path) if path.suffix == ".txt" else write_pid_then_hang(path)
