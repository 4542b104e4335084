"""A throwaway PostgreSQL cluster for tests: initdb in a scratch directory, a unix socket, stop after.

Debian's server binaries live in /usr/lib/postgresql/<version>/bin. initdb refuses to run as
root, so as root the cluster belongs to the ``postgres`` system user (``runuser``). Without the
binaries the tests that need the server are skipped with the reason, and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
PORT = 54329  # only a socket file name: the server listens on no TCP address


def pg_bin() -> Path | None:
    override = os.environ.get("PG_BIN")
    if override:
        return Path(override)
    found = sorted(PG_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name), reverse=True)
    return found[0].parent if found else None


def require_postgres() -> Path:
    """The server binaries' directory, or skip (fail with CI=true) saying why."""
    binaries = pg_bin()
    if binaries is None or not (binaries / "pg_ctl").exists():
        reason = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return binaries


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yield the SQLAlchemy URL of a fresh cluster's ``postgres`` database; remove it all after."""
    binaries = require_postgres()
    scratch = Path(tempfile.mkdtemp(prefix="planmap-pg-"))
    data = scratch / "data"
    if os.geteuid() == 0:
        shutil.chown(scratch, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            _as_owner([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--locale=C.UTF-8"]),
            **run,
        )  # fmt: skip
        options = f"-c listen_addresses='' -c unix_socket_directories={scratch} -p {PORT} -c fsync=off"
        subprocess.run(
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60",
                       "-l", str(scratch / "server.log"), "start"]),
            **run,
        )  # fmt: skip
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={scratch}&port={PORT}"
        finally:
            subprocess.run(
                _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"cannot start PostgreSQL: {(exc.stderr or exc.stdout or '').strip()[-500:]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A new empty database in the cluster at ``url``; returns its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return url.replace("/postgres?", f"/{name}?", 1)
