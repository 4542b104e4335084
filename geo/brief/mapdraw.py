"""The brief's map, drawn without web tiles: the unit and its neighbours from the gazetteer's
boundaries, the catalogue items over them in the layers' colours (:mod:`geo.vocabulary`),
with a legend, a scale bar, a north arrow and the datum.

Coordinates stay WGS 84 longitude/latitude; the axes' aspect is set to 1/cos(latitude) so that
a kilometre east and a kilometre north have the same length on paper near the unit.
"""

from __future__ import annotations

import math

import geopandas as gpd
import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.gazetteer import Unit, load_gazetteer
from geo.vocabulary import LAYERS

UNIT_FILL = "#fff3c4"
UNIT_EDGE = "#c62828"
NEIGHBOUR_FILL = "#f4f4f1"
NEIGHBOUR_EDGE = "#8a8a8a"
KM_PER_DEGREE = 111.32
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)


def _neighbours(unit: Unit, boundary) -> gpd.GeoDataFrame:
    frame = load_gazetteer().boundaries(unit.level)
    near = frame[
        frame.geometry.intersects(boundary.buffer(0.01)) & (frame["adcode"].astype(str) != unit.adcode)
    ]
    return near


def _scale_km(width_deg: float, lat: float) -> int:
    target = width_deg * KM_PER_DEGREE * math.cos(math.radians(lat)) / 4
    return max([k for k in NICE_KM if k <= target] or [NICE_KM[0]])


def draw_map(ax: Axes, unit: Unit, features: gpd.GeoDataFrame, lang: str) -> list:
    """Draw the map on ``ax``; returns the legend handles (layers present, the unit, neighbours)."""
    zh = lang != "en"
    gazetteer = load_gazetteer()
    boundary = gazetteer.boundary(unit.adcode)
    if boundary is None:
        boundary = shapely.Point(unit.lon, unit.lat).buffer(0.2)
    neighbours = _neighbours(unit, boundary)
    minx, miny, maxx, maxy = boundary.bounds
    pad = max(maxx - minx, maxy - miny) * 0.18 + 0.05
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    lat0 = (miny + maxy) / 2

    if not neighbours.empty:
        neighbours.plot(ax=ax, facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, linewidth=0.6, zorder=1)
        for row in neighbours.itertuples():
            point = row.geometry.intersection(shapely.box(*box)).representative_point()
            if not point.is_empty:
                name = (row.name_en or row.name) if not zh and isinstance(row.name_en, str) else row.name
                ax.text(
                    point.x, point.y, name, fontsize=6.5, color="#555555", ha="center", va="center", zorder=6
                )
    gpd.GeoSeries([boundary]).plot(ax=ax, facecolor=UNIT_FILL, edgecolor="none", zorder=2)
    gpd.GeoSeries([boundary]).boundary.plot(ax=ax, color=UNIT_EDGE, linewidth=1.6, zorder=6)

    handles: list = []
    clipped = features.clip(shapely.box(*box)) if not features.empty else features
    for layer_id, layer in LAYERS.items():
        part = clipped[clipped["layer"] == layer_id] if not clipped.empty else clipped
        if part.empty:
            continue
        kinds = set(part.geometry.geom_type)
        polygons = part[part.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
        lines = part[part.geometry.geom_type.isin(["LineString", "MultiLineString"])]
        points = part[part.geometry.geom_type.isin(["Point", "MultiPoint"])]
        if not polygons.empty:
            # Zones are often whole units: a light fill and a dashed edge keep the unit and the lines readable.
            polygons.plot(ax=ax, facecolor=layer.colour, alpha=0.12, zorder=3)
            polygons.boundary.plot(ax=ax, color=layer.colour, linewidth=0.8, linestyle="--", zorder=3)
        if not lines.empty:
            lines.plot(ax=ax, color=layer.colour, linewidth=1.6, zorder=4)
        if not points.empty:
            points.plot(ax=ax, color=layer.colour, markersize=26, edgecolor="white", linewidth=0.6, zorder=5)
        label = layer.label(lang)
        if kinds <= {"Point", "MultiPoint"}:
            handles.append(Line2D([], [], marker="o", linestyle="", color=layer.colour, label=label))
        elif kinds <= {"Polygon", "MultiPolygon"}:
            handles.append(Patch(facecolor=layer.colour, alpha=0.4, edgecolor=layer.colour, label=label))
        else:
            handles.append(Line2D([], [], color=layer.colour, linewidth=2, label=label))
    handles.append(
        Patch(
            facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, label=unit.name if zh else (unit.name_en or unit.name)
        )
    )
    handles.append(
        Patch(
            facecolor=NEIGHBOUR_FILL,
            edgecolor=NEIGHBOUR_EDGE,
            label="相邻区划" if zh else "Neighbouring units",
        )
    )

    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#eef3f7")
    _scale_bar(ax, box, lat0, zh)
    _north_arrow(ax)
    ax.text(
        0.99,
        0.01,
        "WGS 84 (EPSG:4326)" if not zh else "坐标系:WGS 84 (EPSG:4326)",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#333333",
        zorder=8,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
    )
    return handles


def _scale_bar(ax: Axes, box: tuple, lat0: float, zh: bool) -> None:
    km = _scale_km(box[2] - box[0], lat0)
    length = km / (KM_PER_DEGREE * math.cos(math.radians(lat0)))
    x0 = box[0] + (box[2] - box[0]) * 0.04
    y0 = box[1] + (box[3] - box[1]) * 0.05
    tick = (box[3] - box[1]) * 0.012
    ax.plot([x0, x0 + length], [y0, y0], color="black", linewidth=2.2, solid_capstyle="butt", zorder=9)
    for x in (x0, x0 + length / 2, x0 + length):
        ax.plot([x, x], [y0 - tick, y0 + tick], color="black", linewidth=1, zorder=9)
    ax.text(
        x0 + length / 2,
        y0 + tick * 1.6,
        f"{km} {'公里' if zh else 'km'}",
        ha="center",
        va="bottom",
        fontsize=7,
        zorder=9,
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
    )


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.84),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        zorder=9,
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.4},
    )
