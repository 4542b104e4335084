"""The map and city pages in a real Chromium with no internet: maps draw, clicks open panels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.features import Selection, catalogue_frame, filter_frame
from geo.gazetteer import load_gazetteer
from tests.e2e.conftest import SHOTS_DIR

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
CDN_WORDS = ("jsdelivr", "jquery.com", "cdnjs", "bootstrapcdn", "fontawesome", "unpkg")


def folium_frame(page, min_interactive: int = 1):
    """The st_folium iframe once its Leaflet map has drawn at least ``min_interactive`` features."""
    page.wait_for_selector("iframe[title*='st_folium']", timeout=LOAD_TIMEOUT_MS)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function(
        "n => window.map && document.querySelectorAll('.leaflet-interactive').length >= n",
        arg=min_interactive,
        timeout=LOAD_TIMEOUT_MS,
    )
    return frame


def map_features(frame) -> list[dict]:
    """Properties of every GeoJSON feature drawn on the map."""
    return frame.evaluate(
        """() => Object.values(window.map._layers)
              .filter(l => l.feature && l.feature.properties)
              .map(l => l.feature.properties)"""
    )


def click_lat_lon(page, frame, lat: float, lon: float) -> None:
    """Click the map where (lat, lon) is drawn, as a user's mouse would."""
    point = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    map_box = frame.locator("#map_div").bounding_box()  # in the page's coordinates
    page.mouse.click(map_box["x"] + point[0], map_box["y"] + point[1])


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)


def test_map_page_draws_every_layer_offline(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/map")
    frame = folium_frame(page, min_interactive=50)
    drawn = map_features(frame)
    expected = catalogue_frame()
    assert {p["layer"] for p in drawn if "layer" in p} == set(expected["layer"])
    assert {p["id"] for p in drawn if "id" in p} == set(expected["id"])
    assert frame.locator("svg path").count() > 100  # administrative outlines and thematic features
    assert frame.get_by_text("位置精度").is_visible()
    assert frame.get_by_text("WGS 84", exact=False).first.is_visible()
    links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    labels = [text.strip() for text in links.all_inner_texts()]
    for title in ("总览", "地图", "城市", "任务", "导出", "数据说明"):
        assert any(label.endswith(title) for label in labels), labels
    assert not page.get_by_test_id("stSidebarNav").count()  # Streamlit's own menu (file names) is hidden
    assert not [url for url in page.blocked_requests if any(word in url for word in CDN_WORDS)]
    shot(page, "e2e-map")


def test_map_task_link_shows_the_railway_features(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/map?task=10")
    frame = folium_frame(page)
    drawn = map_features(frame)
    wanted = filter_frame(catalogue_frame(), Selection(tasks=(10,)))
    railway = set(wanted.loc[wanted["layer"] == "railway", "id"])
    assert railway, "task 10 names railways"
    assert {p["id"] for p in drawn if p.get("layer") == "railway"} == railway
    assert {p["id"] for p in drawn if "id" in p} == set(wanted["id"])
    page.get_by_text(f"显示 {len(wanted)} 个要素", exact=False).wait_for(timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-map-task-10")


def test_clicking_a_feature_opens_its_sentence(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/map?layers=aviation")
    frame = folium_frame(page)
    airports = catalogue_frame().query("layer == 'aviation' and precision == 'exact'")
    airport = airports.iloc[0]
    click_lat_lon(page, frame, airport.geometry.y, airport.geometry.x)
    # Wait for what the user sees: this airport's sentence in the panel, then the address bar.
    expect(page.locator(".feature-quote").first).to_contain_text(airport["quote"], timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('feature=')", timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-map-click")


def test_clicking_suining_on_the_city_map_lists_tasks_2_3_7(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/city")
    frame = folium_frame(page, min_interactive=59)
    page.get_by_text("点击地图上的市州或区县", exact=False).wait_for(timeout=LOAD_TIMEOUT_MS)
    inside = load_gazetteer().boundary("510900").representative_point()
    click_lat_lon(page, frame, inside.y, inside.x)
    # A clicked shape takes the focus; it must not draw the browser's focus rectangle.
    focused = frame.evaluate(
        "() => { const e = document.activeElement; return [e.tagName.toLowerCase(), getComputedStyle(e).outlineStyle]; }"
    )
    assert focused[0] != "path" or focused[1] == "none"
    page.get_by_role("heading", name=re.compile("遂宁市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    # The task list is drawn after the heading, one block at a time: wait until it names 2, 3 and 7.
    page.wait_for_function(
        """wanted => {
            const numbers = new Set([...document.querySelectorAll("a[href*='/tasks?task=']")]
                .map(a => Number((a.getAttribute('href').match(/task=(\\d+)/) || [])[1])));
            return wanted.every(n => numbers.has(n));
        }""",
        arg=[2, 3, 7],
        timeout=LOAD_TIMEOUT_MS,
    )
    page.wait_for_function("() => location.search.includes('place=')", timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-city-suining")


def test_city_level_switch_draws_every_county(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/city?level=county&place=射洪")
    frame = folium_frame(page, min_interactive=221)
    assert len([p for p in map_features(frame) if "adcode" in p]) >= 221
    page.get_by_role("heading", name=re.compile("射洪市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    shot(page, "e2e-city-county")


def test_filtering_updates_the_layers_without_reloading_the_map(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/map")
    frame = folium_frame(page, min_interactive=50)
    before = len([p for p in map_features(frame) if "id" in p])
    frame.evaluate("() => { window.__same_map = window.map; }")
    search = page.get_by_test_id("stTextInput").locator("input")
    search.fill("天府")
    search.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')", timeout=LOAD_TIMEOUT_MS)
    expected = set(filter_frame(catalogue_frame(), Selection(query="天府"))["id"])
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function(
        "n => Object.values(window.map._layers).filter(l => l.feature && l.feature.properties.id).length === n",
        arg=len(expected),
        timeout=LOAD_TIMEOUT_MS,
    )
    assert frame.evaluate("() => window.__same_map === window.map")  # the base map was kept
    assert {p["id"] for p in map_features(frame) if "id" in p} == expected
    assert len(expected) < before


def test_colour_key_beside_the_map_follows_the_layers(app_server, browser_page):
    from geo.vocabulary import LAYERS

    page = browser_page
    page.goto(f"{app_server}/map?layers=aviation,railway")
    frame = folium_frame(page)
    key = page.locator(".plan-colour-legend")
    key.wait_for(timeout=LOAD_TIMEOUT_MS)
    text = key.inner_text()
    assert LAYERS["aviation"].zh in text and LAYERS["railway"].zh in text
    assert LAYERS["culture"].zh not in text
    in_map = frame.locator(".plan-legend").inner_text()
    assert "位置精度" in in_map and LAYERS["aviation"].zh not in in_map
    box = frame.locator(".plan-legend").bounding_box()
    map_box = frame.locator("#map_div").bounding_box()
    assert box["width"] * box["height"] < 0.1 * map_box["width"] * map_box["height"]
