"""分析 page in a real Chromium with every non-local request blocked: the three analyses draw maps.

Screenshots go to /tmp/shots/analysis-*.png for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
TIMEOUT_MS = 90_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="分析", level=1).wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)


def _shapes(page) -> int:
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.first.wait_for(timeout=TIMEOUT_MS)
    return shapes.count()


def _screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_analysis_page_draws_the_three_maps(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/analysis")
    # 221 county units coloured by distance, plus the airports
    assert _shapes(page) > 221
    body = page.inner_text("body")
    assert "驻地在100公里内的区县" in body and "51%" in body
    assert "&lt;" not in body and "Traceback" not in body
    _screenshot(page, "analysis-airports")

    _open(page, f"{app_server}/analysis?analysis=corridor&corridor=waterway-yangtze-yibin-chongqing")
    assert _shapes(page) >= 14
    body = page.inner_text("body")
    assert "真实河段" in body and "长江宜宾至重庆段航道整治工程" in body
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    _screenshot(page, "analysis-corridor")

    _open(page, f"{app_server}/analysis?analysis=circle&speed=350")
    assert _shapes(page) >= 59
    assert "不计算出行时间" in page.inner_text("body")
    _screenshot(page, "analysis-circle")
