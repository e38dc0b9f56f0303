"""`scripts/cluster.sh` as a developer runs it: up with one worker, a file through the queue into the PostgreSQL
catalog and the Chroma server, status, down."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, QueueSettings, Settings
from ingest.queue.client import job
from testing.cluster_script import cluster_script as cluster
from testing.cluster_script import exported_env, remove_moved_postgres, script_env
from testing.redis_server import redis_executable
from vectorstore.catalog import Catalog

pytestmark = pytest.mark.skipif(redis_executable() is None,
                                reason="redis-server is not installed (scripts/setup.sh installs it)")


@pytest.mark.slow
def test_up_runs_redis_postgres_chroma_and_a_worker_that_ingests_then_down_stops_them(tmp_path: Path) -> None:
    env = script_env({k: v for k, v in os.environ.items() if not k.startswith("BK_")}, tmp_path / "data")
    env["BK_OCR__MAX_PAGES"] = "2"
    up = cluster(env, "up", "1")
    try:
        assert up.returncode == 0, up.stderr
        status = cluster(env, "status")
        assert status.returncode == 0, status.stdout
        for part in ("redis", "postgres", "chroma", "worker-1"):
            assert f"{part}" in status.stdout and "stopped" not in status.stdout
        assert (tmp_path / "data" / "cluster" / "worker-1.log").is_file()

        # The settings `env` prints are the ones the workers run with: a file queued with them is ingested.
        queue_env = exported_env(env)
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
        remove_moved_postgres(env)
    assert down.returncode == 0, down.stderr
    after = cluster(env, "status")
    assert after.returncode == 3 and "running  pid" not in after.stdout, after.stdout
    assert "postgres   stopped" in after.stdout, after.stdout
