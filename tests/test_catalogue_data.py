"""Data integrity over the whole shipped catalogue: provenance, geometry, completeness."""

import json
import subprocess
import sys

import airportsdata
import pytest
import shapely
from shapely.geometry import Point

from geo.catalogue import LAYER_IDS, catalogue_problems, load_catalogue
from geo.features import catalogue_frame, layer_frames
from geo.gazetteer import load_gazetteer
from geo.groupings import expand
from geo.plan import load_plan
from geo.resolve import distance_km, load_sites, metric, resolve_catalogue


@pytest.fixture(scope="module")
def features():
    return {feature.entry.id: feature for feature in resolve_catalogue()}


def test_every_entry_is_sound():
    assert catalogue_problems(load_catalogue(), load_plan()) == []


def test_every_quote_is_verbatim_in_its_task_and_sentence():
    plan = load_plan()
    for entry in load_catalogue():
        task = plan.task(entry.tasks[0])
        assert entry.quote in task.sentences[entry.sentence], entry.id


def test_every_geometry_is_valid_and_in_wgs84_range(features):
    for ident, feature in features.items():
        geometry = feature.geometry
        assert geometry.is_valid and not geometry.is_empty, ident
        minx, miny, maxx, maxy = geometry.bounds
        assert 73 < minx <= maxx < 135 and 18 < miny <= maxy < 54, ident


def test_existing_airports_lie_within_3_km_of_airportsdata(features):
    airports = airportsdata.load("IATA")
    exact = [f for f in features.values() if f.entry.geometry_kind == "airport"]
    # Every airport the plan names that exists today, 达州金垭 and 阆中古城 opened since.
    codes = {f.entry.geometry["airport"] for f in exact}
    assert codes == {"TFU", "CTU", "CKG", "LZG", "DZH", "WXN", "JIQ", "NAO", "GYS"}
    for feature in exact:
        code = feature.entry.geometry["airport"]
        reference = Point(airports[code]["lon"], airports[code]["lat"])
        assert distance_km(feature.geometry, reference) < 3.0, feature.entry.id
        assert feature.precision == "exact"


def test_an_airport_without_known_coordinates_is_never_exact(features):
    airports = airportsdata.load("IATA")
    for feature in features.values():
        if feature.entry.geometry_kind == "airport":
            assert "unknown" not in airports[feature.entry.geometry["airport"]]["name"].lower()


def test_river_sections_follow_the_river(features):
    rivers = [f for f in features.values() if f.precision == "river"]
    assert rivers, "the catalogue has river sections"
    for feature in rivers:
        line = feature.geometry
        straight = distance_km(Point(line.coords[0]), Point(line.coords[-1]))
        # Winding, and drawn through many river vertices: the 三峡 reach (奉节 to 巴东) is among the
        # straightest of the Yangtze, 1.096 times its chord.
        assert metric(line).length / 1000 > straight * 1.05, feature.entry.id
        assert len(line.coords) >= 10, feature.entry.id


def test_yangtze_yibin_chongqing_is_far_longer_than_the_straight_line(features):
    sections = [
        f for f in features.values()
        if f.precision == "river" and f.entry.geometry.get("river") == "Chang Jiang"
        and {"宜宾", "重庆"} <= {str(f.entry.geometry.get("from"))[:2], str(f.entry.geometry.get("to"))[:2]}
    ]  # fmt: skip
    assert sections, "长江宜宾至重庆段 is in the catalogue"
    line = sections[0].geometry
    straight = distance_km(Point(line.coords[0]), Point(line.coords[-1]))
    assert metric(line).length / 1000 > 1.3 * straight


def test_area_zones_contain_the_seats_of_their_members(features):
    gazetteer = load_gazetteer()
    areas = [f for f in features.values() if f.precision == "area"]
    assert areas
    for feature in areas:
        zone = feature.geometry.buffer(1e-6)
        for name in feature.entry.geometry["area"]:
            for unit in expand(str(name), gazetteer):
                assert zone.contains(Point(unit.lon, unit.lat)), (feature.entry.id, unit.name)


