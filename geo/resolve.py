"""Catalogue geometry specs → shapely geometries with an honest precision class.

| spec                              | precision  | geometry                                        |
|-----------------------------------|------------|-------------------------------------------------|
| ``{airport: TFU, city: 成都}``     | exact      | the airport's coordinate from airportsdata      |
| ``{seat: 乐山}``                   | seat       | the seat point of the named unit                |
| ``{seats: [重庆, 成都]}``           | seat       | a MultiPoint of seats                           |
| ``{area: [梁平, 垫江]}``            | area       | union of the units' boundaries (groupings expand) |
| ``{river: Jialing, from: A, to: B}`` | river    | the Natural Earth centreline between A and B    |
| ``{via: [成都, 达州, 万州]}``        | schematic  | a line through the seats, not an alignment      |
| ``{site: 天府新区}``               | site       | a known site (±2 km) of a non-unit place, cited |
| ``{route: chengyu-chengdu-longchang}`` | route | a real alignment (OpenStreetMap)              |
| ``{expressway: [G85], from: A, to: B}`` | route | the real expressway (Travel Mapping) between A and B |

A ``via`` list may name a known site (天府站) instead of a unit; its point is used. River specs
look the name up in Natural Earth first, then in the GSHHG lines (涪江, 渠江).

Resolution never guesses: an unknown place, an unknown airport code or a river that does not pass
near its end points raises :class:`~geo.errors.CatalogueError` naming the entry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPoint, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geo import datafiles
from geo.catalogue import Entry, load_catalogue
from geo.datafiles import DATA_DIR, LoadedTuple
from geo.errors import CatalogueError, GeoError
from geo.expressways import TM_ATTRIBUTION, section
from geo.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.groupings import expand
from geo.vocabulary import PRECISIONS as PRECISION_TERMS

AIRPORTS_PATH = DATA_DIR / "reference" / "airports.csv"
RIVERS_PATH = DATA_DIR / "reference" / "rivers.geojson"
GSHHG_RIVERS_PATH = DATA_DIR / "reference" / "rivers_gshhg.geojson"
ROUTES_PATH = DATA_DIR / "reference" / "railways_osm.geojson"
SITES_PATH = DATA_DIR / "reference" / "sites.csv"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

PRECISIONS: LoadedTuple = LoadedTuple(lambda: PRECISION_TERMS.ids)  # read on first use
PRECISION_BY_SPEC = {
    "airport": "exact",
    "seat": "seat",
    "seats": "seat",
    "area": "area",
    "river": "river",
    "via": "schematic",
    "site": "site",
    "route": "route",
    "expressway": "route",
}
# A site is a point known to about this accuracy; further from its place's unit it is a wrong site.
SITE_UNIT_MAX_KM = 2.0
# Outside Sichuan and Chongqing only the seat is known: a site within this distance of it is in it.
SITE_SEAT_MAX_KM = 60.0
# A route's ends lie this close to the places its section is named after.
ROUTE_END_MAX_KM = 15.0
# An airport further than this from the city it is said to serve is a wrong code, not a fact.
AIRPORT_CITY_MAX_KM = 80.0
# A river end further than this from the place named is the wrong river or the wrong place.
RIVER_END_MAX_KM = 15.0
# Parts of a Natural Earth river split at a confluence or a lake are joined when this close.
RIVER_GAP_MAX_DEG = 0.05

_TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


@dataclass(frozen=True)
class Feature:
    """A catalogue entry with its resolved geometry (WGS 84)."""

    entry: Entry
    geometry: BaseGeometry
    precision: str
    source: str
    places: tuple[str, ...]


def metric(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry in UTM 48N (metres), the zone that covers Sichuan and Chongqing."""
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1])))


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """The distance between two WGS 84 geometries in kilometres (metric CRS)."""
    return metric(a).distance(metric(b)) / 1000.0


@functools.cache
def load_airports() -> pd.DataFrame:
    """The shipped airport reference (airportsdata subset), indexed by IATA code."""
    with datafiles.reading(AIRPORTS_PATH):
        return pd.read_csv(AIRPORTS_PATH, dtype=str, keep_default_na=False).set_index("iata")


@functools.cache
def load_rivers() -> gpd.GeoDataFrame:
    """Natural Earth centrelines, then the GSHHG lines of rivers Natural Earth lacks (涪江, 渠江)."""
    with datafiles.reading(RIVERS_PATH):
        natural_earth = gpd.read_file(RIVERS_PATH)
        natural_earth["source"] = "Natural Earth 10m river centreline"
    with datafiles.reading(GSHHG_RIVERS_PATH):
        gshhg = gpd.read_file(GSHHG_RIVERS_PATH)[["name", "source", "geometry"]]
    return gpd.GeoDataFrame(pd.concat([natural_earth, gshhg], ignore_index=True), crs=natural_earth.crs)


