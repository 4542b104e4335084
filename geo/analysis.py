"""Spatial questions the plan raises: which units a feature touches, airport reach, one-hour circles.

Distances are straight lines measured in UTM 48N (EPSG:32648), the metric CRS of
:mod:`geo.features`. No travel time is ever computed here: without timetables or a road and rail
network the honest figures are straight-line distances and the reach a stated speed would give.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
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


# ---------------------------------------------------------------- measuring in metres

METRIC_CRS = "EPSG:32648"  # UTM 48N, as in geo.features
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_FROM_METRIC = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
# Circles are drawn with many segments so their area is within 0.01 % of πr².
CIRCLE_QUAD_SEGS = 64


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1])))


def from_metric(geometry: BaseGeometry) -> BaseGeometry:
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


# ---------------------------------------------------------------- 1. airport coverage

AIRPORT_SCENARIOS = ("existing", "plan", "reference")
# The service radius usually quoted in Chinese airport planning (a planning assumption, not a law):
# the page lets the user change it.
DEFAULT_SERVICE_RADIUS_KM = 100.0


def plan_airports(catalogue: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Airports of the aviation layer as rows (id, name, name_en, status, precision, lon, lat).

    "existing": the airports the plan names that exist, with their real coordinates (precision
    exact); "plan": every airport the plan names, new and relocated ones included — those have no
    site in the plan and stand at the seat of the city they serve (precision seat), or at each of
    the seats when the plan names two cities.
    """
    if scenario not in ("existing", "plan"):
        raise GeoError(f"unknown airport scenario: {scenario} (expected existing or plan)")
    rows = catalogue[catalogue["layer"] == "aviation"]
    if scenario == "existing":
        rows = rows[rows["precision"] == "exact"]
    # An airport the plan gives to two cities (内江(自贡)) stands at each seat: one row per point.
    rows = rows.explode(index_parts=False)
    rows = rows[rows.geom_type == "Point"]
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "name_en": rows["name_en"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "precision": rows["precision"].to_numpy(),
            "lon": rows.geometry.x.to_numpy(),
            "lat": rows.geometry.y.to_numpy(),
        }
    )


