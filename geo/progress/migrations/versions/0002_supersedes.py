"""Corrections: an event may supersede an earlier one; events by item and date are indexed.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column (no table rebuild on SQLite); the ledger checks the referenced event exists.
    op.add_column("progress_events", sa.Column("supersedes", sa.Integer, nullable=True))
    op.create_index("ix_progress_events_supersedes", "progress_events", ["supersedes"])
    op.create_index("ix_progress_events_item_date", "progress_events", ["item_id", "event_date"])


def downgrade() -> None:
    op.drop_index("ix_progress_events_item_date", table_name="progress_events")
    op.drop_index("ix_progress_events_supersedes", table_name="progress_events")
    op.drop_column("progress_events", "supersedes")
