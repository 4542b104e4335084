"""Real expressway alignments: sections of the Travel Mapping lines between two interchanges.

``data/reference/expressways_tm.geojson`` holds one line per G-numbered expressway and province
(Travel Mapping waypoints, which are OpenStreetMap coordinates in WGS 84). An upgrade item names
its expressways and its two ends; the section is the shortest path along those expressways from
the interchange nearest one end to the interchange nearest the other. Every vertex of the section
is a waypoint of the source, so the drawn line is the source's polyline, not an approximation.

Lines of one expressway in two provinces meet at their shared border waypoint, and a stretch that
two expressways share has the same waypoints in both files: waypoints at the same coordinate are
one node of the network, which is how the pieces join.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
from dataclasses import dataclass

from shapely.geometry import LineString, Point

from geo import datafiles
from geo.datafiles import DATA_DIR

EXPRESSWAYS_PATH = DATA_DIR / "reference" / "expressways_tm.geojson"
TM_ATTRIBUTION = "Travel Mapping (travelmapping.net), © OpenStreetMap contributors"
# The project's credit beside OpenStreetMap's own (the map legend names both).
TM_CREDIT = "Travel Mapping (travelmapping.net)"
# Waypoints closer than this (degrees, ≈ 1 m) are one node: the same interchange in two files.
_NODE_GRID = 1e-5
# Interchanges of two files at most this far apart are one junction (km).
JUNCTION_KM = 0.3


@dataclass(frozen=True)
class Waypoint:
    """One waypoint of a Travel Mapping file: an interchange, a border or a shaping point."""

    route: str  # G-number, e.g. G85
    root: str  # Travel Mapping file, e.g. chnsc.g85
    label: str
    lon: float
    lat: float

    @property
    def interchange(self) -> bool:
        """Shaping points (label starting with ``+``) only keep the line on the road."""
        return not self.label.startswith("+")


@dataclass(frozen=True)
class Section:
    """A cut of real expressway: its line and the source waypoints it runs through, in order."""

    line: LineString
    waypoints: tuple[Waypoint, ...]

    def describe(self) -> str:
        """The routes and end labels, e.g. ``G76/G85 2ndRingRd – 156(G5001)``."""
        first, last = self.waypoints[0], self.waypoints[-1]
        routes = "/".join(dict.fromkeys(w.route for w in self.waypoints))
        return f"{routes} {first.label} – {last.label}"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in km between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@functools.cache
def load_expressways() -> tuple[dict, ...]:
    """The shipped Travel Mapping lines: dicts with route, root, region and waypoints."""
    with datafiles.reading(EXPRESSWAYS_PATH):
        collection = json.loads(EXPRESSWAYS_PATH.read_text(encoding="utf-8"))
    lines = []
    for feature in collection["features"]:
        props = feature["properties"]
        labels = props["labels"].split(" ")
        coords = feature["geometry"]["coordinates"]
        if len(labels) != len(coords):
            raise ValueError(f"{props['root']}: {len(labels)} labels for {len(coords)} waypoints")
        waypoints = tuple(
            Waypoint(props["route"], props["root"], label, float(lon), float(lat))
            for label, (lon, lat) in zip(labels, coords, strict=True)
        )
        lines.append({"route": props["route"], "root": props["root"], "region": props["region"],
                      "waypoints": waypoints})  # fmt: skip
    return tuple(lines)


def route_names() -> tuple[str, ...]:
    """The G-numbers the reference holds."""
    return tuple(sorted({line["route"] for line in load_expressways()}))


def route_line(routes: tuple[str, ...]) -> list[LineString]:
    """The source polylines of the given expressways (one per Travel Mapping file)."""
    return [
        LineString([(w.lon, w.lat) for w in line["waypoints"]])
        for line in load_expressways()
        if line["route"] in routes
    ]


def _node(w: Waypoint) -> tuple[int, int]:
    return (round(w.lon / _NODE_GRID), round(w.lat / _NODE_GRID))


def section(routes: tuple[str, ...], places: list[tuple[float, float]]) -> Section:
    """The path along ``routes`` through the interchanges nearest each of ``places`` (lon, lat), in
    order: the first and last are the ends, any others are places the section must pass (广安 on
    南广渝, where a shorter road would bypass it).

    Raises ValueError when a route is unknown or two consecutive interchanges are not connected.
    """
    known = route_names()
    for route in routes:
        if route not in known:
            raise ValueError(f"no expressway {route} in {EXPRESSWAYS_PATH.name}")
    graph: dict[tuple[int, int], list[tuple[float, tuple[int, int]]]] = {}
    point_of: dict[tuple[int, int], Waypoint] = {}
    for line in load_expressways():
        if line["route"] not in routes:
            continue
        waypoints = line["waypoints"]
        for w in waypoints:
            point_of.setdefault(_node(w), w)
        for a, b in zip(waypoints, waypoints[1:], strict=False):
            km = _km((a.lon, a.lat), (b.lon, b.lat))
            graph.setdefault(_node(a), []).append((km, _node(b)))
            graph.setdefault(_node(b), []).append((km, _node(a)))
    interchanges = [node for node, w in point_of.items() if w.interchange]
    # Two files name a junction by its own label at a slightly different spot (G8515's `G42` lies
    # 70 m from G42's `S304`): interchanges of different files this close are linked.
    for i, a in enumerate(interchanges):
        for b in interchanges[i + 1 :]:
            wa, wb = point_of[a], point_of[b]
            if wa.root != wb.root and (km := _km((wa.lon, wa.lat), (wb.lon, wb.lat))) <= JUNCTION_KM:
                graph[a].append((km, b))
                graph[b].append((km, a))

    def nearest(place: tuple[float, float], candidates: list) -> tuple[int, int]:
        return min(candidates, key=lambda node: _km(place, (point_of[node].lon, point_of[node].lat)))

    # A place passed on the way is met at an interchange the road goes on from, not at a dead end.
    passing = [node for node in interchanges if len(graph[node]) >= 2]
    stops = [nearest(places[0], interchanges)]
    stops += [nearest(place, passing) for place in places[1:-1]]
    stops.append(nearest(places[-1], interchanges))
    path = [stops[0]]
    for source, target in zip(stops, stops[1:], strict=False):
        if source == target:
            raise ValueError("two places of the section are nearest the same interchange")
        # A leg may not run back over the section so far: past 广安, 南广渝 goes on to 重庆 and
        # not back to 南充 and down another road.
        leg = _shortest_path(graph, source, target, banned=set(path[:-1]))
        if leg is None:
            raise ValueError(f"{'/'.join(routes)}: the interchanges nearest the places are not connected")
        path.extend(leg[1:])
    waypoints = tuple(point_of[node] for node in path)
    return Section(LineString([(w.lon, w.lat) for w in waypoints]), waypoints)


def _shortest_path(graph, source, target, banned: set = frozenset()) -> list | None:
    """Dijkstra over the waypoint network (a few hundred nodes), avoiding the ``banned`` nodes."""
    best = {source: 0.0}
    previous: dict = {}
    queue = [(0.0, source)]
    while queue:
        km, node = heapq.heappop(queue)
        if node == target:
            path = [node]
            while node in previous:
                node = previous[node]
                path.append(node)
            return path[::-1]
        if km > best.get(node, math.inf):
            continue
        for step, neighbour in graph.get(node, ()):
            if neighbour in banned:
                continue
            total = km + step
            if total < best.get(neighbour, math.inf):
                best[neighbour], previous[neighbour] = total, node
                heapq.heappush(queue, (total, neighbour))
    return None


def distance_to_source_km(section_line: LineString, routes: tuple[str, ...]) -> float:
    """The largest distance (km, approximate) from a vertex of ``section_line`` to the source lines."""
    from shapely import union_all
    from shapely.ops import nearest_points

    source = union_all(route_line(routes))
    worst = 0.0
    for lon, lat in section_line.coords:
        nearest = nearest_points(source, Point(lon, lat))[0]
        worst = max(worst, _km((lon, lat), (nearest.x, nearest.y)))
    return worst
