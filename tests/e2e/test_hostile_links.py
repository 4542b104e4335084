"""Hostile link values in a real Chromium: warnings show them as text; no link, image or script
is made from them and no request leaves this machine."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.browser import open_page
from ui.common import PAGES

pytestmark = pytest.mark.browser

EVIL = "evil.example"
HOSTILE = (
    f"[text](https://{EVIL}/phish) ![t](https://{EVIL}/track.png) "
    f"<img src=https://{EVIL}/x.png onerror=alert(1)><script>alert(2)</script> www.{EVIL}"
)
PARAMS = "lang layers status task place level analysis corridor format crs".split()


def _count_in_every_frame(page, selector: str) -> int:
    """Matches in the page and its frames; a map frame replaced while counting is counted anew."""
    for _ in range(5):
        try:
            return sum(frame.locator(selector).count() for frame in page.frames)
        except PlaywrightError as exc:
            if "detached" not in str(exc):
                raise
    raise AssertionError("the page's frames kept being replaced")


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path or "home" for spec in PAGES])
def test_hostile_values_stay_text(app_server, browser_page, spec):
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    query = "&".join(f"{name}={quote(HOSTILE)}" for name in PARAMS)
    open_page(page, f"{app_server}/{spec.url_path}?{query}")
    alerts = page.locator('[data-testid="stAlert"]')
    alerts.first.wait_for()
    assert "lang=" in " ".join(alerts.all_inner_texts())  # the unknown language, echoed as text
    for attribute in ("href", "src"):
        found = _count_in_every_frame(page, f"[{attribute}*='{EVIL}']")
        assert found == 0, f"an element's {attribute} points at {EVIL}"
    assert alerts.locator("a, img, script").count() == 0
    assert dialogs == []
    assert not [url for url in page.blocked_requests if EVIL in url]
