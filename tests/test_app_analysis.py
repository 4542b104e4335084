"""分析 page, run headless with Streamlit's AppTest: widgets, figures, deep links, bad values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import analysis, coverage
from geo.features import catalogue_frame
from tests.apptest import run_script

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "analysis.py")
APP = str(ROOT / "navigation.py")


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


def _cli_json(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_numbers_equal_the_cli(default):
    at = default
    assert not at.exception, at.exception
    assert at.title[0].value == "分析"
    assert at.session_state["analysis_kind"] == "airports"
    assert at.radio(key="analysis_scenario").value == "today"
    assert at.slider(key="analysis_radius").value == 100
    cli = _cli_json("coverage", "--scenario", "today", "--radius-km", "100", "--json")
    plan = coverage.coverage_report(catalogue_frame(), "plan", 100.0).to_dict()
    metrics = _metrics(at)
    assert metrics["机场数"] == str(len({a["id"] for a in cli["airports"]}))
    assert metrics["驻地在100公里内的区县"] == f"{cli['units']['share']:.0%}"
    assert metrics["100公里内的面积"] == f"{cli['area_km2']['share']:.0%}"
    assert metrics["规划新纳入的区县"] == str(len(cli["gained_with_plan"]))
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["驻地在100公里内的区县"] == f"规划后 {plan['units']['share']:.0%}"
    captions = " ".join(c.value for c in at.caption)
    assert f"{cli['units']['within']} / {cli['units']['total']}" in captions
    assert f"{cli['area_km2']['within']:,.0f} / {cli['area_km2']['total']:,.0f}" in captions
    assert "假设" in captions and "直线" in captions
    gains = at.dataframe[0].value
    names = {c["adcode"]: c["name"] for c in cli["counties"]}
    assert set(gains["区县"]) == {names[a] for a in cli["gained_with_plan"]}
    assert (gains["规划后(公里)"] <= 100).all() and (gains["现状(公里)"] > 99).all()
    assert len(at.dataframe[1].value) == 221
    assert any("人口" in i.value and "普查" in i.value for i in at.info)  # no population, said so
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
    report = coverage.coverage_report(catalogue, "plan", 150.0)
    assert _metrics(at)["驻地在150公里内的区县"] == f"{report.coverage.unit_share:.0%}"
    assert any("驻地" in i.value and "示意" in i.value for i in at.info)  # seat-located airports said so


def test_airport_deep_link(catalogue):
    at = _run(analysis="airports", radius="50", scenario="plan")
    assert not at.exception, at.exception
    assert at.slider(key="analysis_radius").value == 50
    assert at.radio(key="analysis_scenario").value == "plan"
    report = coverage.coverage_report(catalogue, "plan", 50.0)
    assert _metrics(at)["50公里内的面积"] == f"{report.coverage.area_share:.0%}"
    assert _metrics(at)["规划新纳入的区县"] == str(len(report.gains))


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


def test_default_corridor_is_schematic_lists_units_without_km():
    at = _run(analysis="corridor")
    assert not at.exception, at.exception
    assert at.selectbox(key="analysis_corridor").value == analysis.DEFAULT_CORRIDOR
    assert any("示意线" in w.value and "不给" in w.value for w in at.warning)
    metrics = _metrics(at)
    assert "经过附近的区县" in metrics and "区域内长度(公里)" not in metrics
    table = at.dataframe[0].value
    assert "区内长度(公里)" not in table.columns
    cli = analysis.corridor_report(analysis.find_corridor(catalogue_frame(), analysis.DEFAULT_CORRIDOR))
    assert list(table["区县"]) == [u["name"] for u in cli["units"]]
    assert metrics["经过附近的区县"] == str(len(cli["units"]))
    at.selectbox(key="analysis_corridor").set_value("waterway-yangtze-chaotianmen-fuling").run()
    assert not at.exception, at.exception
    assert _param(at, "corridor") == "waterway-yangtze-chaotianmen-fuling"
    assert "区内长度(公里)" in at.dataframe[0].value.columns


def test_reach_says_what_it_assumes_and_shows_the_report():
    from geo.reach import load_assumptions, reach_report

    at = _run(network="rail")
    assert not at.exception, at.exception
    assert at.session_state["analysis_kind"] == "reach"
    report = reach_report(catalogue_frame(), "rail")
    assumption = load_assumptions().one_line("zh")
    assert any(w.value == assumption for w in at.warning)
    assert any(c.value == assumption for c in at.caption)  # beside the table too
    metrics = _metrics(at)
    assert metrics["线路经过的区县"] == str(len(report.units)) != str(len(report.nodes))
    assert metrics["成都60分钟内的区县"] == str(report.units_within("chengdu"))
    # each unit once; the units at the centres' stations (0 min) summed up in one line, not rows
    table = at.dataframe[0].value
    at_centre = report.units[report.units["min_nearest"] == 0]
    assert len(at_centre) > 1
    assert len(table) == len(report.units) - len(at_centre)
    assert table["区县"].is_unique and not set(table["区县"]) & set(at_centre["name"])
    assert (table["自成都(分钟)"].fillna(1) != 0).all()
    summary = next(c.value for c in at.caption if "0 分钟" in c.value)
    assert summary.startswith(f"{len(at_centre)} 个区县") and all(n in summary for n in at_centre["name"])
    assert list(table["在时限内"]) == list(report.units["min_nearest"][report.units["min_nearest"] > 0] <= 60)
    assert _param(at, "network") is None  # the default leaves the URL
    at.radio(key="analysis_network").set_value("rail+road").run()
    assert not at.exception, at.exception
    assert _param(at, "network") == "rail+road"
    assert _metrics(at)["线路经过的区县"] == str(len(reach_report(catalogue_frame(), "rail+road").units))


def test_bad_parameters_warn_and_fall_back():
    at = _run(analysis="circle", radius="-5", scenario="mars", corridor="<b>x</b>", network="air")
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    # The value is shown as typed, with its Markdown/HTML marks escaped (ui.common.shown).
    for name in ("analysis=circle", "radius=-5", "scenario=mars", r"corridor=\<b\>x\<\/b\>", "network=air"):
        assert name in warnings
    assert at.session_state["analysis_kind"] == "airports"
    assert at.slider(key="analysis_radius").value == 100
    assert at.session_state["analysis_corridor"] == analysis.DEFAULT_CORRIDOR
    assert dict(at.query_params) == {}  # the bad values leave the URL


@pytest.mark.parametrize("radius", ["abc", "nan", "1e9"])
def test_non_numeric_radius(radius):
    at = _run(radius=radius)
    assert not at.exception, at.exception
    assert len(at.warning) == 1
    assert at.slider(key="analysis_radius").value == 100


def test_english():
    at = _run(lang="en")
    assert not at.exception, at.exception
    assert at.title[0].value == "Analysis"
    assert "Units the plan brings within" in _metrics(at)
    assert any("census" in i.value for i in at.info)


def test_switching_analyses_keeps_each_map():
    at = _run()
    for kind in ("corridor", "reach", "airports"):
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
    at.switch_page("app_pages/analysis.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "分析"
