"""Browser fixtures: the app on a free local port, and a Chromium page with no internet.

``app_server`` (session) runs ``streamlit run app.py`` and yields its base URL; ``browser_page``
gives a Playwright page in Debian's Chromium where every request not to this machine is aborted,
so a test sees exactly what a user without internet (or behind a blocked CDN) would see.

Without /usr/bin/chromium the browser tests are skipped with the reason shown; with CI=true a
missing browser is a failure instead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS_DIR = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
# Run in every frame before its scripts: the map tools (static/planmap/core.js) then publish what
# the tests read as ``window.PlanMap.test`` (state, drawn features, legend symbols); visitors get none.
MAP_TEST_HOOKS = "window.__planmapTestHooks = true;"
START_TIMEOUT_S = 60
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(
        f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log_path.read_text(errors='replace')[-3000:]}"
    )


@contextlib.contextmanager
def running_app(log_dir: Path, env: dict[str, str] | None = None):
    """``streamlit run app.py`` on a free port, stopped on exit; yields its base URL.

    ``env`` adds to the server's environment (``PLANMAP_DATABASE_URL`` for a ledger of its own).
    """
    port = _free_port()
    log_path = log_dir / "server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Base URL (``http://127.0.0.1:<port>``) of the app, started once for the session."""
    with running_app(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def fresh_app_server(tmp_path):
    """A server of its own that no page has been asked of yet (its first request is the test's)."""
    with running_app(tmp_path) as url:
        yield url


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def browser_page(_browser):
    """A fresh Chromium page (1400×1000) that can reach only this machine.

    ``page.blocked_requests`` lists every URL that was aborted, for tests that want to assert on it.
    """
    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.add_init_script(MAP_TEST_HOOKS)
    page = context.new_page()
    blocked: list[str] = []

    def route(route_request):
        url = route_request.request.url
        if _is_local(url):
            route_request.continue_()
        else:
            blocked.append(url)
            route_request.abort()

    page.route("**/*", route)
    page.blocked_requests = blocked
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        yield page
    finally:
        context.close()
