"""A ledger that cannot be opened, seeded or used: one exception, one line saying what to do.

SQLAlchemy, the drivers, Alembic and the file system each fail in their own words (a damaged
SQLite file, a read-only file, an unknown URL scheme, a PostgreSQL server that is not running).
:func:`ledger_faults` turns all of them into :class:`geo.errors.LedgerUnavailable`, which names the database
(password hidden), the problem and the remedy. The command line prints it as its one error line;
the app's pages catch the same exception and show its parts without the database's location.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic.util.exc import CommandError

from geo.errors import GeoError, LedgerUnavailable

SETTING = "--database or PLANMAP_DATABASE_URL"
URL_HINT = f"give a URL such as sqlite:///PATH or postgresql://USER@HOST/NAME ({SETTING})"


def shown_url(url: str) -> str:
    """``url`` fit to show: the password replaced by ``***`` even when the URL cannot be parsed."""
    try:
        parsed = sa.make_url(url)
        return str(url) if parsed.password is None else parsed.render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", str(url))


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _sqlite_fault(message: str) -> tuple[str, str]:
    lowered = message.lower()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return (
            "the file is not a readable SQLite database (damaged, or another kind of file)",
            "restore it from a backup or move it aside (a new ledger is made in its place; "
            "`progress import` reads an earlier CSV export back)",
        )
    if "readonly" in lowered or "read-only" in lowered:
        return (
            "the database is read-only",
            f"make the file and its directory writable, or choose another file with {SETTING}",
        )
    if "unable to open" in lowered:
        return (
            "the file cannot be opened or created",
            f"check that its directory exists and is writable, or choose another file with {SETTING}",
        )
    if "locked" in lowered or "busy" in lowered:
        return ("the database is locked by another process", "try again when that process has finished")
    return (message, f"check the file, or choose another one with {SETTING}")


def describe(exc: BaseException, url: str) -> tuple[str, str]:
    """(problem, hint) for a failure of the database at ``url``."""
    scheme = str(url).partition(":")[0].partition("+")[0].lower()
    if isinstance(exc, sa.exc.NoSuchModuleError):
        return (f"unknown kind of database {scheme!r}", URL_HINT)
    if isinstance(exc, sa.exc.ArgumentError):
        return ("not a database URL", URL_HINT)
    if isinstance(exc, ImportError):
        return (f"no driver for {scheme!r} databases is installed", URL_HINT)
    if isinstance(exc, CommandError):
        return (
            f"its schema is not one this program knows ({_first_line(exc)})",
            "update the program, or choose the database it made",
        )
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        reason = "a file is in the way" if isinstance(exc, FileExistsError) else exc.strerror
        return (
            f"cannot create the directory{where}: {reason or type(exc).__name__}",
            f"choose a writable place with {SETTING}",
        )
    message = _first_line(exc)
    if scheme == "sqlite":
        return _sqlite_fault(message)
    if scheme.startswith("postgres"):
        if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
            return (
                message,
                "check that the PostgreSQL server is running and that the URL's host, port, user, "
                "password and database name are right",
            )
        return (message, "check the database user's rights on the ledger's tables")
    return (message, f"check the database, or choose another with {SETTING}")


# What a database, its driver or the file system raise when the ledger cannot be reached or used.
FAULTS = (sa.exc.SQLAlchemyError, CommandError, ImportError, OSError)


@contextmanager
def ledger_faults(url: str, *, stage: str = "open") -> Iterator[None]:
    """Run the block; a database fault in it becomes :class:`LedgerUnavailable` for ``url``."""
    try:
        yield
    except GeoError:  # LedgerUnavailable, or a refused event: already one line of its own
        raise
    except FAULTS as exc:
        problem, hint = describe(exc, url)
        raise LedgerUnavailable(shown_url(url), problem, hint, stage=stage) from None