@functools.cache
def load_routes() -> gpd.GeoDataFrame:
    """Real railway alignments (OpenStreetMap) of plan items, indexed by key."""
    with datafiles.reading(ROUTES_PATH):
        return gpd.read_file(ROUTES_PATH).set_index("id")


@functools.cache
def load_sites() -> pd.DataFrame:
    """Known sites of non-unit places (OpenStreetMap stations, cited coordinates), by name."""
    with datafiles.reading(SITES_PATH):
        return pd.read_csv(SITES_PATH, dtype=str, keep_default_na=False).set_index("name")


class Resolver:
    """Resolves geometry specs against a gazetteer, the airport table and the river lines."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        airports: pd.DataFrame | None = None,
        rivers: gpd.GeoDataFrame | None = None,
        sites: pd.DataFrame | None = None,
        routes: gpd.GeoDataFrame | None = None,
    ):
        self.gazetteer = gazetteer or load_gazetteer()
        self._airports = airports
        self._rivers = rivers
        self._sites = sites
        self._routes = routes

    @property
    def routes(self) -> gpd.GeoDataFrame:
        if self._routes is None:
            self._routes = load_routes()
        return self._routes

    @property
    def airports(self) -> pd.DataFrame:
        if self._airports is None:
            self._airports = load_airports()
        return self._airports

    @property
    def rivers(self) -> gpd.GeoDataFrame:
        if self._rivers is None:
            self._rivers = load_rivers()
        return self._rivers

    # -- places -------------------------------------------------------------------------------
    def unit(self, entry: Entry, name: str) -> Unit:
        try:
            return self.gazetteer.resolve(str(name)).unit
        except GeoError as exc:
            raise CatalogueError(f"{entry.id}: {exc}") from None

    def units(self, entry: Entry, name: str) -> list[Unit]:
        try:
            return expand(str(name), self.gazetteer)
        except GeoError as exc:
            raise CatalogueError(f"{entry.id}: {exc}") from None

    @property
    def sites(self) -> pd.DataFrame:
        if self._sites is None:
            self._sites = load_sites()
        return self._sites

    def site_point(self, name: str) -> Point | None:
        if name not in self.sites.index:
            return None
        row = self.sites.loc[name]
        return Point(float(row["lon"]), float(row["lat"]))

    # -- specs --------------------------------------------------------------------------------
    def resolve(self, entry: Entry) -> Feature:
        kind = entry.geometry_kind
        if kind == "invalid":
            raise CatalogueError(f"{entry.id}: geometry needs exactly one of {', '.join(PRECISION_BY_SPEC)}")
        geometry, source, places = getattr(self, f"_{kind}")(entry, entry.geometry)
        if geometry.is_empty or not geometry.is_valid:
            raise CatalogueError(f"{entry.id}: resolved geometry is empty or invalid")
        return Feature(entry, geometry, PRECISION_BY_SPEC[kind], source, tuple(dict.fromkeys(places)))

    def _airport(self, entry: Entry, spec: dict):
        code = str(spec["airport"]).upper()
        if code not in self.airports.index:
            raise CatalogueError(f"{entry.id}: airport {code} is not in the airport reference")
        row = self.airports.loc[code]
        if "unknown" in row["name"].lower():
            raise CatalogueError(
                f"{entry.id}: airport {code} ({row['name']}) has no known coordinate; use a seat spec"
            )
        point = Point(float(row["lon"]), float(row["lat"]))
        places = []
        if "city" in spec:
            city = self.unit(entry, spec["city"])
            km = distance_km(point, Point(city.lon, city.lat))
            if km > AIRPORT_CITY_MAX_KM:
                raise CatalogueError(
                    f"{entry.id}: airport {code} is {km:.0f} km from {city.name}, the city it serves"
                )
            places.append(city.name)
        places.extend(self._places_at(point))
        return point, f"airportsdata: {code} {row['name']}", places

    def _seat(self, entry: Entry, spec: dict):
        unit = self.unit(entry, spec["seat"])
        return (
            Point(unit.lon, unit.lat),
            f"gazetteer seat of {unit.name} ({unit.adcode})",
            self._lineage(unit),
        )

    def _seats(self, entry: Entry, spec: dict):
        units = [self.unit(entry, name) for name in _as_list(spec["seats"])]
        if len(units) < 2:
            raise CatalogueError(f"{entry.id}: seats needs two or more places; use seat for one")
        # A place with a known site (天府新区) is drawn there rather than at its unit's seat.
        points = [self.site_point(str(name)) for name in _as_list(spec["seats"])]
        geometry = MultiPoint(
            [(p.x, p.y) if p is not None else (u.lon, u.lat) for p, u in zip(points, units, strict=True)]
        )
        names = "、".join(u.name for u in units)
        return geometry, f"gazetteer seats of {names}", [p for u in units for p in self._lineage(u)]

    def _area(self, entry: Entry, spec: dict):
        units: list[Unit] = []
        for name in _as_list(spec["area"]):
            units.extend(self.units(entry, name))
        units = list({u.adcode: u for u in units}.values())
        shapes = []
        for unit in units:
            boundary = self.gazetteer.boundary(unit.adcode)
            if boundary is None:
                raise CatalogueError(f"{entry.id}: {unit.name} has no boundary in the gazetteer")
            shapes.append(boundary)
        geometry = union_of_units(shapes)
        names = "、".join(u.name for u in units)
        return geometry, f"union of administrative boundaries: {names}", [u.name for u in units]

    def _via(self, entry: Entry, spec: dict):
        names = [str(name) for name in _as_list(spec["via"])]
        if len(names) < 2:
            raise CatalogueError(f"{entry.id}: via needs two or more places")
        coords, labels, places = [], [], []
        for name in names:
            point = self.site_point(name)
            if point is None:
                unit = self.unit(entry, name)
                point, label, place = Point(unit.lon, unit.lat), unit.short_name, unit.name
            else:
                label, place = name, name
            coords.append((point.x, point.y))
            labels.append(label)
            places.append(place)
        if len(set(coords)) != len(coords):
            raise CatalogueError(f"{entry.id}: via repeats a place")
        route = " → ".join(labels)
        return LineString(coords), f"schematic line through seats: {route}", places

    def _site(self, entry: Entry, spec: dict):
        """A known site of a non-unit place; it must lie in (or within 2 km of) the unit it belongs to."""
        name = str(spec["site"])
        point = self.site_point(name)
        if point is None:
            raise CatalogueError(f"{entry.id}: no known site {name!r} in data/reference/sites.csv")
        unit = self.unit(entry, spec.get("in", name))
        boundary = self.gazetteer.boundary(unit.adcode)
        if boundary is not None:
            km, limit = distance_km(point, boundary), SITE_UNIT_MAX_KM
        else:  # a unit outside the two provinces has only its seat
            km, limit = distance_km(point, Point(unit.lon, unit.lat)), SITE_SEAT_MAX_KM
        if km > limit:
            raise CatalogueError(f"{entry.id}: site {name} lies {km:.0f} km outside {unit.name}")
        return point, f"site: {self.sites.loc[name, 'source']}", [*self._places_at(point)] or [unit.name]

    def _route(self, entry: Entry, spec: dict):
        key = str(spec["route"])
        if key not in self.routes.index:
            raise CatalogueError(f"{entry.id}: no route {key!r} in data/reference/railways_osm.geojson")
        line = self.routes.loc[key, "geometry"]
        if "from" not in spec or "to" not in spec:
            raise CatalogueError(f"{entry.id}: a route spec needs from and to")
        start, end = self.unit(entry, spec["from"]), self.unit(entry, spec["to"])
        for unit in (start, end):
            km = distance_km(line, Point(unit.lon, unit.lat))
            if km > ROUTE_END_MAX_KM:
                raise CatalogueError(f"{entry.id}: route {key} passes {km:.0f} km from {unit.name}")
        section = self.routes.loc[key, "section"]
        places = [start.name, *self._places_along(line), end.name]
        return line, f"OpenStreetMap railway ({OSM_ATTRIBUTION}, ODbL): {section}", places

    def _expressway(self, entry: Entry, spec: dict):
        """The section of real expressways (Travel Mapping) between the interchanges nearest two places."""
        routes = tuple(str(route) for route in _as_list(spec["expressway"]))
        if "from" not in spec or "to" not in spec:
            raise CatalogueError(f"{entry.id}: an expressway spec needs from and to")
        start, end = self.unit(entry, spec["from"]), self.unit(entry, spec["to"])
        through = [self.unit(entry, name) for name in _as_list(spec.get("through", []))]
        try:
            cut = section(routes, [(u.lon, u.lat) for u in (start, *through, end)])
        except ValueError as exc:
            raise CatalogueError(f"{entry.id}: {exc}") from None
        for unit in (start, end):
            km = distance_km(cut.line, Point(unit.lon, unit.lat))
            if km > ROUTE_END_MAX_KM:
                raise CatalogueError(
                    f"{entry.id}: expressway {'/'.join(routes)} passes {km:.0f} km from {unit.name}"
                )
        places = [start.name, *self._places_along(cut.line), end.name]
        return cut.line, f"{TM_ATTRIBUTION} (ODbL): {cut.describe()}", places

    def _river(self, entry: Entry, spec: dict):
        name = str(spec["river"])
        lines = self.rivers[self.rivers["name"] == name]
        if lines.empty:
            raise CatalogueError(f"{entry.id}: no river named {name!r} in the river reference")
        if "from" not in spec or "to" not in spec:
            raise CatalogueError(f"{entry.id}: a river spec needs from and to")
        river = join_river_parts(shapely.union_all(lines.geometry.values))
        start, end = self.unit(entry, spec["from"]), self.unit(entry, spec["to"])
        section = river_section(river, Point(start.lon, start.lat), Point(end.lon, end.lat))
        for unit in (start, end):
            km = distance_km(section, Point(unit.lon, unit.lat))
            if km > RIVER_END_MAX_KM:
                raise CatalogueError(f"{entry.id}: the {name} passes {km:.0f} km from {unit.name}")
        places = [start.name, *self._places_along(section), end.name]
        origin = str(lines["source"].iloc[0]) if "source" in lines else "Natural Earth 10m river centreline"
        return section, f"{origin}: {name}, {start.short_name} – {end.short_name}", places

    # -- places a geometry lies in ------------------------------------------------------------
    def _lineage(self, unit: Unit) -> list[str]:
        names = [unit.name]
        parent = unit.parent
        while parent:
            try:
                up = self.gazetteer.unit(parent)
            except GeoError:
                break
            if up.level == "province" and names:
                break
            names.insert(0, up.name)
            parent = up.parent
        return names

    def _places_at(self, point: Point) -> list[str]:
        unit = self.gazetteer.containing(point.x, point.y, level="county")
        return self._lineage(unit) if unit else []

    def _places_along(self, line: BaseGeometry) -> list[str]:
        prefectures = self.gazetteer.boundaries("prefecture")
        hits = prefectures[prefectures.intersects(line)]
        # Order along the line so a river's places read downstream.
        order = [shapely.line_locate_point(line, shape.representative_point()) for shape in hits.geometry]
        return [name for _, name in sorted(zip(order, hits["name"], strict=True))]


def union_of_units(shapes: list[BaseGeometry]) -> BaseGeometry:
    """Union of administrative polygons.

    Neighbouring units of one dataset share their edges exactly, so the fast coverage union
    (edges cancelled, no overlay) is right whenever the parts do not overlap; the full overlay
    union is the fallback for parts that do (a unit listed with its own parent, say).
    """
    if len(shapes) == 1:
        return shapes[0]
    total = sum(shape.area for shape in shapes)
    merged = shapely.coverage_union_all(shapes)
    if merged.is_valid and abs(merged.area - total) <= 1e-9 * max(total, 1.0):
        return merged
    return shapely.make_valid(shapely.union_all(shapes))


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def join_river_parts(geometry: BaseGeometry) -> LineString:
    """One LineString from a river's parts, bridging gaps up to RIVER_GAP_MAX_DEG.

    Natural Earth splits some rivers where they cross a lake or at a confluence; the parts keep
    their flow direction, so they are chained end to start by the nearest endpoints.
    """
    merged = shapely.line_merge(geometry)
    if isinstance(merged, LineString):
        return merged
    parts = list(merged.geoms)
    chain = list(parts.pop(max(range(len(parts)), key=lambda i: parts[i].length)).coords)
    while parts:
        best = None
        for i, part in enumerate(parts):
            coords = list(part.coords)
            for candidate, attach_after in (
                (coords, True),
                (coords[::-1], True),
                (coords, False),
                (coords[::-1], False),
            ):
                gap = (
                    Point(chain[-1]).distance(Point(candidate[0]))
                    if attach_after
                    else Point(candidate[-1]).distance(Point(chain[0]))
                )
                if best is None or gap < best[0]:
                    best = (gap, i, candidate, attach_after)
        gap, i, candidate, attach_after = best
        if gap > RIVER_GAP_MAX_DEG:
            break
        parts.pop(i)
        chain = chain + candidate if attach_after else candidate + chain
    return LineString(chain)


def river_section(river: LineString, start: Point, end: Point) -> LineString:
    """The part of ``river`` between the points nearest ``start`` and ``end``."""
    a = river.project(start)
    b = river.project(end)
    if abs(a - b) < 1e-9:
        raise CatalogueError("the two ends of the river section are the same point")
    section = substring(river, min(a, b), max(a, b))
    # Keep the direction the spec gives (from → to), whichever way the river flows.
    return section if a < b else LineString(list(section.coords)[::-1])


@functools.cache
def resolve_catalogue() -> tuple[Feature, ...]:
    """Every shipped catalogue entry, resolved once per process."""
    resolver = Resolver()
    return tuple(resolver.resolve(entry) for entry in load_catalogue())


def resolve_all(entries, resolver: Resolver | None = None) -> tuple[list[Feature], list[str]]:
    """Resolve what can be resolved and collect a problem line for each entry that cannot."""
    resolver = resolver or Resolver()
    features, problems = [], []
    for entry in entries:
        try:
            features.append(resolver.resolve(entry))
        except GeoError as exc:
            problems.append(str(exc))
    return features, problems
