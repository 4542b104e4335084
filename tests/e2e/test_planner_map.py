"""The planner's map in a real Chromium with no internet: readable defaults, click → popup and
details beside the map, in-place updates, the map tools, and the city map's behaviour."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo.features import catalogue_frame, features_in_unit
from geo.vocabulary import LAYERS
from tests.e2e.browser import RAILWAY_POINT
from tests.e2e.test_map_city import LOAD_TIMEOUT_MS, click_lat_lon, folium_frame, shot

pytestmark = pytest.mark.browser

FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def features_drawn(frame) -> int:
    """Features drawn once the map has been fitted to them and has stopped moving."""
    frame.wait_for_function(
        "() => window.PlanMap && window.PlanMap.test && window.PlanMap.test.ready", timeout=LOAD_TIMEOUT_MS
    )
    count = frame.evaluate("() => window.PlanMap.test.ready.then(byId => Object.keys(byId).length)")
    frame.wait_for_function(
        "() => !window.map._animatingZoom && !(window.map._panAnim && window.map._panAnim._inProgress)",
        timeout=LOAD_TIMEOUT_MS,
    )
    return count


def open_map(page, url: str, minimum: int = 1):
    page.goto(url)
    frame = folium_frame(page, min_interactive=minimum)
    assert features_drawn(frame) >= 1
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    return frame


def in_viewport(page, box) -> bool:
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] < size["height"]
    )


def test_default_view_is_readable_area_fills_faint(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map", minimum=100)
    fills = frame.evaluate(
        """() => { const out = [];
             Object.values(window.PlanMap.test.state.layers).forEach(gj => gj.eachLayer(l => {
               if (l instanceof L.Polygon && l.options.fill !== false) out.push(l.options.fillOpacity); }));
             return out; }"""
    )
    assert fills, "the default view has area features"
    assert max(fills) <= 0.15
    for layer_id in ("aviation", "railway", "highway", "waterway"):
        assert frame.evaluate(f"() => window.map.hasLayer(window.PlanMap.test.state.layers['{layer_id}'])")
    # The outlines arrive from their own file into panes under the features: 2 provinces, and
    # Sichuan's 21 prefectures with Chongqing's 38 districts and counties.
    provinces = frame.locator(".leaflet-plan-admin-province-pane path")
    prefectures = frame.locator(".leaflet-plan-admin-prefecture-pane path")
    prefectures.nth(58).wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    assert (provinces.count(), prefectures.count()) == (2, 59)
    depth = "n => Number(getComputedStyle(document.querySelector(n)).zIndex)"
    assert frame.evaluate(depth, ".leaflet-plan-admin-prefecture-pane") < frame.evaluate(
        depth, ".leaflet-overlay-pane"
    )
    shot(page, "e2e-planner-default")


def test_click_a_railway_opens_popup_and_details_beside_the_map(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=railway", minimum=20)
    features_drawn(frame)
    point = frame.evaluate(RAILWAY_POINT, LAYERS["railway"].colour)
    assert point is not None
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert popup.locator("mark").count() == 1  # the item, highlighted in the plan's sentence
    details = page.locator(".st-key-map_details")
    details.locator(".feature-quote mark").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    name = popup.locator("h4").inner_text()
    assert name in details.inner_text()
    # Both are in view without scrolling, the panel to the right of the map.
    assert in_viewport(page, details.locator("h4").first.bounding_box())
    assert details.bounding_box()["x"] > box["x"] + box["width"] - 5
    assert in_viewport(page, popup.bounding_box())
    page.wait_for_function("() => location.search.includes('feature=')", timeout=LOAD_TIMEOUT_MS)
    feature = parse_qs(urlparse(page.url).query)["feature"][0]
    assert catalogue_frame().set_index("id").loc[feature, "layer"] == "railway"
    shot(page, "e2e-planner-click-railway")


def test_feature_link_reproduces_the_popup_and_panel(app_server, browser_page):
    row = catalogue_frame().query("layer == 'aviation'").iloc[0]
    page = browser_page
    frame = open_map(page, f"{app_server}/map?feature={row['id']}", minimum=20)
    frame.locator(".leaflet-popup-content h4").wait_for(timeout=LOAD_TIMEOUT_MS)
    assert row["name"] in frame.locator(".leaflet-popup-content h4").inner_text()
    assert row["name"] in page.locator(".st-key-map_details").inner_text()


def test_filter_change_updates_the_map_in_place(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=aviation,railway", minimum=20)
    before = features_drawn(frame)
    frame.evaluate("() => { window.__kept = true; }")
    page.locator('[data-testid="stMultiSelect"] input').first.click()
    page.keyboard.press("Backspace")  # removes 铁路, the last layer chosen
    page.keyboard.press("Escape")
    frame.wait_for_function(
        "n => window.PlanMap.test.state.layers.railway === undefined && Object.keys(window.PlanMap.test.state.layers).length === 1",
        timeout=LOAD_TIMEOUT_MS,
    )
    after = features_drawn(frame)
    assert 0 < after < before
    assert frame.evaluate("() => window.__kept === true")  # the same page: not re-mounted


def test_fullscreen_and_measure_controls_work(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=aviation", minimum=5)
    features_drawn(frame)
    for selector in (".plan-fullscreen", ".plan-measure-distance", ".plan-measure-area", ".plan-copy-link"):
        assert frame.locator(selector).is_visible(), selector
    frame.locator(".plan-measure-distance").click()
    surface = frame.locator("#map_div")
    width = surface.bounding_box()["width"]
    left, right = round(width * 0.3), round(width * 0.7)
    surface.click(position={"x": left, "y": 300})
    surface.dblclick(position={"x": right, "y": 300})
    frame.wait_for_function(
        "() => / km$/.test(document.querySelector('.plan-measure-result').textContent)",
        timeout=LOAD_TIMEOUT_MS,
    )
    text = frame.locator(".plan-measure-result").inner_text()
    km = float(re.search(r"([\d.]+) km", text).group(1))
    expected = frame.evaluate(
        """([a, b]) => { const m = window.map; return m.distance(m.containerPointToLatLng([a, 300]),
                                                            m.containerPointToLatLng([b, 300])) / 1000; }""",
        [left, right],
    )
    assert km == pytest.approx(expected, rel=0.02)
    frame.locator(".plan-fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement !== null", timeout=LOAD_TIMEOUT_MS)


def test_png_export_has_title_and_legend(app_server, browser_page):
    from PIL import Image

    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=railway,aviation", minimum=20)
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as download:
        frame.locator(".plan-export-png").click()
    path = download.value.path()
    image = Image.open(io.BytesIO(open(path, "rb").read())).convert("RGB")
    map_box = frame.locator("#map_div").bounding_box()
    assert image.width == round(map_box["width"])
    assert image.height > map_box["height"]  # a title band above and a source line below
    # The legend (bottom left) carries a swatch in each shown layer's colour.
    width, height = image.size
    legend = image.crop((0, height // 2, 230, height))
    colours = {colour for _, colour in legend.getcolors(maxcolors=1 << 20)}
    for layer_id in ("railway", "aviation"):
        hex_colour = LAYERS[layer_id].colour.lstrip("#")
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)) in colours, layer_id
    image.save(str(path) + ".png")


def test_png_legend_draws_each_precision_class_as_the_map_does(app_server, browser_page):
    from PIL import Image

    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=railway", minimum=5)
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as download:
        frame.locator(".plan-export-png").click()
    image = Image.open(io.BytesIO(open(download.value.path(), "rb").read())).convert("RGB")
    # Where the legend drew each precision class's symbol, in the image's pixels.
    symbols = {s["id"]: (s["x"], s["y"]) for s in frame.evaluate("() => window.PlanMap.test.legendSymbols")}

    def shade(precision: str, dx: int = 0, dy: int = 0) -> int:
        x, y = symbols[precision]
        return sum(image.getpixel((round(x) + dx, round(y) + dy))) // 3

    for dot in ("site", "exact"):  # a filled dot, as on the map: dark above and below its centre too
        assert max(shade(dot), shade(dot, dy=-3), shade(dot, dy=3)) < 110, dot
    assert shade("seat") > 200 and shade("seat", dx=6) < 160  # a hollow ring
    assert shade("route") < 110 and shade("route", dy=-4) > 200  # a line, light above it
    assert "seat-stand-in" not in symbols  # no railway point stands for a named place
    assert frame.locator(".plan-legend-stand-in").is_hidden()


def test_legends_list_the_stand_in_row_when_a_seat_stands_for_a_place(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=waterway", minimum=1)  # 果园港 at 江北区's seat
    frame.locator(".plan-legend summary").click()
    row = frame.locator(".plan-legend-stand-in")
    row.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    assert "代表点" in row.inner_text()
    with page.expect_download(timeout=LOAD_TIMEOUT_MS):
        frame.locator(".plan-export-png").click()
    ids = [s["id"] for s in frame.evaluate("() => window.PlanMap.test.legendSymbols")]
    assert ids[-1] == "seat-stand-in"


def test_wheel_scrolls_the_page_until_the_map_is_clicked(app_server, browser_page):
    page = browser_page
    frame = open_map(page, f"{app_server}/map?layers=aviation", minimum=5)
    zoom = frame.evaluate("() => window.map.getZoom()")
    box = frame.locator("#map_div").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    frame.locator(".plan-wheel-hint.shown").wait_for(timeout=LOAD_TIMEOUT_MS)
    assert frame.evaluate("() => window.map.getZoom()") == zoom
    surface = frame.locator("#map_div")
    surface.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    box = surface.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    frame.wait_for_function("z => window.map.getZoom() > z", arg=zoom, timeout=LOAD_TIMEOUT_MS)


def test_city_click_keeps_the_extent_names_the_place_and_draws_its_features(app_server, browser_page):
    from geo.gazetteer import load_gazetteer

    page = browser_page
    page.goto(f"{app_server}/city")
    frame = folium_frame(page, min_interactive=59)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    labels = frame.locator(".plan-label").all_inner_texts()
    assert {"成都", "遂宁", "绵阳"} <= set(labels)
    view = frame.evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
    )
    inside = load_gazetteer().boundary("510900").representative_point()
    click_lat_lon(page, frame, inside.y, inside.x)
    page.get_by_role("heading", name=re.compile("遂宁市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    assert unquote(parse_qs(urlparse(page.url).query)["place"][0]) == "遂宁"
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    expected = set(features_in_unit(catalogue_frame(), "510900")["id"])
    frame.wait_for_function(
        "n => window.PlanMap && window.PlanMap.test && window.PlanMap.test.ready && window.PlanMap.test.state.lastKey",
        timeout=LOAD_TIMEOUT_MS,
    )
    drawn = frame.evaluate("() => window.PlanMap.test.ready.then(byId => Object.keys(byId))")
    assert set(drawn) == expected
    after = frame.evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
    )
    # Same zoom, same centre within a few pixels (a scroll bar appearing beside the new panel may
    # resize the frame); a jump to the unit would move it by a degree or more.
    assert after[0] == view[0]
    assert after[1:] == pytest.approx(view[1:], abs=0.02)
    # The unit's feature table shows every row: its height holds them all.
    table = page.locator('[data-testid="stDataFrame"]').last
    assert table.bounding_box()["height"] >= 35 * (len(expected) + 1) - 5
    shot(page, "e2e-city-planner")


def test_a_unit_clicked_again_after_choosing_another_is_shown_again(app_server, browser_page):
    """Map click, then a choice in the list, then the first unit clicked again: each one counts,
    though 成都's zones are now drawn over 遂宁 and take the second click (the unit under the
    pointer is meant)."""
    from geo.gazetteer import load_gazetteer

    page = browser_page
    page.goto(f"{app_server}/city")
    frame = folium_frame(page, min_interactive=59)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    inside = load_gazetteer().boundary("510900").representative_point()
    click_lat_lon(page, frame, inside.y, inside.x)
    page.get_by_role("heading", name=re.compile("遂宁市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)

    page.locator('[data-testid="stSelectbox"] input').first.click()
    page.keyboard.type("成都市")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("成都市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)

    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    click_lat_lon(page, frame, inside.y, inside.x)
    page.get_by_role("heading", name=re.compile("遂宁市")).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    assert unquote(parse_qs(urlparse(page.url).query)["place"][0]) == "遂宁"


def test_county_labels_appear_at_higher_zoom(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/city?level=county")
    folium_frame(page, min_interactive=221)
    page.wait_for_selector(FINISHED, timeout=LOAD_TIMEOUT_MS)
    frame = folium_frame(page, min_interactive=221)  # the map as it stands once the page has run
    assert frame.locator(".plan-label-county").count() == 0
    # A late rerun may re-mount the map frame after the zoom: zoom the map that is there, again.
    for attempt in range(3):
        frame = folium_frame(page, min_interactive=221)
        frame.evaluate("() => window.map.setView([30.53, 105.59], 9)")
        try:
            frame.locator(".plan-label-county", has_text="射洪").wait_for(timeout=LOAD_TIMEOUT_MS // 3)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
