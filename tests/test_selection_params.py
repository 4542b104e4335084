"""A selection from a link's parameters: the one parser the map and export pages share."""

from __future__ import annotations

import pytest

from geo.catalogue import LAYER_IDS, STATUS_EN, STATUSES
from geo.export_selection import describe_selection, export_query, request_from_params, selected_features
from geo.features import (
    PROVINCE_SCOPE_EN,
    PROVINCE_SCOPES,
    Selection,
    catalogue_frame,
    filter_frame,
    selection_from_params,
    selection_link_params,
)


def test_no_parameters_is_no_restriction():
    selection, bad = selection_from_params({})
    assert selection == Selection()
    assert bad == []


def test_every_known_value_is_read_in_order_without_repeats():
    params = {
        "layers": ",".join(reversed(LAYER_IDS)),
        "status": ",".join(STATUSES),
        "province": ",".join(PROVINCE_SCOPES),
        "chapter": "2,2,10",
        "task": "10,1,47",
        "q": "  天府 ",
    }
    selection, bad = selection_from_params(params)
    assert bad == []
    assert selection.layers == tuple(reversed(LAYER_IDS))
    assert selection.statuses == STATUSES
    assert selection.provinces == PROVINCE_SCOPES
    assert selection.chapters == (2, 10)
    assert selection.tasks == (10, 1, 47)
    assert selection.query == "天府"
    assert selection.unknown_values() == []


def test_english_names_and_chinese_commas_are_understood():
    status, english = next(iter(STATUS_EN.items()))
    province, province_en = next(iter(PROVINCE_SCOPE_EN.items()))
    selection, bad = selection_from_params(
        {"status": f"{english.upper()},{status}", "province": f"{province_en.lower()},cross", "task": "3,4"}
    )
    assert bad == []
    assert selection.statuses == (status,)
    assert selection.provinces == (province, "跨省")
    assert selection.tasks == (3, 4)


@pytest.mark.parametrize(
    ("name", "value"),
    [("layers", "airports"), ("status", "done"), ("province", "Yunnan"), ("chapter", "11"),
     ("chapter", "0"), ("task", "48"), ("task", "十")],
)  # fmt: skip
def test_bad_values_are_reported_and_left_out(name, value):
    good = {"layers": LAYER_IDS[0], "status": STATUSES[0], "province": "四川", "chapter": "1", "task": "1"}
    selection, bad = selection_from_params({name: f"{good[name]},{value}"})
    assert bad == [(name, value)]
    restricted = {
        "layers": selection.layers,
        "status": selection.statuses,
        "province": selection.provinces,
        "chapter": selection.chapters,
        "task": selection.tasks,
    }
    assert len(restricted[name]) == 1
    assert all(not values for other, values in restricted.items() if other != name)


def test_the_export_request_reads_the_same_selection():
    params = {
        "layers": "railway,nope",
        "status": "开工建设",
        "task": "10,99",
        "format": "kml",
        "crs": "epsg:4490",
    }
    selection, bad = selection_from_params(params)
    request = request_from_params(params)
    assert request.selection == selection
    assert list(request.bad) == bad
    assert (request.fmt, request.crs) == ("kml", "EPSG:4490")


def test_search_finds_a_compound_abbreviation_by_its_places():
    # 万达开 is the plan's name for 万州、达州、开州 together: features naming all three count.
    by_text = filter_frame(catalogue_frame(), Selection(query="万达开"))
    found = selected_features(Selection(query="万达开"))
    assert set(by_text["id"]) <= set(found["id"])
    assert len(found) > len(by_text)
    for places in found.loc[~found["id"].isin(by_text["id"]), "places"]:
        assert {"万州区", "达州市", "开州区"} <= set(places)


def test_the_selection_is_described_in_the_interface_language():
    selection = Selection(layers=("railway",), statuses=("开工建设",), provinces=("四川",), tasks=(10,))
    chinese = describe_selection(selection, lang="zh")
    english = describe_selection(selection, lang="en")
    assert "铁路" in chinese and "开工建设" in chinese and "四川" in chinese
    assert not any(word in chinese for word in ("layers", "status", "tasks"))
    assert STATUS_EN["开工建设"] in english and "Sichuan" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    assert describe_selection(Selection(), lang="zh") == "全部要素"
    assert describe_selection(Selection()) == "the whole catalogue"


def test_a_selection_written_as_a_link_reads_back_as_itself():
    selection = Selection(
        layers=("railway", "aviation"),
        statuses=(STATUSES[0], STATUSES[1]),
        provinces=(PROVINCE_SCOPES[0],),
        chapters=(2, 10),
        tasks=(10, 12),
        query="天府",
    )
    params = selection_link_params(selection)
    assert selection_from_params(params) == (selection, [])
    assert "layers" not in selection_link_params(Selection(layers=tuple(LAYER_IDS)))  # all is none
    assert selection_link_params(Selection()) == {}


def test_an_export_link_reads_back_as_the_same_request_and_day():
    from datetime import date
    from urllib.parse import parse_qsl

    selection = Selection(layers=("aviation",), query="天府")
    query = export_query(selection, fmt="csv", crs="EPSG:4490", place_name="达州市", as_of=date(2024, 6, 30))
    params = dict(parse_qsl(query))
    request = request_from_params(params)
    assert request.bad == () and request.fmt == "csv" and request.crs == "EPSG:4490"
    assert request.selection.layers == ("aviation",) and request.place_name == "达州市"
    assert params["as_of"] == "2024-06-30" and "file" not in params
