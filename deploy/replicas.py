"""The app's Streamlit replicas: ``streamlit run app.py`` on loopback ports, all with the same
ledger URL and cookie secret, and the health probe that says a server is ready."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from deploy import processes

ROOT = Path(__file__).resolve().parents[1]
HEALTH_PATH = "/_stcore/health"
# The header nginx sets to the signed-in user, and the st.user key the app reads it from
# (ui.editor_key.PROXY_USER_KEY).
USER_HEADER = "X-Planmap-User"
USER_KEY = "planmap_user"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    """True when a server could not listen on host:port (someone listens there, or no such address).

    SO_REUSEADDR as servers set it: connections that were closed a moment ago (TIME_WAIT) do not
    keep the port from a new server."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``url``/_stcore/health answers 200 (the replica, or nginx in front of them)."""
    try:
        with urllib.request.urlopen(f"{url}{HEALTH_PATH}", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def wait_healthy(
    url: str,
    alive: Callable[[], bool],
    timeout: float,
    stop_requested: Callable[[], bool] = lambda: False,
) -> bool:
    """Probe ``url`` until healthy; False when ``alive()`` turns false, time is up or a stop is asked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop_requested():
        if not alive():
            return False
        if healthy(url):
            return True
        time.sleep(0.3)
    return False


def streamlit_command(port: int, origin: str) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",   # loopback only: reached through nginx
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        # Kept on behind the proxy, with the one origin the browsers use.
        "--server.enableCORS", "true",
        "--server.enableXsrfProtection", "true",
        "--server.corsAllowedOrigins", origin,
        # Who signed in at nginx, as st.user["planmap_user"]; nginx always overwrites the header.
        "--server.trustedUserHeaders", json.dumps({USER_HEADER: USER_KEY}),
    ]  # fmt: skip


def start(port: int, origin: str, database_url: str, cookie_secret: str, log: Path) -> subprocess.Popen:
    """One replica. The cookie secret goes by environment, not on the command line (``ps`` shows that)."""
    env = dict(os.environ)
    env["PLANMAP_DATABASE_URL"] = database_url
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret
    with log.open("ab") as out:
        return subprocess.Popen(
            streamlit_command(port, origin),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    processes.stop(process, signal.SIGTERM)
