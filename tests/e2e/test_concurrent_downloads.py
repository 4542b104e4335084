"""Twenty visitors download from the export page at once, while others are still loading it:
every one gets the whole file (no 404 on /media, no cancelled download)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from geo.features import catalogue_frame
from tests.e2e.conftest import _is_local

pytestmark = pytest.mark.browser

SESSIONS = 20
DOWNLOAD_DEADLINE_S = 300
# Twenty sessions share the machine's cores with the browser: allow each more than one page's time.
TIMEOUT_MS = 300_000


def test_twenty_sessions_download_at_once(app_server, _browser):
    context = _browser.new_context(accept_downloads=True)
    context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort())
    pages = [context.new_page() for _ in range(SESSIONS)]
    downloads, media_errors = [], []
    for page in pages:
        page.on("download", lambda download: downloads.append(download))
        page.on(
            "response",
            lambda r: (
                media_errors.append((r.status, r.url)) if "/media/" in r.url and r.status >= 400 else None
            ),
        )
    try:
        # Open them all, then click each as soon as its button shows: early sessions download
        # while later ones are still running their scripts (which is when media files are pruned).
        for page in pages:
            page.goto(f"{app_server}/export", wait_until="commit", timeout=TIMEOUT_MS)
        for page in pages:
            button = page.locator('[data-testid="stDownloadButton"] button').first
            button.wait_for(state="visible", timeout=TIMEOUT_MS)
            button.click()
        deadline = time.monotonic() + DOWNLOAD_DEADLINE_S
        while len(downloads) < SESSIONS and time.monotonic() < deadline:
            pages[0].evaluate(
                "() => new Promise(r => setTimeout(r, 200))"
            )  # let the event loop deliver events
        assert len(downloads) == SESSIONS, (
            f"{len(downloads)} of {SESSIONS} downloads started; errors {media_errors}"
        )
        bodies = []
        for download in downloads:
            path = download.path()  # waits for the download to finish
            assert download.failure() is None, download.failure()
            bodies.append(Path(path).read_bytes())
        assert media_errors == []
        assert len(set(bodies)) == 1, "every session got the same, whole file"
        document = json.loads(bodies[0].decode("utf-8"))
        assert len(document["features"]) == len(catalogue_frame())
    finally:
        context.close()
