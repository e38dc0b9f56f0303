"""The catalog's database: one SQLAlchemy engine over SQLite (``catalog.sqlite`` in the data folder, the embedded
default) or PostgreSQL (``BK_STORE__DATABASE_URL``), its transactions, the lock that orders writers of shared rows,
and the schema brought to this program's version by the Alembic migrations (``vectorstore/migrations``) when a
catalog is opened.

Opening upgrades, as the SQLite catalog always did: a newer program run against an older catalog brings it up to
date (under a lock, so that API replicas and workers starting together migrate once), and an older program
refuses a catalog a newer one made. ``banding-kota catalog-upgrade`` (or ``alembic upgrade head``) does the
same step by hand, for an operator who migrates before rolling out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, make_url, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from core.errors import CatalogUnavailableError
from core.settings import StoreSettings
from vectorstore.catalog_schema import SCHEMA_VERSION

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_FILENAME = "catalog.sqlite"
# Keys of PostgreSQL's transaction-scoped advisory locks (any two bigints no other application on the database
# takes): one for writers that replace rows other writers read and change too, one for migrations.
WRITE_LOCK = 0x424B_4341_5457
MIGRATION_LOCK = 0x424B_4341_544D
_WRITE = "banding_kota_write"  # the execution option that makes a SQLite transaction BEGIN IMMEDIATE


def catalog_url(store: StoreSettings) -> str:
    """The catalog's database URL: ``BK_STORE__DATABASE_URL``, or the SQLite file in the data folder."""
    return store.database_url or sqlite_url(store.data_dir / SQLITE_FILENAME)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def describe(engine: Engine) -> str:
    """The URL to show a user: without its password."""
    return engine.url.render_as_string(hide_password=True)


