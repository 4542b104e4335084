"""``python -m deploy up`` for a browser test: started on a free port with a run directory of its
own, read until it prints its address, and stopped (with everything it started) afterwards."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.nginx import missing_nginx
from deploy.postgres import missing_binaries
from deploy.replicas import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60
REPLICA_LINE = re.compile(r"^replica (\d+)\s+pid (\d+)\s+http://(127\.0\.0\.1:\d+)$")
PID_LINE = re.compile(r"^(PostgreSQL|nginx)\s+pid (\d+)\s")


def require_servers() -> None:
    """Skip without nginx or PostgreSQL's binaries (fail under CI=true)."""
    reason = missing_nginx() or missing_binaries()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def read_until_serving(process: subprocess.Popen) -> list[str]:
    """The lines ``deploy up`` prints up to its address line (bounded wait, no fixed sleep)."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen, deadline = [], time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1).rstrip("\n")
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith("Serving on "):
            return seen
    raise AssertionError(f"deploy up printed no address (status {process.poll()}): {seen}")


def run_module(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """``python -m *args`` in the checkout (``deploy adduser``, ``geo progress …``), which must succeed."""
    run = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    return run


def write_users(path: Path, names: tuple[str, ...], password: str) -> Path:
    """A sign-in users file at ``path`` with ``names``, all with ``password`` (``deploy adduser``)."""
    for name in names:
        run_module("deploy", "adduser", str(path), name, stdin=password + "\n")
    return path


@dataclass(frozen=True)
class DeployRun:
    """A running ``deploy up``: its process, port, base URL, run directory and start-up lines."""

    process: subprocess.Popen
    port: int
    base: str
    run_dir: Path
    lines: list[str]

    @property
    def replica_urls(self) -> list[str]:
        """Each replica's own address, as ``deploy up`` printed it."""
        return [f"http://{m.group(3)}" for m in map(REPLICA_LINE.match, self.lines) if m]

    @property
    def database_url(self) -> str:
        """The ledger's URL: the last word of the PostgreSQL line."""
        (found,) = [
            line.split()[-1]
            for line in self.lines
            if (m := PID_LINE.match(line)) and m.group(1) == "PostgreSQL"
        ]
        return found


@contextlib.contextmanager
def deploy_up(*options: str) -> Iterator[DeployRun]:
    """``python -m deploy up --port P --run-dir D *options`` until it serves; SIGTERM (then
    SIGKILL to its process group) and the run directory removed on the way out."""
    require_servers()
    port = free_port()
    run_dir = Path(tempfile.mkdtemp(prefix="planmap-deploy-"))
    command = [sys.executable, "-m", "deploy", "up", "--port", str(port), "--run-dir", str(run_dir), *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines = read_until_serving(process)
        yield DeployRun(process, port, f"http://127.0.0.1:{port}", run_dir, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(run_dir, ignore_errors=True)
