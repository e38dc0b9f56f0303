"""Baseline: the catalog as the SQLite-only releases left it (schema 4)

Documents, ingest records, the regulation registry (refs, mentions, relations, amended units), outlines and plan
indicator rows. An empty database gets every table. A SQLite catalog made before Alembic (``PRAGMA user_version``
1 to 4) keeps what it holds and gains what its version lacked — those versions only ever added tables, indexes and
the ingest records' ``owner`` column — and is then at revision 0004 like a new one.

Revision ID: 0004
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = None
branch_labels = None
depends_on = None


def _schema_4() -> sa.MetaData:
    """Declared here rather than imported: a migration keeps building what it built when later versions change
    ``vectorstore/catalog_schema.py``."""
    md = sa.MetaData()
    text, integer = sa.Text, sa.Integer
    sa.Table("documents", md, sa.Column("doc_id", text, primary_key=True), sa.Column("meta", text, nullable=False),
             sa.Column("clean_text", text, nullable=False), sa.Column("pages", text, nullable=False),
             sa.Column("source_path", text, nullable=False), sa.Column("original_path", text, nullable=False),
             sa.Column("sha256", text), sa.Column("ingested_at", text, nullable=False),
             sa.Index("documents_original_path", "original_path"))
    sa.Table("ingest_records", md, sa.Column("doc_id", text, primary_key=True), sa.Column("path", text, nullable=False),
             sa.Column("state", text, nullable=False), sa.Column("updated_at", text, nullable=False),
             sa.Column("error", text), sa.Column("owner", text),
             sa.CheckConstraint("state IN ('pending', 'parsed', 'embedded', 'committed')", name="ingest_records_state"))
    sa.Table("regulations", md, sa.Column("key", text, primary_key=True), sa.Column("ref", text, nullable=False))
    sa.Table("regulation_mentions", md, sa.Column("key", text, nullable=False),
             sa.Column("doc_id", text, nullable=False), sa.Column("passage_id", text),
             sa.Column("own", integer, nullable=False, server_default="0"),
             sa.Index("mentions_key", "key"), sa.Index("mentions_doc", "doc_id"))
    sa.Table("regulation_relations", md, sa.Column("kind", text, nullable=False),
             sa.Column("source_key", text, nullable=False), sa.Column("target_key", text, nullable=False),
             sa.Column("doc_id", text, nullable=False), sa.Column("evidence", text, nullable=False),
             sa.Column("relation", text, nullable=False), sa.Index("relations_source", "source_key"),
             sa.Index("relations_target", "target_key"), sa.Index("relations_doc", "doc_id"))
    sa.Table("regulation_amendments", md, sa.Column("target_key", text, nullable=False),
             sa.Column("source_key", text, nullable=False), sa.Column("doc_id", text, nullable=False),
             sa.Column("unit", text, nullable=False), sa.Column("action", text, nullable=False),
             sa.Column("amendment", text, nullable=False), sa.Index("amendments_target", "target_key"),
             sa.Index("amendments_source", "source_key"), sa.Index("amendments_doc", "doc_id"))
    sa.Table("outlines", md, sa.Column("doc_id", text, primary_key=True), sa.Column("outline", text, nullable=False))
    sa.Table("plan_indicators", md, sa.Column("row_id", text, primary_key=True),
             sa.Column("doc_id", text, nullable=False), sa.Column("plan_key", text, nullable=False),
             sa.Column("page", integer, nullable=False), sa.Column("indicator", text, nullable=False),
             sa.Column("agency", text), sa.Column("years", text, nullable=False),
             sa.Column("row", text, nullable=False),
             sa.Index("indicators_doc", "doc_id"), sa.Index("indicators_plan", "plan_key"))
    return md


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in _schema_4().sorted_tables:
        if table.name not in existing:
            table.create(bind)
            continue
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)
    if "ingest_records" in existing and "owner" not in {c["name"] for c in inspector.get_columns("ingest_records")}:
        op.add_column("ingest_records", sa.Column("owner", sa.Text))  # version 2 had no owner


def downgrade() -> None:
    for table in reversed(_schema_4().sorted_tables):
        op.drop_table(table.name)
