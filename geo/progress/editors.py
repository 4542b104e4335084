"""Named editors: the people who may record events when an authenticating proxy says who someone is.

The proxy (nginx ``auth_basic``, or a bureau's single sign-on) passes a user name; the app lets
that user record events only when the name is in this table, and records it as the author. Admins
are editors marked as such. Names are compared exactly as the proxy gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from geo.controlchars import first_control
from geo.errors import ProgressError
from geo.progress.faults import ledger_faults
from geo.progress.ledger import MAX_AUTHOR
from geo.progress.schema import editors as editors_table

MAX_NAME = MAX_AUTHOR  # an editor's name is what events record as their author


@dataclass(frozen=True)
class Editor:
    """A person allowed to record events: the name the authenticating proxy gives, whether they are an
    admin, and when they were added."""

    name: str
    is_admin: bool
    added_at: datetime

    def to_dict(self) -> dict:
        return {"name": self.name, "admin": self.is_admin, "added_at": self.added_at.isoformat()}


def validate_name(name: str) -> str:
    """``name`` when it can be an editor's name: not blank, no control character, at most 80 characters."""
    if not name or not name.strip():
        raise ProgressError("an editor's name cannot be empty")
    control = first_control(name)
    if control is not None:
        raise ProgressError(f"the editor's name contains the control character U+{ord(control):04X}")
    if name != name.strip():
        raise ProgressError("an editor's name cannot start or end with a space")
    if len(name) > MAX_NAME:
        raise ProgressError(f"an editor's name has at most {MAX_NAME} characters, not {len(name)}")
    return name


def _row(row) -> Editor:
    added = row.added_at
    if added.tzinfo is None:  # SQLite keeps no zone; every time stored here is UTC
        added = added.replace(tzinfo=UTC)
    return Editor(row.name, bool(row.is_admin), added)


def add_editor(ledger, name: str, *, admin: bool = False) -> Editor:
    """Add ``name`` as an editor (an admin with ``admin``); an existing editor is refused."""
    validate_name(name)
    editor = Editor(name, admin, datetime.now(UTC))
    with ledger_faults(ledger.url, stage="use"), ledger.writing() as connection, connection.begin():
        exists = connection.execute(
            sa.select(editors_table.c.name).where(editors_table.c.name == name)
        ).first()
        if exists is not None:
            raise ProgressError(f"{name!r} is already an editor")
        connection.execute(editors_table.insert().values(name=name, is_admin=admin, added_at=editor.added_at))
    return editor


def remove_editor(ledger, name: str) -> None:
    """Remove ``name`` from the editors; events they recorded keep their author."""
    with ledger_faults(ledger.url, stage="use"), ledger.writing() as connection, connection.begin():
        removed = connection.execute(editors_table.delete().where(editors_table.c.name == name))
        if removed.rowcount == 0:
            raise ProgressError(f"{name!r} is not an editor")


def list_editors(ledger) -> list[Editor]:
    """Every editor, by name."""
    with ledger_faults(ledger.url, stage="use"), ledger.engine.connect() as connection:
        rows = connection.execute(sa.select(editors_table).order_by(editors_table.c.name)).all()
    return [_row(row) for row in rows]


def find_editor(ledger, name: str) -> Editor | None:
    """The editor called exactly ``name``, or None."""
    with ledger_faults(ledger.url, stage="use"), ledger.engine.connect() as connection:
        row = connection.execute(sa.select(editors_table).where(editors_table.c.name == name)).first()
    return None if row is None else _row(row)
