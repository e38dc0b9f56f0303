"""Alembic's entry point for the catalog. Run from ``vectorstore.catalog_db.upgrade`` it is handed the connection
(and transaction) to migrate; run as ``alembic upgrade head`` it opens the catalog the settings name
(``BK_STORE__DATABASE_URL``, else the SQLite file in ``BK_STORE__DATA_DIR``), or ``-x url=...``."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from vectorstore.catalog_schema import metadata

config = context.config


def run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    # Batch mode: SQLite alters a table by copying it, which later migrations' ALTERs need there.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=sqlite)
    with context.begin_transaction():
        context.run_migrations()
        revision = context.get_context().get_current_revision()
        if sqlite:
            # What programs from before Alembic read: they refuse a file whose version is above their own.
            connection.exec_driver_sql(f"PRAGMA user_version = {int(revision or 0)}")


given = config.attributes.get("connection")
if context.is_offline_mode():
    raise SystemExit("The catalog's migrations run on a live database only (the first one looks at what an older "
                     "SQLite catalog already holds); run them without --sql.")
if given is not None:
    run(given)
else:
    from core.settings import get_settings
    from vectorstore.catalog_db import catalog_url, create_catalog_engine, lock_for_migration, transaction

    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = context.get_x_argument(as_dictionary=True).get("url") or catalog_url(get_settings().store)
    engine = create_catalog_engine(url)
    with transaction(engine, write=True) as connection:
        lock_for_migration(connection)
        run(connection)
    engine.dispose()
