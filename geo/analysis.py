"""Spatial questions the plan raises: which units a feature touches, airport reach, one-hour circles.

Distances are straight lines measured in UTM 48N (EPSG:32648), the metric CRS of
:mod:`geo.features`. No travel time is ever computed here: without timetables or a road and rail
network the honest figures are straight-line distances and the reach a stated speed would give.
"""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError
from geo.gazetteer import Gazetteer, Unit, load_gazetteer

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
