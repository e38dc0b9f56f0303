"""The catalog's migrations (vectorstore/migrations), on both databases: they build exactly the tables
catalog_schema.py declares (an old SQLite file too), go down to nothing and up again, run from a fresh clone's
command line (``alembic upgrade head`` with alembic.ini, ``banding-kota catalog-upgrade``), and processes that
open an empty PostgreSQL database at the same moment migrate it once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from core.settings import PROJECT_ROOT
from tests.test_catalog import KENDARI_48, put_kendari, put_singkawang, schema_4_file
from vectorstore.catalog import Catalog
from vectorstore.catalog_db import alembic_config, transaction
from vectorstore.catalog_schema import HEAD_REVISION, SCHEMA_VERSION, metadata


def schema_differences(catalog: Catalog) -> list[object]:
    with catalog.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def test_the_latest_migration_is_the_schema_version_the_code_declares() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION == f"{SCHEMA_VERSION:04d}"


def test_the_migrations_build_exactly_the_declared_tables(catalog_location: str) -> None:
    assert schema_differences(Catalog(catalog_location)) == []


def test_an_old_sqlite_catalog_ends_with_exactly_the_declared_tables(tmp_path: Path) -> None:
    differences = schema_differences(Catalog(schema_4_file(tmp_path / "catalog.sqlite")))
    # Its text primary keys were declared without NOT NULL, which SQLite (unlike the SQL standard) then allows;
    # the catalog never writes a NULL key, and rebuilding every table of a user's file to say so is not worth it.
    assert [d for d in differences if not _nullable_primary_key(d)] == []
    assert len(differences) == 5


def _nullable_primary_key(difference: object) -> bool:
    if not isinstance(difference, list) or len(difference) != 1:
        return False
    kind, _, table, column, _, _, _ = difference[0]
    return bool(kind == "modify_nullable" and metadata.tables[table].c[column].primary_key)


def test_the_migrations_go_down_to_nothing_and_up_again(catalog_location: str) -> None:
    catalog = Catalog(catalog_location)
    put_kendari(catalog)
    with transaction(catalog.engine, write=True) as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(catalog.engine).get_table_names()) <= {"alembic_version"}
    again = Catalog(catalog_location)
    assert again.found_version == 0 and again.stats()["schema_version"] == SCHEMA_VERSION
    put_singkawang(again)
    put_kendari(again)
    assert [a.change.unit for a in again.amendments_of(KENDARI_48.key).received] == ["Pasal 11"]


def _env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BK_")}
    return {**env, **settings}


def test_alembic_and_the_cli_migrate_a_postgres_database_from_a_fresh_clone(postgres_url: str, tmp_path: Path) -> None:
    env = _env(BK_STORE__DATABASE_URL=postgres_url, BK_STORE__DATA_DIR=str(tmp_path / "data"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    upgraded = run("alembic", "upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "-> 0004" in upgraded.stderr and f"-> {HEAD_REVISION}" in upgraded.stderr
    current = run("alembic", "current")
    assert f"{HEAD_REVISION} (head)" in current.stdout, current.stdout + current.stderr
    cli = run("ingest.cli", "catalog-upgrade")
    assert cli.returncode == 0, cli.stderr
    assert f"schema {SCHEMA_VERSION} found" in " ".join(cli.stderr.split())
    assert not (tmp_path / "data" / "catalog.sqlite").exists(), "the URL, not the data folder, holds the catalog"


def test_processes_opening_an_empty_postgres_database_together_migrate_it_once(postgres_url: str) -> None:
    start = time.time() + 4  # after every interpreter has imported SQLAlchemy
    opener = ("import logging, sys, time; from vectorstore.catalog import Catalog; logging.basicConfig(level=20); "
              "time.sleep(max(0, float(sys.argv[2]) - time.time())); Catalog(sys.argv[1])")
    processes = [subprocess.Popen([sys.executable, "-c", opener, postgres_url, str(start)], cwd=PROJECT_ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in processes]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-800:] for _, err in results]
    # All four found it empty; the first to take the lock migrated it, the others then found it done.
    assert sum("Running upgrade  -> 0004" in err for _, err in results) == 1, [err[-800:] for _, err in results]
    catalog = Catalog(postgres_url)
    with catalog.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD_REVISION]
