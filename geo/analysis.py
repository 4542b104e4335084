"""Spatial questions the plan raises: which units a feature touches, which districts a corridor serves.

Distances are straight lines measured in UTM 48N (EPSG:32648), the metric CRS of
:mod:`geo.features`. Airport coverage is in :mod:`geo.coverage`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.datafiles import LoadedTuple
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.vocabulary import LAYERS, PRECISIONS

# A polygon feature "lies in" a unit only if it shares more than a sliver with it: areas built from
# the same boundaries touch their neighbours along shared edges, which is not lying in them.
MIN_AREA_SHARE = 1e-3


def units_touched(
    geometry: BaseGeometry, *, level: str = "county", gazetteer: Gazetteer | None = None
) -> list[Unit]:
    """The Sichuan and Chongqing units at ``level`` that a feature lies in or passes through.

    Points give the units holding them; lines the units they run through (a line that only touches
    a unit at a point does not count), ordered from the line's start; polygons the units they
    overlap by more than a sliver (ordered by code). A geometry outside the region gives [].
    """
    if geometry is None or geometry.is_empty:
        raise GeoError("units_touched: empty geometry")
    gazetteer = gazetteer or load_gazetteer()
    frame = gazetteer.boundaries(level)
    hits = shapely.STRtree(frame.geometry.values).query(geometry, predicate="intersects")
    dimension = shapely.get_dimensions(geometry)
    found: list[tuple[float, str]] = []
    for i in hits:
        polygon = frame.geometry.iloc[i]
        adcode = frame["adcode"].iloc[i]
        if dimension == 0:
            found.append((0.0, adcode))
            continue
        shared = geometry.intersection(polygon)
        if dimension == 1:
            if shared.is_empty or shared.length == 0:
                continue
            found.append((_position_along(geometry, shared), adcode))
        else:
            if shared.area <= MIN_AREA_SHARE * min(polygon.area, geometry.area):
                continue
            found.append((0.0, adcode))
    found.sort()
    return [gazetteer.unit(adcode) for _, adcode in found]


def _position_along(line: BaseGeometry, part: BaseGeometry) -> float:
    """How far along ``line`` its shared ``part`` begins (in the line's own units)."""
    starts = [shapely.Point(piece.coords[0]) for piece in _line_pieces(part)]
    if not starts:
        starts = [shapely.Point(part.coords[0])] if hasattr(part, "coords") else []
    pieces = _line_pieces(line)
    best = float("inf")
    offset = 0.0
    for piece in pieces:
        for start in starts:
            if piece.distance(start) < 1e-9:
                best = min(best, offset + piece.project(start))
        offset += piece.length
    return best


def _line_pieces(geometry: BaseGeometry) -> list[BaseGeometry]:
    if geometry.geom_type == "LineString":
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [piece for part in geometry.geoms for piece in _line_pieces(part)]
    return []


# ---------------------------------------------------------------- measuring in metres

METRIC_CRS = "EPSG:32648"  # UTM 48N, as in geo.features
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_FROM_METRIC = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
# Circles are drawn with many segments so their area is within 0.01 % of πr².
CIRCLE_QUAD_SEGS = 64


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry in the metric CRS used for lengths and distances (metres)."""
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1])))


def from_metric(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry back from the metric CRS to WGS 84 longitude/latitude."""
    return shapely.transform(geometry, lambda xy: np.column_stack(_FROM_METRIC.transform(xy[:, 0], xy[:, 1])))


def distance_matrix_km(
    origins: Sequence[tuple[float, float]], targets: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Straight-line distances (km, UTM 48N) between (lon, lat) origins and targets: rows × columns."""
    if not len(origins) or not len(targets):
        return np.zeros((len(origins), len(targets)))
    ox, oy = _TO_METRIC.transform(*np.asarray(origins, dtype=float).T)
    tx, ty = _TO_METRIC.transform(*np.asarray(targets, dtype=float).T)
    return np.hypot(np.subtract.outer(ox, tx), np.subtract.outer(oy, ty)) / 1000.0


def circle(lon: float, lat: float, radius_km: float) -> BaseGeometry:
    """The disc of ``radius_km`` around a point, built in UTM 48N and returned in WGS 84."""
    x, y = _TO_METRIC.transform(lon, lat)
    return from_metric(shapely.Point(x, y).buffer(radius_km * 1000.0, quad_segs=CIRCLE_QUAD_SEGS))


def metric_xy(lon, lat):
    """(lon, lat) arrays in UTM 48N metres."""
    return _TO_METRIC.transform(lon, lat)


def parent_name(gazetteer: Gazetteer, parent: str | None, *, english: bool = False) -> str:
    """The name of the unit ``parent`` (Chinese, or English with ``english``); empty when there is none."""
    if not parent:
        return ""
    unit = gazetteer.unit(parent)
    return (unit.name_en or unit.name) if english else unit.name


# ---------------------------------------------------------------- 2. the units a corridor serves

CORRIDOR_LAYERS: LoadedTuple = LoadedTuple(
    lambda: tuple(layer.id for layer in LAYERS.terms() if layer.corridor)
)
DEFAULT_CORRIDOR = "rail-chengyu-middle"


def corridor_lines(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Line features of the railway, highway and waterway layers (the corridors one can follow)."""
    is_line = catalogue.geom_type.isin(["LineString", "MultiLineString"])
    return catalogue[is_line & catalogue["layer"].isin(list(CORRIDOR_LAYERS))]


# Precisions whose line follows the real thing (an OSM alignment, a river centreline): only those
# have kilometres per district worth quoting. Any other line (schematic: straight legs between
# seats) gives the districts it passes near, never lengths.
MEASURED_PRECISIONS: LoadedTuple = LoadedTuple(lambda: tuple(p.id for p in PRECISIONS.terms() if p.measured))


def is_measured(precision: str) -> bool:
    """True when a feature of this precision is a real line whose length means something."""
    return precision in PRECISIONS and PRECISIONS[precision].measured


def corridor_units(
    geometry: BaseGeometry,
    *,
    measured: bool = True,
    level: str = "county",
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """The units a line runs through, from its start: order, adcode, names, prefecture and, when
    ``measured``, the length of line inside each unit (km, UTM 48N; NaN otherwise)."""
    gazetteer = gazetteer or load_gazetteer()
    units = units_touched(geometry, level=level, gazetteer=gazetteer)
    if measured:
        line = to_metric(geometry)
        lengths = [to_metric(gazetteer.boundary(u.adcode)).intersection(line).length / 1000.0 for u in units]
    else:
        lengths = [float("nan")] * len(units)
    return pd.DataFrame(
        {
            "order": range(1, len(units) + 1),
            "adcode": [u.adcode for u in units],
            "name": [u.name for u in units],
            "name_en": [u.name_en for u in units],
            "prefecture": [parent_name(gazetteer, u.parent) for u in units],
            "prefecture_en": [parent_name(gazetteer, u.parent, english=True) for u in units],
            "length_km": lengths,
        }
    )


def find_corridor(catalogue: pd.DataFrame, name: str) -> pd.Series:
    """The corridor line with this id or exact Chinese or English name, else the best search hit among the lines."""
    lines = corridor_lines(catalogue)
    for column in ("id", "name", "name_en"):
        hits = lines[lines[column].fillna("") == name]
        if len(hits) == 1:
            return hits.iloc[0]
        if len(hits) > 1:
            raise GeoError(f"ambiguous corridor name: {name} ({', '.join(hits['id'])}); give its id")
    # Planners' names (成渝中线高铁, 渝西高铁 …): the best-ranked search hit that is a corridor line.
    from geo.search import search

    ids = set(lines["id"])
    for result in search(name, limit=None):
        if result.entry.id in ids:
            return lines[lines["id"] == result.entry.id].iloc[0]
    raise GeoError(f"unknown corridor: {name} (ids are listed by `python -m geo corridor --list`)")


def corridor_assumption(precision: str, lang: str = "en") -> str:
    """One line saying what the corridor's district list rests on."""
    if is_measured(precision):
        return (
            "沿真实线位(河道中心线或线路走向)求交,各区县内长度按UTM 48N量算。"
            if lang == "zh"
            else "Intersected along the real alignment (river centreline or route); km per unit measured in UTM 48N."
        )
    return (
        "示意线:依次连接所列城市驻地的直线,只列出它经过附近的区县,不给长度。"
        if lang == "zh"
        else "Schematic: straight lines between the named seats; lists the units it passes near, no lengths."
    )


def corridor_report(feature: pd.Series, *, gazetteer: Gazetteer | None = None) -> dict:
    """What the corridor figure of the 分析 page shows, as plain data."""
    measured = is_measured(feature["precision"])
    units = corridor_units(feature.geometry, measured=measured, gazetteer=gazetteer)
    rows = []
    for row in units.itertuples():
        item = {
            "order": row.order,
            "adcode": row.adcode,
            "name": row.name,
            "name_en": row.name_en,
            "prefecture": row.prefecture,
        }
        if measured:
            item["length_km"] = round(float(row.length_km), 1)
        rows.append(item)
    return {
        "id": feature["id"],
        "name": feature["name"],
        "layer": feature["layer"],
        "precision": feature["precision"],
        "task": int(feature["task"]),
        "measured": measured,
        "relation": "runs through" if measured else "passes near",
        "assumption": corridor_assumption(feature["precision"]),
        "prefectures": int(units["prefecture"].nunique()),
        "length_in_region_km": round(float(units["length_km"].sum()), 1) if measured else None,
        "units": rows,
    }
