"""The ledger's tables as SQLAlchemy Core sees them (the head revision of the migrations)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

events = sa.Table(
    "progress_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.String(80), nullable=False, index=True),
    sa.Column("event_date", sa.Date, nullable=False),
    sa.Column("date_precision", sa.String(5), nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("author", sa.String(80), nullable=False, server_default=""),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("supersedes", sa.Integer, nullable=True),
    sqlite_autoincrement=True,
)

editors = sa.Table(
    "progress_editors",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
)

withdrawals = sa.Table(
    "progress_withdrawals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("progress_events.id"), nullable=False, unique=True),
    sa.Column("withdrawn_by", sa.String(80), nullable=False),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)
