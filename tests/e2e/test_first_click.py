"""The first click on a map counts even when the map's lower edge is below the fold.

At 1440×900 the maps of /city and /tasks end below the first screen. A mouse press on the map
must not scroll the page (the frame taking the focus would scroll it into view, the release would
land elsewhere and the map would see no click): one click opens the unit's or the line's details.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.gazetteer import load_gazetteer
from geo.vocabulary import LAYERS
from tests.e2e.browser import MAP_FRAME
from tests.e2e.conftest import _is_local
from tests.e2e.test_map_city import LOAD_TIMEOUT_MS, folium_frame, shot

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 900}
# A point (in the page's coordinates) on the middle of a line drawn in ``colour`` that is on top
# there and inside the first screen; null when none is.
LINE_POINT = """([colour, frameTop, frameLeft, screenHeight]) => {
  const paths = Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .filter(p => p.getAttribute('stroke') === colour);
  for (const p of paths) {
    const len = p.getTotalLength(); if (len < 60) continue;
    for (const share of [0.5, 0.3, 0.7, 0.2, 0.8]) {
      const pt = p.getPointAtLength(len * share); const m = p.getScreenCTM();
      const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
      if (document.elementFromPoint(x, y) === p && x > 60 && y > 60 && frameTop + y < screenHeight - 40)
        return [frameLeft + x, frameTop + y];
    }
  }
  return null; }"""


@pytest.fixture
def short_screen_page(_browser):
    """A 1440×900 page that reaches only this machine (the map's lower edge below the fold)."""
    context = _browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort())
    try:
        yield page
    finally:
        context.close()


def _frame_box(page) -> dict:
    box = page.locator(MAP_FRAME).first.bounding_box()
    assert box is not None
    return box


def _scroll_top(page) -> float:
    """How far Streamlit's main area (the element that scrolls) is scrolled, in px."""
    return page.evaluate(
        """() => Math.max(window.scrollY,
              ...[...document.querySelectorAll('*')].filter(e => e.scrollTop > 0).map(e => e.scrollTop), 0)"""
    )


def test_first_click_on_suining_opens_its_panel(app_server, short_screen_page):
    page = short_screen_page
    page.goto(f"{app_server}/city")
    frame = folium_frame(page, min_interactive=59)
    page.get_by_text("点击地图上的市州或区县", exact=False).wait_for(timeout=LOAD_TIMEOUT_MS)
    box = _frame_box(page)
    assert box["y"] + box["height"] > VIEWPORT["height"], "the map must reach below the fold"
    inside = load_gazetteer().boundary("510900").representative_point()
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [inside.y, inside.x],
    )
    map_box = frame.locator("#map_div").bounding_box()
    assert map_box["y"] + y < VIEWPORT["height"], "遂宁 is on the first screen"
    before = _scroll_top(page)
    page.mouse.click(map_box["x"] + x, map_box["y"] + y)
    assert _scroll_top(page) == before  # pressing the mouse did not scroll the page
    # The map answers at once, before the server: the unit outlined and named with its task count.
    card = frame.locator(".plan-unit-card")
    expect(card).to_contain_text("遂宁市", timeout=LOAD_TIMEOUT_MS)
    expect(card).to_contain_text("项任务")
    page.get_by_role("heading", name=re.compile("遂宁市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(page.locator("a[href*='/tasks?task=2']").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-first-click-city")


def test_first_click_on_a_railway_opens_its_popup(app_server, short_screen_page):
    page = short_screen_page
    page.goto(f"{app_server}/tasks?task=10")
    frame = folium_frame(page, min_interactive=20)
    page.get_by_text("本任务的规划项目", exact=True).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=LOAD_TIMEOUT_MS
    )
    box = _frame_box(page)
    if box["y"] + box["height"] <= VIEWPORT["height"]:
        # Bring the map to where its lower edge is below the fold, its upper part in view.
        page.mouse.move(VIEWPORT["width"] / 2, 200)
        page.mouse.wheel(0, box["y"] + box["height"] - VIEWPORT["height"] + 400)
        page.wait_for_function(
            "([sel, h]) => { const r = document.querySelector(sel).getBoundingClientRect(); return r.bottom > h && r.top < h - 200; }",
            arg=[MAP_FRAME, VIEWPORT["height"]],
            timeout=LOAD_TIMEOUT_MS,
        )
        box = _frame_box(page)
    assert box["y"] + box["height"] > VIEWPORT["height"], "the map must reach below the fold"
    point = frame.evaluate(LINE_POINT, [LAYERS["railway"].colour, box["y"], box["x"], VIEWPORT["height"]])
    assert point is not None, "a railway is drawn on the first screen"
    before = _scroll_top(page)
    page.mouse.click(point[0], point[1])
    assert _scroll_top(page) == before
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('feature=')", timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-first-click-tasks")
