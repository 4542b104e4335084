"""Travel-time reach from 成都 and 重庆 along the lines the plan itself names.

The network is a graph of the plan's railway (and, on request, expressway) lines: its nodes are the
seats a schematic line links, its edges the straight legs between them, stretched by a detour
factor and timed at an average speed by kind. Every number of that model is an assumption stated in
``data/assumptions/reach.yaml``. Without the existing network, timetables, waits or transfers the
result says only which seats the plan's lines would bring within the threshold at those speeds.
"""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import yaml

from geo import datafiles
from geo.analysis import distance_matrix_km, parent_name, units_touched
from geo.datafiles import LoadedTuple
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.vocabulary import NETWORKS as NETWORK_TERMS

ASSUMPTIONS_PATH = datafiles.DATA_DIR / "assumptions" / "reach.yaml"
CENTRES = {"chengdu": "510100", "chongqing": "500000"}  # the plan's two central cities
# The networks and the layers that make them up are vocabulary terms, read on first use.
NETWORKS: LoadedTuple = LoadedTuple(lambda: NETWORK_TERMS.ids)
KIND_LABELS = {
    "mainline": ("干线铁路", "mainline rail"),
    "intercity": ("城际铁路", "intercity rail"),
    "suburban": ("市域(郊)铁路", "suburban rail"),
    "expressway": ("高速公路", "expressway"),
}


@dataclass(frozen=True)
class Assumptions:
    """The travel assumptions of the reach analysis (``data/assumptions/reach.yaml``)."""

    minutes: float
    detour_factor: float
    access_radius_km: float
    speeds_kmh: dict[str, dict[str, float]]

    def one_line(self, lang: str = "en") -> str:
        index = 0 if lang == "zh" else 1
        speeds = ", ".join(
            f"{KIND_LABELS.get(kind, (kind, kind))[index]} {kmh:g}"
            for layer in self.speeds_kmh.values()
            for kind, kmh in layer.items()
        )
        if lang == "zh":
            return (
                f"假设:只计规划点名的线路;各段为驻地间直线×{self.detour_factor:g},平均速度(公里/小时,含停站)"
                f"{speeds};成渝驻地{self.access_radius_km:g}公里内的节点视为其车站;不计候车、换乘。"
            )
        return (
            f"Assumes: only the lines the plan names; each leg the straight line between seats × "
            f"{self.detour_factor:g}, average speeds (km/h, stops included) {speeds}; nodes within "
            f"{self.access_radius_km:g} km of a centre's seat count as its station; no waits or transfers."
        )