def reference_airports(airports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every airport of the shipped reference (airportsdata, the region and its neighbours) whose
    coordinates are known, whether or not the plan names it; same columns as :func:`plan_airports`."""
    if airports is None:
        from geo.resolve import load_airports

        airports = load_airports()
    known = airports[airports["note"].fillna("") == ""]
    return pd.DataFrame(
        {
            "id": known.index.to_numpy(),
            "name": known["name"].to_numpy(),
            "name_en": known["name"].to_numpy(),
            "status": "",
            "precision": "exact",
            "lon": known["lon"].astype(float).to_numpy(),
            "lat": known["lat"].astype(float).to_numpy(),
        }
    )


def scenario_airports(catalogue: pd.DataFrame, scenario: str) -> pd.DataFrame:
    if scenario == "reference":
        return reference_airports()
    return plan_airports(catalogue, scenario)


def nearest_airports(
    airports: pd.DataFrame, *, level: str = "county", gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """Each Sichuan and Chongqing unit at ``level``: its seat's straight-line distance (km) to the
    nearest of ``airports`` and which one that is, farthest first."""
    if airports.empty:
        raise GeoError("no airport to measure from")
    gazetteer = gazetteer or load_gazetteer()
    units = gazetteer.boundaries(level)
    seats = list(zip(units["lon"], units["lat"], strict=True))
    distances = distance_matrix_km(seats, list(zip(airports["lon"], airports["lat"], strict=True)))
    nearest = distances.argmin(axis=1)
    # An airport without an English name (a planned one) keeps its Chinese name in English tables.
    english = np.where(airports["name_en"].fillna("") != "", airports["name_en"], airports["name"])
    out = pd.DataFrame(
        {
            "adcode": units["adcode"].to_numpy(),
            "name": units["name"].to_numpy(),
            "name_en": units["name_en"].to_numpy(),
            "prefecture": [_parent_name(gazetteer, p) for p in units["parent"]],
            "prefecture_en": [_parent_name(gazetteer, p, english=True) for p in units["parent"]],
            "distance_km": distances[np.arange(len(units)), nearest],
            "airport_id": airports["id"].to_numpy()[nearest],
            "airport": airports["name"].to_numpy()[nearest],
            "airport_en": english[nearest],
            "airport_precision": airports["precision"].to_numpy()[nearest],
        }
    )
    return out.sort_values(["distance_km", "adcode"], ascending=[False, True], ignore_index=True)


def _parent_name(gazetteer: Gazetteer, parent: str | None, *, english: bool = False) -> str:
    if not parent:
        return ""
    unit = gazetteer.unit(parent)
    return (unit.name_en or unit.name) if english else unit.name


@dataclass(frozen=True)
class Coverage:
    """How much of the region lies within ``radius_km`` (straight line) of an airport."""

    radius_km: float
    units_within: int
    units_total: int
    area_within_km2: float
    area_total_km2: float

    @property
    def unit_share(self) -> float:
        return self.units_within / self.units_total if self.units_total else 0.0

    @property
    def area_share(self) -> float:
        return self.area_within_km2 / self.area_total_km2 if self.area_total_km2 else 0.0


def airport_coverage(
    airports: pd.DataFrame,
    radius_km: float,
    *,
    level: str = "county",
    gazetteer: Gazetteer | None = None,
    nearest: pd.DataFrame | None = None,
) -> Coverage:
    """Units whose seat is within ``radius_km`` of an airport, and the land area within it.

    The area is the region's polygons intersected with discs of ``radius_km`` round every airport,
    measured in UTM 48N: a straight-line radius, not a drive time.
    """
    if not radius_km > 0:
        raise GeoError(f"radius must be positive: {radius_km}")
    gazetteer = gazetteer or load_gazetteer()
    if nearest is None:
        nearest = nearest_airports(airports, level=level, gazetteer=gazetteer)
    region = _region_metric(gazetteer, level)
    discs = shapely.union_all(
        [
            shapely.Point(x, y).buffer(radius_km * 1000.0, quad_segs=CIRCLE_QUAD_SEGS)
            for x, y in zip(
                *_TO_METRIC.transform(airports["lon"].to_numpy(), airports["lat"].to_numpy()), strict=True
            )
        ]
    )
    return Coverage(
        radius_km=float(radius_km),
        units_within=int((nearest["distance_km"] <= radius_km).sum()),
        units_total=len(nearest),
        area_within_km2=region.intersection(discs).area / 1e6,
        area_total_km2=region.area / 1e6,
    )


@functools.cache
def _region_metric(gazetteer: Gazetteer, level: str) -> BaseGeometry:
    """Sichuan and Chongqing as one polygon in UTM 48N (the same for every radius and scenario)."""
    return to_metric(shapely.union_all(gazetteer.boundaries(level).geometry.values))


# ---------------------------------------------------------------- 2. the units a corridor serves

CORRIDOR_LAYERS = ("railway", "highway", "waterway")
DEFAULT_CORRIDOR = "rail-chengyu-middle"


def corridor_lines(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Line features of the railway, highway and waterway layers (the corridors one can follow)."""
    is_line = catalogue.geom_type.isin(["LineString", "MultiLineString"])
    return catalogue[is_line & catalogue["layer"].isin(CORRIDOR_LAYERS)]


def corridor_units(
    geometry: BaseGeometry, *, level: str = "county", gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """The units a line runs through, from its start: order, adcode, names, prefecture and the
    length of line inside each unit (km, UTM 48N)."""
    gazetteer = gazetteer or load_gazetteer()
    units = units_touched(geometry, level=level, gazetteer=gazetteer)
    line = to_metric(geometry)
    lengths = [to_metric(gazetteer.boundary(u.adcode)).intersection(line).length / 1000.0 for u in units]
    return pd.DataFrame(
        {
            "order": range(1, len(units) + 1),
            "adcode": [u.adcode for u in units],
            "name": [u.name for u in units],
            "name_en": [u.name_en for u in units],
            "prefecture": [_parent_name(gazetteer, u.parent) for u in units],
            "prefecture_en": [_parent_name(gazetteer, u.parent, english=True) for u in units],
            "length_km": lengths,
        }
    )


# ---------------------------------------------------------------- 3. the one-hour circle

CENTRAL_CITIES = ("510100", "500000")  # 成都市, 重庆市: the plan's two central cities
# Design speeds (km/h) a user can choose; the reach is straight-line distance in one hour.
DESIGN_SPEEDS_KMH = (350, 250, 200, 160, 120, 100, 80)
DEFAULT_SPEED_KMH = 350


def straight_line_reach_km(speed_kmh: float, hours: float = 1.0) -> float:
    """Distance covered at ``speed_kmh`` for ``hours`` without a stop, on a straight line: an
    upper bound of what a real trip of that duration reaches."""
    if not speed_kmh > 0 or not hours > 0:
        raise GeoError(f"speed and time must be positive: {speed_kmh} km/h, {hours} h")
    return float(speed_kmh) * float(hours)


def centre_distances(*, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Every unit of the prefecture-level map (Sichuan's prefectures, Chongqing's districts and
    counties): straight-line km from its seat to the seats of 成都 and 重庆, and to the nearer."""
    gazetteer = gazetteer or load_gazetteer()
    units = gazetteer.boundaries("prefecture")
    centres = [gazetteer.unit(code) for code in CENTRAL_CITIES]
    distances = distance_matrix_km(
        list(zip(units["lon"], units["lat"], strict=True)), [(c.lon, c.lat) for c in centres]
    )
    out = pd.DataFrame(
        {
            "adcode": units["adcode"].to_numpy(),
            "name": units["name"].to_numpy(),
            "name_en": units["name_en"].to_numpy(),
            "province": units["province"].to_numpy(),
            "lon": units["lon"].to_numpy(),
            "lat": units["lat"].to_numpy(),
            "km_chengdu": distances[:, 0],
            "km_chongqing": distances[:, 1],
        }
    )
    out["km_nearest"] = out[["km_chengdu", "km_chongqing"]].min(axis=1)
    return out.sort_values(["km_nearest", "adcode"], ignore_index=True)


@dataclass(frozen=True)
class Reach:
    """Units whose seat lies within the one-hour straight-line reach of each central city."""

    speed_kmh: float
    reach_km: float
    within_chengdu: int
    within_chongqing: int
    within_either: int
    total: int
    centres_km: float  # 成都 ↔ 重庆 seats

    @property
    def centres_within(self) -> bool:
        return self.centres_km <= self.reach_km

    @property
    def centres_min_minutes(self) -> float:
        """Time to cover the straight line between the two seats at this speed: a lower bound."""
        return self.centres_km / self.speed_kmh * 60.0


def one_hour_reach(speed_kmh: float, distances: pd.DataFrame | None = None, *, gazetteer=None) -> Reach:
    gazetteer = gazetteer or load_gazetteer()
    if distances is None:
        distances = centre_distances(gazetteer=gazetteer)
    reach = straight_line_reach_km(speed_kmh)
    chengdu, chongqing = (gazetteer.unit(code) for code in CENTRAL_CITIES)
    centres_km = float(
        distance_matrix_km([(chengdu.lon, chengdu.lat)], [(chongqing.lon, chongqing.lat)])[0, 0]
    )
    return Reach(
        speed_kmh=float(speed_kmh),
        reach_km=reach,
        within_chengdu=int((distances["km_chengdu"] <= reach).sum()),
        within_chongqing=int((distances["km_chongqing"] <= reach).sum()),
        within_either=int((distances["km_nearest"] <= reach).sum()),
        total=len(distances),
        centres_km=centres_km,
    )
