"""``python -m deploy up --replicas N --port P [--host H]``: the app served by N replicas behind nginx.

Starts, in this order, a PostgreSQL cluster of its own (the shared progress ledger), N Streamlit
replicas on free loopback ports and nginx listening on H:P; probes ``/_stcore/health`` on every
replica and then through nginx; prints the address. On Ctrl-C or SIGTERM it stops what it started,
by PID and in reverse order, and exits 130 or 143. A replica that dies is reported and left out
(nginx sends its sessions to the others); nginx or PostgreSQL dying stops everything (exit 1).

Everything lives in the run directory (``--run-dir``, default a new one under /tmp): the cluster's
data, nginx's configuration, pid and logs, and one log per replica. Started again with the same
``--run-dir``, the cluster and with it the ledger are kept.

With ``--users FILE`` (an htpasswd file; ``python -m deploy adduser FILE NAME`` adds a user and
asks for the password), nginx asks everyone to sign in and passes the user to the app, which lets
the listed editors (``python -m geo progress editors add NAME``) record progress as themselves.
Without it, the app is open to read and no one can record progress through it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from deploy import nginx, replicas, users
from deploy.postgres import Cluster, ClusterError, missing_binaries
from geo.errors import GeoError

EXIT_USAGE = 2
MAX_REPLICAS = 16
START_TIMEOUT_S = 120
DATABASE = "planmap"
WILDCARDS = ("0.0.0.0", "::")
ORIGIN = re.compile(r"https?://[^\s/?#]+")


def _plain(text: object) -> str:
    """One line a terminal can show: control characters as escapes."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + message
        print(f"error: {_plain(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _bounded(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    up = sub.add_parser("up", help="start PostgreSQL, N replicas and nginx; stop them on Ctrl-C")
    up.add_argument("--replicas", type=_bounded(1, MAX_REPLICAS), default=2)
    up.add_argument("--port", type=_bounded(1, 65535), required=True, help="nginx listens here")
    up.add_argument("--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1)")
    up.add_argument(
        "--origin",
        help="the address browsers use, e.g. https://plan.example.org (default http://HOST:PORT); "
        "the replicas accept cross-origin requests from it only",
    )
    up.add_argument("--run-dir", type=Path, help="data, configuration and logs (default: new, under /tmp)")
    up.add_argument(
        "--users",
        type=Path,
        metavar="FILE",
        help="htpasswd file of who may sign in (see `adduser`); without it no one signs in or records progress",
    )
    add = sub.add_parser("adduser", help="add a user to a users file (or change their password)")
    add.add_argument("file", type=Path, metavar="FILE", help="the users file (created if missing)")
    add.add_argument("name", metavar="NAME", help="the sign-in name, also the name editors are listed by")
    return parser


class _Stop:
    """The signal that asked us to stop (SIGINT or SIGTERM), noted by the handler, read by the loops."""

    def __init__(self):
        self.signum: int | None = None
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._handle)

    def _handle(self, signum, _frame) -> None:
        self.signum = signum

    def __call__(self) -> bool:
        return self.signum is not None


class Deployment:
    """What ``up`` started, in order; ``stop`` undoes it in reverse."""

    def __init__(self, run_dir: Path, host: str, port: int, origin: str, stop_requested: _Stop):
        self.run_dir, self.host, self.port, self.origin = run_dir, host, port, origin
        self.users_file: Path | None = None
        self.stop_requested = stop_requested
        self.cluster: Cluster | None = None
        self.replicas: list[tuple[int, object]] = []  # (port, Popen)
        self.nginx = None
        self.reported_dead: set[int] = set()

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, count: int) -> None:
        self.cluster = Cluster(self.run_dir / "postgres", self.run_dir / "postgres")
        self.cluster.init()
        self.cluster.start(self.run_dir / "postgres.log", stop_requested=self.stop_requested)
        if self.stop_requested():
            return
        database_url = self.cluster.create_database(DATABASE)
        _migrate(database_url)

        cookie_secret = secrets.token_hex(32)  # one per deployment, shared by every replica
        for index in range(count):
            port = replicas.free_port()
            log = self.run_dir / f"replica-{index + 1}.log"
            self.replicas.append((port, replicas.start(port, self.origin, database_url, cookie_secret, log)))
        for index, (port, process) in enumerate(self.replicas):
            url = f"http://127.0.0.1:{port}"
            ready = replicas.wait_healthy(
                url, lambda p=process: p.poll() is None, START_TIMEOUT_S, self.stop_requested
            )
            if self.stop_requested():
                return
            if not ready:
                raise StartError(
                    f"replica {index + 1} ({url}) did not become healthy; see {self.run_dir}/replica-{index + 1}.log"
                )

        upstreams = [f"127.0.0.1:{port}" for port, _ in self.replicas]
        listen = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        conf = nginx.write_conf(self.run_dir / "nginx", listen, upstreams, self.users_file)
        self.nginx = nginx.start(conf, self.run_dir / "nginx" / "stdout.log")
        probe = f"http://127.0.0.1:{self.port}" if self.host in WILDCARDS else self.address
        if not replicas.wait_healthy(probe, lambda: self.nginx.poll() is None, 30, self.stop_requested):
            if self.stop_requested():
                return
            raise StartError(f"nginx did not answer on {self.address}; see {self.run_dir}/nginx/error.log")

    def describe(self) -> list[str]:
        lines = [f"PostgreSQL  pid {self.cluster.pid}  {self.cluster.url(DATABASE)}"]
        for index, (port, process) in enumerate(self.replicas):
            lines.append(f"replica {index + 1}   pid {process.pid}  http://127.0.0.1:{port}")
        lines.append(f"nginx       pid {self.nginx.pid}  {self.run_dir / 'nginx' / 'nginx.conf'}")
        lines.append(f"logs        {self.run_dir}")
        return lines

    def watch(self) -> int | None:
        """Until a stop is asked: None. A dead replica is reported once; a dead nginx or PostgreSQL is fatal."""
        while not self.stop_requested():
            for index, (port, process) in enumerate(self.replicas):
                if process.poll() is not None and port not in self.reported_dead:
                    self.reported_dead.add(port)
                    _warn(f"replica {index + 1} (127.0.0.1:{port}) exited ({_status(process.returncode)}); "
                          f"nginx sends its sessions to the others")  # fmt: skip
            for name, process in (("nginx", self.nginx), ("PostgreSQL", self.cluster.process)):
                if process.poll() is not None:
                    _warn(f"{name} exited ({_status(process.returncode)}); stopping the deployment")
                    return 1
            time.sleep(0.2)
        return None

    def stop(self) -> None:
        """Everything that was started, by PID, newest first: nginx, the replicas, PostgreSQL."""
        if self.nginx is not None:
            nginx.stop(self.nginx)
        for _, process in reversed(self.replicas):
            replicas.stop(process)
        if self.cluster is not None:
            self.cluster.stop()


