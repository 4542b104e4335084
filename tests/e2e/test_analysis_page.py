"""分析 page in a real Chromium with every non-local request blocked: the three analyses draw maps.

Screenshots go to /tmp/shots/analysis-*.png for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import map_shapes, open_page, screenshot

pytestmark = pytest.mark.browser


def _open(page, url: str) -> None:
    open_page(page, url, heading="分析")


def test_analysis_page_draws_the_three_maps(app_server, browser_page):
    page = browser_page
    _open(page, f"{app_server}/analysis")
    # 221 county units coloured by distance, plus the airports
    assert map_shapes(page) > 221
    body = page.inner_text("body")
    assert "驻地在100公里内的区县" in body and "51%" in body
    assert "&lt;" not in body and "Traceback" not in body
    screenshot(page, "analysis-airports")

    _open(page, f"{app_server}/analysis?analysis=corridor&corridor=waterway-yangtze-yibin-chongqing")
    assert map_shapes(page) >= 14
    body = page.inner_text("body")
    assert "真实河段" in body and "长江宜宾至重庆段航道整治工程" in body
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    screenshot(page, "analysis-corridor")

    _open(page, f"{app_server}/analysis?analysis=circle&speed=350")
    assert map_shapes(page) >= 59
    assert "不计算出行时间" in page.inner_text("body")
    screenshot(page, "analysis-circle")
