"""The events table: one row per recorded event.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("date_precision", sa.String(5), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(80), nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(source) > 0", name="ck_progress_events_source"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_progress_events_item_id", "progress_events", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_progress_events_item_id", table_name="progress_events")
    op.drop_table("progress_events")