@functools.cache
def load_assumptions(path: Path = ASSUMPTIONS_PATH) -> Assumptions:
    """The shipped reach assumptions; DataError when the file cannot be read."""
    with datafiles.reading(path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        assumptions = Assumptions(
            minutes=float(data["minutes"]),
            detour_factor=float(data["detour_factor"]),
            access_radius_km=float(data["access_radius_km"]),
            speeds_kmh={
                layer: {k: float(v) for k, v in kinds.items()} for layer, kinds in data["speeds_kmh"].items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GeoError(f"{path.name}: bad reach assumptions ({exc})") from None
    speeds = [v for kinds in assumptions.speeds_kmh.values() for v in kinds.values()]
    if assumptions.minutes <= 0 or assumptions.detour_factor < 1 or min(speeds, default=0) <= 0:
        raise GeoError(f"{path.name}: minutes and speeds must be positive, the detour factor at least 1")
    return assumptions


def network_edges(catalogue: pd.DataFrame, network: str, assumptions: Assumptions) -> pd.DataFrame:
    """One row per leg of every line of the network: the nodes it joins (lon, lat), the feature,
    its kind and the minutes the leg takes under the assumptions."""
    if network not in NETWORKS:
        raise GeoError(f"unknown network: {network} (expected {' or '.join(NETWORKS)})")
    rows = []
    for _, feature in catalogue[catalogue["layer"].isin(NETWORK_TERMS[network].layers)].iterrows():
        speed = assumptions.speeds_kmh.get(feature["layer"], {}).get(feature["kind"])
        geometry = feature.geometry
        if speed is None or geometry.geom_type not in ("LineString", "MultiLineString"):
            continue
        parts = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
        for part in parts:
            coords = [(round(x, 5), round(y, 5)) for x, y in part.coords]
            for a, b in zip(coords, coords[1:], strict=False):
                if a == b:
                    continue
                km = float(distance_matrix_km([a], [b])[0, 0]) * assumptions.detour_factor
                rows.append(
                    {
                        "a": a,
                        "b": b,
                        "id": feature["id"],
                        "kind": feature["kind"],
                        "km": km,
                        "minutes": km / speed * 60.0,
                    }
                )
    return pd.DataFrame(rows, columns=["a", "b", "id", "kind", "km", "minutes"])


def travel_minutes(
    edges: pd.DataFrame, sources: list[tuple[float, float]]
) -> dict[tuple[float, float], float]:
    """Shortest minutes from any of ``sources`` to every node of the graph (Dijkstra)."""
    graph: dict[tuple[float, float], list[tuple[tuple[float, float], float]]] = {}
    for a, b, minutes in zip(edges["a"], edges["b"], edges["minutes"], strict=True):
        graph.setdefault(a, []).append((b, minutes))
        graph.setdefault(b, []).append((a, minutes))
    best = {s: 0.0 for s in sources if s in graph}
    queue = [(0.0, s) for s in best]
    heapq.heapify(queue)
    while queue:
        minutes, node = heapq.heappop(queue)
        if minutes > best.get(node, float("inf")):
            continue
        for nxt, step in graph[node]:
            if minutes + step < best.get(nxt, float("inf")):
                best[nxt] = minutes + step
                heapq.heappush(queue, (minutes + step, nxt))
    return best


def _nodes(edges: pd.DataFrame) -> list[tuple[float, float]]:
    return sorted(set(edges["a"]) | set(edges["b"]))


def centre_sources(
    nodes: list[tuple[float, float]], adcode: str, assumptions: Assumptions, gazetteer: Gazetteer
):
    """The network's nodes that count as the central city's station."""
    centre = gazetteer.unit(adcode)
    if not nodes:
        return []
    km = distance_matrix_km([(centre.lon, centre.lat)], nodes)[0]
    return [node for node, d in zip(nodes, km, strict=True) if d <= assumptions.access_radius_km]


@dataclass(frozen=True)
class ReachReport:
    """What the reach analysis found: the network, its assumptions, its edges and the seats with minutes."""

    network: str
    assumptions: Assumptions
    edges: pd.DataFrame
    nodes: (
        pd.DataFrame
    )  # lon, lat, adcode, name, name_en, prefecture(_en), min_chengdu, min_chongqing, min_nearest

    @property
    def within(self) -> pd.DataFrame:
        return self.nodes[self.nodes["min_nearest"] <= self.assumptions.minutes]

    def units_within(self, centre: str) -> int:
        """County units with a node within the limit from ``centre``, each once (none outside)."""
        units = self.units
        return int((units[f"min_{centre}"] <= self.assumptions.minutes).sum())

    @property
    def units(self) -> pd.DataFrame:
        """One row per county unit the network passes (the nodes outside the region left out): its
        best minutes over its nodes and how many of the lines' vertices lie in it (``vertices``)."""
        inside = self.nodes[self.nodes["adcode"] != ""]
        units = inside.groupby("adcode", sort=False).agg(
            name=("name", "first"),
            name_en=("name_en", "first"),
            prefecture=("prefecture", "first"),
            prefecture_en=("prefecture_en", "first"),
            min_chengdu=("min_chengdu", "min"),
            min_chongqing=("min_chongqing", "min"),
            min_nearest=("min_nearest", "min"),
            vertices=("lon", "size"),
        )
        return units.reset_index().sort_values(["min_nearest", "adcode"], ignore_index=True)


def reach_report(
    catalogue: pd.DataFrame,
    network: str = "rail",
    *,
    assumptions: Assumptions | None = None,
    gazetteer: Gazetteer | None = None,
) -> ReachReport:
    """Minutes from 成都 and 重庆 to every node of the plan's network, with the unit holding it."""
    assumptions = assumptions or load_assumptions()
    gazetteer = gazetteer or load_gazetteer()
    edges = network_edges(catalogue, network, assumptions)
    nodes = _nodes(edges)
    minutes = {
        name: travel_minutes(edges, centre_sources(nodes, code, assumptions, gazetteer))
        for name, code in CENTRES.items()
    }
    units = [units_touched(shapely.Point(node), gazetteer=gazetteer) for node in nodes]
    frame = pd.DataFrame(
        {
            "lon": [n[0] for n in nodes],
            "lat": [n[1] for n in nodes],
            "adcode": [u[0].adcode if u else "" for u in units],
            "name": [u[0].name if u else "" for u in units],
            "name_en": [u[0].name_en if u else "" for u in units],
            "prefecture": [parent_name(gazetteer, u[0].parent) if u else "" for u in units],
            "prefecture_en": [parent_name(gazetteer, u[0].parent, english=True) if u else "" for u in units],
            "min_chengdu": [minutes["chengdu"].get(n, np.inf) for n in nodes],
            "min_chongqing": [minutes["chongqing"].get(n, np.inf) for n in nodes],
        }
    )
    frame["min_nearest"] = frame[["min_chengdu", "min_chongqing"]].min(axis=1)
    frame = frame.sort_values(["min_nearest", "adcode"], ignore_index=True)
    return ReachReport(network, assumptions, edges, frame)
