"""geo/analysis.py: units a feature touches, airport reach, one-hour straight-line reach."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box

from geo import analysis
from geo.analysis import units_touched
from geo.errors import GeoError
from geo.features import catalogue_frame
from geo.gazetteer import Gazetteer, Unit, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_frame().set_index("id", drop=False)


# ---------------------------------------------------------------- a code-made gazetteer


def _unit(adcode: str, name: str, lon: float, lat: float, level: str = "county", parent: str = "510100"):
    return Unit(adcode, name, name, level, parent, "四川省", lon, lat, name)


@pytest.fixture(scope="module")
def row_of_squares(tmp_path_factory) -> Gazetteer:
    """Three 1°×1° counties west to east (A, B, C) and a fourth (D) north of B."""
    squares = {
        "510101": ("甲县", box(100, 30, 101, 31)),
        "510102": ("乙县", box(101, 30, 102, 31)),
        "510103": ("丙县", box(102, 30, 103, 31)),
        "510104": ("丁县", box(101, 31, 102, 32)),
    }
    units = [_unit("510000", "四川省", 101, 30, "province", "")]
    units[0] = Unit("510000", "四川省", "四川", "province", None, "四川省", 101.0, 30.0, "Sichuan")
    units.append(_unit("510100", "某市", 101.5, 30.5, "prefecture", "510000"))
    for adcode, (name, square) in squares.items():
        units.append(_unit(adcode, name, square.centroid.x, square.centroid.y))
    path = tmp_path_factory.mktemp("gaz") / "boundaries.parquet"
    gpd.GeoDataFrame(
        {"adcode": list(squares)}, geometry=[s for _, s in squares.values()], crs="EPSG:4326"
    ).to_parquet(path)
    return Gazetteer(units, [], path)


def _names(units):
    return [u.name for u in units]


def test_line_lists_units_in_order_from_its_start(row_of_squares):
    east = LineString([(100.5, 30.5), (102.5, 30.5)])
    assert _names(units_touched(east, gazetteer=row_of_squares)) == ["甲县", "乙县", "丙县"]
    west = LineString([(102.5, 30.5), (100.5, 30.5)])
    assert _names(units_touched(west, gazetteer=row_of_squares)) == ["丙县", "乙县", "甲县"]


def test_line_that_turns_back_is_ordered_by_first_entry(row_of_squares):
    hook = LineString([(100.5, 30.5), (101.5, 30.5), (101.5, 31.5), (100.9, 31.5)])
    # 甲 → 乙 → 丁; the last leg ends in 丁 itself (x=100.9 is west of 丁, so in no square)
    assert _names(units_touched(hook, gazetteer=row_of_squares)) == ["甲县", "乙县", "丁县"]


def test_multiline_parts_are_taken_in_order(row_of_squares):
    parts = MultiLineString([[(102.2, 30.5), (102.8, 30.5)], [(100.2, 30.5), (100.8, 30.5)]])
    assert _names(units_touched(parts, gazetteer=row_of_squares)) == ["丙县", "甲县"]


def test_touching_a_unit_at_one_point_is_not_passing_through(row_of_squares):
    # ends exactly on the 甲/乙 edge: 乙 shares one point, no length
    line = LineString([(100.2, 30.5), (101.0, 30.5)])
    assert _names(units_touched(line, gazetteer=row_of_squares)) == ["甲县"]


def test_point_and_polygon(row_of_squares):
    assert _names(units_touched(Point(102.5, 30.5), gazetteer=row_of_squares)) == ["丙县"]
    assert units_touched(Point(90, 30), gazetteer=row_of_squares) == []
    # exactly 甲 ∪ 乙: 丁 and 丙 only share an edge with it
    area = box(100, 30, 102, 31)
    assert _names(units_touched(area, gazetteer=row_of_squares)) == ["甲县", "乙县"]


def test_empty_geometry_is_an_error(row_of_squares):
    with pytest.raises(GeoError):
        units_touched(LineString(), gazetteer=row_of_squares)


# ---------------------------------------------------------------- shipped data


def test_yangtze_yibin_chongqing_runs_through_luzhou_in_order(catalogue, gazetteer):
    river = catalogue.loc["waterway-yangtze-yibin-chongqing"]
    assert river["precision"] == "river"
    names = _names(units_touched(river.geometry))
    for expected in ("翠屏区", "江阳区", "合江县", "江津区"):
        assert expected in names
    assert names.index("翠屏区") < names.index("江阳区") < names.index("合江县") < names.index("江津区")
    assert names[0] == "翠屏区"  # 宜宾's seat district, where the section starts
    assert "成都" not in "".join(names)
    prefectures = _names(units_touched(river.geometry, level="prefecture"))
    assert prefectures[:2] == ["宜宾市", "泸州市"]
    assert "江津区" in prefectures  # Chongqing's districts stand in for prefectures


def test_chengyu_middle_line_starts_in_chengdu_and_ends_in_chongqing(catalogue, gazetteer):
    line = catalogue.loc["rail-chengyu-middle"]
    units = units_touched(line.geometry)
    assert units[0].adcode.startswith("5101")  # a 成都 district
    assert units[-1].adcode.startswith("50")
    assert {u.adcode[:2] for u in units} == {"51", "50"}
    # every unit really meets the line along a stretch
    for unit in units:
        assert gazetteer.boundary(unit.adcode).intersection(line.geometry).length > 0, unit.name


def test_every_county_seat_lies_in_its_own_county(gazetteer):
    for unit in gazetteer.units(level="county", region_only=True)[:60]:
        assert units_touched(Point(unit.lon, unit.lat)) == [unit], unit.name


def test_airport_point_lies_in_its_district(catalogue):
    tianfu = catalogue.loc["air-tianfu"]
    assert _names(units_touched(tianfu.geometry)) == ["简阳市"]


# ---------------------------------------------------------------- distances in metres


def test_distance_matrix_agrees_with_the_ellipsoid():
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    origins = [(104.06, 30.57), (106.55, 29.56), (102.0, 28.0)]
    targets = [(105.0, 30.0), (108.4, 30.8)]
    km = analysis.distance_matrix_km(origins, targets)
    assert km.shape == (3, 2)
    for i, (lon1, lat1) in enumerate(origins):
        for j, (lon2, lat2) in enumerate(targets):
            _, _, metres = geod.inv(lon1, lat1, lon2, lat2)
            # UTM 48N's scale error in the region stays well under 1 %
            assert km[i, j] == pytest.approx(metres / 1000.0, rel=0.01)


def test_circle_has_the_area_of_its_radius():
    disc = analysis.to_metric(analysis.circle(104.0, 30.5, 50.0))
    assert disc.area / 1e6 == pytest.approx(3.14159265 * 50.0**2, rel=1e-3)
    assert disc.contains(analysis.to_metric(Point(104.0, 30.5)))


# ---------------------------------------------------------------- 1. airports


def _airports(*points):
    return pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(len(points))],
            "name": [f"机场{i}" for i in range(len(points))],
            "name_en": [f"Airport {i}" for i in range(len(points))],
            "status": "",
            "precision": "exact",
            "lon": [p[0] for p in points],
            "lat": [p[1] for p in points],
        }
    )


def test_nearest_airport_on_code_made_units(row_of_squares):
    # one airport at 甲's seat: 甲 0 km, 乙 and 丁 one square away, 丙 two
    airports = _airports((100.5, 30.5))
    nearest = analysis.nearest_airports(airports, gazetteer=row_of_squares)
    by_name = nearest.set_index("name")["distance_km"]
    assert by_name["甲县"] == pytest.approx(0.0, abs=1e-6)
    assert by_name["丙县"] == pytest.approx(2 * by_name["乙县"], rel=0.01)
    assert 90 < by_name["乙县"] < 100  # one degree of longitude at 30.5°N ≈ 96 km
    assert list(nearest["name"])[0] == "丙县"  # farthest first
    assert set(nearest["airport_id"]) == {"a0"}
    # a second airport at 丙's seat takes 丙 over
    two = analysis.nearest_airports(_airports((100.5, 30.5), (102.5, 30.5)), gazetteer=row_of_squares)
    assert two.set_index("name").loc["丙县", "airport_id"] == "a1"


def test_coverage_counts_units_and_area(row_of_squares):
    airports = _airports((100.5, 30.5))
    nearest = analysis.nearest_airports(airports, gazetteer=row_of_squares)
    small = analysis.airport_coverage(airports, 20.0, gazetteer=row_of_squares, nearest=nearest)
    assert (small.units_within, small.units_total) == (1, 4)
    # a 20 km disc lies wholly inside 甲 (a square ~96 × 111 km)
    assert small.area_within_km2 == pytest.approx(3.14159265 * 20.0**2, rel=1e-3)
    squares = [box(100, 30, 101, 31), box(101, 30, 102, 31), box(102, 30, 103, 31), box(101, 31, 102, 32)]
    four_squares = analysis.to_metric(shapely.union_all(squares))
    assert small.area_total_km2 == pytest.approx(four_squares.area / 1e6, rel=1e-6)
    assert small.area_share == pytest.approx(small.area_within_km2 / small.area_total_km2)
    large = analysis.airport_coverage(airports, 1000.0, gazetteer=row_of_squares, nearest=nearest)
    assert large.unit_share == 1.0 and large.area_share == pytest.approx(1.0)
    with pytest.raises(GeoError):
        analysis.airport_coverage(airports, 0, gazetteer=row_of_squares)
    with pytest.raises(GeoError):
        analysis.nearest_airports(airports.iloc[0:0], gazetteer=row_of_squares)


def test_plan_airport_scenarios(catalogue):
    existing = analysis.plan_airports(catalogue, "existing")
    planned = analysis.plan_airports(catalogue, "plan")
    aviation = catalogue[catalogue["layer"] == "aviation"]
    # every entry is there; 内江(自贡) is placed at both seats it names
    assert set(planned["id"]) == set(aviation["id"])
    both = planned[planned["id"] == "air-neijiang-zigong"]
    assert len(both) == 2 and set(both["precision"]) == {"seat"}
    assert set(existing["id"]) == set(aviation.loc[aviation["precision"] == "exact", "id"])
    assert {"air-tianfu", "air-shuangliu", "air-jiangbei"} <= set(existing["id"])
    assert set(existing["id"]) < set(planned["id"])
    assert len(existing) == len(set(existing["id"]))
    assert set(planned.loc[planned["precision"] == "seat", "id"]) >= {"air-leshan", "air-chongqing-new"}
    with pytest.raises(GeoError):
        analysis.plan_airports(catalogue, "imagined")


def test_reference_airports_leave_out_unknown_coordinates():
    reference = analysis.reference_airports()
    assert "LSG" not in set(reference["id"])  # airportsdata's Leshan placeholder
    assert {"TFU", "CTU", "CKG", "YBP", "LZO", "XIC"} <= set(reference["id"])


def test_shipped_airport_coverage_grows_with_each_scenario(catalogue, gazetteer):
    shares = {}
    for scenario in analysis.AIRPORT_SCENARIOS:
        airports = analysis.scenario_airports(catalogue, scenario)
        nearest = analysis.nearest_airports(airports)
        assert len(nearest) == 221  # 183 Sichuan + 38 Chongqing county-level units
        coverage = analysis.airport_coverage(airports, 100.0, nearest=nearest)
        # the region's area is Sichuan's ~486,000 km² and Chongqing's ~82,400 km²
        assert 560_000 < coverage.area_total_km2 < 575_000
        shares[scenario] = coverage
        # a unit holding an airport is at most the unit's own size away from it
        tianfu_home = nearest.set_index("name").loc["简阳市"]
        if scenario != "reference":
            assert tianfu_home["airport_id"] == "air-tianfu"
    assert shares["existing"].units_within <= shares["plan"].units_within <= shares["reference"].units_within
    assert shares["existing"].area_within_km2 <= shares["plan"].area_within_km2
    # the plan's existing airports sit in the east: the western plateau is far from all of them
    existing = analysis.nearest_airports(analysis.scenario_airports(catalogue, "existing"))
    assert gazetteer.unit(existing["adcode"].iloc[0]).parent in {"513300", "513400", "513200", "510400"}
    assert existing["distance_km"].iloc[0] > 400
    for name in ("渝北区", "双流区"):
        assert existing.set_index("name").loc[name, "distance_km"] < 25


# ---------------------------------------------------------------- 2. corridors


def test_corridor_units_lengths_add_up_to_the_line(row_of_squares):
    line = LineString([(100.5, 30.5), (102.5, 30.5)])
    table = analysis.corridor_units(line, gazetteer=row_of_squares)
    assert list(table["name"]) == ["甲县", "乙县", "丙县"]
    assert list(table["order"]) == [1, 2, 3]
    total = analysis.to_metric(line).length / 1000.0
    assert table["length_km"].sum() == pytest.approx(total, rel=1e-6)
    assert table["length_km"].iloc[1] == pytest.approx(2 * table["length_km"].iloc[0], rel=0.01)


def test_corridor_lines_are_lines_of_transport_layers(catalogue):
    lines = analysis.corridor_lines(catalogue)
    assert analysis.DEFAULT_CORRIDOR in set(lines["id"])
    assert set(lines["layer"]) <= set(analysis.CORRIDOR_LAYERS)
    assert set(lines.geom_type) <= {"LineString", "MultiLineString"}
    assert {"schematic", "river"} <= set(lines["precision"])


def test_yangtze_section_units_cover_its_length(catalogue):
    river = catalogue.loc["waterway-yangtze-yibin-chongqing"]
    table = analysis.corridor_units(river.geometry)
    assert table["length_km"].sum() == pytest.approx(river["length_km"], rel=0.01)
    luzhou = table[table["prefecture"] == "泸州市"]
    assert {"江阳区", "合江县"} <= set(luzhou["name"])
    assert (table["length_km"] > 0).all()


# ---------------------------------------------------------------- 3. one-hour circle


def test_straight_line_reach():
    assert analysis.straight_line_reach_km(350) == 350.0
    assert analysis.straight_line_reach_km(100, hours=0.5) == 50.0
    with pytest.raises(GeoError):
        analysis.straight_line_reach_km(0)


def test_centre_distances_on_the_shipped_map(gazetteer):
    table = analysis.centre_distances()
    assert len(table) == 21 + 38
    chengdu = table.set_index("adcode").loc["510100"]
    assert chengdu["km_chengdu"] == pytest.approx(0.0, abs=1e-6)
    # 成都 and 重庆's seats are ~265 km apart in a straight line (the railways are ~300+ km)
    assert 255 < chengdu["km_chongqing"] < 275
    assert (table["km_nearest"] == table[["km_chengdu", "km_chongqing"]].min(axis=1)).all()
    assert list(table["km_nearest"]) == sorted(table["km_nearest"])


def test_one_hour_reach_grows_with_speed():
    table = analysis.centre_distances()
    reaches = [analysis.one_hour_reach(speed, table) for speed in sorted(analysis.DESIGN_SPEEDS_KMH)]
    within = [r.within_either for r in reaches]
    assert within == sorted(within)
    fastest = reaches[-1]
    assert fastest.speed_kmh == 350 and fastest.reach_km == 350
    assert fastest.centres_within  # 265 km < 350 km
    assert 40 < fastest.centres_min_minutes < 50
    slow = analysis.one_hour_reach(100, table)
    assert not slow.centres_within
    assert slow.within_either == int((table["km_nearest"] <= 100).sum())
    assert slow.within_chengdu + slow.within_chongqing >= slow.within_either


def test_english_columns_fall_back_to_chinese_names(catalogue):
    nearest = analysis.nearest_airports(analysis.scenario_airports(catalogue, "plan"))
    assert (nearest["airport_en"] != "").all()
    shiqu = nearest.set_index("name").loc["石渠县"]
    assert shiqu["prefecture"] == "甘孜藏族自治州" and shiqu["prefecture_en"] not in ("", "甘孜藏族自治州")
    table = analysis.corridor_units(catalogue.loc["waterway-yangtze-yibin-chongqing"].geometry)
    assert set(table["prefecture_en"]) == {"Yibin", "Luzhou", "Chongqing"}


# ---------------------------------------------------------------- the maps drawn from them


def test_distance_classes_cover_every_distance():
    from layers.analysis import DISTANCE_COLOURS, distance_classes, distance_colour

    assert distance_colour(0) == DISTANCE_COLOURS[0]
    assert distance_colour(100) == DISTANCE_COLOURS[1]  # a class holds its upper edge
    assert distance_colour(100.1) == DISTANCE_COLOURS[2]
    assert distance_colour(10_000) == DISTANCE_COLOURS[-1]
    assert [colour for _, colour in distance_classes()] == list(DISTANCE_COLOURS)


def test_maps_render_every_unit_and_escape_names(catalogue):
    from layers.analysis import airport_map, corridor_map, reach_map
    from layers.maps import rendered_html

    airports = analysis.scenario_airports(catalogue, "plan")
    airports.loc[0, "name"] = "<script>alert(1)</script>"
    nearest = analysis.nearest_airports(airports)
    page = rendered_html(airport_map(nearest, airports, 100.0, lang="en"))
    assert "<script>alert(1)</script>" not in page
    assert page.count('"adcode"') >= 221
    assert "Planned (city seat)" in page

    river = catalogue.loc["waterway-yangtze-yibin-chongqing"]
    units = analysis.corridor_units(river.geometry)
    page = rendered_html(corridor_map(river, units))
    assert page.count('"adcode"') >= len(units)
    assert "合江县" in page

    page = rendered_html(reach_map(analysis.centre_distances(), 350.0, lang="en"))
    assert "Straight-line reach in 1 h at design speed" in page
