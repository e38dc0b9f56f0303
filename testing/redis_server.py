"""A real Redis server on loopback for tests: Debian's ``redis-server`` on a free port, nothing persisted.

    with running_redis_server(tmp_path / "redis") as url:
        settings.queue.url = url
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testing.chroma_server import HOST, free_port


def redis_executable() -> str | None:
    return shutil.which("redis-server")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def running_redis_server(folder: Path, timeout_s: float = 20.0) -> Iterator[str]:
    """Start ``redis-server`` working in ``folder``; yield its URL once it answers PING, then stop it."""
    executable = redis_executable()
    if executable is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (folder / "redis.log").open("wb")
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", HOST, "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while not _answers(port):
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited early with code {process.returncode}; see {folder}/redis.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {port} did not answer within {timeout_s:.0f} s")
            time.sleep(0.05)
        yield f"redis://{HOST}:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
