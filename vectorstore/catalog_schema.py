"""The catalog's tables, declared once for both of its databases (SQLite in the data folder, PostgreSQL when
``BK_STORE__DATABASE_URL`` names one). The migrations in ``vectorstore/migrations`` build exactly these tables;
``tests/test_catalog_migrations.py`` compares the two.

JSON documents (a DocumentMeta, a RegulationRef …) are stored as text and validated by their pydantic types when
read, the same bytes on either database.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Integer, MetaData, Table, Text

# The Alembic revision the catalog must be at: revision ids are the schema version, zero-padded ("0005"), so the
# integer that SQLite's user_version carried before Alembic (1 to 4) goes on counting. Versions 1 to 4 only added
# tables and columns; 5 gives row order its own column (PostgreSQL has no rowid).
SCHEMA_VERSION = 5
HEAD_REVISION = f"{SCHEMA_VERSION:04d}"

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("doc_id", Text, primary_key=True),
    Column("meta", Text, nullable=False),
    Column("clean_text", Text, nullable=False),
    Column("pages", Text, nullable=False),
    Column("source_path", Text, nullable=False),
    Column("original_path", Text, nullable=False),
    Column("sha256", Text),
    Column("ingested_at", Text, nullable=False),
    Index("documents_original_path", "original_path"),
)

ingest_records = Table(
    "ingest_records", metadata,
    Column("doc_id", Text, primary_key=True),
    Column("path", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("error", Text),
    Column("owner", Text),  # "host:pid" of the process writing it, so another writer leaves it alone
    CheckConstraint("state IN ('pending', 'parsed', 'embedded', 'committed')", name="ingest_records_state"),
)

regulations = Table(
    "regulations", metadata,
    Column("key", Text, primary_key=True),
    Column("ref", Text, nullable=False),
)

regulation_mentions = Table(
    "regulation_mentions", metadata,
    Column("key", Text, nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("passage_id", Text),
    Column("own", Integer, nullable=False, server_default="0"),  # 1: the document *is* this regulation
    Index("mentions_key", "key"),
    Index("mentions_doc", "doc_id"),
)

regulation_relations = Table(
    "regulation_relations", metadata,
    Column("kind", Text, nullable=False),
    Column("source_key", Text, nullable=False),
    Column("target_key", Text, nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("relation", Text, nullable=False),
    Index("relations_source", "source_key"),
    Index("relations_target", "target_key"),
    Index("relations_doc", "doc_id"),
)

regulation_amendments = Table(
    "regulation_amendments", metadata,
    Column("target_key", Text, nullable=False),
    Column("source_key", Text, nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("amendment", Text, nullable=False),
    Column("ordinal", Integer, nullable=False, server_default="0"),  # text order within the amending document
    Index("amendments_target", "target_key"),
    Index("amendments_source", "source_key"),
    Index("amendments_doc", "doc_id"),
)

outlines = Table(
    "outlines", metadata,
    Column("doc_id", Text, primary_key=True),
    Column("outline", Text, nullable=False),
)

plan_indicators = Table(
    "plan_indicators", metadata,
    Column("row_id", Text, primary_key=True),
    Column("doc_id", Text, nullable=False),
    Column("plan_key", Text, nullable=False),
    Column("page", Integer, nullable=False),
    Column("indicator", Text, nullable=False),
    Column("agency", Text),
    Column("years", Text, nullable=False),  # ",2017,2018,": the years with a value, so that one LIKE finds a year
    Column("row", Text, nullable=False),
    Column("ordinal", Integer, nullable=False, server_default="0"),  # order of the rows on their page
    Index("indicators_doc", "doc_id"),
    Index("indicators_plan", "plan_key"),
)

# Tables whose rows hang off one document (deleted with it; the consistency checks look for orphans in them).
DOCUMENT_ROW_TABLES = (regulation_mentions, regulation_relations, regulation_amendments, outlines, plan_indicators)
