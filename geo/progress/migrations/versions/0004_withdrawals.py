"""Withdrawals: an admin withdraws an event by recording who, when and why; the event stays.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_withdrawals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # Unique: an event is withdrawn once, even when two admins press the button at once.
        sa.Column("event_id", sa.Integer, sa.ForeignKey("progress_events.id"), nullable=False, unique=True),
        sa.Column("withdrawn_by", sa.String(80), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("progress_withdrawals")
