"""Several visitors download from the export page at once, while others are still loading it:
every one gets the whole file from the download route (no failed answer, no cancelled download).

Twenty at once is a load measurement, not a test: ``python benchmarks/load.py --sessions 20`` and
``benchmarks/deploy_load.py`` (through nginx and two replicas)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pytest

from geo.cli import add_export_arguments, run_export
from geo.features import catalogue_frame
from tests.e2e.conftest import _is_local

pytestmark = pytest.mark.browser

SESSIONS = 6
DOWNLOAD_DEADLINE_S = 300
# The sessions share the machine's cores with the browser: allow each more than one page's time.
TIMEOUT_MS = 300_000


def _cli_geojson(tmp_path: Path) -> bytes:
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    out = tmp_path / "cli.geojson"
    assert run_export(parser.parse_args(["--format", "geojson", "--out", str(out)])) == 0
    return out.read_bytes()


def test_several_sessions_download_at_once(app_server, _browser, tmp_path):
    context = _browser.new_context(accept_downloads=True)
    context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort())
    pages = [context.new_page() for _ in range(SESSIONS)]
    downloads, route_errors = [], []
    for page in pages:
        page.on("download", lambda download: downloads.append(download))
        page.on(
            "response",
            lambda r: (
                route_errors.append((r.status, r.url)) if "/api/export" in r.url and r.status >= 400 else None
            ),
        )
    try:
        # Open them all, then click each as soon as its link shows: early sessions download
        # while later ones are still running their scripts.
        for page in pages:
            page.goto(f"{app_server}/export", wait_until="commit", timeout=TIMEOUT_MS)
        for page in pages:
            button = page.locator('a[download][href^="/api/export?"]').first
            button.wait_for(state="visible", timeout=TIMEOUT_MS)
            button.click()
        deadline = time.monotonic() + DOWNLOAD_DEADLINE_S
        while len(downloads) < SESSIONS and time.monotonic() < deadline:
            pages[0].evaluate(
                "() => new Promise(r => setTimeout(r, 200))"
            )  # let the event loop deliver events
        assert len(downloads) == SESSIONS, (
            f"{len(downloads)} of {SESSIONS} downloads started; errors {route_errors}"
        )
        bodies = []
        for download in downloads:
            path = download.path()  # waits for the download to finish
            assert download.failure() is None, download.failure()
            bodies.append(Path(path).read_bytes())
        assert route_errors == []
        assert len(set(bodies)) == 1, "every session got the same, whole file"
        document = json.loads(bodies[0].decode("utf-8"))
        assert len(document["features"]) == len(catalogue_frame())
        assert bodies[0] == _cli_geojson(tmp_path)
    finally:
        context.close()
