"""城市 page, run headless with Streamlit's AppTest: deep links and the unit panel."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "city.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _task_links(at: AppTest) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'href="/tasks\?task=(\d+)', _markdown(at))}


def _folium_args(at: AppTest) -> dict:
    components = at.get("component_instance")
    assert len(components) == 1 and components[0].proto.component_name == "streamlit_folium.st_folium"
    return json.loads(components[0].proto.json_args)


@pytest.fixture(scope="module")
def suining() -> AppTest:
    return _run(place="遂宁")


def test_default_page_has_level_switch_select_box_and_map():
    at = _run()
    assert not at.exception, at.exception
    assert at.title[0].value == "城市"
    assert at.radio(key="city_level").value == "prefecture"
    options = at.selectbox(key="city_place").options
    assert len(options) == 1 + 59  # "none" + Sichuan's 21 prefectures + Chongqing's 38 districts/counties
    assert not at.warning
    assert at.selectbox(key="city_place").value is None


def test_place_link_opens_the_panel_with_tasks_2_3_7(suining):
    assert not suining.exception, suining.exception
    assert suining.selectbox(key="city_place").value == "510900"
    assert {2, 3, 7} <= _task_links(suining)
    text = _markdown(suining)
    assert "### 遂宁市" in text
    assert '<mark class="hl-direct" title="直接">遂宁</mark>' in text


def test_choropleth_polygons_carry_adcode_and_name_and_the_choice_is_outlined(suining):
    args = _folium_args(suining)
    assert args["returned_objects"] == [
        "last_active_drawing",
        "last_object_clicked",
        "last_object_clicked_count",
    ]
    # The outlines come from a static file; the map's script carries only the class table.
    url = re.search(r'"url":"(/app/static/generated/units-prefecture-[^"]+\.json)"', args["script"]).group(1)
    outlines = json.loads((Path(PAGE).parents[1] / url.removeprefix("/app/")).read_text(encoding="utf-8"))
    properties = [f["properties"] for f in outlines["features"]]
    assert {"adcode": "510900", "name": "遂宁市"} in properties and len(properties) >= 59
    assert re.search(r'"510900":\[\d+,\d+\]', args["script"])
    assert '"type":"Polygon"' not in args["script"] and "MultiPolygon" not in args["script"]
    assert "PlanMap.selectUnit(" in args["feature_group"] and '"510900"' in args["feature_group"]
    # The user's extent is kept: no re-centring from the server; the browser pans only when the
    # unit is off-screen.
    assert args["center"] is None and args["zoom"] is None
    assert "PlanMap.reveal(" in args["feature_group"]


def test_the_units_own_features_are_drawn_over_the_choropleth_and_listed_in_full(suining):
    from geo.features import catalogue_frame, features_in_unit

    inside = features_in_unit(catalogue_frame(), "510900")
    assert len(inside) > 0
    group = _folium_args(suining)["feature_group"]
    assert "PlanMap.view(" in group
    assert all(f'"{feature_id}"' in group for feature_id in inside["id"])
    table = suining.dataframe[-1]
    assert len(table.value) == len(inside)


def test_the_map_stays_the_same_when_the_unit_changes(suining):
    other = _run(place="绵阳")
    assert _folium_args(other)["script"] == _folium_args(suining)["script"]


def test_labels_name_the_prefecture_cities_and_counties_at_higher_zoom():
    script = _folium_args(_run(level="county"))["script"]
    assert "PlanMap.labels(" in script and '"遂宁"' in script
    assert '"plan-label-county"' in script and '"射洪"' in script


def test_panel_shows_how_each_task_names_the_place(suining):
    text = _markdown(suining)
    assert 'class="how how-direct"' in text
    assert "hl-grouping" in text  # 成渝主轴 / 成都平原经济区 include 遂宁


def test_adcode_link_is_the_same_place():
    at = _run(place="510900")
    assert not at.exception, at.exception
    assert at.selectbox(key="city_place").value == "510900"
    assert {2, 3, 7} <= _task_links(at)


def test_sichuan_county_link_switches_to_county_level():
    at = _run(place="射洪")
    assert not at.exception, at.exception
    assert at.radio(key="city_level").value == "county"
    assert at.selectbox(key="city_place").value == "510981"


def test_unknown_place_warns_and_falls_back():
    at = _run(place="火星城")
    assert not at.exception, at.exception
    assert any("火星城" in w.value for w in at.warning)
    assert at.selectbox(key="city_place").value is None


def test_bad_level_warns_and_falls_back():
    at = _run(level="street")
    assert not at.exception, at.exception
    assert any("level=street" in w.value for w in at.warning)
    assert at.radio(key="city_level").value == "prefecture"


def test_choosing_a_unit_in_the_select_box_writes_the_url():
    at = _run()
    at.selectbox(key="city_place").set_value("500151").run()  # 铜梁区
    assert not at.exception, at.exception
    assert "### 铜梁区" in _markdown(at)
    assert at.query_params["place"] in (["铜梁"], "铜梁")  # the URL names the place


def test_english_interface():
    at = _run(place="遂宁", lang="en")
    assert not at.exception, at.exception
    assert at.title[0].value == "Cities & districts"
    assert "Suining" in _markdown(at)


def test_county_panel_lists_received_tasks_apart_with_their_route():
    at = _run(place="大竹县", level="county")
    assert not at.exception, at.exception
    assert at.toggle(key="city_inherited").value is True
    text = _markdown(at)
    named, _, received = text.partition("项任务经所属市或所在组合承接")
    assert "2 项任务点名此地" in named and "另有 8" in named
    assert {7, 11} <= {int(n) for n in re.findall(r"task=(\d+)", named)}
    received_tasks = {int(n) for n in re.findall(r"task=(\d+)", received)}
    assert {4, 35, 46} <= received_tasks and 7 not in received_tasks
    assert "达州 (所属市)" in received and "川东北 (组合)" in received and "万达开 (组合)" in received
    assert "hl-prefecture" in received
    captions = " ".join(c.value for c in at.caption)
    assert "经所属市" in captions and "不是此后的实际进展" in captions


def test_inherited_switch_off_counts_and_lists_only_named_tasks():
    on = _run(place="大竹县", level="county")
    off = _run(place="大竹县", level="county", inherited="0")
    assert not off.exception, off.exception
    assert off.toggle(key="city_inherited").value is False
    assert "承接" not in _markdown(off)
    assert _task_links(off) == {7, 11}
    assert "只计点名该地" in " ".join(c.value for c in off.caption)

    def count(at):
        label = at.selectbox(key="city_place").format_func("511724")
        return int(label.rsplit("(", 1)[1].rstrip(")"))

    assert count(off) == 2 and count(on) == 10


def test_switching_inherited_off_writes_the_link():
    at = _run(place="大竹县", level="county")
    at.toggle(key="city_inherited").set_value(False).run()
    assert not at.exception, at.exception
    assert at.query_params.get("inherited") in ("0", ["0"])


def test_english_panel_labels_routes_in_english():
    at = _run(place="大竹县", level="county", lang="en")
    assert not at.exception, at.exception
    text = _markdown(at)
    assert "达州 (its prefecture)" in text and "川东北 (grouping)" in text
    assert "Jointly building an international aviation gateway hub" in text  # task 9's English title


def test_a_chosen_unit_offers_its_brief_as_a_pdf(suining):
    html = _markdown(suining)
    assert '<a class="brief-download" href="/api/brief?place=510900&amp;as_of=' in html
    assert '&amp;lang=zh" download="遂宁市-' in html and "下载城市简报 PDF" in html
    assert any(d.label == "进展截至" for d in suining.date_input)
    english = _markdown(_run(place="万州区", lang="en"))
    assert "lang=en" in english and "Download city brief (PDF)" in english and 'download="Wanzhou-' in english


def test_no_unit_no_brief_link():
    assert "brief-download" not in _markdown(_run())


def test_the_features_table_gives_an_area_items_official_size_beside_the_drawn_one():
    at = _run(place="渝北")
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    cells = [c for c in table["面积"] if c]
    assert any(c.startswith("公布 1,200 km²（国务院") and "按整区县绘制 2,430 km²" in c for c in cells)
    assert any(c.startswith("公布 262 km²") for c in cells)
