"""The exports' hook: a bundle with phase columns as of a day and the ledger's events table."""

from __future__ import annotations

from geo.progress.frames import with_progress
from geo.progress.ledger import list_events, parse_as_of
from geo.progress.store import open_ledger


def progress_bundle(bundle, as_of_text: str | None, *, database: str | None = None):
    """``bundle`` with ``phase``, ``phase_date``, ``phase_source`` as of ``as_of_text`` (default today)."""
    as_of = parse_as_of(as_of_text)
    return with_progress(bundle, as_of, list_events(open_ledger(database)))
