"""Real servers on loopback for the tests and the benchmark: start, wait until they answer, stop."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from core.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout_s: float = 120.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server process exited with {process.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f} s")


def stop(process: subprocess.Popen, timeout_s: float = 15.0) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serving(
    command: Sequence[str], *, env: Mapping[str, str], log_path: Path, health_url: str, timeout_s: float = 120.0
) -> Iterator[subprocess.Popen]:
    """Run ``command`` (output to ``log_path``) until the block ends; yield once ``health_url`` answers."""
    with log_path.open("w") as log:
        process = subprocess.Popen(list(command), cwd=PROJECT_ROOT, env=dict(env), stdout=log, stderr=log)
    try:
        wait_for_http(health_url, timeout_s=timeout_s, process=process)
        yield process
    finally:
        stop(process)


@contextmanager
def api_process(env: Mapping[str, str], log_path: Path, timeout_s: float = 120.0) -> Iterator[str]:
    """``python -m api`` with ``env`` (which must set BK_API__PORT); yields its base URL."""
    base = f"http://127.0.0.1:{env['BK_API__PORT']}"
    with serving([sys.executable, "-m", "api"], env=env, log_path=log_path, health_url=f"{base}/health",
                 timeout_s=timeout_s):
        yield base