class StartError(Exception):
    """Something the deployment started did not come up; one line saying what and where to look."""


def _migrate(database_url: str) -> None:
    # Migrate (and seed) the ledger once before the replicas start, instead of N at once.
    from geo.progress.store import close_all, open_ledger

    open_ledger(database_url)
    close_all()


def _status(returncode: int) -> str:
    return f"signal {-returncode}" if returncode < 0 else f"status {returncode}"


def _warn(message: str) -> None:
    print(f"deploy: {_plain(message)}", file=sys.stderr, flush=True)


def _run_dir(given: Path | None) -> Path:
    if given is None:
        run_dir = Path(tempfile.mkdtemp(prefix="planmap-deploy-"))
    else:
        run_dir = given.resolve()
        run_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # The cluster inside runs as the postgres user, which must be able to pass through.
        run_dir.chmod(run_dir.stat().st_mode | 0o711)
    return run_dir


def up(args: argparse.Namespace) -> int:
    for missing in (nginx.missing_nginx(), missing_binaries()):
        if missing:
            print(f"error: {missing}", file=sys.stderr)
            return EXIT_USAGE
    if replicas.port_in_use(args.host, args.port):
        print(
            f"error: cannot listen on {_plain(args.host)}:{args.port}: in use or not an address here",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.origin is None and args.host in WILDCARDS:
        print(
            f"error: --host {args.host} needs --origin, the address browsers use (e.g. http://plan.example.org)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.origin is not None and not ORIGIN.fullmatch(args.origin):
        print(
            f"error: --origin: not an origin like https://plan.example.org[:port]: {_plain(args.origin)!r}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    users_file = None
    if args.users is not None:
        try:
            users_file = users.check_file(args.users)
        except users.UsersError as exc:
            print(f"error: {_plain(exc)}", file=sys.stderr)
            return EXIT_USAGE
    stop_requested = _Stop()
    run_dir = _run_dir(args.run_dir)
    deployment = Deployment(run_dir, args.host, args.port, args.origin or "", stop_requested)
    deployment.users_file = users_file
    if not args.origin:
        deployment.origin = deployment.address
    status = 1
    try:
        try:
            deployment.start(args.replicas)
        except (ClusterError, StartError, GeoError, OSError) as exc:
            print(f"error: {_plain(exc)}", file=sys.stderr, flush=True)
            return 1
        if not stop_requested():
            print("\n".join(deployment.describe()), flush=True)
            print(f"Serving on {deployment.address}  ({args.replicas} replicas; Ctrl-C stops)", flush=True)
            status = deployment.watch()
        if status is None or stop_requested():
            status = 128 + (stop_requested.signum or signal.SIGTERM)
    finally:
        # Signals that arrive while stopping must not interrupt the stopping itself.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        deployment.stop()
    return status


def adduser(args: argparse.Namespace) -> int:
    """Add a user, the password read from the terminal (twice) or as one line from standard input."""
    try:
        users.check_name(args.name)
        if sys.stdin.isatty():
            password = getpass.getpass(f"password for {args.name}: ")
            if getpass.getpass("again: ") != password:
                raise users.UsersError("the passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        new = users.set_user(args.file, args.name, password)
    except users.UsersError as exc:
        print(f"error: {_plain(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{'added' if new else 'changed the password of'} {_plain(args.name)} in {_plain(args.file)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return adduser(args) if args.command == "adduser" else up(args)
