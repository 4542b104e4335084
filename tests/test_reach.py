"""geo/reach.py: minutes along the plan's lines under the assumptions of data/assumptions/reach.yaml."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from geo import reach
from geo.analysis import distance_matrix_km
from geo.errors import GeoError
from geo.features import catalogue_frame

ASSUMED = reach.Assumptions(
    minutes=60, detour_factor=1.0, access_radius_km=1.0, speeds_kmh={"railway": {"mainline": 100.0}}
)


def _lines(*rows) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "layer": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
        },
        geometry=[LineString(r[3]) for r in rows],
        crs="EPSG:4326",
    )


def test_edges_are_timed_at_the_speed_of_their_kind():
    lines = _lines(
        ("a", "railway", "mainline", [(104.0, 30.0), (105.0, 30.0), (106.0, 30.0)]),
        ("b", "railway", "freight", [(104.0, 30.0), (104.0, 31.0)]),  # no speed stated: left out
        ("c", "highway", "expressway", [(104.0, 30.0), (104.0, 29.0)]),  # not in the rail network
    )
    edges = reach.network_edges(lines, "rail", ASSUMED)
    assert list(edges["id"]) == ["a", "a"]
    km = distance_matrix_km([(104.0, 30.0)], [(105.0, 30.0)])[0, 0]
    assert edges["minutes"].iloc[0] == pytest.approx(km / 100.0 * 60.0)
    stretched = reach.Assumptions(60, 1.5, 1.0, {"railway": {"mainline": 100.0}})
    assert reach.network_edges(lines, "rail", stretched)["minutes"].iloc[0] == pytest.approx(
        1.5 * edges["minutes"].iloc[0]
    )
    with pytest.raises(GeoError):
        reach.network_edges(lines, "air", ASSUMED)


def test_shortest_times_take_the_faster_path():
    lines = _lines(
        ("slow", "railway", "mainline", [(104.0, 30.0), (106.0, 30.0)]),
        ("fast", "railway", "intercity", [(104.0, 30.0), (105.0, 30.5), (106.0, 30.0)]),
    )
    assumptions = reach.Assumptions(60, 1.0, 1.0, {"railway": {"mainline": 50.0, "intercity": 300.0}})
    edges = reach.network_edges(lines, "rail", assumptions)
    minutes = reach.travel_minutes(edges, [(104.0, 30.0)])
    via_fast = edges.loc[edges["id"] == "fast", "minutes"].sum()
    assert minutes[(106.0, 30.0)] == pytest.approx(via_fast)
    assert minutes[(104.0, 30.0)] == 0.0
    assert reach.travel_minutes(edges, [(0.0, 0.0)]) == {}  # a source off the network reaches nothing


def test_shipped_assumptions_and_report():
    assumptions = reach.load_assumptions()
    assert assumptions.minutes == 60 and assumptions.detour_factor >= 1
    assert set(assumptions.speeds_kmh["railway"]) >= {"mainline", "intercity", "suburban"}
    line = assumptions.one_line("en")
    assert "Assumes" in line and f"{assumptions.detour_factor:g}" in line and "no waits" in line
    catalogue = catalogue_frame()
    rail = reach.reach_report(catalogue, "rail")
    both = reach.reach_report(catalogue, "rail+road")
    assert len(both.nodes) > len(rail.nodes) > 20
    # the two centres are sources (0 min) and reach each other along the 成渝 lines
    by_name = rail.nodes.set_index("name")
    assert by_name.loc["武侯区", "min_chengdu"] == 0.0 and by_name.loc["渝中区", "min_chongqing"] == 0.0
    assert 0 < by_name.loc["渝中区", "min_chengdu"] < 240
    # adding roads can only shorten times
    merged = rail.nodes.merge(both.nodes, on=["lon", "lat"], suffixes=("_rail", "_both"))
    assert (merged["min_nearest_both"] <= merged["min_nearest_rail"] + 1e-9).all()
    inside = rail.nodes[rail.nodes["adcode"] != ""]
    assert rail.units_within("chengdu") == inside.loc[inside["min_chengdu"] <= 60, "adcode"].nunique()
    assert list(rail.nodes["min_nearest"]) == sorted(rail.nodes["min_nearest"])


def test_units_count_each_district_once_with_its_best_minutes():
    rail = reach.reach_report(catalogue_frame(), "rail")
    units, nodes = rail.units, rail.nodes
    assert units["adcode"].is_unique and "" not in set(units["adcode"])
    assert set(units["adcode"]) == set(nodes["adcode"]) - {""}
    assert units["vertices"].sum() == (nodes["adcode"] != "").sum() > len(units)
    chenghua = units.set_index("name").loc["成华区"]
    in_chenghua = nodes[nodes["name"] == "成华区"]
    assert len(in_chenghua) > 1 and chenghua["vertices"] == len(in_chenghua)
    assert chenghua["min_chengdu"] == in_chenghua["min_chengdu"].min()
    assert list(units["min_nearest"]) == sorted(units["min_nearest"])


def test_reach_unit_table_rows_and_languages():
    from layers.analysis import reach_unit_table

    units = reach.reach_report(catalogue_frame(), "rail").units
    zh = reach_unit_table(units, 60)
    en = reach_unit_table(units, 60, lang="en")
    assert len(zh) == len(en) == len(units)
    assert list(zh["区县"]) == list(units["name"]) and list(en["Unit"]) == list(units["name_en"])
    assert "成都市" in set(zh["所属"]) and "Chengdu" in set(en["In"])
    assert list(zh["在时限内"]) == list(units["min_nearest"] <= 60)
    unconnected = units["min_chongqing"] == float("inf")
    assert unconnected.any() and zh["自重庆(分钟)"][list(unconnected)].isna().all()
