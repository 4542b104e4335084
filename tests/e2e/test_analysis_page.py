"""分析 page in a real Chromium with every non-local request blocked: each analysis draws its map.

Screenshots go to /tmp/shots/analysis-*.png for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import map_shapes, open_page, screenshot

pytestmark = pytest.mark.browser


def _open(page, url: str) -> None:
    open_page(page, url, heading="分析")


def test_analysis_page_draws_the_maps(app_server, browser_page):
    from geo.coverage import coverage_report
    from geo.features import catalogue_frame

    today = coverage_report(catalogue_frame(), "today", 100.0).coverage
    page = browser_page
    _open(page, f"{app_server}/analysis")
    # 221 county units coloured by coverage today and with the plan, plus the airports
    assert map_shapes(page) > 221
    body = page.inner_text("body")
    assert "驻地在100公里内的区县" in body and f"{today.unit_share:.0%}" in body
    assert "规划机场新纳入100公里内的区县" in body
    assert "&lt;" not in body and "Traceback" not in body
    screenshot(page, "analysis-airports")

    _open(page, f"{app_server}/analysis?analysis=corridor&corridor=waterway-yangtze-yibin-chongqing")
    assert map_shapes(page) >= 14
    body = page.inner_text("body")
    assert "真实河段" in body and "长江宜宾至重庆段航道整治工程" in body
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    screenshot(page, "analysis-corridor")

    _open(page, f"{app_server}/analysis?analysis=reach")
    assert map_shapes(page) >= 40
    assert "假设" in page.inner_text("body")
    screenshot(page, "analysis-reach")
