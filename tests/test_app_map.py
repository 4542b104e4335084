"""地图 page, run headless with Streamlit's AppTest: widgets, deep links, bad values, details."""

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from geo.catalogue import LAYER_IDS, STATUS_EN
from geo.features import Selection, catalogue_frame, filter_frame
from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "map.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _shown(at: AppTest) -> int:
    """The number of features the page says it shows (from its caption), or 0."""
    import re

    for caption in at.caption:
        found = re.search(r"显示 (\d+) 个要素|Showing (\d+) of", caption.value)
        if found:
            return int(found.group(1) or found.group(2))
    return 0


def _table(at: AppTest):
    return at.dataframe[0].value


def _folium_args(at: AppTest) -> dict:
    """The arguments the page passed to st_folium (the map's script, layers and asset links)."""
    components = at.get("component_instance")
    assert len(components) == 1 and components[0].proto.component_name == "streamlit_folium.st_folium"
    return json.loads(components[0].proto.json_args)


def _param(at: AppTest, name: str):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def default() -> AppTest:
    return _run()


def test_default_page_has_every_widget_and_every_feature(default):
    assert not default.exception, default.exception
    assert default.title[0].value == "地图"
    assert default.multiselect(key="map_layers").value == list(LAYER_IDS)
    for key in ("map_status", "map_province", "map_chapter", "map_task"):
        assert default.multiselect(key=key).value == []
    assert default.text_input(key="map_query").value == ""
    assert default.selectbox(key="map_basemap").value == "admin"
    assert default.radio(key="map_colour").value == "layer"
    assert _shown(default) == len(catalogue_frame())
    assert len(_table(default)) == len(catalogue_frame())
    assert not default.warning


def _view_spec(at: AppTest) -> dict:
    """What the page asked the map to show: ``PlanMap.view(map, group, spec)`` in the feature group."""
    group = _folium_args(at)["feature_group"]
    start = group.index("PlanMap.view(")
    body = group[start:].split(",", 2)[2]
    return json.JSONDecoder().raw_decode(body.strip())[0]


def test_map_is_one_st_folium_with_local_assets_and_one_view_of_every_layer(default):
    args = _folium_args(default)
    assert args["returned_objects"] == [
        "last_active_drawing",
        "last_object_clicked",
        "last_object_clicked_count",
    ]
    assert args["js_links"] and all(link.startswith("/app/static/") for link in args["js_links"])
    assert any(link.startswith("/app/static/planmap/core.js?v=") for link in args["js_links"])
    assert args["css_links"] and all(link.startswith("/app/static/") for link in args["css_links"])
    assert args["feature_group"].count("map_div.addLayer(feature_group_feature_group_") == 1
    spec = _view_spec(default)
    frame = catalogue_frame()
    assert set(spec["groups"]) == set(frame["layer"])
    assert sorted(i for ids in spec["groups"].values() for i in ids) == sorted(frame["id"])
    # The features are a static file the browser fetches; the file holds every id with its popup.
    path = Path(__file__).resolve().parents[1] / spec["url"].removeprefix("/app/")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {f["properties"]["id"] for f in data["features"]} == set(frame["id"])
    # Each popup opens with the item's name and marks its quote, once, inside the plan's sentence.
    quotes = dict(zip(frame["id"], frame["quote"], strict=True))
    names = dict(zip(frame["id"], frame["name"], strict=True))
    for feature in data["features"]:
        popup, item = feature["properties"]["popup_html"], feature["properties"]["id"]
        assert popup.startswith(f"<h4>{html.escape(names[item])}</h4>"), item
        assert re.findall(r"<mark>(.*?)</mark>", popup) == [html.escape(quotes[item])], item
    # The administrative basemap and the tools are in the static script, not in the group that
    # changes; the outlines themselves are a static file the script names.
    assert "PlanMap.init(" in args["script"] and "PlanMap.backdrop(" in args["script"]
    [outline_url] = re.findall(r'"(/app/static/generated/admin-prefecture-[^"]+)"', args["script"])
    outlines = (Path(__file__).resolve().parents[1] / outline_url.removeprefix("/app/")).read_text(
        encoding="utf-8"
    )
    assert '"adcode":"510900"' in outlines and '"adcode":"510900"' not in args["script"]
    assert "PlanMap.backdrop(" not in args["feature_group"]


def test_map_fits_the_selection_within_the_region():
    at = _run(task="10")
    spec = _view_spec(at)
    (south, west), (north, east) = spec["bounds"]
    # Task 10's railways run to Lanzhou, Xi'an and Kunming; the view stays on the two provinces.
    assert 25 < south < north < 35 and 96 < west < east < 112
    other = _view_spec(_run(task="9"))
    assert other["key"] != spec["key"]


