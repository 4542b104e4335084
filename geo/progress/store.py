"""Opening the ledger's database: engine settings per backend, migrations, the shipped seed events.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so concurrent writers queue for the lock instead of failing halfway.
PostgreSQL uses ordinary transactions; migrations take an advisory lock so two processes opening
a new database at once do not both create it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from geo.errors import GeoError, LedgerUnavailable
from geo.progress.faults import URL_HINT, ledger_faults, shown_url
from geo.progress.ledger import SEED_PATH
from geo.progress.settings import database_url, default_sqlite_path, normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x504D4150  # any constant shared by every process migrating the same database
SEED_NAME = f"data/progress/{SEED_PATH.name}"


@dataclass(frozen=True)
class Ledger:
    """An open ledger: the engine and the URL it was opened from (password hidden)."""

    engine: sa.Engine
    url: str

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def writing(self) -> sa.Connection:
        """A connection whose transactions take the write lock at once (SQLite) — use with ``.begin()``."""
        return self.engine.connect().execution_options(immediate=True)


def _sqlite_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # Transactions are begun by the "begin" hook below, not by the driver's guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_engine(url: str) -> sa.Engine:
    """A SQLAlchemy engine for ``url`` (for a SQLite file, its directory is created first)."""
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """The Alembic configuration pointing at the ledger's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision of the database; None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: sa.Engine, revision: str = "head", *, seed: bool = True) -> str | None:
    """Upgrade the schema to ``revision`` in one transaction; return the revision found before.

    A database created here (no revision before) receives the shipped seed events in the same
    transaction, so a new ledger starts with the public record; if they cannot be recorded,
    nothing is (LedgerUnavailable at the ``seed`` stage).
    """
    from geo.progress.csvfile import insert_seed_events

    config = alembic_config()
    with engine.connect().execution_options(immediate=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if before is None and seed and revision == "head":
            url = engine.url.render_as_string(hide_password=False)
            with ledger_faults(url, stage="seed"):
                try:
                    insert_seed_events(connection)
                except (GeoError, OSError, UnicodeDecodeError) as exc:
                    raise LedgerUnavailable(
                        shown_url(url),
                        f"{SEED_NAME}: {getattr(exc, 'strerror', None) or exc}",
                        "restore the shipped data (`git checkout -- data/`) and run again; "
                        "nothing was written",
                        stage="seed",
                    ) from None
    return before


_open: dict[tuple[str, bool], Ledger] = {}
_open_lock = threading.Lock()


def open_ledger(url: str | None = None, *, seed: bool = True) -> Ledger:
    """The ledger at ``url`` (default: the configured one), migrated to the head revision.

    Engines are kept per URL for the life of the process, and the migration check runs once each.
    A database that cannot be opened, migrated or seeded raises LedgerUnavailable.
    """
    if url and url.strip():
        url = normalise_url(url.strip())
    else:
        with ledger_faults(f"sqlite:///{default_sqlite_path()}"):
            url = database_url()
    key = (url, seed)
    with _open_lock:
        ledger = _open.get(key)
        if ledger is None:
            engine = None
            try:
                with ledger_faults(url):
                    try:
                        engine = create_engine(url)
                    except ValueError as exc:  # a URL SQLAlchemy parses, with a port that is no number …
                        raise LedgerUnavailable(
                            shown_url(url), f"not a database URL ({exc})", URL_HINT
                        ) from None
                    migrate(engine, seed=seed)
            except LedgerUnavailable:
                if engine is not None:
                    engine.dispose()
                raise
            ledger = Ledger(engine, shown_url(url))
            _open[key] = ledger
        return ledger


def close_all() -> None:
    """Dispose every engine this process opened (tests stop their throwaway servers after this)."""
    with _open_lock:
        for ledger in _open.values():
            ledger.engine.dispose()
        _open.clear()


def forget_inherited() -> None:
    """In a forked child: drop the parent's engines without closing connections the parent still uses."""
    with _open_lock:
        for ledger in _open.values():
            ledger.engine.dispose(close=False)
        _open.clear()
