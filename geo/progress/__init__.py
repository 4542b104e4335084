"""The progress ledger: what has happened to each plan item since December 2021, with sources.

Events are appended, never changed: a correction is a new event that supersedes an earlier one,
and an admin's withdrawal is a record of its own naming the event, who, when and why
(:mod:`geo.progress.withdrawals`), so the record stays auditable. The ledger lives in a database (SQLite by default, PostgreSQL when
configured; see :mod:`geo.progress.settings`) whose schema is kept by Alembic migrations.

A database that cannot be opened, seeded or used raises :class:`geo.errors.LedgerUnavailable` (one
message naming the database, the problem and what to do); a refused event raises
:class:`geo.errors.ProgressError`.
"""

from geo.progress.csvfile import events_csv, parse_import_csv
from geo.progress.ledger import (
    Event,
    NewEvent,
    add_event,
    add_events,
    effective_events,
    latest_as_of,
    list_events,
    parse_as_of,
    parse_event_date,
    validate_event,
)
from geo.progress.phases import Phase, load_phases, phase_id, phase_ids
from geo.progress.settings import database_url
from geo.progress.store import Ledger, open_ledger

__all__ = [
    "PHASE_IDS",
    "Event",
    "Ledger",
    "NewEvent",
    "Phase",
    "add_event",
    "add_events",
    "database_url",
    "effective_events",
    "events_csv",
    "latest_as_of",
    "list_events",
    "load_phases",
    "open_ledger",
    "parse_as_of",
    "parse_event_date",
    "parse_import_csv",
    "phase_id",
    "phase_ids",
    "validate_event",
]


def __getattr__(name: str):
    # ``PHASE_IDS`` is read from data/progress/phases.yaml on first use, not on import.
    if name == "PHASE_IDS":
        return phase_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
