"""``python -m deploy up --replicas 2``: the map through nginx, each browser kept on its replica,
twenty downloads at once from both replicas, the export page's download link giving the file any
replica gives, a session whose replica is killed carries on on the other, and SIGTERM leaves
nothing behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.replicas import port_in_use
from tests.e2e.browser import map_shapes, open_page
from tests.e2e.conftest import _is_local
from tests.e2e.deploy_run import PID_LINE, REPLICA_LINE, DeployRun, deploy_up

pytestmark = pytest.mark.browser

DOWNLOADS = 20
ROUTE_COOKIE = "planmap_route"


def _descendants(root: int) -> set[int]:
    """Every living process below ``root`` (nginx's workers, PostgreSQL's backends included)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _closed_streams(run_dir: Path, routes: dict[str, str], timeout: float = 30) -> dict[str, list[str]]:
    """Replica → the upstreams of the websockets of its browser's route, as nginx logged them."""
    pattern = re.compile(r'"GET /_stcore/stream[^"]*" \d+ \d+ upstream=(.+?) route=(\w+) ')
    deadline = time.monotonic() + timeout
    while True:
        found = {replica: [] for replica in routes}
        for line in (run_dir / "nginx" / "access.log").read_text(encoding="utf-8").splitlines():
            match = pattern.search(line)
            for replica, route in routes.items():
                if match and match.group(2) == route:
                    found[replica].append(match.group(1))
        if all(found.values()) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _download(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=180) as response:
        return response.status, response.headers["X-Planmap-Replica"], response.read()


def _context_on(browser, base: str, replica: str, tries: int = 16):
    """A browser context whose route cookie (set by nginx on its first answer) leads to ``replica``."""
    for _ in range(tries):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        answer = context.request.get(f"{base}/_stcore/health")
        if answer.ok and answer.headers.get("x-planmap-replica") == replica:
            context.route("**/*", lambda r: r.continue_() if _is_local(r.request.url) else r.abort())
            return context
        context.close()
    raise AssertionError(f"no new browser was routed to {replica} in {tries} tries")


def test_two_replicas_behind_nginx(_browser):
    with deploy_up("--replicas", "2") as run:
        _check_two_replicas(_browser, run)


def _check_two_replicas(browser, run: DeployRun) -> None:
    deploy, port, base, run_dir, lines = run.process, run.port, run.base, run.run_dir, run.lines
    assert lines[-1].startswith(f"Serving on {base}")
    contexts = []
    try:
        replicas = {m.group(3): int(m.group(2)) for m in map(REPLICA_LINE.match, lines) if m}
        others = {m.group(1): int(m.group(2)) for m in map(PID_LINE.match, lines) if m}
        assert len(replicas) == 2 and set(others) == {"PostgreSQL", "nginx"}, lines
        first, second = sorted(replicas)

        # Two browsers, each pinned by nginx's cookie to its own replica, both see the map.
        pages = {}
        for replica in (first, second):
            context = _context_on(browser, base, replica)
            contexts.append(context)
            page = context.new_page()
            answers = []
            page.on("response", lambda r, seen=answers: seen.append(r.headers.get("x-planmap-replica")))
            open_page(page, f"{base}/map")
            assert map_shapes(page) > 0
            assert len(answers) > 10 and set(answers) == {replica}, "every answer came from its replica"
            pages[replica] = page
        routes = {
            replica: context.cookies(base)[0]["value"]
            for replica, context in zip(pages, contexts, strict=True)
        }
        assert len(set(routes.values())) == 2, "each browser got a route cookie of its own from nginx"

        # Twenty downloads at once from the stable route, each a new client nginx routes on its own.
        with ThreadPoolExecutor(DOWNLOADS) as pool:
            answers = list(
                pool.map(
                    lambda _: _download(f"{base}/api/export?layers=railway&format=gpkg"), range(DOWNLOADS)
                )
            )
        assert [status for status, _, _ in answers] == [200] * DOWNLOADS
        assert {replica for _, replica, _ in answers} == {first, second}
        assert len({body for _, _, body in answers}) == 1 and answers[0][2].startswith(b"SQLite format 3")

        # The export page's download is a plain link to that route: clicked in the first browser,
        # it gives the file a new client gets from whichever replica nginx picks.
        page = pages[first]
        page.goto(f"{base}/export?layers=railway&format=gpkg", wait_until="domcontentloaded")
        link = page.locator('a[download][href^="/api/export?"]').first
        link.wait_for(state="visible", timeout=180_000)
        href = link.get_attribute("href")
        with page.expect_download(timeout=180_000) as clicked:
            link.click()
        assert clicked.value.failure() is None
        assert Path(clicked.value.path()).read_bytes() == _download(base + href)[2] == answers[0][2]

        # The second replica dies; its browser reloads and is served by the first, on the same route.
        everything = _descendants(deploy.pid)
        pages[first].goto("about:blank")  # closes the first browser's websocket
        os.kill(replicas[second], signal.SIGKILL)  # and this the second's
        # The websockets went to the replicas too: nginx logs each upgrade when it closes.
        streams = _closed_streams(run_dir, routes)
        assert streams[first] and all(upstream == first for upstream in streams[first]), streams
        assert streams[second][0] == second, streams
        page = pages[second]
        answer = page.reload(wait_until="domcontentloaded")
        assert answer.ok
        assert answer.headers["x-planmap-replica"].split(", ")[-1] == first
        assert map_shapes(page) > 0
        assert page.get_by_text("Connection error").count() == 0

        # SIGTERM: everything deploy up started is gone, and the ports are free again.
        deploy.send_signal(signal.SIGTERM)
        assert deploy.wait(timeout=60) == 128 + signal.SIGTERM
        assert everything >= set(replicas.values()) | set(others.values())
        assert [pid for pid in everything if _alive(pid)] == []
        ports = [port, *(int(address.rsplit(":", 1)[1]) for address in replicas)]
        assert [p for p in ports if port_in_use("127.0.0.1", p)] == []
        for free in ports:
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", free), timeout=5).close()
    finally:
        for context in contexts:
            context.close()
