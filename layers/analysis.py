"""Maps of the analyses in :mod:`geo.analysis`: airport distance, a corridor's units, one-hour reach.

Every figure comes from :mod:`geo.analysis`; this module only draws. Text reaching the map's HTML
is escaped here, as in :mod:`layers.maps`.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis import CENTRAL_CITIES, circle
from geo.gazetteer import load_gazetteer
from layers.maps import (
    HtmlControl,
    VectorLayer,
    admin_frame,
    map_display_frame,
    new_map,
    safe_json,
)
from layers.registry import LAYERS, line_style

# Distance classes (km) of the airport map, light (near) to dark (far).
DISTANCE_BREAKS = (50, 100, 150, 200, 300)
DISTANCE_COLOURS = ("#f7fcf5", "#c7e9c0", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")
AIRPORT_COLOUR = "#1f4e99"
RING_COLOURS = {"510100": "#c2185b", "500000": "#00838f"}


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def distance_colour(km: float) -> str:
    return DISTANCE_COLOURS[sum(1 for edge in DISTANCE_BREAKS if km > edge)]


def distance_classes() -> list[tuple[str, str]]:
    """(label, colour) of each distance class, nearest first."""
    edges = [0, *DISTANCE_BREAKS]
    labels = [f"{low}–{high} km" for low, high in zip(edges, edges[1:], strict=False)]
    labels.append(f"> {DISTANCE_BREAKS[-1]} km")
    return list(zip(labels, DISTANCE_COLOURS, strict=True))


def _feature(geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": shapely.geometry.mapping(geometry), "properties": properties}


def _collection(features: list[dict]) -> str:
    return safe_json({"type": "FeatureCollection", "features": features})


def _legend(title: str, rows: list[str]) -> str:
    return f"<details open><summary>{_esc(title)}</summary>{''.join(rows)}</details>"


def _swatch(colour: str, *, shape: str = "rect", hollow: bool = False, dash: bool = False) -> str:
    if shape == "circle":
        fill = "#ffffff" if hollow else colour
        return (
            f'<svg width="22" height="14"><circle cx="11" cy="7" r="5" fill="{fill}" '
            f'stroke="{colour if hollow else "#fff"}" stroke-width="2"/></svg>'
        )
    if shape == "line":
        dash_attr = ' stroke-dasharray="5 4"' if dash else ""
        return f'<svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" stroke="{colour}" stroke-width="3"{dash_attr}/></svg>'
    return (
        f'<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="{colour}" '
        f'stroke="#888" stroke-width="0.6"/></svg>'
    )


def _row(swatch: str, label: str) -> str:
    return f'<div class="row">{swatch}{_esc(label)}</div>'


# -- 1. airports -----------------------------------------------------------------------------------
def airport_map(
    nearest: pd.DataFrame, airports: pd.DataFrame, radius_km: float, *, lang: str = "zh"
) -> folium.Map:
    """County units coloured by their seat's distance to the nearest airport, the airports, and a
    dashed circle of ``radius_km`` round each airport."""
    en = lang == "en"
    m = new_map(admin_levels=("province",), lang=lang, labels=False)
    units = admin_frame("county").merge(
        nearest[["adcode", "distance_km", "airport", "airport_en"]], on="adcode", how="inner"
    )
    features = []
    for row in units.itertuples():
        name = row.name_en if en and row.name_en else row.name
        airport = row.airport_en if en and row.airport_en else row.airport
        tip = f"<b>{_esc(name)}</b><br>{row.distance_km:.0f} km → {_esc(airport)}"
        style = {
            "color": "#777",
            "weight": 0.5,
            "fillColor": distance_colour(row.distance_km),
            "fillOpacity": 0.8,
        }
        features.append(_feature(row.geometry, {"adcode": row.adcode, "style": style, "tip": tip}))
    VectorLayer(_collection(features), name="airport-distance", hover_weight=1.5).add_to(m)

    rings = [
        _feature(shapely.LineString(circle(lon, lat, radius_km).exterior.coords), {})
        for lon, lat in zip(airports["lon"], airports["lat"], strict=True)
    ]
    ring_style = {"color": AIRPORT_COLOUR, "weight": 1.2, "dashArray": "5 4", "fill": False, "opacity": 0.7}
    VectorLayer(_collection(rings), name="airport-radius", style=ring_style, interactive=False).add_to(m)

    points = []
    for row in airports.itertuples():
        exact = row.precision == "exact"
        style = (
            {"radius": 6, "color": "#ffffff", "weight": 2, "fillColor": AIRPORT_COLOUR, "fillOpacity": 1.0}
            if exact
            else {
                "radius": 6,
                "color": AIRPORT_COLOUR,
                "weight": 2.5,
                "fillColor": "#ffffff",
                "fillOpacity": 1.0,
            }
        )
        name = row.name_en if en and row.name_en else row.name
        where = (
            ("airport coordinate" if en else "机场实际坐标")
            if exact
            else ("at the city's seat: the plan fixes no site" if en else "位于所服务城市的驻地:规划未定选址")
        )
        tip = f"<b>{_esc(name)}</b><br>{_esc(where)}"
        points.append(_feature(shapely.Point(row.lon, row.lat), {"style": style, "tip": tip}))
    VectorLayer(_collection(points), name="airports").add_to(m)

    rows = [_row(_swatch(colour), label) for label, colour in distance_classes()]
    rows.append(_row(_swatch(AIRPORT_COLOUR, shape="circle"), "Airport (site)" if en else "机场(实际位置)"))
    rows.append(
        _row(
            _swatch(AIRPORT_COLOUR, shape="circle", hollow=True),
            "Planned (city seat)" if en else "规划机场(城市驻地)",
        )
    )
    rows.append(
        _row(
            _swatch(AIRPORT_COLOUR, shape="line", dash=True),
            f"{radius_km:g} km" + (" radius" if en else "半径"),
        )
    )
    title = "Seat → nearest airport (straight line)" if en else "驻地至最近机场直线距离"
    # Bottom right: south of Chongqing the map shows only Guizhou, outside the choropleth.
    HtmlControl(_legend(title, rows), position="bottomright").add_to(m)
    return m


# -- 2. a corridor ---------------------------------------------------------------------------------
def corridor_map(feature: pd.Series, units: pd.DataFrame, *, lang: str = "zh") -> folium.Map:
    """The corridor line above the units it runs through (numbered from its start)."""
    en = lang == "en"
    m = new_map(admin_levels=("province", "prefecture"), lang=lang, labels=True)
    shown = admin_frame("county").merge(units[["adcode", "order", "length_km"]], on="adcode", how="inner")
    colour = LAYERS[feature["layer"]].colour
    features = []
    for row in shown.itertuples():
        name = row.name_en if en and row.name_en else row.name
        tip = f"<b>{row.order}. {_esc(name)}</b><br>{row.length_km:.1f} km"
        style = {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.28}
        features.append(_feature(row.geometry, {"adcode": row.adcode, "style": style, "tip": tip}))
    VectorLayer(_collection(features), name="corridor-units", hover_weight=1.5).add_to(m)

    line = map_display_frame(gpd.GeoDataFrame([feature], geometry="geometry", crs="EPSG:4326"))
    style = dict(line_style(feature["layer"], feature["precision"]))
    style["weight"] = max(style.get("weight", 3), 4)
    name = feature["name_en"] if en and feature["name_en"] else feature["name"]
    VectorLayer(
        _collection([_feature(line.geometry.iloc[0], {"tip": f"<b>{_esc(name)}</b>"})]),
        name="corridor",
        style=style,
    ).add_to(m)
    extent = shapely.union_all([feature.geometry, *shown.geometry]) if len(shown) else feature.geometry
    west, south, east, north = extent.bounds
    pad = max(east - west, north - south) * 0.06
    m.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    rows = [
        _row(_swatch(colour, shape="line", dash=feature["precision"] == "schematic"), name),
        _row(_swatch(colour), "Units it runs through" if en else "途经区县"),
    ]
    HtmlControl(_legend("Corridor" if en else "通道", rows), position="bottomleft").add_to(m)
    return m


# -- 3. one-hour reach -----------------------------------------------------------------------------
def reach_map(distances: pd.DataFrame, reach_km: float, *, lang: str = "zh") -> folium.Map:
    """A circle of ``reach_km`` round 成都 and 重庆 and every seat, filled when within either."""
    en = lang == "en"
    gazetteer = load_gazetteer()
    m = new_map(admin_levels=("province", "prefecture"), lang=lang, labels=True)
    legend_rows = []
    for code in CENTRAL_CITIES:
        centre = gazetteer.unit(code)
        colour = RING_COLOURS[code]
        name = centre.name_en if en else centre.short_name
        ring = circle(centre.lon, centre.lat, reach_km)
        style = {"color": colour, "weight": 2.5, "fillColor": colour, "fillOpacity": 0.06, "dashArray": "8 5"}
        tip = f"<b>{_esc(name)}</b><br>{reach_km:g} km"
        VectorLayer(_collection([_feature(ring, {"tip": tip})]), name=f"reach-{code}", style=style).add_to(m)
        dot = {"radius": 8, "color": "#ffffff", "weight": 2, "fillColor": colour, "fillOpacity": 1.0}
        VectorLayer(
            _collection([_feature(shapely.Point(centre.lon, centre.lat), {"style": dot, "tip": tip})]),
            name=f"centre-{code}",
        ).add_to(m)
        legend_rows.append(_row(_swatch(colour, shape="line", dash=True), f"{name} {reach_km:g} km"))
    seats = []
    for row in distances.itertuples():
        within = row.km_nearest <= reach_km
        style = {
            "radius": 4,
            "color": "#333333",
            "weight": 1.2,
            "fillColor": "#333333" if within else "#ffffff",
            "fillOpacity": 1.0,
        }
        name = row.name_en if en and row.name_en else row.name
        tip = (
            f"<b>{_esc(name)}</b><br>{'Chengdu' if en else '成都'} {row.km_chengdu:.0f} km · "
            f"{'Chongqing' if en else '重庆'} {row.km_chongqing:.0f} km"
        )
        seats.append(_feature(shapely.Point(row.lon, row.lat), {"style": style, "tip": tip}))
    VectorLayer(_collection(seats), name="seats").add_to(m)
    legend_rows.append(
        _row(_swatch("#333333", shape="circle"), "Seat within reach" if en else "驻地在范围内")
    )
    legend_rows.append(
        _row(_swatch("#333333", shape="circle", hollow=True), "Seat beyond reach" if en else "驻地在范围外")
    )
    title = "Straight-line reach in 1 h at design speed" if en else "设计速度下1小时直线可达范围"
    HtmlControl(_legend(title, legend_rows), position="bottomleft").add_to(m)
    return m
