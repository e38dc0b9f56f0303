"""Parse files in child processes with a time and a memory limit, so a bad file costs only itself.

A hostile or broken file can hang a parser (cyclic structures), eat all memory (decompression
bombs) or crash it outright (segfaults in pdfium/lxml C code). Each file is therefore parsed in
its own short-lived process: the parent kills it at the deadline, ``RLIMIT_AS`` turns a memory
bomb into a ``MemoryError`` inside the child, and a dead child becomes a ``ParseCrashError``
naming the signal. The batch goes on.

Why the "forkserver" start method: the parent (API server, CLI with Chroma, torch) runs threads,
and ``fork`` from a threaded process can deadlock the child on a lock some other thread held.
"spawn" is safe but starts a fresh interpreter per file that must import pypdf, pdfium, lxml,
python-docx … again (measured on this 2-core machine: 0.4 s for a bare child, ~1.1 s per small
file with the loaders). The fork server is started once (~1–4 s), single-threaded, with those
modules preloaded; each child is then forked from it in ~0.08 s.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import forkserver
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar, cast

from core.errors import DocumentError, ParseCrashError, ParseTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Imported once in the fork server so that each child starts warm. Missing modules are skipped.
PRELOAD = ["ingest.loaders", "ingest.loaders.pdf", "ingest.loaders.docx", "ingest.loaders.html",
           "ingest.loaders.text", "ingest.pipeline", "ingest.worker_warmup"]
# Preloaded without being tried here first: it catches its own errors, and trying it would do its warm-up in
# the parent too (ingest/worker_warmup.py).
_SELF_GUARDED = {"ingest.worker_warmup"}
_KILL_GRACE_S = 5.0
_REPORT_HINT = "The file may be damaged: open it and save it again (or print it to PDF), then re-add it."


@lru_cache(maxsize=1)
def _preloadable() -> tuple[str, ...]:
    # The fork server skips a module that raises ImportError but dies on any other import error,
    # which would fail every parse after it; so only modules that import cleanly here are named.
    ok = []
    for name in PRELOAD:
        if name in _SELF_GUARDED:
            ok.append(name)
            continue
        try:
            importlib.import_module(name)
            ok.append(name)
        except Exception as exc:
            logger.warning("not preloading %s in the parse fork server: %s", name, exc)
    return tuple(ok)


def _context() -> ForkServerContext:
    ctx = cast(ForkServerContext, multiprocessing.get_context("forkserver"))
    ctx.set_forkserver_preload(list(_preloadable()))
    return ctx


def start_parse_server() -> None:
    """Starts the fork server now rather than at the first parse, so that its preloading (~1-4 s) overlaps what
    the caller does next (a CLI ingest: opening the store and the embedder) instead of delaying the first file."""
    _context()
    forkserver.ensure_running()


def _address_space_now() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    floor = _address_space_now() + 256 * 1024 * 1024
    if limit < floor:
        # The preloaded libraries alone are mapped; a limit below that would fail every file.
        logger.warning("parse memory limit %d MB is below what the parser already maps; using %d MB",
                       memory_mb, floor // (1024 * 1024))
        limit = floor
    # Only the soft limit: the HTML loader lifts it while it starts a browser (a process tree of its own that
    # reserves gigabytes of address space up front), then puts it back for the parse itself.
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _error_payload(path: Path, exc: BaseException, memory_mb: int) -> tuple[type[DocumentError], str, str, str | None]:
    if isinstance(exc, DocumentError):
        return type(exc), exc.path, exc.reason, exc.hint
    if isinstance(exc, MemoryError):
        return (ParseCrashError, str(path), f"needed more than {memory_mb} MB of memory while parsing and was stopped",
                "If the file is genuine, raise ingest.parse_memory_mb (BK_INGEST__PARSE_MEMORY_MB).")
    return DocumentError, str(path), f"could not be parsed ({type(exc).__name__}: {exc})", _REPORT_HINT


def _child_main(conn: Connection, fn: Callable[..., Any], path: Path, args: tuple, memory_mb: int) -> None:
    """Runs in the child: apply the memory limit, parse, send ``("ok", result)`` or ``("error", payload)``."""
    _limit_memory(memory_mb)
    try:
        message: tuple[str, Any] = ("ok", fn(path, *args))
    except BaseException as exc:  # everything must reach the parent as a named error
        if not isinstance(exc, DocumentError | MemoryError):
            logger.exception("parsing %s failed", path)
        message = ("error", _error_payload(path, exc, memory_mb))
    try:
        conn.send(message)
    except Exception as exc:  # an unpicklable or oversized result
        conn.send(("error", _error_payload(path, exc, memory_mb)))
    finally:
        conn.close()


def _rebuild_error(payload: tuple[type[DocumentError], str, str, str | None]) -> DocumentError:
    # Exceptions with keyword-only constructor arguments do not survive pickling, so they travel as parts.
    cls, path, reason, hint = payload
    try:
        return cls(path, reason, hint=hint)
    except TypeError:
        return DocumentError(path, reason, hint=hint)


def _crash_error(path: Path, exitcode: int | None, memory_mb: int) -> DocumentError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        reason = f"crashed the parser (killed by {name})"
        if name == "SIGKILL":
            reason += f"; it was probably killed for using too much memory (limit {memory_mb} MB)"
        return ParseCrashError(str(path), reason, hint=_REPORT_HINT)
    return ParseCrashError(str(path), f"crashed the parser (exit code {exitcode})", hint=_REPORT_HINT)


@dataclass
class _Task:
    path: Path
    process: BaseProcess
    conn: Connection
    deadline: float
    timeout_s: float
    memory_mb: int
    started: float = field(default_factory=time.monotonic)

    def outcome(self, now: float) -> tuple[bool, Any]:
        """``(True, result_or_error)`` once the child has answered, died or run out of time; else ``(False, None)``."""
        if self.conn.poll():
            try:
                kind, payload = self.conn.recv()
            except (EOFError, OSError):
                return True, self._finish_crashed()
            self._reap()
            return True, payload if kind == "ok" else _rebuild_error(payload)
        if not self.process.is_alive():
            return True, self._finish_crashed()
        if now >= self.deadline:
            self.kill()
            return True, ParseTimeoutError(
                str(self.path), f"took longer than {self.timeout_s:g} s to parse and was stopped",
                hint="Large scans need time for OCR: raise ingest.parse_timeout_s, or split the file.")
        return False, None

    def _finish_crashed(self) -> DocumentError:
        self.process.join(_KILL_GRACE_S)
        error = _crash_error(self.path, self.process.exitcode, self.memory_mb)
        self._reap()
        return error

    def _reap(self) -> None:
        self.process.join(_KILL_GRACE_S)
        if self.process.is_alive():
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(_KILL_GRACE_S)
        self.conn.close()


def _start(ctx: ForkServerContext, fn: Callable[..., Any], path: Path, args: tuple, timeout_s: float,
           memory_mb: int) -> _Task:
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child_main, args=(sender, fn, path, args, memory_mb), daemon=True,
                          name=f"parse:{path.name}")
    process.start()
    sender.close()  # the child holds the only write end, so its death shows as EOF here
    return _Task(path, process, receiver, time.monotonic() + timeout_s, timeout_s, memory_mb)


def map_isolated(
    fn: Callable[..., T],
    paths: Iterable[Path],
    *,
    workers: int,
    timeout_s: float,
    memory_mb: int,
    args: Sequence[Any] = (),
) -> Generator[tuple[Path, T | DocumentError], None, None]:
    """``fn(path, *args)`` for each path, each in its own child process, up to ``workers`` at once.

    Yields ``(path, result)`` or ``(path, DocumentError)`` in the order the children finish; a
    failure never stops the others. ``fn``, ``args`` and the result must be picklable.
    Closing the iterator early kills the children still running.
    """
    ctx = _context()
    pending = deque(Path(p) for p in paths)
    running: list[_Task] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                running.append(_start(ctx, fn, pending.popleft(), tuple(args), timeout_s, memory_mb))
            now = time.monotonic()
            wait([t.conn for t in running] + [t.process.sentinel for t in running],
                 timeout=max(0.0, min(t.deadline for t in running) - now))
            now = time.monotonic()
            for task in list(running):
                done, result = task.outcome(now)
                if done:
                    running.remove(task)
                    logger.debug("%s parsed in %.2f s", task.path, now - task.started)
                    yield task.path, result
    finally:
        for task in running:
            task.kill()


def parse_isolated(fn: Callable[..., T], path: Path, *args: Any, timeout_s: float, memory_mb: int) -> T:
    """``fn(path, *args)`` in a child process; raises ``ParseTimeoutError``, ``ParseCrashError`` or the
    child's ``DocumentError`` (same class and message)."""
    for _path, result in map_isolated(fn, [path], workers=1, timeout_s=timeout_s, memory_mb=memory_mb, args=args):
        if isinstance(result, DocumentError):
            raise result
        return result
    raise AssertionError("map_isolated yielded nothing for one path")  # unreachable: one path, one outcome
