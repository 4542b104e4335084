"""Overview, task browser and data pages in a real Chromium, with every non-local request blocked.

Each test saves a full-page screenshot to /tmp/shots/ for a person to look at.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
TIMEOUT_MS = 90_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _wait_until_idle(page) -> None:
    """Streamlit shows its running indicator while a script runs; wait until it is gone."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


def _map_shapes(page, index: int = 0) -> int:
    """Number of vector shapes Leaflet drew in the ``index``-th map (waits for the map first)."""
    frame = page.frame_locator(MAP_FRAME).nth(index)
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.first.wait_for(timeout=TIMEOUT_MS)
    return shapes.count()


def _screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.wait_for_timeout(800)  # let tiles of the vector basemap and charts settle
    page.screenshot(path=str(path), full_page=True)
    return path


def _open(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    return time.perf_counter() - started


def test_overview_shows_counts_charts_and_the_map(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/")
    page.get_by_text("成渝双城经济圈规划地图").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("各图层项目数").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stMetric"]').count() >= 15
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 2
    shapes = _map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    _screenshot(page, "home")
    print(f"overview: ready in {elapsed:.2f} s, {shapes} shapes")


def test_task_10_shows_railways_in_text_map_and_table(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/tasks?task=10")
    page.get_by_text("共建轨道上的双城经济圈").first.wait_for(timeout=TIMEOUT_MS)
    marks = page.locator(".plan-text mark.hl-feature")
    assert marks.count() > 20
    assert page.locator(".plan-text mark", has_text="成渝中线").count() >= 1
    assert page.locator(".plan-text mark.hl-place").count() > 10
    shapes = _map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    _screenshot(page, "tasks-10")
    print(f"task 10: ready in {elapsed:.2f} s, {shapes} shapes")


def test_task_page_next_button_keeps_the_link(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=10")
    page.get_by_role("button", name="下一项").click()
    page.get_by_text("(十一)").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('task=11')", timeout=TIMEOUT_MS)


def test_bad_task_link_warns(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=abc")
    page.get_by_text("task=abc").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    _screenshot(page, "tasks-bad")


def test_data_page_lists_sources(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/data")
    page.get_by_text("数据来源与许可").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("GCJ-02", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    _screenshot(page, "data")
    print(f"data: ready in {elapsed:.2f} s")


def test_english_task_page(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=10&lang=en")
    page.get_by_text("Task browser").first.wait_for(timeout=TIMEOUT_MS)
    _map_shapes(page)
    _screenshot(page, "tasks-10-en")
