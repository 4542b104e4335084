"""Airport coverage of Sichuan and Chongqing: the airports in operation today, and with the plan's.

Two scenarios, compared unit by unit:

- ``today``: every civil airport of the shipped reference (``data/reference/airports.csv``, built
  from airportsdata) in mainland China with a known coordinate, less what the dataset itself names
  an air base or as under construction;
- ``plan``: today's airports and every airport the plan names that has no coordinate in the
  reference (new and relocated ones): they stand at the seat of the city they serve, or at a site
  point where the catalogue cites one.

Distances are straight lines in UTM 48N from each county seat; the area covered is the region
intersected with discs of the radius. No county population table from an open, citable source
could be shipped with the project, so coverage is by unit count and by area only
(:data:`POPULATION_NOTE`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis import CIRCLE_QUAD_SEGS, distance_matrix_km, metric_xy, parent_name, to_metric
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer

SCENARIOS = ("today", "plan")
DEFAULT_SCENARIO = "today"
# The service radius usually quoted in Chinese airport planning (a planning assumption, not a law).
DEFAULT_SERVICE_RADIUS_KM = 100.0
# What airportsdata itself says is not a civil airport in operation: its names carry it.
NOT_IN_OPERATION = ("under construction", "air base")

ASSUMPTION_ZH = "距离为区县驻地到最近机场的直线距离(UTM 48N),不是行车距离或时间。"
ASSUMPTION_EN = "Distances are straight lines from each county seat to the nearest airport (UTM 48N), not road distances or travel times."
POPULATION_NOTE_ZH = (
    "没有按人口加权:本项目找不到可随仓库离线提供、来源可引用的开放区县人口表(如2020年第七次人口普查区县数据),"
    "所以只给出区县个数和面积。四川西部高原面积大、人口少,面积比例不是人口比例。"
)
POPULATION_NOTE_EN = (
    "Not weighted by population: no open county population table with a citable source (such as the "
    "2020 census county figures) could be shipped with the project, so coverage is by count of "
    "county units and by area. Western Sichuan's plateau is large and thinly peopled: the area share "
    "is not a population share."
)


def today_airports(airports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Civil airports in operation today as the shipped reference gives them (see module doc):
    rows (id, name, name_en, status, precision, lon, lat, source)."""
    if airports is None:
        from geo.resolve import load_airports

        airports = load_airports()
    names = airports["name"].str.lower()
    keep = (
        (airports["country"] == "CN")
        & (airports["note"].fillna("") == "")
        & ~names.str.contains("|".join(NOT_IN_OPERATION), regex=True)
    )
    known = airports[keep]
    names = known["name"].str.split().str.join(" ").to_numpy()
    return pd.DataFrame(
        {
            "id": known.index.to_numpy(),
            "name": names,
            "name_en": names,
            "status": "",
            "precision": "exact",
            "lon": known["lon"].astype(float).to_numpy(),
            "lat": known["lat"].astype(float).to_numpy(),
            "source": "today",
        }
    )


