"""Recording and reading events: validation, all-or-nothing writes, the latest phase at a date.

An event's date has the precision its source gives: a day (2024-06-18), a month (2024-06) or a
year (2024). It is stored as the first day of that period with the precision beside it, so "as of
a date" counts an event from the start of its period.
"""

from __future__ import annotations

import csv
import functools
import getpass
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from geo.datafiles import DATA_DIR
from geo.errors import GeoError
from geo.progress.phases import phase_id
from geo.progress.schema import events as events_table

PRECISIONS = ("day", "month", "year")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
IMPORT_COLUMNS = ("item_id", "date", "phase", "source")
OPTIONAL_COLUMNS = ("note", "author", "supersedes", "id")
MAX_AUTHOR = 80

SEED_PATH = DATA_DIR / "progress" / "seed-events.csv"
SEED_AUTHOR = "seed"


class ProgressError(GeoError):
    """An event that cannot be recorded (unknown item or phase, bad date, no source, …)."""


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
class Event:
    """A recorded event."""

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

    @property
    def date_text(self) -> str:
        return format_event_date(self.event_date, self.precision)

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
        }


def format_event_date(day: date, precision: str) -> str:
    """The date as precise as it was recorded: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def parse_event_date(text: str, *, today: date | None = None) -> tuple[date, str]:
    """(first day, precision) of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a future date is refused."""
    match = _DATE.match(text.strip())
    if not match:
        raise ProgressError(f"bad date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        start = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ProgressError(f"bad date: {text!r} (no such day)") from None
    if start > (today or date.today()):
        raise ProgressError(f"date in the future: {text}")
    return start, precision


def parse_as_of(text: str | None) -> date:
    """An ``--as-of`` value: a day ``YYYY-MM-DD`` (default today) that is not in the future."""
    if not text:
        return date.today()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ProgressError(f"bad --as-of date: {text!r} (use YYYY-MM-DD)") from None
    if day > date.today():
        raise ProgressError(f"--as-of date in the future: {text}")
    return day


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
    item_id = event.item_id.strip()
    if item_id not in (known_items if known_items is not None else catalogue_ids()):
        raise ProgressError(f"unknown item: {item_id!r}")
    day, precision = parse_event_date(event.date, today=today)
    phase = phase_id(event.phase)
    if phase is None:
        raise ProgressError(f"unknown phase: {event.phase!r} (see `python -m geo progress phases`)")
    source = event.source.strip()
    if not source:
        raise ProgressError("empty source: every event needs a URL or a document citation")
    author = (event.author or default_author()).strip()
    if len(author) > MAX_AUTHOR:
        raise ProgressError(f"author longer than {MAX_AUTHOR} characters")
    return {
        "item_id": item_id,
        "event_date": day,
        "date_precision": precision,
        "phase": phase,
        "source": source,
        "note": (event.note or "").strip(),
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
    taken = connection.execute(
        sa.select(events_table.c.id).where(events_table.c.supersedes == target).limit(1)
    ).scalar_one_or_none()
    if taken is not None:
        raise ProgressError(f"event {target} is already superseded by event {taken}; correct that one")


def _insert(connection: sa.Connection, rows: Sequence[dict], local_ids: Sequence[int | None]) -> list[int]:
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
    with ledger.writing() as connection, connection.begin():
        (new_id,) = _insert(connection, [row], [None])
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
    with ledger.writing() as connection, connection.begin():
        try:
            return _insert(connection, rows, local_ids)
        except ProgressError as exc:
            raise ProgressError(f"{exc} (the file was not imported)") from None


def insert_seed_events(connection: sa.Connection) -> int:
    """The shipped public-record events, in the transaction that created the ledger."""
    events, _, _ = parse_import_csv(SEED_PATH.read_text(encoding="utf-8"), default_author=SEED_AUTHOR)
    rows = [validate_event(event) for event in events]
    return len(_insert(connection, rows, [None] * len(rows)))


def parse_import_csv(
    text: str, *, default_author: str = ""
) -> tuple[list[NewEvent], list[int | None], list[int]]:
    """Events of a CSV file (header: item_id,date,phase,source[,note,author,supersedes,id]).

    Returns the events, their file-local ids (the ``id`` column of an export, so corrections in
    the same file keep pointing at the right event) and their line numbers.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ProgressError(f"line 1: missing column(s): {', '.join(missing)}")
    events, local_ids, lines = [], [], []
    for record in reader:
        line = reader.line_num
        values = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:
            raise ProgressError(f"line {line}: more fields than the header has")
        try:
            supersedes = int(values["supersedes"]) if values.get("supersedes") else None
            local_id = int(values["id"]) if values.get("id") else None
        except ValueError:
            raise ProgressError(f"line {line}: supersedes and id must be whole numbers") from None
        events.append(
            NewEvent(
                item_id=values["item_id"],
                date=values["date"],
                phase=values["phase"],
                source=values["source"],
                note=values.get("note", ""),
                author=values.get("author") or default_author,
                supersedes=supersedes,
            )
        )
        local_ids.append(local_id)
        lines.append(line)
    if not events:
        raise ProgressError("the file has no events")
    return events, local_ids, lines


def _event(row) -> Event:
    recorded_at = row.recorded_at
    if recorded_at.tzinfo is None:  # SQLite keeps no zone; what is written is UTC
        recorded_at = recorded_at.replace(tzinfo=UTC)
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
    )


def list_events(ledger, item_id: str | None = None) -> list[Event]:
    """Every recorded event (superseded ones included), by item, date and id."""
    query = sa.select(events_table).order_by(
        events_table.c.item_id, events_table.c.event_date, events_table.c.id
    )
    if item_id is not None:
        query = query.where(events_table.c.item_id == item_id)
    with ledger.engine.connect() as connection:
        return [_event(row) for row in connection.execute(query)]


def effective_events(events: Iterable[Event]) -> list[Event]:
    """The events no correction has superseded."""
    events = list(events)
    superseded = {e.supersedes for e in events if e.supersedes is not None}
    return [e for e in events if e.id not in superseded]


def latest_as_of(events: Iterable[Event], as_of: date) -> dict[str, Event]:
    """Item id → its latest effective event dated on or before ``as_of`` (ties: the later record)."""
    latest: dict[str, Event] = {}
    for event in effective_events(events):
        if event.event_date > as_of:
            continue
        current = latest.get(event.item_id)
        if current is None or (event.event_date, event.id) > (current.event_date, current.id):
            latest[event.item_id] = event
    return latest


EXPORT_COLUMNS = (
    "id", "item_id", "date", "precision", "phase", "source", "note", "author", "recorded_at", "supersedes",
)  # fmt: skip


def events_csv(events: Iterable[Event]) -> str:
    """The events as CSV text in the export columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow({k: ("" if v is None else v) for k, v in event.to_dict().items()})
    return out.getvalue()
