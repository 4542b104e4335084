"""``python -m geo …`` and ``python -c …`` as new processes, forked from servers that have already
imported the third-party libraries (numpy, pandas, geopandas, SQLAlchemy, Streamlit, …).

The project's own modules are never imported by a server: each child imports them itself, after
its environment (``PLANMAP_DATA_DIR`` among it) and working directory are set, so whatever the
project does when it starts (reading the data directory's setting, loading its files) happens in
the child as it would in ``python -m geo``. Only the libraries' import, the same for every child, is
done once per server: the tests that run dozens of children against damaged data copies need not
pay it dozens of times.

A server (``python -m tests.fresh_process``) reads one job a line on stdin, forks a child for it,
answers the child's pid, waits for it and answers its exit status. This module imports only the
standard library, because the servers import it.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import queue
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What every child would import first; none of it reads the project's settings.
PRELOAD = [
    "numpy",
    "pandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "pyarrow.parquet",
    "geopandas",
    "sqlalchemy",
    "alembic.context",
    "yaml",
    "pypinyin",
    "streamlit.testing.v1",
    "folium",
]


def _exit_code(code: object) -> int:
    """What the interpreter exits with for ``SystemExit(code)`` (a message goes to stderr, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _child(args: list[str], env: dict[str, str], cwd: str, out_path: str, err_path: str) -> None:
    """In the forked child: the interpreter's ``-m``/``-c`` with ``args``, its output in two files."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
    )
    sys.path.insert(0, cwd)  # as ``python -m``/``-c`` put the working directory first
    mode, target, *rest = args
    code = 0
    try:
        if mode == "-m":
            sys.argv = [target, *rest]  # runpy puts the module's file in argv[0]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *rest]
            exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:  # noqa: BLE001 - printed as the interpreter prints it
        traceback.print_exc()
        code = 1
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def serve() -> None:
    """The server: the libraries imported once, then a forked child per job line on stdin."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # a child imports what it needs itself
            __import__(name)
    answers = sys.stdout
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(job["args"], job["env"], job["cwd"], job["out"], job["err"])
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


class _Server:
    """One running server and a thread that reads its answers."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fresh_process"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.answers.put(json.loads(line))
        self.answers.put(None)  # the server is gone

    def answer(self, timeout: float) -> dict:
        answer = self.answers.get(timeout=timeout)
        if answer is None:
            raise RuntimeError(f"the fork server stopped (status {self.process.wait()})")
        return answer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_idle: queue.SimpleQueue = queue.SimpleQueue()
_started: list[_Server] = []


@atexit.register
def _close_servers() -> None:
    for server in _started:
        server.close()


def run_python(
    args: list[str], *, env: dict[str, str], cwd: Path, timeout: float, text: bool = False
) -> subprocess.CompletedProcess:
    """``python *args`` (``-m module …`` or ``-c code …``) as a new process; like ``subprocess.run``
    with ``capture_output=True`` (threads may call it at once: each uses a server of its own)."""
    if args[0] not in ("-m", "-c"):
        raise ValueError(f"run_python takes -m or -c, not {args[0]!r}")
    try:
        server = _idle.get_nowait()
    except queue.Empty:
        server = _Server()
        _started.append(server)
    with tempfile.TemporaryDirectory(prefix="planmap-child-") as scratch:
        out_path, err_path = Path(scratch, "stdout"), Path(scratch, "stderr")
        job = {"args": args, "env": dict(env), "cwd": str(cwd), "out": str(out_path), "err": str(err_path)}
        server.process.stdin.write(json.dumps(job) + "\n")
        server.process.stdin.flush()
        pid = server.answer(timeout)["pid"]
        try:
            status = server.answer(timeout)["status"]
        except queue.Empty:
            os.kill(pid, signal.SIGKILL)
            server.answer(60)
            _idle.put(server)
            raise subprocess.TimeoutExpired([sys.executable, *args], timeout) from None
        _idle.put(server)
        out, err = out_path.read_bytes(), err_path.read_bytes()
    if text:
        out, err = out.decode("utf-8"), err.decode("utf-8")
    return subprocess.CompletedProcess([sys.executable, *args], status, out, err)


if __name__ == "__main__":
    serve()
