"""Recording and reading events: validation, all-or-nothing writes, the latest phase at a date.

An event's date has the precision its source gives: a day (2024-06-18), a month (2024-06) or a
year (2024). It is stored as the first day of that period with the precision beside it, so "as of
a date" counts an event from the start of its period.

A withdrawn event (:mod:`geo.progress.withdrawals`) stays in the ledger with who withdrew it, when
and why. "As of" a day, it no longer counts from the day of its withdrawal on; as of an earlier
day it still does, so a view of a day before the withdrawal shows what the ledger then said.
"""

from __future__ import annotations

import functools
import getpass
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from geo.clock import plan_today
from geo.controlchars import first_control
from geo.datafiles import DATA_DIR
from geo.errors import ProgressError
from geo.progress.faults import ledger_faults
from geo.progress.phases import phase_id
from geo.progress.schema import events as events_table
from geo.progress.schema import withdrawals as withdrawals_table

# How exact an event's date is (not the place classes of geo.resolve.PRECISIONS).
DATE_PRECISIONS = ("day", "month", "year")
# ASCII digits only: str.isdigit() and \d also accept ２０２４ or ٢٠٢٤, which no one types by intent.
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST_YEAR = 1949  # nothing the plan names was built, planned or reported on before
DATE_FORMS = f"YYYY-MM-DD, YYYY-MM or YYYY in digits 0-9, from {EARLIEST_YEAR} to today"

# The same text rules on every backend (PostgreSQL refuses NUL, SQLite would store it).
MAX_SOURCE = 500  # a URL or a citation with title, paper, date and page
MAX_NOTE = 2000  # a paragraph, not a document
MAX_AUTHOR = 80  # the column's width
MAX_ITEM_ID = 80  # the column's width (catalogue ids are far shorter)
NOTE_LAYOUT = "\n\t"  # the only control characters a note may hold

SEED_PATH = DATA_DIR / "progress" / "seed-events.csv"
SEED_AUTHOR = "seed"


@dataclass(frozen=True)
class NewEvent:
    """An event as submitted, before validation."""

    item_id: str
    date: str
    phase: str
    source: str
    note: str = ""
    author: str = ""
    supersedes: int | None = None


@dataclass(frozen=True)
class Withdrawal:
    """An admin's withdrawal of an event: who, when (UTC) and why."""

    by: str
    at: datetime
    reason: str

    @property
    def day(self) -> date:
        """The day of the withdrawal in the plan's time zone, the calendar "today" is read on
        (:func:`geo.clock.plan_today`)."""
        return plan_today(self.at)


@dataclass(frozen=True)
class Event:
    """A recorded event; ``withdrawal`` says who withdrew it, when and why (None: it stands)."""

    id: int
    item_id: str
    event_date: date
    precision: str
    phase: str
    source: str
    note: str
    author: str
    recorded_at: datetime
    supersedes: int | None
    withdrawal: Withdrawal | None = None

    @property
    def date_text(self) -> str:
        return format_event_date(self.event_date, self.precision)

    def withdrawn(self, as_of: date | None = None) -> bool:
        """True when the event is withdrawn as of ``as_of`` (its withdrawal's day or later), or at
        all when ``as_of`` is None."""
        if self.withdrawal is None:
            return False
        return as_of is None or self.withdrawal.day <= as_of

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "date": self.date_text,
            "precision": self.precision,
            "phase": self.phase,
            "source": self.source,
            "note": self.note,
            "author": self.author,
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "supersedes": self.supersedes,
            "withdrawn_at": self.withdrawal.at.isoformat(timespec="seconds") if self.withdrawal else None,
            "withdrawn_by": self.withdrawal.by if self.withdrawal else None,
            "withdraw_reason": self.withdrawal.reason if self.withdrawal else None,
        }


