"""A real PostgreSQL server on loopback for tests: Debian's ``postgresql`` binaries, a fresh cluster in a temporary
folder, a free port, no Unix socket, nothing synced to disk (a test server loses nothing it needs on a crash).

    with running_postgres_server() as server:
        url = server.create_database("catalog_test")

``initdb`` and ``postgres`` refuse to run as root: as root the cluster belongs to the ``postgres`` user (Debian's
package creates it), else to ``nobody``, and lives in a folder of its own under the system's temporary folder,
since pytest's (``/tmp/pytest-of-root``, mode 0700) cannot be entered by another user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testing.chroma_server import HOST, free_port

SUPERUSER = "bk"
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def postgres_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``: from PATH, else the newest of Debian's versioned folders
    (Debian puts them in /usr/lib/postgresql/<version>/bin and only the client tools on PATH)."""
    found = shutil.which("initdb")
    if found and Path(found).resolve().with_name("postgres").exists():
        return Path(found).resolve().parent
    versions = sorted(glob.glob(DEBIAN_BIN_GLOB), key=lambda p: int(Path(p).parent.name.split(".")[0]), reverse=True)
    for folder in versions:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "postgres").exists():
            return Path(folder)
    return None


def server_user() -> pwd.struct_passwd | None:
    """Whom the server runs as: None for the current user, unless that is root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as "
                       "(initdb and postgres refuse root): create one, e.g. `useradd --system postgres`")


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database (dropped first if it exists); its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host={self.host} port={self.port} user={SUPERUSER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as(user: pwd.struct_passwd | None) -> dict[str, object]:
    """Popen arguments that run the child as ``user`` (none: as we are)."""
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": [], "cwd": "/"}


def _answers(port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"host={HOST} port={port} user={SUPERUSER} dbname=postgres", connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def running_postgres_server(timeout_s: float = 60.0) -> Iterator[PostgresServer]:
    """initdb a cluster in a new temporary folder, start ``postgres`` on a free loopback port, yield once it accepts
    connections; then stop it and remove the folder."""
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError(f"PostgreSQL is not installed: no initdb on PATH nor in {DEBIAN_BIN_GLOB} "
                           "(Debian: apt-get install postgresql; scripts/setup.sh does)")
    user = server_user()
    # The server's user must reach the folder: /tmp (world-traversable) rather than a TMPDIR that may be root's own.
    folder = Path(tempfile.mkdtemp(prefix="bk-postgres-", dir="/tmp" if user is not None else None))
    data_dir = folder / "data"
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    log_path = folder / "postgres.log"
    try:
        initdb = subprocess.run(
            [str(bindir / "initdb"), "-D", str(data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--locale=C", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=120, **_as(user),  # type: ignore[call-overload]
        )
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed ({initdb.returncode}): {initdb.stderr.strip()[-2000:]}")
        port = free_port()
        with log_path.open("wb") as log:
            os.chmod(log_path, 0o666)  # written by the server's user through our descriptor; read by us
            process = subprocess.Popen(
                [str(bindir / "postgres"), "-D", str(data_dir), "-p", str(port), "-c", f"listen_addresses={HOST}",
                 "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=200"],
                stdout=log, stderr=subprocess.STDOUT, **_as(user),  # type: ignore[call-overload]
            )
        server = PostgresServer(HOST, port, data_dir, process)
        try:
            deadline = time.monotonic() + timeout_s
            while not _answers(port):
                if process.poll() is not None:
                    raise RuntimeError(f"postgres exited early with code {process.returncode}:\n"
                                       f"{log_path.read_text(errors='replace')[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"postgres on port {port} accepted no connection within {timeout_s:.0f} s")
                time.sleep(0.05)
            yield server
        finally:
            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT is PostgreSQL's fast shutdown: open sessions are ended rather than waited for."""
    if process.poll() is None:
        process.send_signal(2)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
