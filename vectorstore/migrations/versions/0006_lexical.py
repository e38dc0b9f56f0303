"""The lexical index's tables

Passages, tokens (with their roots and document frequencies), postings and the corpus's totals, for the lexical
index served by the database (``BK_STORE__LEXICAL=postgres``, ``vectorstore/lexical_postgres.py``). Empty until
that mode writes them; a catalog used with the embedded bm25s index keeps them empty.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    integer, text = sa.Integer, sa.Text
    op.create_table("lexical_passages", sa.Column("row_id", integer, primary_key=True, autoincrement=True),
                    sa.Column("passage_id", text, nullable=False, unique=True),
                    sa.Column("doc_id", text, nullable=False), sa.Column("length", integer, nullable=False))
    op.create_index("lexical_passages_doc", "lexical_passages", ["doc_id"])
    op.create_table("lexical_terms", sa.Column("token_id", integer, primary_key=True, autoincrement=True),
                    sa.Column("token", text, nullable=False, unique=True), sa.Column("stem", text),
                    sa.Column("df", integer, nullable=False, server_default="0"))
    op.create_index("lexical_terms_stem", "lexical_terms", ["stem"])
    op.create_table("lexical_postings", sa.Column("token_id", integer, nullable=False),
                    sa.Column("row_id", integer, nullable=False), sa.Column("tf", integer, nullable=False),
                    sa.Column("length", integer, nullable=False),
                    sa.PrimaryKeyConstraint("token_id", "row_id", name="lexical_postings_pkey",
                                            postgresql_include=["tf", "length"]))
    op.create_index("lexical_postings_row", "lexical_postings", ["row_id"])
    op.create_table("lexical_stats", sa.Column("id", integer, primary_key=True, autoincrement=False),
                    sa.Column("passages", integer, nullable=False),
                    sa.Column("total_length", sa.BigInteger, nullable=False),
                    sa.Column("generation", integer, nullable=False))


def downgrade() -> None:
    for table in ("lexical_stats", "lexical_postings", "lexical_terms", "lexical_passages"):
        op.drop_table(table)
