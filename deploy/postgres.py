"""A PostgreSQL cluster of our own from Debian's server binaries: initdb once, then ``postgres`` as a
child process listening on a unix socket only, stopped by its PID.

Used by ``python -m deploy up`` (the deployment's ledger) and by the tests (a throwaway cluster,
tests/postgres.py). Debian's server binaries live in /usr/lib/postgresql/<version>/bin
(``apt-get install postgresql``); ``PG_BIN`` points elsewhere. The server refuses to run as root,
so as root the cluster belongs to the ``postgres`` system user: initdb and the server are started
with that user's ids, and the directories they write are handed to it.

The server is started directly rather than through ``pg_ctl``: it stays this process's child, so
it is stopped (and reaped) by PID like every other process the deployment starts.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

from deploy import processes

PG_ROOT = Path("/usr/lib/postgresql")
DEBIAN_PACKAGE = "postgresql"
# The unix socket's path (directory + "/.s.PGSQL.<port>") must fit in sockaddr_un (107 bytes).
MAX_SOCKET_DIR = 90


class ClusterError(Exception):
    """The cluster could not be created or started; the message is one line saying why."""


def pg_bin() -> Path | None:
    """The newest installed server binaries' directory, or None when there are none."""
    override = os.environ.get("PG_BIN")
    if override:
        return Path(override)
    found = sorted(PG_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name), reverse=True)
    return found[0].parent if found else None


def missing_binaries() -> str | None:
    """One line naming the Debian package to install when the server binaries are missing."""
    binaries = pg_bin()
    if binaries is None or not all((binaries / name).exists() for name in ("initdb", "postgres")):
        return f"PostgreSQL server binaries not found (apt-get install {DEBIAN_PACKAGE})"
    return None


def _owner_ids() -> dict:
    """Popen keywords that run a child as the ``postgres`` user when we are root, else nothing."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClusterError(
            "running as root needs the postgres system user (apt-get install postgresql)"
        ) from None
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def hand_over(path: Path) -> None:
    """As root, give ``path`` to the postgres user (the server writes there); otherwise nothing."""
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


class Cluster:
    """One cluster: its data directory, the directory of its socket, and the running server."""

    def __init__(self, data: Path, socket_dir: Path, port: int = 5432, binaries: Path | None = None):
        self.data, self.socket_dir, self.port = data, socket_dir, port
        self.binaries = binaries or pg_bin()
        self.process: subprocess.Popen | None = None
        if self.binaries is None:
            raise ClusterError(missing_binaries() or "PostgreSQL server binaries not found")
        if len(str(socket_dir)) > MAX_SOCKET_DIR:
            raise ClusterError(f"socket directory path too long for a unix socket: {socket_dir}")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` in this cluster (over the unix socket)."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def init(self) -> None:
        """initdb, unless the data directory already holds a cluster (its data then stays)."""
        if (self.data / "PG_VERSION").exists():
            return
        self.data.mkdir(parents=True, exist_ok=True)
        hand_over(self.data)
        command = [str(self.binaries / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8"]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, **_owner_ids())
        if run.returncode != 0:
            raise ClusterError(f"initdb failed: {_last_line(run.stderr or run.stdout)}")

    def start(self, log: Path, *, fsync: bool = True, timeout: float = 60.0, stop_requested=None) -> None:
        """Start the server and wait until it accepts connections (``postmaster.pid`` says ready)."""
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        hand_over(self.socket_dir)
        command = [str(self.binaries / "postgres"), "-D", str(self.data), "-p", str(self.port),
                   "-c", "listen_addresses=", "-c", f"unix_socket_directories={self.socket_dir}"]  # fmt: skip
        if not fsync:
            command += ["-c", "fsync=off"]
        with log.open("ab") as out:
            # A session of its own: a Ctrl-C in the terminal reaches the caller, who stops us in order.
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **_owner_ids()
            )
        status = self.data / "postmaster.pid"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ClusterError(f"PostgreSQL exited at start: {_last_line(_tail(log))} (log: {log})")
            if stop_requested is not None and stop_requested():
                return
            try:
                lines = status.read_text().splitlines()
            except OSError:
                lines = []
            # Line 8 of postmaster.pid is the server's state: "starting", "ready", "stopping".
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return
            time.sleep(0.1)
        raise ClusterError(f"PostgreSQL did not become ready within {timeout:.0f} s (log: {log})")

    def create_database(self, name: str) -> str:
        """Database ``name`` (created if missing); returns its URL."""
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                exists = connection.exec_driver_sql(
                    "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
                ).first()
                if not exists:
                    connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self, *, fast: bool = True, timeout: float = 30.0) -> None:
        """Stop the server by its PID: SIGINT is PostgreSQL's fast shutdown (SIGQUIT immediate)."""
        if self.process is not None:
            processes.stop(self.process, signal.SIGINT if fast else signal.SIGQUIT, timeout)


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-2000:]
    except OSError:
        return ""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
