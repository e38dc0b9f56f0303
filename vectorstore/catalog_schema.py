"""The catalog's tables, declared once for both of its databases (SQLite in the data folder, PostgreSQL when
``BK_STORE__DATABASE_URL`` names one). The migrations in ``vectorstore/migrations`` build exactly these tables;
``tests/test_catalog_migrations.py`` compares the two.

JSON documents (a DocumentMeta, a RegulationRef …) are stored as text and validated by their pydantic types when
read, the same bytes on either database.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text

# The Alembic revision the catalog must be at: revision ids are the schema version, zero-padded ("0005"), so the
# integer that SQLite's user_version carried before Alembic (1 to 4) goes on counting. Versions 1 to 4 only added
# tables and columns; 5 gives row order its own column (PostgreSQL has no rowid); 6 adds the lexical index's
# tables, which only ``BK_STORE__LEXICAL=postgres`` fills (``vectorstore/lexical_postgres.py``).
SCHEMA_VERSION = 6
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

# The lexical index served by the database: every indexed passage (``length``: its token count), every token with
# the root that groups its forms (``stem``, letters-only tokens) and how many passages hold it (``df``), the
# postings (how often a token occurs in a passage, and the passage's length, so that scoring reads no other table)
# and the corpus's totals in one row. Removing a document removes its passages' rows and lowers the counts.
lexical_passages = Table(
    "lexical_passages", metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("passage_id", Text, nullable=False, unique=True),
    Column("doc_id", Text, nullable=False),
    Column("length", Integer, nullable=False),
    Index("lexical_passages_doc", "doc_id"),
)

lexical_terms = Table(
    "lexical_terms", metadata,
    Column("token_id", Integer, primary_key=True, autoincrement=True),
    Column("token", Text, nullable=False, unique=True),
    Column("stem", Text),
    Column("df", Integer, nullable=False, server_default="0"),
    Index("lexical_terms_stem", "stem"),
)

lexical_postings = Table(
    "lexical_postings", metadata,
    Column("token_id", Integer, nullable=False),
    Column("row_id", Integer, nullable=False),
    Column("tf", Integer, nullable=False),
    Column("length", Integer, nullable=False),
    # Covering: a token's postings are read from the index alone (an index-only scan), not from heap pages
    # scattered by the order passages were written in.
    PrimaryKeyConstraint("token_id", "row_id", name="lexical_postings_pkey", postgresql_include=["tf", "length"]),
    Index("lexical_postings_row", "row_id"),
)

lexical_stats = Table(
    "lexical_stats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("passages", Integer, nullable=False),
    Column("total_length", BigInteger, nullable=False),
    Column("generation", Integer, nullable=False),  # raised by every write: readers know their views are stale
)

# Tables whose rows hang off one document (deleted with it; the consistency checks look for orphans in them).
DOCUMENT_ROW_TABLES = (regulation_mentions, regulation_relations, regulation_amendments, outlines, plan_indicators)