def test_layers_link_shows_only_that_layer():
    at = _run(layers="railway")
    assert not at.exception, at.exception
    assert at.multiselect(key="map_layers").value == ["railway"]
    railway = catalogue_frame().query("layer == 'railway'")
    assert _shown(at) == len(railway) > 0
    assert set(_table(at)["图层"]) == {"铁路"}
    assert any("(/export?layers=railway)" in m.value for m in at.markdown)  # export what the map shows
    groups = _folium_args(at)["feature_group"]
    assert all(f'"{i}"' in groups for i in railway["id"])
    assert not any(f'"{i}"' in groups for i in catalogue_frame().query("layer == 'aviation'")["id"])


def test_unknown_layer_warns_and_falls_back_to_every_layer():
    at = _run(layers="xyz")
    assert not at.exception, at.exception
    assert any("layers=xyz" in w.value for w in at.warning)
    assert at.multiselect(key="map_layers").value == list(LAYER_IDS)
    assert _param(at, "layers") is None  # the cleaned state is written back


def test_mixed_good_and_bad_values_keep_the_good_ones():
    at = _run(layers="railway,nope", task="10,99")
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "layers=nope" in warnings and "task=99" in warnings
    assert at.multiselect(key="map_layers").value == ["railway"]
    assert at.multiselect(key="map_task").value == [10]


def test_task_and_status_links_filter_like_the_library():
    at = _run(task="10", status="开工建设")
    assert not at.exception, at.exception
    expected = filter_frame(catalogue_frame(), Selection(tasks=(10,), statuses=("开工建设",)))
    assert _shown(at) == len(expected) > 0
    assert set(_table(at)["名称"]) == set(expected["name"])


def test_english_status_and_province_values_are_understood():
    at = _run(status=STATUS_EN["开工建设"].lower(), province="chongqing", lang="en")
    assert not at.exception, at.exception
    assert not at.warning
    assert at.title[0].value == "Map explorer"
    assert at.multiselect(key="map_status").value == ["开工建设"]
    assert at.multiselect(key="map_province").value == ["重庆"]


def test_a_phase_in_the_link_filters_without_a_warning():
    at = _run(status="在建")
    assert not at.exception, at.exception
    assert not at.warning
    assert set(at.multiselect(key="map_status").value) == {"开工建设", "加快建设", "迁建"}
    expected = filter_frame(catalogue_frame(), Selection(statuses=("开工建设", "加快建设", "迁建")))
    assert _shown(at) == len(expected) > 0
    assert any("不是此后的实际进展" in c.value for c in at.caption)


def test_search_finds_by_alias():
    at = _run(q="渝西高铁")
    assert not at.exception, at.exception
    assert "重庆至西安铁路" in set(_table(at)["名称"])


def test_autocomplete_puts_a_common_name_into_the_search():
    at = _run()
    suggest = at.selectbox(key="map_suggest")
    assert "成达万高铁" in suggest.options and "成都至达州至万州铁路" in suggest.options
    suggest.set_value("成达万高铁").run()
    assert not at.exception, at.exception
    assert at.text_input(key="map_query").value == "成达万高铁"
    assert at.selectbox(key="map_suggest").value is None
    assert set(_table(at)["名称"]) == {"成都至达州至万州铁路"}
    assert _param(at, "q") == "成达万高铁"


def test_search_finds_by_chinese_and_pinyin():
    at = _run(q="天府")
    assert not at.exception, at.exception
    expected = filter_frame(catalogue_frame(), Selection(query="天府"))
    assert set(_table(at)["名称"]) == set(expected["name"])
    assert any("天府" in name for name in expected["name"])
    pinyin = _run(q="tianfu")
    assert "成都天府国际机场" in set(_table(pinyin)["名称"])


def test_no_match_says_what_to_do():
    at = _run(q="没有这个项目zzz")
    assert not at.exception, at.exception
    assert any("没有符合条件的要素" in i.value for i in at.info)


def test_empty_layer_choice_says_what_to_do(default):
    default.multiselect(key="map_layers").set_value([]).run()
    assert not default.exception, default.exception
    assert any("未选择图层" in i.value for i in default.info)
    default.multiselect(key="map_layers").set_value(list(LAYER_IDS)).run()


