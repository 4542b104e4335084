"""Thematic layers of the plan's features: display geometry, per-feature style and escaped tooltips,
one folium group per layer, and the outlines that mark a selection.

Everything drawn is in the datum of the map (see :mod:`layers.maps`); text is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo.features import stand_in_text
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.frames import display_frame
from layers.leaflet_styles import line_style, marker_style
from layers.maps import WGS84, VectorLayer, _esc, _geojson, feature_collection_json, safe_json, to_datum

# -- thematic layers -------------------------------------------------------------------------------
# Display geometry for the map: areas are unions of administrative polygons whose exact outline
# the basemap already shows, so ~1 km is enough; lines and points keep ~200 m. ~10 m rounding.
AREA_TOLERANCE_DEG = 0.01
LINE_TOLERANCE_DEG = 0.002
FEATURE_DECIMALS = 4


def map_display_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A lightweight copy for drawing: simplified by geometry kind and rounded (topology kept)."""
    if gdf.empty:
        return gdf.copy()
    is_area = gdf.geom_type.isin(["Polygon", "MultiPolygon"])
    parts = [
        display_frame(gdf[is_area], tolerance=AREA_TOLERANCE_DEG),
        display_frame(gdf[~is_area], tolerance=LINE_TOLERANCE_DEG),
    ]
    out = pd.concat([p for p in parts if not p.empty]).loc[gdf.index]
    out["geometry"] = shapely.set_precision(out.geometry.values, 10**-FEATURE_DECIMALS)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)


def _feature_style(
    layer_id: str, precision: str, status: str, colour_by: str, is_point: bool, stand_in: bool = False
) -> dict:
    style = dict(
        marker_style(layer_id, precision, stand_in=stand_in) if is_point else line_style(layer_id, precision)
    )
    if colour_by == "status":
        colour = STATUS_TERMS[status].colour if status in STATUS_TERMS else "#999999"
        if is_point and precision in PRECISION_TERMS and not PRECISION_TERMS[precision].hollow:
            style["fillColor"] = colour
        elif is_point:
            style["color"] = colour
        else:
            style["color"] = colour
            if "fillColor" in style:
                style["fillColor"] = colour
    return style


def _tooltip_html(row: pd.Series, lang: str) -> str:
    layer = LAYERS[row["layer"]].label(lang)
    name = row["name_en"] if lang == "en" and row.get("name_en") else row["name"]
    parts = [
        f"<b>{_esc(name)}</b>",
        f"{_esc(layer)} · {_esc(STATUS_TERMS.label(row['status'], lang))}",
        f"{'Task' if lang == 'en' else '任务'} {_esc(row['task'])} · {_esc(PRECISION_TERMS.label(row['precision'], lang))}",
    ]
    if row.get("stand_in"):
        parts.append(_esc(stand_in_text(str(row["stand_in"]), lang)))
    official = row.get("official_area_km2")
    if official is not None and pd.notna(official):
        parts.append(_esc(official_area_text(row, lang)))
    return "<br>".join(parts)


def official_area_text(row: pd.Series, lang: str) -> str:
    """The published area beside the drawn one, with who published it."""
    drawn = row.get("area_km2")
    drawn_text = f"{drawn:,.0f}" if drawn is not None and pd.notna(drawn) else "—"
    source = str(row.get("official_area_source") or "")
    if lang == "en":
        return f"official area {row['official_area_km2']:,.0f} km² ({source}); drawn as whole units {drawn_text} km²"
    return f"公布面积 {row['official_area_km2']:,.0f} km²（{source}）；按整区县绘制 {drawn_text} km²"


def theme_frame_for_map(
    gdf: gpd.GeoDataFrame, *, lang: str = "zh", datum: str = WGS84, colour_by: str = "layer"
) -> gpd.GeoDataFrame:
    """Display rows with per-feature style and pre-escaped tooltip HTML, in ``datum``."""
    out = to_datum(map_display_frame(gdf), datum)
    is_point = out.geom_type.isin(["Point", "MultiPoint"])
    stand_ins = out["stand_in"].fillna("").astype(bool) if "stand_in" in out else [False] * len(out)
    out["style"] = [
        _feature_style(layer, precision, status, colour_by, point, stand_in)
        for layer, precision, status, point, stand_in in zip(
            out["layer"], out["precision"], out["status"], is_point, stand_ins, strict=True
        )
    ]
    out["tooltip"] = [_tooltip_html(row, lang) for _, row in out.iterrows()]
    return out


# ``stand_in``: the named place a seat stands for (empty for none), for a legend entry of its own.
FEATURE_PROPERTIES = ("id", "name", "layer", "status", "precision", "stand_in", "task", "style", "tooltip")


def map_features(
    gdf: gpd.GeoDataFrame, *, lang: str = "zh", datum: str = WGS84, colour_by: str = "layer"
) -> dict[str, str]:
    """Catalogue id → GeoJSON feature ready to draw (styled, escaped, in ``datum``), as safe JSON.

    Pages compute this once per (language, datum, colouring) for the whole catalogue and then
    draw any selection of ids without touching geometry again.
    """
    if gdf.empty:
        return {}
    prepared = theme_frame_for_map(gdf, lang=lang, datum=datum, colour_by=colour_by)
    collection = _geojson(prepared, FEATURE_PROPERTIES)
    return {feature["properties"]["id"]: safe_json(feature) for feature in collection["features"]}


def theme_layer_from_features(layer_id: str, features: list[str], *, lang: str = "zh") -> folium.FeatureGroup:
    """One thematic layer: a FeatureGroup holding a single GeoJSON layer of encoded ``features``."""
    group = folium.FeatureGroup(name=LAYERS[layer_id].label(lang), show=True)
    if features:
        VectorLayer(feature_collection_json(features), name=layer_id).add_to(group)
    return group


def theme_layers(
    gdf: gpd.GeoDataFrame,
    layer_ids: Iterable[str] | None = None,
    *,
    lang: str = "zh",
    datum: str = WGS84,
    colour_by: str = "layer",
    features: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per layer that has rows in ``gdf``, in the registry's order.

    Each feature's properties carry its catalogue ``id``, so a click returns which feature it
    was. ``features`` (from :func:`map_features`) saves preparing the geometry again.
    """
    wanted = list(layer_ids) if layer_ids is not None else list(LAYERS)
    if features is None:
        features = map_features(gdf, lang=lang, datum=datum, colour_by=colour_by)
    groups = []
    for layer_id in wanted:
        ids = gdf.loc[gdf["layer"] == layer_id, "id"] if len(gdf) else []
        chosen = [features[i] for i in ids if i in features]
        if chosen:
            groups.append(theme_layer_from_features(layer_id, chosen, lang=lang))
    return groups


def _outline_group(
    frame: gpd.GeoDataFrame, properties: list[str], style: dict, name: str
) -> folium.FeatureGroup:
    """A non-interactive outline of ``frame`` (already in the map's datum) above the other layers."""
    group = folium.FeatureGroup(name=name, control=False)
    if not frame.empty:
        VectorLayer(_geojson(frame, properties), name=name, style=style, interactive=False).add_to(group)
    return group


def highlight_group(
    unit: gpd.GeoDataFrame, *, datum: str = WGS84, name: str = "selected"
) -> folium.FeatureGroup:
    """A bold, unfilled outline of the selected unit(s), drawn above the choropleth."""
    style = {"color": "#0b3d91", "weight": 4, "fill": False}
    return _outline_group(to_datum(unit, datum), ["adcode", "name"], style, name)
