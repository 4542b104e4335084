"""The page's language in a real Chromium: ``<html lang>`` and the task titles follow ``?lang``."""

from __future__ import annotations

import pytest

from tests.e2e.browser import TIMEOUT_MS, open_page

pytestmark = pytest.mark.browser


def _html_lang_becomes(page, code: str) -> None:
    page.wait_for_function(f"() => document.documentElement.lang === {code!r}", timeout=TIMEOUT_MS)


def test_english_task_page_says_it_is_english(app_server, browser_page):
    page = browser_page
    open_page(page, f"{app_server}/tasks?task=10&lang=en", last_text="Features of this task")
    _html_lang_becomes(page, "en")
    title = "(十) Jointly building a twin-city economic circle on rails"
    assert page.get_by_role("heading", name=title).count() == 1
    # English names beside the Chinese text: wait for the eleventh, as a reader would see it appear.
    page.locator(".plan-text .hl-note").nth(10).wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".plan-text .hl-note").count() > 10
    assert page.locator(".plan-text").inner_text().startswith("共建轨道上的双城经济圈")


def test_chinese_task_page_says_it_is_chinese_and_switching_follows(app_server, browser_page):
    page = browser_page
    open_page(page, f"{app_server}/tasks?task=10", last_text="本任务的规划项目")
    _html_lang_becomes(page, "zh")
    assert page.get_by_role("heading", name="(十) 共建轨道上的双城经济圈").count() == 1
    page.get_by_text("English", exact=True).first.click()
    page.get_by_text("Features of this task", exact=True).wait_for(timeout=TIMEOUT_MS)
    _html_lang_becomes(page, "en")