def format_event_date(day: date, precision: str) -> str:
    """The date as precise as it was recorded: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def parse_event_date(text: str, *, today: date | None = None) -> tuple[date, str]:
    """(first day, precision) of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a future date is refused.

    The precision is one of :data:`DATE_PRECISIONS`.
    """
    match = _DATE.fullmatch(text.strip())
    if not match or int(match.group(1)) < EARLIEST_YEAR:
        raise ProgressError(f"bad date: {text!r} (use {DATE_FORMS})")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        start = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ProgressError(f"bad date: {text!r} (no such day; use {DATE_FORMS})") from None
    if start > (today or plan_today()):
        raise ProgressError(f"date in the future: {text}")
    return start, precision


def parse_as_of(text: str | None, *, today: date | None = None) -> date:
    """An ``--as-of`` value: a day ``YYYY-MM-DD`` (default today) that is not after ``today``
    (default :func:`geo.clock.plan_today`)."""
    today = today or plan_today()
    if not text:
        return today
    forms = f"use YYYY-MM-DD in digits 0-9, from {EARLIEST_YEAR} to today"
    if not _DAY.fullmatch(text.strip()):
        raise ProgressError(f"bad --as-of date: {text!r} ({forms})")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ProgressError(f"bad --as-of date: {text!r} (no such day; {forms})") from None
    if day.year < EARLIEST_YEAR:
        raise ProgressError(f"bad --as-of date: {text!r} ({forms})")
    if day > today:
        raise ProgressError(f"--as-of date in the future: {text}")
    return day


def check_text(field: str, text: str, limit: int, *, allowed: str = "") -> str:
    """``text`` when it holds no control character (but ``allowed``) and at most ``limit`` characters."""
    control = first_control(text, allowed=allowed)
    if control is not None:
        raise ProgressError(f"{field} contains the control character U+{ord(control):04X}; remove it")
    if len(text) > limit:
        raise ProgressError(f"{field} is {len(text)} characters long; at most {limit} are accepted")
    return text


@functools.cache
def catalogue_ids() -> frozenset[str]:
    """The ids of every catalogue item (what an event may refer to)."""
    from geo.catalogue import load_catalogue

    return frozenset(entry.id for entry in load_catalogue())


def default_author() -> str:
    """The user's login name, the author of events recorded without one."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def validate_event(
    event: NewEvent, *, today: date | None = None, known_items: frozenset[str] | None = None
) -> dict:
    """The table row for ``event``, or a ProgressError saying what is wrong with it."""
    item_id = check_text("item_id", event.item_id.strip(), MAX_ITEM_ID)
    if item_id not in (known_items if known_items is not None else catalogue_ids()):
        raise ProgressError(f"unknown item: {item_id!r}")
    day, precision = parse_event_date(event.date, today=today)
    phase = phase_id(event.phase)
    if phase is None:
        raise ProgressError(f"unknown phase: {event.phase!r} (see `python -m geo progress phases`)")
    source = check_text("source", event.source.strip(), MAX_SOURCE)
    if not source:
        raise ProgressError("empty source: every event needs a URL or a document citation")
    # Line ends as a browser's text box or a Windows file sends them count as plain newlines.
    note = (event.note or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    note = check_text("note", note, MAX_NOTE, allowed=NOTE_LAYOUT)
    author = check_text("author", (event.author or default_author()).strip(), MAX_AUTHOR)
    return {
        "item_id": item_id,
        "event_date": day,
        "date_precision": precision,
        "phase": phase,
        "source": source,
        "note": note,
        "author": author,
        "supersedes": event.supersedes,
    }


def _check_supersedes(connection: sa.Connection, row: dict, pending: Mapping[int, str]) -> None:
    """A correction must name an earlier event of the same item that nothing else supersedes yet."""
    target = row["supersedes"]
    if target is None:
        return
    if target in pending:
        item = pending[target]
    else:
        query = sa.select(events_table.c.item_id).where(events_table.c.id == target)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        item = connection.execute(query).scalar_one_or_none()
        if item is None:
            raise ProgressError(f"supersedes unknown event {target}")
    if item != row["item_id"]:
        raise ProgressError(f"event {target} is about {item}, not {row['item_id']}")
    withdrawn = connection.execute(
        sa.select(withdrawals_table.c.id).where(withdrawals_table.c.event_id == target)
    ).first()
    if withdrawn is not None:
        raise ProgressError(f"event {target} was withdrawn; record a new event instead of correcting it")
    taken = connection.execute(
        sa.select(events_table.c.id).where(events_table.c.supersedes == target).limit(1)
    ).scalar_one_or_none()
    if taken is not None:
        raise ProgressError(f"event {target} is already superseded by event {taken}; correct that one")


def insert_rows(
    connection: sa.Connection, rows: Sequence[dict], local_ids: Sequence[int | None]
) -> list[int]:
    """Insert rows in order; a ``supersedes`` naming a file-local id points at that row's new id."""
    recorded_at = datetime.now(UTC)
    new_ids: list[int] = []
    local_to_new: dict[int, int] = {}
    pending: dict[int, str] = {}
    for row, local_id in zip(rows, local_ids, strict=True):
        row = dict(row)
        if row["supersedes"] is not None and row["supersedes"] in local_to_new:
            row["supersedes"] = local_to_new[row["supersedes"]]
        _check_supersedes(connection, row, pending)
        new_id = connection.execute(
            events_table.insert().values(**row, recorded_at=recorded_at).returning(events_table.c.id)
        ).scalar_one()
        new_ids.append(new_id)
        pending[new_id] = row["item_id"]
        if local_id is not None:
            local_to_new[local_id] = new_id
    return new_ids


def add_event(ledger, event: NewEvent, *, today: date | None = None) -> Event:
    """Validate and record one event; nothing is written when it is refused."""
    row = validate_event(event, today=today)
    with ledger_faults(ledger.url, stage="use"), ledger.writing() as connection, connection.begin():
        (new_id,) = insert_rows(connection, [row], [None])
    return next(e for e in list_events(ledger, row["item_id"]) if e.id == new_id)


def add_events(
    ledger,
    events: Sequence[NewEvent],
    *,
    local_ids: Sequence[int | None] | None = None,
    line_numbers: Sequence[int] | None = None,
    today: date | None = None,
) -> list[int]:
    """Record ``events`` all or nothing; an error names the line (or position) of the first bad one."""
    local_ids = list(local_ids) if local_ids is not None else [None] * len(events)
    lines = list(line_numbers) if line_numbers is not None else list(range(1, len(events) + 1))
    rows = []
    for line, event in zip(lines, events, strict=True):
        try:
            rows.append(validate_event(event, today=today))
        except ProgressError as exc:
            raise ProgressError(f"line {line}: {exc}") from None
    with ledger_faults(ledger.url, stage="use"), ledger.writing() as connection, connection.begin():
        try:
            return insert_rows(connection, rows, local_ids)
        except ProgressError as exc:
            raise ProgressError(f"{exc} (the file was not imported)") from None


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no zone; every time written here is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _event(row) -> Event:
    recorded_at = _utc(row.recorded_at)
    withdrawal = (
        None
        if row.withdrawn_at is None
        else Withdrawal(row.withdrawn_by, _utc(row.withdrawn_at), row.withdraw_reason)
    )
    return Event(
        id=row.id,
        item_id=row.item_id,
        event_date=row.event_date,
        precision=row.date_precision,
        phase=row.phase,
        source=row.source,
        note=row.note,
        author=row.author,
        recorded_at=recorded_at,
        supersedes=row.supersedes,
        withdrawal=withdrawal,
    )


def list_events(ledger, item_id: str | None = None) -> list[Event]:
    """Every recorded event (superseded and withdrawn ones included), by item, date and id."""
    withdrawals = withdrawals_table.c
    query = (
        sa.select(
            events_table,
            withdrawals.withdrawn_by,
            withdrawals.withdrawn_at,
            withdrawals.reason.label("withdraw_reason"),
        )
        .select_from(events_table.outerjoin(withdrawals_table, withdrawals.event_id == events_table.c.id))
        .order_by(events_table.c.item_id, events_table.c.event_date, events_table.c.id)
    )
    if item_id is not None:
        query = query.where(events_table.c.item_id == item_id)
    with ledger_faults(ledger.url, stage="use"), ledger.engine.connect() as connection:
        return [_event(row) for row in connection.execute(query)]


def effective_events(events: Iterable[Event], as_of: date | None = None) -> list[Event]:
    """The events neither withdrawn (as of ``as_of``; None: at all) nor superseded by a correction
    that stands — withdrawing a correction brings back the event it corrected."""
    standing = [e for e in events if not e.withdrawn(as_of)]
    superseded = {e.supersedes for e in standing if e.supersedes is not None}
    return [e for e in standing if e.id not in superseded]


def latest_as_of(events: Iterable[Event], as_of: date) -> dict[str, Event]:
    """Item id → its latest effective event dated on or before ``as_of`` (ties: the later record)."""
    latest: dict[str, Event] = {}
    for event in effective_events(events, as_of):
        if event.event_date > as_of:
            continue
        current = latest.get(event.item_id)
        if current is None or (event.event_date, event.id) > (current.event_date, current.id):
            latest[event.item_id] = event
    return latest
