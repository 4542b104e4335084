"""Where the ledger lives: one setting, ``PLANMAP_DATABASE_URL``.

Read from the environment, else from ``.streamlit/secrets.toml`` (key ``PLANMAP_DATABASE_URL``),
else a SQLite file in the user's data directory — never inside the repository's ``data/``, which
holds only shipped, checksummed files. ``postgresql://`` URLs are driven by psycopg 3.

The app's editor key, ``PLANMAP_EDITOR_KEY``, is read the same way (environment, then secrets file).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "PLANMAP_DATABASE_URL"
EDITOR_KEY = "PLANMAP_EDITOR_KEY"
# A shared key typed into a web form: long enough that guessing it, a few tries an hour once
# locked (geo.progress.keyguard), is hopeless. A shorter configured key leaves the app read-only.
EDITOR_KEY_MIN_CHARS = 16
ROOT = Path(__file__).resolve().parents[2]
SECRETS_PATH = ROOT / ".streamlit" / "secrets.toml"
APP_DIR = "chengyu-plan"


def read_secrets(path: Path = SECRETS_PATH) -> dict:
    """The app's secrets file as a dict; empty when there is none or it is not valid TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def default_sqlite_path() -> Path:
    """The ledger's SQLite file in the user's data directory (outside the repository)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR / "progress.sqlite"


def database_url(secrets_path: Path = SECRETS_PATH) -> str:
    """The configured database URL, as SQLAlchemy wants it."""
    url = os.environ.get(ENV_VAR) or str(read_secrets(secrets_path).get(ENV_VAR) or "")
    url = url.strip()
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    return normalise_url(url)


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (SQLAlchemy's default would be psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def editor_key(secrets_path: Path = SECRETS_PATH) -> str | None:
    """The key that lets the app record events; None (read-only app) when none is configured.

    A key shorter than :data:`EDITOR_KEY_MIN_CHARS` is returned as configured: the app refuses it
    with a message for the operator (:func:`editor_key_too_short`)."""
    value = os.environ.get(EDITOR_KEY) or read_secrets(secrets_path).get(EDITOR_KEY)
    value = str(value or "").strip()
    return value or None


def editor_key_too_short(key: str) -> bool:
    """True for a configured key too short to be used (fewer than :data:`EDITOR_KEY_MIN_CHARS` characters)."""
    return len(key) < EDITOR_KEY_MIN_CHARS


@dataclass(frozen=True)
class DatabaseName:
    """The ledger as a page may name it: its kind and name, never a password, user or directory.

    ``configured``: set by the operator (``PLANMAP_DATABASE_URL``), else the default SQLite file.
    """

    kind: str
    name: str
    configured: bool


def database_name(secrets_path: Path = SECRETS_PATH) -> DatabaseName:
    """What a visitor is told about the configured ledger when it cannot be used."""
    import sqlalchemy as sa

    setting = (os.environ.get(ENV_VAR) or str(read_secrets(secrets_path).get(ENV_VAR) or "")).strip()
    if not setting:
        return DatabaseName("SQLite", default_sqlite_path().name, configured=False)
    try:
        url = sa.make_url(normalise_url(setting))
    except (sa.exc.ArgumentError, ValueError, TypeError):
        return DatabaseName("?", "", configured=True)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return DatabaseName("SQLite", Path(url.database or "").name, configured=True)
    kind = {"postgresql": "PostgreSQL"}.get(backend, backend)
    where = "@".join(part for part in (url.database, url.host) if part)
    return DatabaseName(kind, where, configured=True)
