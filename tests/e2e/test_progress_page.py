"""Recording progress in a real Chromium: with the editor key an event is recorded on 进展 and shows
on the map as of today, not as of the day before; without the key there is no edit control."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import TEST_EDITOR_KEY
from tests.e2e.browser import TIMEOUT_MS, screenshot, wait_until_finished
from tests.e2e.test_map_city import folium_frame, map_features

pytestmark = pytest.mark.browser

ITEM = "air-wansheng"
SOURCE = "万盛经开区管委会公告 https://example.org/wansheng-airport"


def _phase_on_map(page, url: str) -> str:
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    frame = folium_frame(page)
    wait_until_finished(page)
    # The selected item is also drawn as a highlight outline, which carries no phase.
    (phase,) = {p["phase"] for p in map_features(frame) if p.get("id") == ITEM and "phase" in p}
    return phase


def test_without_the_key_there_is_no_edit_control(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_text("只读:输入编辑密钥后才能记录事件。").wait_for(timeout=TIMEOUT_MS)
    wait_until_finished(page)
    assert page.get_by_role("button", name="记录").count() == 0
    assert page.get_by_label("来源(网址或文件引用,必填)").count() == 0


def test_recorded_event_shows_on_the_map_as_of_today_only(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    key = page.get_by_label("编辑密钥")
    key.wait_for(timeout=TIMEOUT_MS)
    key.fill(TEST_EDITOR_KEY)
    key.press("Enter")
    source = page.get_by_label("来源(网址或文件引用,必填)")
    source.wait_for(timeout=TIMEOUT_MS)
    source.fill(SOURCE)
    page.get_by_label("记录人").fill("监测科")
    page.get_by_role("button", name="记录").click()
    page.get_by_text("已记录事件", exact=False).wait_for(timeout=TIMEOUT_MS)
    page.get_by_text(SOURCE, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "progress-recorded")

    today = date.today()
    base = f"{app_server}/map?layers=aviation&colour=phase&feature={ITEM}"
    assert _phase_on_map(page, base) == "前期研究"
    page.get_by_text(f"截至 {today.isoformat()} 的进展:", exact=False).wait_for(timeout=TIMEOUT_MS)
    page.get_by_text(SOURCE, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "map-as-of-today")

    yesterday = (today - timedelta(days=1)).isoformat()
    assert _phase_on_map(page, f"{base}&as_of={yesterday}") == ""
    page.get_by_text(f"截至 {yesterday} 的进展:", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text(SOURCE, exact=False).count() == 0