def test_schematic_lines_pass_through_their_waypoint_seats(features):
    gazetteer = load_gazetteer()
    for feature in features.values():
        if feature.precision != "schematic":
            continue
        sites = load_sites()
        for name in feature.entry.geometry["via"]:
            if name in sites.index:  # a station or other known site, drawn at its own point
                point = Point(float(sites.loc[name, "lon"]), float(sites.loc[name, "lat"]))
            else:
                unit = gazetteer.resolve(str(name)).unit
                point = Point(unit.lon, unit.lat)
            assert feature.geometry.distance(point) < 1e-9, feature.entry.id


def test_every_layer_has_features_and_measures():
    frames = layer_frames()
    assert list(frames) == list(LAYER_IDS)
    for layer_id, gdf in frames.items():
        assert len(gdf) > 0, layer_id
        assert gdf.crs.to_epsg() == 4326
    gdf = catalogue_frame()
    lines = gdf[gdf.geom_type.isin(["LineString", "MultiLineString"])]
    assert (lines["length_km"] > 0).all()
    polygons = gdf[gdf.geom_type.isin(["Polygon", "MultiPolygon"])]
    assert (polygons["area_km2"] > 0).all()


def test_the_five_transport_families_are_complete():
    gdf = catalogue_frame()
    counts = gdf["layer"].value_counts()
    # Task 9 names 19 airports; task 10 about 45 lines and sections; task 11 over 30 expressways.
    assert counts["aviation"] >= 19
    assert counts["railway"] >= 45
    assert counts["highway"] >= 30
    hubs = gdf[(gdf["layer"] == "waterway") & (gdf["kind"] == "hub")]
    # The fifth hub the plan names, 银蛇溪, has no known site: it is listed as unlocated instead.
    assert sorted(hubs["name"].str[:2]) == sorted(["利泽", "白马", "龙溪", "风洞"])


def test_cli_check_passes_on_the_shipped_data():
    result = subprocess.run(
        [sys.executable, "-m", "geo", "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_geometry_types_match_precision(features):
    for feature in features.values():
        kind = feature.geometry.geom_type
        expected = {
            "exact": {"Point"},
            "site": {"Point"},
            "seat": {"Point", "MultiPoint"},
            "route": {"LineString", "MultiLineString"},
            "area": {"Polygon", "MultiPolygon"},
            "river": {"LineString"},
            "schematic": {"LineString"},
        }[feature.precision]
        assert kind in expected, (feature.entry.id, kind)
        assert shapely.get_num_coordinates(feature.geometry) >= 1
        json.dumps(feature.places, ensure_ascii=False)


def test_unlocated_items_quote_the_plan_and_are_not_also_mapped():
    from geo.catalogue import load_unlocated

    plan = load_plan()
    items = load_unlocated()
    assert items
    names = [entry.name for entry in load_catalogue()]
    for item in items:
        assert item.quote in plan.task(item.task).text, item.quote
        assert item.reason and item.reason_en
        assert not any(item.name in name or name in item.name for name in names), (
            f"{item.name} is both mapped and unlocated"
        )


def _longest_common_substring(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def test_every_further_task_of_an_entry_names_the_item():
    # The quote comes from the first task; each further task must name the item too (at least a
    # four-character run of its name, e.g. 长江黄金水道 for 川渝长江黄金水道), so no task is
    # attached without the plan's words.
    plan = load_plan()
    for entry in load_catalogue():
        for number in entry.tasks[1:]:
            text = plan.task(number).text
            assert _longest_common_substring(entry.name, text) >= min(4, len(entry.name)), (entry.id, number)


def test_no_quote_starts_or_ends_inside_a_list():
    # A quote is the plan's words for the item: it never begins or ends on a list separator.
    for entry in load_catalogue():
        assert entry.quote[0] not in "、，,；;：:" and entry.quote[-1] not in "、，,；;：:（(", entry.id


def test_the_china_europe_express_lists_every_task_that_names_it(plan):
    express = next(e for e in load_catalogue() if e.id == "corridor-china-europe")
    naming = {task.number for task in plan.tasks if "中欧班列" in task.text}
    assert naming == {19, 31} and set(express.tasks) == naming


def test_the_three_gorges_reach_runs_through_wu_gorge_to_badong(features):
    gorges = features["culture-three-gorges"]
    assert gorges.precision == "river" and "巫峡" in gorges.entry.note
    badong = load_gazetteer().resolve("湖北/巴东").unit
    assert distance_km(Point(gorges.geometry.coords[-1]), Point(badong.lon, badong.lat)) < 5
