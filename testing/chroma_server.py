"""A real Chroma server on loopback for tests: ``chroma run`` from the venv, on a free port.

Use it from a fixture::

    with running_chroma_server(tmp_path / "chroma-server") as server:
        settings.store.chroma_host, settings.store.chroma_port = server.host, server.port
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int
    path: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def chroma_executable() -> str:
    """The ``chroma`` CLI installed next to this interpreter (it ships with chromadb)."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` CLI is not installed; it ships with the chromadb package")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def heartbeat_ok(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/api/v2/heartbeat", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_for_heartbeat(server: ChromaServer, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"chroma server exited early with code {server.process.returncode}")
        if heartbeat_ok(server.host, server.port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"chroma server at {server.url} gave no heartbeat within {timeout_s:.0f} s")


def stop(server: ChromaServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@contextmanager
def running_chroma_server(path: Path, timeout_s: float = 30.0, port: int | None = None) -> Iterator[ChromaServer]:
    """Start ``chroma run`` persisting to ``path`` (on ``port``, else a free one), yield once its heartbeat
    answers, then stop it."""
    path.mkdir(parents=True, exist_ok=True)
    port = port if port is not None else free_port()
    log = (path.parent / f"{path.name}.log").open("wb")
    process = subprocess.Popen(
        [chroma_executable(), "run", "--path", str(path), "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = ChromaServer(HOST, port, path, process)
    try:
        wait_for_heartbeat(server, timeout_s)
        yield server
    finally:
        stop(server)
        log.close()