def plan_additions(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The airports the plan names that are not in today's reference: every aviation point whose
    precision is not ``exact`` (an ``exact`` point is an airport of the reference). An airport the
    plan gives to two cities (内江(自贡)) stands at each seat: one row per point."""
    rows = catalogue[(catalogue["layer"] == "aviation") & (catalogue["precision"] != "exact")]
    rows = rows.explode(index_parts=False)
    rows = rows[rows.geom_type == "Point"]
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "name_en": rows["name_en"].fillna("").to_numpy(),
            "status": rows["status"].to_numpy(),
            "precision": rows["precision"].to_numpy(),
            "lon": rows.geometry.x.to_numpy(),
            "lat": rows.geometry.y.to_numpy(),
            "source": "plan",
        }
    )


def scenario_airports(catalogue: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The airports of a scenario: today's, or today's plus the plan's; GeoError for an unknown one."""
    if scenario not in SCENARIOS:
        raise GeoError(f"unknown scenario: {scenario} (expected {' or '.join(SCENARIOS)})")
    today = today_airports()
    if scenario == "today":
        return today
    return pd.concat([today, plan_additions(catalogue)], ignore_index=True)


def nearest_airports(
    airports: pd.DataFrame, *, level: str = "county", gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """Each Sichuan and Chongqing unit at ``level``: its seat's straight-line distance (km) to the
    nearest of ``airports`` and which one that is, in order of adcode."""
    if airports.empty:
        raise GeoError("no airport to measure from")
    gazetteer = gazetteer or load_gazetteer()
    units = gazetteer.boundaries(level).sort_values("adcode")
    seats = list(zip(units["lon"], units["lat"], strict=True))
    distances = distance_matrix_km(seats, list(zip(airports["lon"], airports["lat"], strict=True)))
    nearest = distances.argmin(axis=1)
    # An airport without an English name (a planned one) keeps its Chinese name in English tables.
    english = np.where(airports["name_en"].fillna("") != "", airports["name_en"], airports["name"])
    return pd.DataFrame(
        {
            "adcode": units["adcode"].to_numpy(),
            "name": units["name"].to_numpy(),
            "name_en": units["name_en"].to_numpy(),
            "prefecture": [parent_name(gazetteer, p) for p in units["parent"]],
            "prefecture_en": [parent_name(gazetteer, p, english=True) for p in units["parent"]],
            "distance_km": distances[np.arange(len(units)), nearest],
            "airport_id": airports["id"].to_numpy()[nearest],
            "airport": airports["name"].to_numpy()[nearest],
            "airport_en": english[nearest],
            "airport_precision": airports["precision"].to_numpy()[nearest],
        }
    )


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
    """Units whose seat is within ``radius_km`` of an airport, and the land area within it (the
    region's polygons intersected with discs round every airport, in UTM 48N)."""
    if not radius_km > 0:
        raise GeoError(f"radius must be positive: {radius_km}")
    gazetteer = gazetteer or load_gazetteer()
    if nearest is None:
        nearest = nearest_airports(airports, level=level, gazetteer=gazetteer)
    region = _region_metric(gazetteer, level)
    xs, ys = metric_xy(airports["lon"].to_numpy(), airports["lat"].to_numpy())
    discs = shapely.union_all(
        [
            shapely.Point(x, y).buffer(radius_km * 1000.0, quad_segs=CIRCLE_QUAD_SEGS)
            for x, y in zip(xs, ys, strict=True)
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


def county_table(today: pd.DataFrame, plan: pd.DataFrame, radius_km: float) -> pd.DataFrame:
    """One row per county unit: nearest airport and distance today and with the plan's airports,
    whether the seat is within ``radius_km`` in each, and whether the plan brings it within."""
    joined = today.merge(
        plan[["adcode", "distance_km", "airport_id", "airport", "airport_en", "airport_precision"]],
        on="adcode",
        suffixes=("_today", "_plan"),
    )
    joined["within_today"] = joined["distance_km_today"] <= radius_km
    joined["within_plan"] = joined["distance_km_plan"] <= radius_km
    joined["gains"] = joined["within_plan"] & ~joined["within_today"]
    return joined


def gained_counties(table: pd.DataFrame) -> pd.DataFrame:
    """The units the plan's airports bring within the radius, largest gain in distance first."""
    gains = table[table["gains"]].copy()
    gains["closer_km"] = gains["distance_km_today"] - gains["distance_km_plan"]
    return gains.sort_values(["closer_km", "adcode"], ascending=[False, True], ignore_index=True)


@dataclass(frozen=True)
class CoverageReport:
    """Everything the coverage figure of the 分析 page shows for one scenario and radius."""

    scenario: str
    radius_km: float
    airports: pd.DataFrame
    coverage: Coverage
    table: pd.DataFrame  # county_table of both scenarios
    gains: pd.DataFrame

    def to_dict(self) -> dict:
        suffix = self.scenario
        counties = [
            {
                "adcode": row.adcode,
                "name": row.name,
                "name_en": row.name_en,
                "prefecture": row.prefecture,
                "distance_km": round(float(getattr(row, f"distance_km_{suffix}")), 1),
                "nearest_airport": getattr(row, f"airport_{suffix}"),
                "nearest_airport_id": getattr(row, f"airport_id_{suffix}"),
                "within": bool(getattr(row, f"within_{suffix}")),
                "gains_with_plan": bool(row.gains),
            }
            for row in self.table.itertuples()
        ]
        c = self.coverage
        return {
            "scenario": self.scenario,
            "radius_km": self.radius_km,
            "assumption": ASSUMPTION_EN,
            "airports": [
                {
                    "id": r.id,
                    "name": r.name,
                    "precision": r.precision,
                    "source": r.source,
                    "lon": r.lon,
                    "lat": r.lat,
                }
                for r in self.airports.itertuples()
            ],
            "units": {"within": c.units_within, "total": c.units_total, "share": round(c.unit_share, 4)},
            "area_km2": {
                "within": round(c.area_within_km2, 0),
                "total": round(c.area_total_km2, 0),
                "share": round(c.area_share, 4),
            },
            "population": None,
            "population_note": POPULATION_NOTE_EN,
            "gained_with_plan": [row["adcode"] for _, row in self.gains.iterrows()],
            "counties": counties,
        }


def coverage_report(
    catalogue: pd.DataFrame, scenario: str, radius_km: float, *, gazetteer: Gazetteer | None = None
) -> CoverageReport:
    """The coverage of ``scenario`` at ``radius_km`` with the per-county comparison of both."""
    if scenario not in SCENARIOS:
        raise GeoError(f"unknown scenario: {scenario} (expected {' or '.join(SCENARIOS)})")
    if not 0 < radius_km <= 1000:
        raise GeoError(f"radius must be between 0 and 1000 km: {radius_km:g}")
    gazetteer = gazetteer or load_gazetteer()
    airports = {s: scenario_airports(catalogue, s) for s in SCENARIOS}
    nearest = {s: nearest_airports(airports[s], gazetteer=gazetteer) for s in SCENARIOS}
    table = county_table(nearest["today"], nearest["plan"], radius_km)
    coverage = airport_coverage(airports[scenario], radius_km, gazetteer=gazetteer, nearest=nearest[scenario])
    return CoverageReport(
        scenario, float(radius_km), airports[scenario], coverage, table, gained_counties(table)
    )
