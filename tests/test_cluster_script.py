"""`scripts/cluster.sh` as a developer runs it: up with one worker, a file through the queue into the PostgreSQL
catalog and the Chroma server, status, down."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, QueueSettings, Settings
from ingest.queue.client import job
from testing.chroma_server import free_port
from testing.redis_server import redis_executable
from vectorstore.catalog import Catalog

pytestmark = pytest.mark.skipif(redis_executable() is None,
                                reason="redis-server is not installed (scripts/setup.sh installs it)")
SCRIPT = PROJECT_ROOT / "scripts" / "cluster.sh"


def cluster(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_up_runs_redis_postgres_chroma_and_a_worker_that_ingests_then_down_stops_them(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BK_")}
    env.update(PYTHON_BIN=sys.executable, BK_STORE__DATA_DIR=str(tmp_path / "data"), BK_OCR__MAX_PAGES="2",
               BK_CLUSTER_REDIS_PORT=str(free_port()), BK_CLUSTER_CHROMA_PORT=str(free_port()),
               BK_CLUSTER_POSTGRES_PORT=str(free_port()))
    cluster_dir = tmp_path / "data" / "cluster"
    up = cluster(env, "up", "1")
    try:
        assert up.returncode == 0, up.stderr
        status = cluster(env, "status")
        assert status.returncode == 0, status.stdout
        for part in ("redis", "postgres", "chroma", "worker-1"):
            assert f"{part}" in status.stdout and "stopped" not in status.stdout
        assert (tmp_path / "data" / "cluster" / "worker-1.log").is_file()

        # The settings `env` prints are the ones the workers run with: a file queued with them is ingested.
        exports = cluster(env, "env").stdout
        queue_env = dict(env)
        for assignment in exports.removeprefix("export ").split():
            key, _, value = assignment.partition("=")
            queue_env[key] = value
        note = tmp_path / "catatan.txt"
        note.write_text("Rapat koordinasi Bappeda Kota Samarinda tentang data terpadu. " * 30, encoding="utf-8")
        queued = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", "--queue", str(note)], env=queue_env,
                                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
        assert queued.returncode == 0, queued.stderr
        task_id = queued.stdout.split("\t")[0]
        settings = Settings(queue=QueueSettings(url=queue_env["BK_QUEUE__URL"]))
        deadline = time.monotonic() + 90
        while (found := job(settings, task_id)) is None or found.status not in ("done", "failed"):
            assert time.monotonic() < deadline, found
            time.sleep(0.5)
        shown = subprocess.run([sys.executable, "-m", "ingest.cli", "queue-status", task_id], env=queue_env,
                               cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60).stdout
        assert " done " in shown and "added" in shown, shown
        # The worker wrote the catalog `env` names, in PostgreSQL, already migrated by `up`.
        url = queue_env["BK_STORE__DATABASE_URL"]
        assert url.startswith("postgresql+psycopg://") and f":{env['BK_CLUSTER_POSTGRES_PORT']}/" in url
        catalog = Catalog(url)
        assert catalog.found_version == catalog.stats()["schema_version"]
        assert [d.filename for d in catalog.list_documents()] == ["catatan.txt"]
        catalog.close()
        assert not (tmp_path / "data" / "catalog.sqlite").exists()
    finally:
        down = cluster(env, "down")
        # As root the cluster may live outside the test's folder (the postgres user cannot enter pytest's).
        root = cluster_dir / "postgres.root"
        if root.is_file() and not Path(root.read_text().strip()).is_relative_to(tmp_path):
            shutil.rmtree(root.read_text().strip(), ignore_errors=True)
    assert down.returncode == 0, down.stderr
    after = cluster(env, "status")
    assert after.returncode == 3 and "running  pid" not in after.stdout, after.stdout
    assert "postgres   stopped" in after.stdout, after.stdout
