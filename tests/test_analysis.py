"""geo/analysis.py: units a feature touches, airport reach, one-hour straight-line reach."""

from __future__ import annotations

import geopandas as gpd
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
