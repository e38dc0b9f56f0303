"""Row order in a column of its own

An amending regulation's changes and a plan's indicator rows are listed in the order they were read
(``ordinal``), which SQLite kept as the rows' hidden ``rowid`` and PostgreSQL does not keep at all.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("regulation_amendments", "plan_indicators")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"))
        if op.get_bind().dialect.name == "sqlite":
            # A document's rows were inserted together, in order: their rowids keep that order within it.
            op.execute(f"UPDATE {table} SET ordinal = rowid")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("ordinal")
