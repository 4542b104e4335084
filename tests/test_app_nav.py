"""navigation.py: our own menu with the pages' titles, the language switch, and the page addresses."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import run_script
from ui.common import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "navigation.py")


def _run(**params) -> AppTest:
    return run_script(APP, **params)


PAGE_PATHS = ["", "map", "city", "tasks", "analysis", "progress", "export", "data"]


def test_page_addresses_are_short_and_files_exist():
    assert [spec.url_path for spec in PAGES] == PAGE_PATHS
    for spec in PAGES:
        assert (ROOT / spec.path).is_file(), spec.path


def test_menu_shows_chinese_titles_and_links_every_page():
    at = _run()
    assert not at.exception, at.exception
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links] == [
        "总览",
        "地图",
        "城市",
        "任务",
        "分析",
        "进展",
        "导出",
        "数据说明",
    ]
    assert [link.proto.page for link in links] == PAGE_PATHS
    assert all(link.proto.query_string == "" for link in links)


def test_english_menu_links_carry_the_language():
    at = _run(lang="en")
    assert not at.exception, at.exception
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links][:3] == ["Overview", "Map explorer", "Cities & districts"]
    assert all(link.proto.query_string == "lang=en" for link in links)


def test_language_switch_writes_the_url():
    at = _run()
    switch = at.sidebar.get("button_group")[0]
    assert switch.value == "zh"
    switch.set_value("en").run()
    assert at.query_params.get("lang") == ["en"] or at.query_params.get("lang") == "en"
    assert at.sidebar.get("page_link")[1].proto.label == "Map explorer"


def test_unknown_language_falls_back_to_chinese():
    at = _run(lang="xx")
    assert not at.exception, at.exception
    assert at.sidebar.get("page_link")[0].proto.label == "总览"


def test_switching_to_the_map_and_city_pages_runs_them():
    at = _run()
    at.switch_page("app_pages/map.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "地图"
    at.switch_page("app_pages/city.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "城市"
