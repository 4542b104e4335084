"""Maps of the analyses in :mod:`geo.coverage` and :mod:`geo.analysis`: airport coverage today and
with the plan, and the units a corridor passes.

Every figure comes from :mod:`geo`; this module only draws. Text reaching the map's HTML
is escaped here, as in :mod:`layers.maps`.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis import MEASURED_PRECISIONS, circle
from geo.vocabulary import LAYERS
from layers.leaflet_styles import line_style
from layers.map_themes import map_display_frame
from layers.maps import HtmlControl, VectorLayer, admin_frame, new_map, safe_json

# Coverage classes of the airport map: within the radius today, brought within by the plan's
# airports, beyond the radius in both.
COVERAGE_CLASSES = ("today", "gains", "beyond")
COVERAGE_COLOURS = {"today": "#a1d99b", "gains": "#fd8d3c", "beyond": "#f0f0f0"}
AIRPORT_COLOUR = "#1f4e99"
PLAN_COLOUR = "#d94801"


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def coverage_class(within_today: bool, within_plan: bool) -> str:
    if within_today:
        return "today"
    return "gains" if within_plan else "beyond"


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
    table: pd.DataFrame, airports: pd.DataFrame, radius_km: float, *, lang: str = "zh"
) -> folium.Map:
    """County units coloured by coverage today and with the plan's airports (the difference in
    orange), today's airports (filled), the plan's additions (hollow) and a dashed circle of
    ``radius_km`` round each airport."""
    en = lang == "en"
    m = new_map(admin_levels=("province",), lang=lang, labels=False)
    units = admin_frame("county").merge(table, on="adcode", how="inner", suffixes=("", "_t"))
    labels = {
        "today": ("within the radius today", "现有机场半径内"),
        "gains": ("brought within by the plan's airports", "规划机场新纳入"),
        "beyond": ("beyond the radius in both", "两种情形均在半径外"),
    }
    features = []
    for row in units.itertuples():
        name = row.name_en if en and row.name_en else row.name
        kind = coverage_class(row.within_today, row.within_plan)
        today_airport = row.airport_en_today if en else row.airport_today
        plan_airport = row.airport_en_plan if en else row.airport_plan
        tip = (
            f"<b>{_esc(name)}</b><br>{_esc(labels[kind][0 if en else 1])}<br>"
            f"{'today' if en else '现状'} {row.distance_km_today:.0f} km → {_esc(today_airport)}<br>"
            f"{'with the plan' if en else '规划后'} {row.distance_km_plan:.0f} km → {_esc(plan_airport)}"
        )
        style = {"color": "#777", "weight": 0.5, "fillColor": COVERAGE_COLOURS[kind], "fillOpacity": 0.8}
        features.append(_feature(row.geometry, {"adcode": row.adcode, "style": style, "tooltip": tip}))
    VectorLayer(_collection(features), name="airport-coverage", hover_weight=1.5).add_to(m)

    for source, colour in (("today", AIRPORT_COLOUR), ("plan", PLAN_COLOUR)):
        chosen = airports[airports["source"] == source]
        rings = [
            _feature(shapely.LineString(circle(lon, lat, radius_km).exterior.coords), {})
            for lon, lat in zip(chosen["lon"], chosen["lat"], strict=True)
        ]
        ring_style = {"color": colour, "weight": 1.2, "dashArray": "5 4", "fill": False, "opacity": 0.7}
        VectorLayer(_collection(rings), name=f"radius-{source}", style=ring_style, interactive=False).add_to(
            m
        )

    points = []
    for row in airports.itertuples():
        today = row.source == "today"
        colour = AIRPORT_COLOUR if today else PLAN_COLOUR
        style = {
            "radius": 6,
            "color": "#ffffff" if today else colour,
            "weight": 2 if today else 2.5,
            "fillColor": colour if today else "#ffffff",
            "fillOpacity": 1.0,
        }
        name = row.name_en if en and row.name_en else row.name
        if today:
            where = "airport coordinate (airportsdata)" if en else "机场坐标(airportsdata)"
        elif row.precision == "seat":
            where = (
                "at the city's seat: the plan fixes no site" if en else "位于所服务城市的驻地:规划未定选址"
            )
        else:
            where = "at the cited site point" if en else "位于所引来源给出的场址"
        tip = f"<b>{_esc(name)}</b><br>{_esc(where)}"
        points.append(_feature(shapely.Point(row.lon, row.lat), {"style": style, "tooltip": tip}))
    VectorLayer(_collection(points), name="airports").add_to(m)

    rows = [_row(_swatch(COVERAGE_COLOURS[k]), labels[k][0 if en else 1]) for k in COVERAGE_CLASSES]
    rows.append(_row(_swatch(AIRPORT_COLOUR, shape="circle"), "Airport today" if en else "现有机场"))
    rows.append(
        _row(
            _swatch(PLAN_COLOUR, shape="circle", hollow=True),
            "Airport the plan adds" if en else "规划新增机场",
        )
    )
    rows.append(
        _row(
            _swatch(AIRPORT_COLOUR, shape="line", dash=True),
            f"{radius_km:g} km" + (" radius" if en else "半径"),
        )
    )
    title = f"County seat within {radius_km:g} km of an airport" if en else f"驻地距机场{radius_km:g}公里内"
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
        km = f"<br>{row.length_km:.1f} km" if row.length_km == row.length_km else ""
        tip = f"<b>{row.order}. {_esc(name)}</b>{km}"
        style = {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.28}
        features.append(_feature(row.geometry, {"adcode": row.adcode, "style": style, "tooltip": tip}))
    VectorLayer(_collection(features), name="corridor-units", hover_weight=1.5).add_to(m)

    line = map_display_frame(gpd.GeoDataFrame([feature], geometry="geometry", crs="EPSG:4326"))
    style = dict(line_style(feature["layer"], feature["precision"]))
    style["weight"] = max(style.get("weight", 3), 4)
    name = feature["name_en"] if en and feature["name_en"] else feature["name"]
    VectorLayer(
        _collection([_feature(line.geometry.iloc[0], {"tooltip": f"<b>{_esc(name)}</b>"})]),
        name="corridor",
        style=style,
    ).add_to(m)
    extent = shapely.union_all([feature.geometry, *shown.geometry]) if len(shown) else feature.geometry
    west, south, east, north = extent.bounds
    pad = max(east - west, north - south) * 0.06
    m.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    rows = [
        _row(_swatch(colour, shape="line", dash=feature["precision"] == "schematic"), name),
        _row(
            _swatch(colour),
            ("Units it runs through" if en else "途经区县")
            if feature["precision"] in MEASURED_PRECISIONS
            else ("Units it passes near" if en else "经过附近的区县"),
        ),
    ]
    HtmlControl(_legend("Corridor" if en else "通道", rows), position="bottomleft").add_to(m)
    return m


# -- 3. reach on the plan's lines ------------------------------------------------------------------
REACH_WITHIN_COLOUR = "#c2185b"


def reach_map(edges: pd.DataFrame, nodes: pd.DataFrame, minutes: float, *, lang: str = "zh") -> folium.Map:
    """The plan's lines of the network (dashed: schematic) and their nodes, filled when within
    ``minutes`` of 成都 or 重庆 under the stated assumptions."""
    en = lang == "en"
    m = new_map(admin_levels=("province", "prefecture"), lang=lang, labels=True)
    legs = []
    for row in edges.itertuples():
        layer = "railway" if row.kind != "expressway" else "highway"
        style = dict(line_style(layer, "schematic"))
        tip = f"{_esc(row.id)}<br>{row.km:.0f} km · {row.minutes:.0f} min"
        legs.append(_feature(shapely.LineString([row.a, row.b]), {"style": style, "tooltip": tip}))
    VectorLayer(_collection(legs), name="reach-network").add_to(m)
    points = []
    for row in nodes.itertuples():
        within = row.min_nearest <= minutes
        style = {
            "radius": 6 if within else 4,
            "color": REACH_WITHIN_COLOUR if within else "#333333",
            "weight": 1.5,
            "fillColor": REACH_WITHIN_COLOUR if within else "#ffffff",
            "fillOpacity": 1.0,
        }
        name = (row.name_en if en else row.name) or ("outside the region" if en else "区域外")
        times = " · ".join(
            f"{label} {value:.0f} min" if value != float("inf") else f"{label} —"
            for label, value in (
                ("Chengdu" if en else "成都", row.min_chengdu),
                ("Chongqing" if en else "重庆", row.min_chongqing),
            )
        )
        points.append(
            _feature(
                shapely.Point(row.lon, row.lat),
                {"style": style, "tooltip": f"<b>{_esc(name)}</b><br>{times}"},
            )
        )
    VectorLayer(_collection(points), name="reach-nodes").add_to(m)
    rows = [
        _row(
            _swatch(REACH_WITHIN_COLOUR, shape="circle"),
            f"≤ {minutes:g} min" + (" from Chengdu or Chongqing" if en else " 自成都或重庆"),
        ),
        _row(
            _swatch("#333333", shape="circle", hollow=True),
            "farther or not connected" if en else "更远或不连通",
        ),
        _row(
            _swatch("#555555", shape="line", dash=True),
            "line the plan names (schematic)" if en else "规划点名的线路(示意)",
        ),
    ]
    HtmlControl(
        _legend("Reach on the plan's lines" if en else "沿规划线路的可达范围", rows), position="bottomleft"
    ).add_to(m)
    return m


def reach_unit_table(units: pd.DataFrame, minutes: float, *, lang: str = "zh") -> pd.DataFrame:
    """The reach table: one row per county unit (:attr:`geo.reach.ReachReport.units`), its best
    minutes from each centre (empty when not connected) and whether it is within ``minutes``."""
    en = lang == "en"

    def shown(values):
        return [None if value == float("inf") else round(value) for value in values]

    return pd.DataFrame(
        {
            "Unit" if en else "区县": list(units["name_en"] if en else units["name"]),
            "In" if en else "所属": list(units["prefecture_en" if en else "prefecture"]),
            "min from Chengdu" if en else "自成都(分钟)": shown(units["min_chengdu"]),
            "min from Chongqing" if en else "自重庆(分钟)": shown(units["min_chongqing"]),
            "Within the limit" if en else "在时限内": list(units["min_nearest"] <= minutes),
        }
    )
