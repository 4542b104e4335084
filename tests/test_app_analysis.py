"""分析 page, run headless with Streamlit's AppTest: widgets, figures, deep links, bad values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import analysis
from geo.features import catalogue_frame
from tests.apptest import run_script

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "analysis.py")
APP = str(ROOT / "app.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _param(at: AppTest, name: str):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _maps(at: AppTest) -> list[dict]:
    components = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return [json.loads(c.proto.json_args) for c in components]


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_frame()


@pytest.fixture(scope="module")
def default() -> AppTest:
    return _run()


def test_default_is_airport_coverage_with_the_computed_shares(default, catalogue):
    at = default
    assert not at.exception, at.exception
    assert at.title[0].value == "分析"
    assert at.session_state["analysis_kind"] == "airports"
    assert at.radio(key="analysis_scenario").value == "existing"
    assert at.slider(key="analysis_radius").value == 100
    airports = analysis.scenario_airports(catalogue, "existing")
    coverage = analysis.airport_coverage(airports, 100.0)
    metrics = _metrics(at)
    assert metrics["机场数"] == str(airports["id"].nunique())
    assert metrics["驻地在100公里内的区县"] == f"{coverage.unit_share:.0%}"
    assert metrics["100公里内的面积"] == f"{coverage.area_share:.0%}"
    assert any("假设" in c.value for c in at.caption)  # the radius is said to be an assumption
    table = at.dataframe[0].value
    assert len(table) == 15
    worst = analysis.nearest_airports(airports).head(15)
    assert list(table["区县"]) == list(worst["name"])
    assert list(table["距离(公里)"]) == [round(d) for d in worst["distance_km"]]
    assert len(_maps(at)) == 1
    assert not at.warning
    assert dict(at.query_params) == {}


def test_radius_slider_and_scenario_write_the_url_and_change_the_figures(catalogue):
    at = _run()
    at.slider(key="analysis_radius").set_value(150).run()
    assert not at.exception, at.exception
    assert _param(at, "radius") == "150"
    at.radio(key="analysis_scenario").set_value("plan").run()
    assert _param(at, "scenario") == "plan"
    coverage = analysis.airport_coverage(analysis.scenario_airports(catalogue, "plan"), 150.0)
    assert _metrics(at)["驻地在150公里内的区县"] == f"{coverage.unit_share:.0%}"
    assert any("不是机场场址" in i.value for i in at.info)  # seat-located airports are said to be so


def test_airport_deep_link(catalogue):
    at = _run(analysis="airports", radius="50", scenario="reference")
    assert not at.exception, at.exception
    assert at.slider(key="analysis_radius").value == 50
    assert at.radio(key="analysis_scenario").value == "reference"
    coverage = analysis.airport_coverage(analysis.reference_airports(), 50.0)
    assert _metrics(at)["50公里内的面积"] == f"{coverage.area_share:.0%}"


def test_corridor_deep_link_lists_the_units_in_order():
    at = _run(corridor="waterway-yangtze-yibin-chongqing")
    assert not at.exception, at.exception
    assert at.session_state["analysis_kind"] == "corridor"
    assert at.selectbox(key="analysis_corridor").value == "waterway-yangtze-yibin-chongqing"
    assert any("真实河段" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert {"江阳区", "合江县"} <= set(table["区县"])
    assert list(table["区县"]).index("江阳区") < list(table["区县"]).index("合江县")
    assert _metrics(at)["途经区县"] == str(len(table))
    assert _param(at, "analysis") == "corridor"


def test_default_corridor_is_schematic_and_says_so():
    at = _run(analysis="corridor")
    assert not at.exception, at.exception
    assert at.selectbox(key="analysis_corridor").value == analysis.DEFAULT_CORRIDOR
    assert any("示意线" in w.value and "仅供参考" in w.value for w in at.warning)
    at.selectbox(key="analysis_corridor").set_value("waterway-yangtze-chaotianmen-fuling").run()
    assert not at.exception, at.exception
    assert _param(at, "corridor") == "waterway-yangtze-chaotianmen-fuling"


def test_circle_shows_reach_not_travel_time():
    at = _run(analysis="circle", speed="100")
    assert not at.exception, at.exception
    assert at.radio(key="analysis_speed").value == 100
    reach = analysis.one_hour_reach(100)
    metrics = _metrics(at)
    assert metrics["1小时直线可达"] == "100 km"
    assert metrics["成都范围内的单位"] == f"{reach.within_chengdu} / {reach.total}"
    assert metrics["重庆范围内的单位"] == f"{reach.within_chongqing} / {reach.total}"
    assert any("不计算出行时间" in w.value and "上限" in w.value for w in at.warning)
    assert len(at.dataframe[0].value) == 59
    at.radio(key="analysis_speed").set_value(350).run()
    assert _param(at, "speed") is None  # the default leaves the URL
    assert _metrics(at)["1小时直线可达"] == "350 km"


def test_bad_parameters_warn_and_fall_back():
    at = _run(analysis="teleport", radius="-5", scenario="mars", corridor="<b>x</b>", speed="1000")
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    for name in ("analysis=teleport", "radius=-5", "scenario=mars", "corridor=<b>x</b>", "speed=1000"):
        assert name in warnings
    assert at.session_state["analysis_kind"] == "airports"
    assert at.slider(key="analysis_radius").value == 100
    assert at.session_state["analysis_corridor"] == analysis.DEFAULT_CORRIDOR
    assert at.session_state["analysis_speed"] == analysis.DEFAULT_SPEED_KMH
    assert dict(at.query_params) == {}  # the bad values leave the URL


@pytest.mark.parametrize("radius", ["abc", "nan", "1e9"])
def test_non_numeric_radius(radius):
    at = _run(radius=radius)
    assert not at.exception, at.exception
    assert len(at.warning) == 1
    assert at.slider(key="analysis_radius").value == 100


def test_english():
    at = _run(lang="en", analysis="circle")
    assert not at.exception, at.exception
    assert at.title[0].value == "Analysis"
    assert "Units within reach of Chengdu" in _metrics(at)


def test_switching_analyses_keeps_each_map():
    at = _run()
    for kind in ("corridor", "circle", "airports"):
        at.session_state["analysis_kind"] = kind
        at.run()
        assert not at.exception, at.exception
        assert len(_maps(at)) == 1


def test_app_menu_links_the_analysis_page():
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    links = at.sidebar.get("page_link")
    assert "分析" in [link.proto.label for link in links]
    assert "analysis" in [link.proto.page for link in links]
    at.switch_page("pages/analysis.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "分析"
