"""The export page's live-service address, as a browser shows it, is the feature service itself."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def test_the_address_on_the_export_page_answers_as_the_feature_service(app_server, browser_page):
    browser_page.goto(f"{app_server}/export?lang=en")
    browser_page.get_by_text("Live service: open in QGIS").click(timeout=120_000)
    code = browser_page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=60_000)
    address = code.inner_text().strip()
    assert address == f"{app_server}/ogc"
    with urllib.request.urlopen(f"{address}/collections", timeout=120) as response:
        collections = json.loads(response.read())["collections"]
    assert "railway" in {c["id"] for c in collections}
