"""geo/analysis.py: units a feature touches, distances in metres, the districts a corridor passes."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, MultiLineString, Point, box

from geo import analysis
from geo.analysis import units_touched
from geo.errors import GeoError
from geo.features import catalogue_frame
from geo.gazetteer import Unit, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_frame().set_index("id", drop=False)


# ---------------------------------------------------------------- a code-made gazetteer


def _unit(adcode: str, name: str, lon: float, lat: float, level: str = "county", parent: str = "510100"):
    return Unit(adcode, name, name, level, parent, "四川省", lon, lat, name)


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


def test_corridor_rule_lengths_only_for_real_alignments(catalogue):
    # by precision, not by feature: route and river are measured, anything else is not
    assert analysis.is_measured("route") and analysis.is_measured("river")
    assert not any(analysis.is_measured(p) for p in ("schematic", "seat", "site", "area", "exact"))
    schematic = catalogue.loc[analysis.DEFAULT_CORRIDOR]
    assert schematic["precision"] == "schematic"
    report = analysis.corridor_report(schematic)
    assert report["measured"] is False and report["relation"] == "passes near"
    assert report["length_in_region_km"] is None
    assert all("length_km" not in unit for unit in report["units"])
    assert "Schematic" in report["assumption"]
    names = [u["name"] for u in report["units"]]
    assert names[0] == "武侯区" and len(names) == len(set(names)) > 5
    river = analysis.corridor_report(catalogue.loc["waterway-yangtze-yibin-chongqing"])
    assert river["measured"] is True and river["relation"] == "runs through"
    assert all(unit["length_km"] > 0 for unit in river["units"])
    assert river["length_in_region_km"] == pytest.approx(sum(u["length_km"] for u in river["units"]), abs=1.0)


def test_a_route_line_is_measured_like_a_river(catalogue):
    # a feature of precision route (a real alignment) gets km per unit with no list of ids
    feature = catalogue.loc[analysis.DEFAULT_CORRIDOR].copy()
    feature["precision"] = "route"
    report = analysis.corridor_report(feature)
    assert report["measured"] is True
    assert sum(u["length_km"] for u in report["units"]) == pytest.approx(
        analysis.to_metric(feature.geometry).length / 1000.0, rel=0.05
    )


def test_find_corridor_by_id_or_name(catalogue):
    feature = analysis.find_corridor(catalogue, analysis.DEFAULT_CORRIDOR)
    assert analysis.find_corridor(catalogue, feature["name"])["id"] == analysis.DEFAULT_CORRIDOR
    with pytest.raises(GeoError, match="unknown corridor"):
        analysis.find_corridor(catalogue, "no such line")


@pytest.mark.parametrize(
    ("common_name", "line_id"),
    [("成渝中线高铁", "rail-chengyu-middle"), ("成达万高铁", "rail-chengdu-dazhou-wanzhou")],
)
def test_find_corridor_by_a_planners_name(catalogue, common_name, line_id):
    assert analysis.find_corridor(catalogue, common_name)["id"] == line_id


def test_english_columns_fall_back_to_chinese_names(catalogue):
    table = analysis.corridor_units(catalogue.loc["waterway-yangtze-yibin-chongqing"].geometry)
    assert set(table["prefecture_en"]) == {"Yibin", "Luzhou", "Chongqing"}


# ---------------------------------------------------------------- the maps drawn from them


def test_corridor_map_renders_every_unit_and_says_near_for_schematic(catalogue):
    from layers.analysis import corridor_map
    from layers.maps import rendered_html

    river = catalogue.loc["waterway-yangtze-yibin-chongqing"]
    units = analysis.corridor_units(river.geometry)
    page = rendered_html(corridor_map(river, units))
    assert page.count('"adcode"') >= len(units)
    assert "合江县" in page
    schematic = catalogue.loc[analysis.DEFAULT_CORRIDOR]
    units = analysis.corridor_units(schematic.geometry, measured=False)
    page = rendered_html(corridor_map(schematic, units, lang="en"))
    assert "Units it passes near" in page and " km<" not in page