def is_postgres(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "postgresql"


def create_catalog_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled: opening and closing a connection per call (as the catalog once did) cost a millisecond, most of
        # it the WAL checkpoint SQLite runs when the last connection closes; a pooled call takes a third of that.
        # An idle connection holds no lock. (SQLAlchemy lets a pooled SQLite connection move between threads.)
        engine = create_engine(parsed, pool_size=4, max_overflow=16, connect_args={"timeout": 10.0})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        # pre_ping: a pooled connection the server closed (a restart, an idle timeout) is replaced, not failed.
        return create_engine(parsed, pool_pre_ping=True,
                             connect_args={"connect_timeout": 10, "application_name": "banding-kota"})
    raise CatalogUnavailableError(
        f"The catalog cannot use the database {parsed.render_as_string(hide_password=True)}: only SQLite and "
        "PostgreSQL are supported.",
        hint="BK_STORE__DATABASE_URL takes postgresql+psycopg://user:password@host:port/database; leave it empty "
        "for the SQLite file in the data folder.",
    )


def _sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    # pysqlite opens transactions by itself, and only before a change; the catalog begins each one itself (below).
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the file's write lock up front: a writer that reads first and then writes would otherwise
    # fail outright ("database is locked", not retried by the busy timeout) whenever another process committed
    # in between. A reader's BEGIN gives its several queries one snapshot.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def connect(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except sa_exc.DBAPIError as exc:
        raise CatalogUnavailableError(
            f"The catalog database {describe(engine)} cannot be reached: {str(exc.orig).strip()}",
            hint="Is PostgreSQL running and BK_STORE__DATABASE_URL right? (scripts/cluster.sh up starts one on "
            "loopback.)" if is_postgres(engine) else "Check that the data folder (BK_STORE__DATA_DIR) is writable.",
        ) from exc


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction, committed when the block ends and rolled back on an error. A reader sees one snapshot
    (PostgreSQL's REPEATABLE READ; SQLite's read transaction); a writer on SQLite holds the file's write lock."""
    with connect(engine) as conn:
        if write:
            conn.execution_options(**{_WRITE: True})
        elif is_postgres(conn):
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def lock_for_writers(conn: Connection) -> None:
    """Order this transaction after every other writer's that took the lock, until it ends. Needed where a
    transaction replaces a document's rows (delete, then insert) or reads a shared row to decide how to change
    it (a regulation's best-known reference): two such transactions interleaved under PostgreSQL's READ COMMITTED
    would leave a document's rows twice, or keep the worse of two references. SQLite's IMMEDIATE write
    transaction already holds the whole file. One lock for all such writes: each lasts milliseconds, against
    seconds of parsing and embedding per document."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def lock_for_migration(conn: Connection) -> None:
    """One migrator at a time: API replicas and workers started together all find the schema old, and the first
    to take the lock migrates it. (On SQLite the IMMEDIATE transaction's file lock does this.)"""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], key: Sequence[str]) -> None:
    """Insert rows, replacing those with the same ``key``; of several rows with one key in ``rows`` the last
    wins (as SQLite's INSERT OR REPLACE; PostgreSQL refuses to update one row twice in a statement)."""
    unique = list({tuple(row[k] for k in key): row for row in rows}.values())
    if not unique:
        return
    insert = postgresql.insert if is_postgres(conn) else sqlite.insert
    statement = insert(table)
    updated = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in key}
    conn.execute(statement.on_conflict_do_update(index_elements=list(key), set_=updated), unique)


# --- the schema's version ---------------------------------------------------------------------------------------


def schema_version(conn: Connection) -> int | None:
    """The catalog's schema version: its Alembic revision (a number), the ``user_version`` of a SQLite catalog
    made before Alembic, None for an empty database."""
    if not is_postgres(conn):
        user_version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        if user_version > SCHEMA_VERSION:  # made by a newer program, whatever its tables say
            return user_version
    else:
        user_version = 0
    if not inspect(conn).has_table("alembic_version"):
        return user_version or None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        return user_version or None
    if not str(revision).isdigit():
        raise CatalogUnavailableError(
            f"The database {describe_conn(conn)} holds another application's migrations (revision {revision!r}).",
            hint="Give the catalog a database of its own in BK_STORE__DATABASE_URL.",
        )
    return int(revision)


def describe_conn(conn: Connection) -> str:
    return conn.engine.url.render_as_string(hide_password=True)


def _refuse_newer(conn: Connection, version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise CatalogUnavailableError(
            f"The catalog {describe_conn(conn)} has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}.",
            hint="Upgrade banding-kota; an older program cannot read what a newer one stored.",
        )


def ensure_schema(engine: Engine) -> int:
    """Bring the catalog to this program's schema, creating it when the database is empty; refuse one a newer
    program made. Returns the version found before."""
    if not is_postgres(engine):
        _use_wal(engine)
    with transaction(engine, write=False) as conn:
        version = schema_version(conn)
        _refuse_newer(conn, version)
    if version != SCHEMA_VERSION:
        upgrade(engine)
    return version or 0


def _use_wal(engine: Engine) -> None:
    """WAL lets readers in other processes go on while a writer commits; the mode is kept in the file (set
    outside any transaction, which the catalog's connections never open by themselves)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    except sa_exc.DBAPIError as exc:  # pragma: no cover - raw DBAPI errors are not wrapped here
        raise CatalogUnavailableError(f"The catalog {describe(engine)} cannot be opened: {exc}") from exc
    finally:
        raw.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """``alembic upgrade`` in one transaction, one process at a time (PostgreSQL's DDL is transactional, so a
    migration killed half-way leaves the previous schema; SQLite's write lock orders its migrators)."""
    # Alembic announces each plugin it loads (on import) at INFO; which migrations ran is worth a line, that is not.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic import command

    with transaction(engine, write=True) as conn:
        lock_for_migration(conn)
        _refuse_newer(conn, schema_version(conn))  # read again under the lock: another process may have migrated
        before = schema_version(conn)
        command.upgrade(alembic_config(conn), revision)
        after = schema_version(conn)
    if before != after:
        logger.info("catalog %s migrated from schema %s to %s", describe(engine), before or "(empty)", after)


def alembic_config(conn: Connection | None = None) -> Any:
    """Alembic's configuration for the catalog's migrations; ``conn``: run them on this connection (in its
    transaction) rather than on the one ``env.py`` opens from the settings."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config