def test_widget_changes_are_written_to_the_url():
    at = _run()
    at.multiselect(key="map_layers").set_value(["aviation", "railway"]).run()
    at.multiselect(key="map_status").set_value(["开工建设"]).run()
    assert _param(at, "layers") == "aviation,railway"
    assert _param(at, "status") == "开工建设"


def test_feature_link_opens_its_details_with_the_quote_highlighted():
    row = catalogue_frame().query("layer == 'aviation'").iloc[0]
    at = _run(feature=row["id"])
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert row["name"] in text
    assert '<mark class="hl-feature"' in text
    assert f"/tasks?task={int(row['task'])}" in text


def test_unknown_feature_warns():
    at = _run(feature="no-such-feature")
    assert not at.exception, at.exception
    assert any("feature=no-such-feature" in w.value for w in at.warning)


def test_gaode_basemap_states_the_datum():
    at = _run(basemap="gaode")
    assert not at.exception, at.exception
    assert any("GCJ-02" in c.value for c in at.caption)
    bad = _run(basemap="google")
    assert any("basemap=google" in w.value for w in bad.warning)
    assert bad.selectbox(key="map_basemap").value == "admin"


def test_search_by_abbreviation_finds_features_naming_every_member():
    at = _run(q="万达开")
    assert not at.exception, at.exception
    names = set(_table(at)["名称"])
    places = catalogue_frame().set_index("name")["places"]
    assert names
    for name in names:
        assert "万达开" in name or {"万州区", "达州市", "开州区"} <= set(places[name])


def _colour_key(at: AppTest) -> str:
    keys = [m.value for m in at.markdown if "plan-colour-legend" in m.value]
    assert len(keys) == 1
    return keys[0]


def test_the_colour_key_beside_the_map_lists_only_the_layers_shown():
    from geo.vocabulary import LAYERS

    at = _run(layers="railway,aviation")
    assert not at.exception, at.exception
    key = _colour_key(at)
    assert LAYERS["railway"].zh in key and LAYERS["aviation"].zh in key
    others = [layer for layer_id, layer in LAYERS.items() if layer_id not in ("railway", "aviation")]
    assert not any(layer.zh in key for layer in others)
    # Changing layers leaves the map's own script as it was, so the map is not redrawn.
    assert _folium_args(at)["script"] == _folium_args(_run())["script"]


def test_colouring_by_status_keys_the_statuses_in_english_too():
    at = _run(colour="status", lang="en")
    assert not at.exception, at.exception
    key = _colour_key(at)
    assert "Status" in key and STATUS_EN["开工建设"] in key


def test_search_placeholder_suggests_an_abbreviation_that_finds_features():
    at = _run()
    placeholder = at.text_input(key="map_query").placeholder
    assert "万达开" in placeholder
    searched = _run(q="万达开")
    assert _shown(searched) >= 2


def test_details_show_the_note_in_the_interface_language():
    row = catalogue_frame().query("id == 'air-tianfu'").iloc[0]
    assert row["note"] and row["note_zh"] and row["note"] != row["note_zh"]
    zh = _run(feature=row["id"])
    assert not zh.exception, zh.exception
    assert [i.value for i in zh.info if row["note_zh"] in i.value or row["note"] in i.value] == [
        row["note_zh"]
    ]
    en = _run(feature=row["id"], lang="en")
    assert not en.exception, en.exception
    assert [i.value for i in en.info if row["note_zh"] in i.value or row["note"] in i.value] == [row["note"]]


def test_the_export_link_carries_the_selection_and_the_day_of_the_phases():
    at = _run(layers="aviation,railway", status="在建", q="天府", as_of="2024-06-30", colour="phase")
    assert not at.exception, at.exception
    links = [m.value for m in at.markdown if "(/export?" in m.value]
    assert len(links) == 1
    query = parse_qs(urlsplit(links[0].rsplit("(", 1)[1].rstrip(")")).query)
    assert query["as_of"] == ["2024-06-30"] and query["q"] == ["天府"]
    assert set(query["layers"][0].split(",")) == {"aviation", "railway"}
    assert query["status"] and "colour" not in query  # the selection, not the map's look


def test_details_say_which_seat_stands_for_a_place_and_give_the_official_area():
    port = _run(feature="waterway-guoyuan-port")
    assert not port.exception, port.exception
    assert "以江北区驻地代表果园港" in "\n".join(m.value for m in port.markdown)
    area = _run(feature="zone-liangjiang-new-area", lang="en")
    assert not area.exception, area.exception
    captions = "\n".join(c.value for c in area.caption)
    assert (
        "official area 1,200 km² (国务院《关于同意设立重庆两江新区的批复》（国函〔2010〕36号），2010)"
        in captions
    )
