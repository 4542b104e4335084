"""Withdrawing an event: an admin records who, when and why; the event itself is never changed.

The ledger stays append-only. A withdrawal is a row of its own naming the event, the admin who
withdrew it, the time (UTC) and a reason that cannot be empty. From the day of the withdrawal on,
the event no longer counts for any phase computation (:meth:`geo.progress.ledger.Event.withdrawn`);
the event and its withdrawal stay in every listing and export. An event is withdrawn once; a
withdrawal is not undone — the event is recorded again instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from geo.errors import ProgressError
from geo.progress.faults import ledger_faults
from geo.progress.ledger import MAX_NOTE, Withdrawal, check_text
from geo.progress.schema import editors as editors_table
from geo.progress.schema import events as events_table
from geo.progress.schema import withdrawals as withdrawals_table

MAX_REASON = MAX_NOTE  # a paragraph, as a note


def validate_reason(reason: str) -> str:
    """``reason`` without surrounding space: not empty, at most MAX_REASON characters, no control
    character but a line end or tab."""
    text = (reason or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ProgressError("a withdrawal needs a reason: say why the event should not count")
    return check_text("the reason", text, MAX_REASON, allowed="\n\t")


def _refusal(connection: sa.Connection, event_id: int, by: str) -> str | None:
    """Why ``by`` cannot withdraw ``event_id`` now, or None."""
    is_admin = connection.execute(
        sa.select(editors_table.c.is_admin).where(editors_table.c.name == by)
    ).first()
    if is_admin is None:
        return f"{by!r} is not an editor; only an admin can withdraw an event"
    if not is_admin[0]:
        return f"{by!r} is not an admin; only an admin can withdraw an event"
    query = sa.select(events_table.c.id).where(events_table.c.id == event_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    if connection.execute(query).first() is None:
        return f"unknown event: {event_id}"
    earlier = connection.execute(
        sa.select(withdrawals_table.c.withdrawn_by, withdrawals_table.c.withdrawn_at).where(
            withdrawals_table.c.event_id == event_id
        )
    ).first()
    if earlier is not None:
        at = earlier.withdrawn_at
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        when = at.isoformat(timespec="seconds")
        return f"event {event_id} is already withdrawn (by {earlier.withdrawn_by!r} at {when})"
    return None


def withdraw_event(ledger, event_id: int, *, by: str, reason: str) -> Withdrawal:
    """Withdraw event ``event_id`` as the admin ``by`` for ``reason``; a ProgressError (nothing
    written) for an unknown event, one already withdrawn, or a name that is not an admin."""
    reason = validate_reason(reason)
    withdrawal = Withdrawal(by, datetime.now(UTC), reason)
    with ledger_faults(ledger.url, stage="use"), ledger.writing() as connection:
        try:
            with connection.begin():
                refusal = _refusal(connection, event_id, by)
                if refusal is not None:
                    raise ProgressError(refusal)
                connection.execute(
                    withdrawals_table.insert().values(
                        event_id=event_id, withdrawn_by=by, withdrawn_at=withdrawal.at, reason=reason
                    )
                )
        except sa.exc.IntegrityError:  # another admin withdrew it between the check and the insert
            raise ProgressError(f"event {event_id} is already withdrawn") from None
    return withdrawal
