"""`scripts/cluster.sh` driven from Python, as tests/test_cluster_script.py and ``scripts/benchmark.py --cluster``
run it: fresh loopback ports and a data folder of their own, the settings `env` exports, and the PostgreSQL
folder the script may have had to put outside that data folder removed afterwards."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from core.settings import PROJECT_ROOT
from testing.servers import free_port

SCRIPT = PROJECT_ROOT / "scripts" / "cluster.sh"
# Where a cluster is: these come from the script (its `env`), never from the caller's environment.
PLACEMENT = ("BK_QUEUE__URL", "BK_STORE__DATA_DIR", "BK_STORE__DATABASE_URL", "BK_STORE__CHROMA_HOST",
              "BK_STORE__CHROMA_PORT")


def script_env(base: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    """``base`` (e.g. the embedding knobs) with a data folder and free ports for Redis, Chroma and PostgreSQL."""
    env = {k: v for k, v in base.items() if k not in PLACEMENT and not k.startswith("BK_CLUSTER_")}
    env.update(PYTHON_BIN=sys.executable, BK_STORE__DATA_DIR=str(data_dir),
               BK_CLUSTER_REDIS_PORT=str(free_port()), BK_CLUSTER_CHROMA_PORT=str(free_port()),
               BK_CLUSTER_POSTGRES_PORT=str(free_port()))
    return env


def cluster_script(env: Mapping[str, str], *args: str, timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], env=dict(env), cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout_s)


def exported_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` plus the settings `cluster.sh env` prints for the API and the CLI."""
    printed = cluster_script(env, "env").stdout
    exported = dict(env)
    for assignment in shlex.split(printed.removeprefix("export ")):
        key, _, value = assignment.partition("=")
        exported[key] = value
    return exported


def remove_moved_postgres(env: Mapping[str, str]) -> None:
    """As root the script may keep PostgreSQL's cluster outside the data folder (the postgres user cannot enter a
    0700 temporary folder); it names the place in ``postgres.root``. Call after `down`."""
    data_dir = Path(env["BK_STORE__DATA_DIR"])
    recorded = data_dir / "cluster" / "postgres.root"
    if recorded.is_file() and not Path(recorded.read_text().strip()).is_relative_to(data_dir):
        shutil.rmtree(recorded.read_text().strip(), ignore_errors=True)


@contextmanager
def cluster_up(env: Mapping[str, str], workers: int) -> Iterator[dict[str, str]]:
    """`cluster.sh up WORKERS` until the block ends, then `down`, even when `up` or the block failed; yields the
    environment with the cluster's settings."""
    try:
        up = cluster_script(env, "up", str(workers))
        if up.returncode != 0:
            raise RuntimeError(f"cluster.sh up {workers} failed:\n{up.stderr[-3000:]}")
        yield exported_env(env)
    finally:
        down = cluster_script(env, "down")
        remove_moved_postgres(env)
    # Reached only when nothing else failed: a failure of the block is the one worth reporting.
    if down.returncode != 0:
        raise RuntimeError(f"cluster.sh down failed:\n{down.stderr[-3000:]}")
