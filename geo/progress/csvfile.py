"""The ledger as CSV: reading an import file strictly, writing an export, the shipped seed events.

An import file is read all or nothing. A quote that is never closed, a row with more or fewer
fields than the header, an unknown column: each is refused with its line number before anything
is written — a lenient reader would otherwise swallow the rest of the file into one field.

Export cells that a spreadsheet would run as a formula get a leading ``'``
(:mod:`geo.csvcells`); import takes that one quote off again, so an exported file imports back
to the same text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import sqlalchemy as sa

from geo.csvcells import csv_cell, restore_formula
from geo.errors import ProgressError
from geo.progress.ledger import (
    SEED_AUTHOR,
    SEED_PATH,
    Event,
    NewEvent,
    insert_rows,
    validate_event,
)

IMPORT_COLUMNS = ("item_id", "date", "phase", "source")
OPTIONAL_COLUMNS = ("note", "author", "supersedes", "id")
WITHDRAWAL_COLUMNS = ("withdrawn_at", "withdrawn_by", "withdraw_reason")
EXPORT_COLUMNS = (
    "id", "item_id", "date", "precision", "phase", "source", "note", "author", "recorded_at", "supersedes",
    *WITHDRAWAL_COLUMNS,
)  # fmt: skip
# Columns of an export that an import reads past: the date text carries its precision, and the
# time of recording is the time of the import. A row that records a withdrawal is refused: an
# import records standing events only.
IGNORED_COLUMNS = ("precision", "recorded_at")
KNOWN_COLUMNS = IMPORT_COLUMNS + OPTIONAL_COLUMNS + IGNORED_COLUMNS + WITHDRAWAL_COLUMNS


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message or "EOF" in message:
        return "a quoted field starting here is never closed (unterminated quote)"
    if "expected after" in message:
        return 'a quoted field starting here has text after its closing quote (write a quote inside a field as "")'
    return f"not valid CSV ({message})"


def _records(text: str) -> Iterable[tuple[int, list[str]]]:
    """(first line, fields) of every non-blank record; a CSV fault raises with the record's line."""
    reader = csv.reader(io.StringIO(text), strict=True)
    while True:
        line = reader.line_num + 1  # a record starts on the line after the last one read
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ProgressError(f"line {line}: {_csv_problem(exc)}; nothing was imported") from None
        if fields:
            yield line, fields


def _header(fields: list[str]) -> list[str]:
    header = [name.strip() for name in fields]
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    if unknown:
        raise ProgressError(
            f"line 1: unknown column(s): {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(IMPORT_COLUMNS + OPTIONAL_COLUMNS)})"
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise ProgressError(f"line 1: column(s) named twice: {', '.join(twice)}")
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ProgressError(f"line 1: missing column(s): {', '.join(missing)}")
    return header


def parse_import_csv(
    text: str, *, default_author: str = ""
) -> tuple[list[NewEvent], list[int | None], list[int]]:
    """Events of a CSV file (header: item_id,date,phase,source[,note,author,supersedes,id]).

    Returns the events, their file-local ids (the ``id`` column of an export, so corrections in
    the same file keep pointing at the right event) and the line each starts on.
    """
    records = _records(text.removeprefix("\ufeff"))
    first = next(records, None)
    if first is None:
        raise ProgressError("the file is empty: no header, no events")
    header = _header(first[1])
    events, local_ids, lines = [], [], []
    for line, fields in records:
        if len(fields) != len(header):
            raise ProgressError(
                f"line {line}: {len(fields)} fields where the header has {len(header)} "
                "(a missing or extra comma?); nothing was imported"
            )
        values = {name: restore_formula(value.strip()) for name, value in zip(header, fields, strict=True)}
        if any(values.get(name) for name in WITHDRAWAL_COLUMNS):
            raise ProgressError(
                f"line {line}: this event was withdrawn; remove the line (an import records standing "
                "events only); nothing was imported"
            )
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


def events_csv(events: Iterable[Event]) -> str:
    """The events as CSV text in the export columns, formula-like text cells neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow({k: csv_cell(v, "" if v is None else str(v)) for k, v in event.to_dict().items()})
    return out.getvalue()


def insert_seed_events(connection: sa.Connection) -> int:
    """The shipped public-record events, in the transaction that created the ledger.

    A ProgressError names the seed file's line; reading the file may raise OSError.
    """
    events, _, lines = parse_import_csv(SEED_PATH.read_text(encoding="utf-8"), default_author=SEED_AUTHOR)
    rows = []
    for line, event in zip(lines, events, strict=True):
        try:
            rows.append(validate_event(event))
        except ProgressError as exc:
            raise ProgressError(f"line {line}: {exc}") from None
    return len(insert_rows(connection, rows, [None] * len(rows)))
