"""folium maps of the plan: an offline administrative basemap, thematic layers, a legend, choropleths.

Nothing here needs a network: Leaflet and jQuery come from the app's own static files
(:mod:`layers.assets`), the basemap is the gazetteer's boundaries drawn as vectors, and web tiles
are an optional extra under it. Points are circle markers (no icon fonts, no Bootstrap).

Datum: everything is stored in WGS 84. AMap/Gaode tiles are drawn in GCJ-02, so when that basemap
is chosen every overlay — the administrative outlines included — is shifted to GCJ-02 with
:func:`geo.gcj02.geometry_wgs84_to_gcj02` so that it sits on the right streets.

All text that reaches the map's HTML (tooltips, popups, legend) is escaped here; raw names only
travel as JSON data, which folium writes with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from geo.gcj02 import geometry_wgs84_to_gcj02
from geo.resolve import OSM_ATTRIBUTION
from layers.assets import MAP_CSS, MAP_JS, ensure_assets
from layers.frames import display_frame
from layers.registry import (
    LAYERS,
    PRECISION_LABELS,
    STATUS_COLOURS,
    line_style,
    marker_style,
    precision_explanation,
    precision_label,
    status_label,
)

WGS84 = "WGS84"
GCJ02 = "GCJ02"
# Opening view: the two provinces' extent (see region_bounds), at the zoom that shows it whole.
REGION_ZOOM = 6
# Administrative outlines are the backdrop: ~0.5 km simplification and ~10 m rounding keep the
# county map under ~0.4 MB, which is sent to the browser when the map is (re)drawn.
ADMIN_TOLERANCE_DEG = {"province": 0.008, "prefecture": 0.005, "county": 0.005}
ADMIN_DECIMALS = 4


@dataclass(frozen=True)
class Basemap:
    id: str
    title_zh: str
    title_en: str
    tiles: str | None
    attribution: str
    datum: str = WGS84
    subdomains: str = "abc"
    max_zoom: int = 18

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh


BASEMAPS: dict[str, Basemap] = {
    b.id: b
    for b in (
        Basemap("admin", "行政区划(离线)", "Administrative (offline)", None, ""),
        Basemap(
            "osm",
            "OpenStreetMap",
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            subdomains="",
            max_zoom=19,
        ),
        Basemap(
            "carto",
            "CartoDB 浅色",
            "CartoDB Positron",
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
            '&copy; <a href="https://carto.com/attributions">CARTO</a>',
            subdomains="abcd",
            max_zoom=20,
        ),
        Basemap(
            "esri",
            "Esri 卫星影像",
            "Esri World Imagery",
            "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
            "Tiles &copy; Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
            subdomains="",
        ),
        Basemap(
            "gaode",
            "高德地图(GCJ-02)",
            "AMap/Gaode (GCJ-02)",
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            '&copy; <a href="https://www.amap.com/">高德地图 AMap</a>',
            datum=GCJ02,
            subdomains="1234",
        ),
    )
}
DEFAULT_BASEMAP = "admin"


def datum_of(basemap_id: str) -> str:
    return BASEMAPS[basemap_id].datum


def datum_label(datum: str, lang: str = "zh") -> str:
    if datum == GCJ02:
        return (
            "GCJ-02(高德坐标系,叠加图层已偏移)" if lang != "en" else "GCJ-02 (AMap datum; overlays shifted)"
        )
    return "WGS 84" if lang == "en" else "WGS 84(国际通用坐标系)"


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# -- geometry --------------------------------------------------------------------------------------
def to_datum(gdf: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    """A copy of a WGS 84 frame in ``datum`` (GCJ-02 shifts every vertex; WGS 84 is unchanged)."""
    if datum == WGS84:
        return gdf
    if datum != GCJ02:
        raise ValueError(f"unknown datum: {datum}")
    out = gdf.copy()
    out["geometry"] = [geometry_wgs84_to_gcj02(g) if g is not None else None for g in out.geometry]
    return out


def _geojson(gdf: gpd.GeoDataFrame, properties: Iterable[str]) -> dict:
    """A compact FeatureCollection: only the named properties, coordinates rounded."""
    columns = [c for c in properties if c in gdf.columns]
    trimmed = gpd.GeoDataFrame(gdf[columns].copy(), geometry=gdf.geometry.values, crs=gdf.crs)
    return json.loads(trimmed.to_json(drop_id=True, na="null", to_wgs84=False))


@functools.cache
def _admin_frame(level: str) -> gpd.GeoDataFrame:
    from geo.gazetteer import load_gazetteer

    gdf = load_gazetteer().boundaries(level)
    gdf = display_frame(gdf, tolerance=ADMIN_TOLERANCE_DEG.get(level, 0.005))
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10**-ADMIN_DECIMALS)
    return gdf


def region_bounds(admin: Mapping[str, gpd.GeoDataFrame] | None = None) -> list[list[float]]:
    """[[south, west], [north, east]] of the provinces (the gazetteer's, or those given)."""
    provinces = admin["province"] if admin is not None and "province" in admin else _admin_frame("province")
    west, south, east, north = provinces.total_bounds
    return [[round(float(south), 3), round(float(west), 3)], [round(float(north), 3), round(float(east), 3)]]


def admin_frame(level: str) -> gpd.GeoDataFrame:
    """Display boundaries (simplified, rounded) of Sichuan and Chongqing units at ``level``."""
    return _admin_frame(level).copy()


# -- the base map ----------------------------------------------------------------------------------
MAP_STYLE = """<style>
.leaflet-container { background: #eef3f7; font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; }
.plan-legend { background: rgba(255,255,255,0.94); padding: 6px 9px; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  font-size: 12px; line-height: 1.3; max-height: 75vh; overflow-y: auto; color: #222; }
.plan-legend summary { font-weight: 600; cursor: pointer; }
.plan-legend .grid { display: grid; grid-template-columns: auto auto; column-gap: 10px; }
.plan-legend .row { display: flex; align-items: center; gap: 5px; white-space: nowrap; }
.plan-legend h4 { margin: 6px 0 2px; font-size: 12px; }
.plan-legend .credit { font-size: 10px; color: #555; margin-top: 2px; }
.plan-datum { background: rgba(255,255,255,0.9); padding: 2px 8px; border-radius: 4px; font-size: 12px; color: #333; }
.plan-label-icon { background: none; border: none; }
.leaflet-interactive:focus { outline: none; }
.plan-label { color: #555; font-size: 11px; text-shadow: 0 0 3px #fff, 0 0 3px #fff; white-space: nowrap; }
</style>"""


class HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (legend, datum badge); the HTML is passed as JSON."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "plan-legend"):
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


def new_map(
    *,
    basemap: str = DEFAULT_BASEMAP,
    lang: str = "zh",
    admin_levels: tuple[str, ...] = ("province", "prefecture"),
    admin: Mapping[str, gpd.GeoDataFrame] | None = None,
    labels: bool = True,
    location: tuple[float, float] | None = None,
    zoom: int = REGION_ZOOM,
    height: str | int = "100%",
    fit_region: bool = True,
) -> folium.Map:
    """A map with local assets, the offline administrative basemap and (optionally) web tiles.

    ``admin`` maps a level to a WGS 84 boundary frame; by default the gazetteer's are used. The
    administrative outlines are not interactive, so clicks reach the thematic layers above them.
    """
    ensure_assets()
    if basemap not in BASEMAPS:
        raise KeyError(basemap)
    spec = BASEMAPS[basemap]
    datum = spec.datum
    if location is None:
        (south, west), (north, east) = region_bounds(admin)
        location = ((south + north) / 2, (west + east) / 2)
    m = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        height=height,
        # Quarter zoom steps let the region fill maps of any width.
        zoom_snap=0.25,
        zoom_delta=0.5,
        # The page must keep scrolling: the wheel zooms only after a click (see static/planmap).
        scroll_wheel_zoom=False,
    )
    if fit_region:
        m.fit_bounds(region_bounds(admin))
    # Instance attributes: folium's class defaults point at public CDNs.
    m.default_js = list(MAP_JS)
    m.default_css = list(MAP_CSS)
    # A <style> block in the header survives streamlit-folium, which drops stylesheet links.
    m.get_root().header.add_child(Element(MAP_STYLE), name="plan_map_style")

    if spec.tiles:
        folium.TileLayer(
            tiles=spec.tiles,
            attr=spec.attribution,
            name=spec.title(lang),
            max_zoom=spec.max_zoom,
            subdomains=spec.subdomains or "abc",
            overlay=False,
            control=False,
            opacity=0.85 if basemap != "esri" else 1.0,
        ).add_to(m)

    for level in admin_levels:
        if admin is not None and level not in admin:
            continue
        frame = admin[level] if admin is not None else None
        admin_layer(frame, level, tiled=spec.tiles is not None, datum=datum).add_to(m)
    if labels and (admin is None or "prefecture" in admin):
        if admin is None:
            LabelLayer(_admin_labels("prefecture", datum, lang)).add_to(m)
        else:
            LabelLayer(label_points(to_datum(admin["prefecture"], datum), lang)).add_to(m)
    HtmlControl(_esc(datum_label(datum, lang)), position="topright", css_class="plan-datum").add_to(m)
    return m


def safe_json(value) -> str:
    """JSON that can sit inside a <script> block: ``<``, ``>``, ``&`` and ``'`` are escaped."""
    return str(htmlsafe_json_dumps(value, separators=(",", ":"), ensure_ascii=False))


def feature_collection_json(features: Iterable[str]) -> str:
    """A FeatureCollection from features already encoded by :func:`safe_json`."""
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


class VectorLayer(MacroElement):
    """A Leaflet GeoJSON layer whose style (and tooltip) travel in each feature's properties.

    folium's GeoJson compiles templates and a per-feature style switch on every render; this
    element has one precompiled template, so a layer of hundreds of features renders in
    milliseconds. ``properties.style`` holds Leaflet path options (points become circle markers
    with the same options); ``properties.tip``, when present, is tooltip HTML that was escaped
    when it was built. A fixed ``style`` applies to every feature instead.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
            interactive: {{ this.interactive|tojson }},
            style: function (feature) {
                return {{ this.style|tojson }} || feature.properties.style || {};
            },
            pointToLayer: function (feature, latlng) {
                var options = Object.assign({fill: true}, {{ this.style|tojson }} || feature.properties.style || {});
                options.interactive = {{ this.interactive|tojson }};
                return L.circleMarker(latlng, options);
            },
            onEachFeature: function (feature, layer) {
                if (!{{ this.interactive|tojson }}) { return; }
                if (feature.properties && feature.properties.tip) {
                    layer.bindTooltip(feature.properties.tip, {sticky: true, direction: "top"});
                }
                layer.on("mouseover", function (e) {
                    var base = {{ this.style|tojson }} || feature.properties.style || {};
                    e.target.setStyle({weight: (base.weight || 2) + {{ this.hover_weight|tojson }}});
                });
                layer.on("mouseout", function (e) {
                    e.target.setStyle({weight: ({{ this.style|tojson }} || feature.properties.style || {}).weight || 2});
                });
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict | str,
        *,
        name: str = "vector",
        style: dict | None = None,
        interactive: bool = True,
        hover_weight: float = 2,
    ):
        super().__init__()
        self._name = "VectorLayer"
        self.layer_name = name
        # A str is JSON already made safe for a <script> block by :func:`safe_json`.
        self.data_json = data if isinstance(data, str) else safe_json(data)
        self.style = style
        self.interactive = interactive
        self.hover_weight = hover_weight


@functools.cache
def _admin_json(level: str, datum: str) -> str:
    return safe_json(_geojson(to_datum(_admin_frame(level), datum), ["adcode"]))


def admin_layer(
    gdf: gpd.GeoDataFrame | None, level: str, *, tiled: bool = False, datum: str = WGS84
) -> VectorLayer:
    """The outlines of one administrative level, drawn under everything and never clickable.

    ``gdf`` None means the gazetteer's boundaries, encoded once per process and datum.
    """
    if level == "province":
        style = {
            "color": "#5b5b5b",
            "weight": 2.2,
            "fill": not tiled,
            "fillColor": "#fbf8ef",
            "fillOpacity": 1.0 if not tiled else 0,
        }
    elif level == "prefecture":
        style = {"color": "#8a8a8a", "weight": 1.0, "fill": False}
    else:
        style = {"color": "#b0b0b0", "weight": 0.6, "fill": False}
    data = _admin_json(level, datum) if gdf is None else _geojson(to_datum(gdf, datum), ["adcode"])
    return VectorLayer(data, name=f"admin-{level}", style=style, interactive=False)


def label_points(gdf: gpd.GeoDataFrame, lang: str = "zh") -> list[list]:
    """[lat, lon, short name] at a point inside each unit.

    Chongqing's 38 districts and counties would crowd a regional map: they get one label, 重庆,
    at the seat of the municipality, and each prefecture of Sichuan gets its own.
    """
    points = []
    if {"level", "parent"} <= set(gdf.columns):
        districts = gdf[(gdf["level"] == "county") & gdf["parent"].notna()]
        gdf = gdf.drop(districts.index)
        for parent, group in districts.groupby("parent"):
            point = _seat_of(str(parent)) or group.geometry.union_all().representative_point()
            points.append([round(point.y, 4), round(point.x, 4), _short_name_of(str(parent), lang)])
    column = "name_en" if lang == "en" and "name_en" in gdf.columns else "short_name"
    names = gdf[column] if column in gdf.columns else gdf["name"]
    for name, geometry in zip(names, gdf.geometry, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        point = geometry.representative_point()
        points.append([round(point.y, 4), round(point.x, 4), str(name)])
    return points


def _seat_of(adcode: str):
    from shapely.geometry import Point

    from geo.errors import GeoError
    from geo.gazetteer import load_gazetteer

    try:
        unit = load_gazetteer().unit(adcode)
    except GeoError:
        return None
    return Point(unit.lon, unit.lat)


def _short_name_of(adcode: str, lang: str = "zh") -> str:
    from geo.errors import GeoError
    from geo.gazetteer import load_gazetteer

    try:
        unit = load_gazetteer().unit(adcode)
        return unit.name_en if lang == "en" and unit.name_en else unit.short_name
    except GeoError:
        return adcode


@functools.cache
def _admin_labels(level: str, datum: str, lang: str = "zh") -> tuple:
    return tuple(tuple(p) for p in label_points(to_datum(_admin_frame(level), datum), lang))


class LabelLayer(MacroElement):
    """Place names as plain text on the map (not clickable); names are set as text, never HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.points|tojson }}.forEach(function (p) {
            var div = document.createElement("div");
            div.className = "plan-label";
            div.textContent = p[2];
            L.marker([p[0], p[1]], {
                interactive: false, keyboard: false,
                icon: L.divIcon({html: div, className: "plan-label-icon", iconSize: [60, 14], iconAnchor: [30, 7]})
            }).addTo({{ this.get_name() }});
        });
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points):
        super().__init__()
        self._name = "LabelLayer"
        self.points = [list(p) for p in points]


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


def _feature_style(layer_id: str, precision: str, status: str, colour_by: str, is_point: bool) -> dict:
    style = dict(marker_style(layer_id, precision) if is_point else line_style(layer_id, precision))
    if colour_by == "status":
        colour = STATUS_COLOURS.get(status, "#999999")
        if is_point and precision == "exact":
            style["fillColor"] = colour
        elif is_point:
            style["color"] = colour
        else:
            style["color"] = colour
            if "fillColor" in style:
                style["fillColor"] = colour
    return style


def _tooltip_html(row: pd.Series, lang: str) -> str:
    layer = LAYERS[row["layer"]].title(lang)
    name = row["name_en"] if lang == "en" and row.get("name_en") else row["name"]
    parts = [
        f"<b>{_esc(name)}</b>",
        f"{_esc(layer)} · {_esc(status_label(row['status'], lang))}",
        f"{'Task' if lang == 'en' else '任务'} {_esc(row['task'])} · {_esc(precision_label(row['precision'], lang))}",
    ]
    return "<br>".join(parts)


def theme_frame_for_map(
    gdf: gpd.GeoDataFrame, *, lang: str = "zh", datum: str = WGS84, colour_by: str = "layer"
) -> gpd.GeoDataFrame:
    """Display rows with per-feature style and pre-escaped tooltip HTML, in ``datum``."""
    out = to_datum(map_display_frame(gdf), datum)
    is_point = out.geom_type.isin(["Point", "MultiPoint"])
    out["style"] = [
        _feature_style(layer, precision, status, colour_by, point)
        for layer, precision, status, point in zip(
            out["layer"], out["precision"], out["status"], is_point, strict=True
        )
    ]
    out["tip"] = [_tooltip_html(row, lang) for _, row in out.iterrows()]
    return out


FEATURE_PROPERTIES = ("id", "name", "layer", "status", "precision", "task", "style", "tip")


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
    group = folium.FeatureGroup(name=LAYERS[layer_id].title(lang), show=True)
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


# -- legend ----------------------------------------------------------------------------------------
def _swatch_line(colour: str, dash: str | None = None, weight: float = 3) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" stroke="{colour}" '
        f'stroke-width="{weight}"{dash_attr}/></svg>'
    )


def _swatch_area(colour: str) -> str:
    return (
        f'<svg width="28" height="12"><rect x="2" y="1" width="24" height="10" fill="{colour}" fill-opacity="0.25" '
        f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="1.5"/></svg>'
    )


def _swatch_point(colour: str, hollow: bool) -> str:
    fill = "#ffffff" if hollow else colour
    stroke = colour if hollow else "#555"
    return f'<svg width="28" height="14"><circle cx="14" cy="7" r="5" fill="{fill}" stroke="{stroke}" stroke-width="2"/></svg>'


def _precision_rows(lang: str) -> list[str]:
    grey = "#444"
    swatches = {
        "exact": _swatch_point(grey, hollow=False),
        "site": _swatch_point(grey, hollow=False),
        "seat": _swatch_point(grey, hollow=True),
        "area": _swatch_area(grey),
        "route": _swatch_line(grey, weight=3),
        "river": _swatch_line(grey, weight=5),
        "schematic": _swatch_line(grey, dash="6 4"),
    }
    return [
        f'<div class="row" title="{_esc(precision_explanation(precision, lang))}">{swatch}'
        f"{_esc(precision_label(precision, lang))}</div>"
        for precision, swatch in swatches.items()
    ]


def precision_legend_html(*, lang: str = "zh", collapsed: bool = False) -> str:
    """The in-map legend: how each precision class is drawn (colours are explained beside the map)."""
    title = "Precision" if lang == "en" else "位置精度"
    state = "" if collapsed else " open"
    # Real alignments and station sites are OpenStreetMap data (ODbL): credited wherever drawn,
    # outside the collapsible part so a closed legend still shows it.
    credit = f'<div class="credit">{_esc(OSM_ATTRIBUTION)}</div>'
    return (
        f'<details{state}><summary>{title}</summary><div class="grid">{"".join(_precision_rows(lang))}</div>'
        f"</details>{credit}"
    )


def colour_legend_items(
    layer_ids: Iterable[str] | None = None, *, lang: str = "zh", colour_by: str = "layer"
) -> list[tuple[str, str]]:
    """(colour, label) of what the features' colours mean: the given layers, or every status."""
    if colour_by == "status":
        return [(colour, status_label(status, lang)) for status, colour in STATUS_COLOURS.items()]
    return [(LAYERS[layer_id].colour, LAYERS[layer_id].title(lang)) for layer_id in (layer_ids or ())]


def colour_legend_html(
    layer_ids: Iterable[str] | None = None, *, lang: str = "zh", colour_by: str = "layer"
) -> str:
    """The colour key drawn beside a map (by the page, so it follows the layers without redrawing
    the map): one swatch per layer shown, or per status when colouring by status. Escaped here."""
    items = colour_legend_items(layer_ids, lang=lang, colour_by=colour_by)
    if not items:
        return ""
    zh, en = ("状态", "Status") if colour_by == "status" else ("图层", "Layers")
    title = en if lang == "en" else zh
    chips = "".join(
        '<span style="display:inline-flex;align-items:center;gap:4px;margin:0 14px 2px 0;white-space:nowrap">'
        f"{_swatch_line(colour, weight=6)}{_esc(label)}</span>"
        for colour, label in items
    )
    return (
        '<div class="plan-colour-legend" style="font-size:0.85rem;line-height:1.6;display:flex;flex-wrap:wrap;'
        f'align-items:center;margin-bottom:0.75rem"><b style="margin-right:10px">{title}</b>{chips}</div>'
    )


def add_legend(m: folium.Map, *, lang: str = "zh", collapsed: bool = False) -> folium.Map:
    """The compact precision legend in the map; ``collapsed`` for small maps (opens on a click)."""
    # Bottom left: the west of Sichuan is sparse, the east (Chongqing) is where most features are.
    HtmlControl(precision_legend_html(lang=lang, collapsed=collapsed), position="bottomleft").add_to(m)
    return m


assert set(PRECISION_LABELS) == {"exact", "site", "seat", "area", "route", "river", "schematic"}, (
    "legend draws each precision class"
)


# -- choropleth ------------------------------------------------------------------------------------
# Classes of "number of tasks naming a unit": 0, 1, 2, 3–4, 5–7, 8–12, 13+ (YlOrRd).
COUNT_BREAKS = (1, 2, 3, 5, 8, 13)
COUNT_COLOURS = ("#f0f0f0", "#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


def count_colour(count: int) -> str:
    klass = sum(1 for edge in COUNT_BREAKS if count >= edge)
    return COUNT_COLOURS[klass]


def count_classes(lang: str = "zh") -> list[tuple[str, str]]:
    """(label, colour) of each class, for the legend."""
    labels = ["0"]
    edges = list(COUNT_BREAKS)
    for low, high in zip(edges, [*edges[1:], None], strict=True):
        if high is None:
            labels.append(f"{low}+")
        elif high - low == 1:
            labels.append(str(low))
        else:
            labels.append(f"{low}–{high - 1}")
    return list(zip(labels, COUNT_COLOURS, strict=True))


def choropleth_legend_html(lang: str = "zh") -> str:
    en = lang == "en"
    title = "Tasks naming the unit" if en else "提及该地的任务数"
    rows = [
        f'<div class="row"><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="{colour}" '
        f'stroke="#888" stroke-width="0.6"/></svg>{_esc(label)}</div>'
        for label, colour in count_classes(lang)
    ]
    return f"<details open><summary>{title}</summary>{''.join(rows)}</details>"


def choropleth_layer(
    units: gpd.GeoDataFrame,
    counts: Mapping[str, int] | pd.Series,
    *,
    lang: str = "zh",
    datum: str = WGS84,
    name: str = "choropleth",
) -> VectorLayer:
    """Units coloured by how many tasks name them; each polygon carries ``adcode`` and ``name``.

    ``units`` needs ``adcode``, ``name`` and geometry (WGS 84); ``counts`` maps adcode → tasks.
    """
    return VectorLayer(choropleth_json(units, counts, lang=lang, datum=datum), name=name, hover_weight=2.2)


def choropleth_json(
    units: gpd.GeoDataFrame, counts: Mapping[str, int] | pd.Series, *, lang: str = "zh", datum: str = WGS84
) -> str:
    """The choropleth's FeatureCollection as safe JSON (pages cache it per level and language)."""
    out = to_datum(units, datum).copy()
    out["adcode"] = out["adcode"].astype(str)
    out["count"] = [int(counts.get(code, 0)) for code in out["adcode"]]
    out["style"] = [
        {"color": "#6b6b6b", "weight": 0.8, "fillColor": count_colour(c), "fillOpacity": 0.78}
        for c in out["count"]
    ]
    word = "tasks" if lang == "en" else "项任务"
    out["tip"] = [f"<b>{_esc(n)}</b><br>{c} {word}" for n, c in zip(out["name"], out["count"], strict=True)]
    return safe_json(_geojson(out, ["adcode", "name", "count", "style", "tip"]))


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


def selected_feature_group(
    gdf: gpd.GeoDataFrame, *, datum: str = WGS84, name: str = "selected"
) -> folium.FeatureGroup:
    """A dark halo around the selected feature(s), drawn above the thematic layers."""
    shown = to_datum(map_display_frame(gdf), datum) if not gdf.empty else gdf
    style = {"color": "#111111", "weight": 7, "opacity": 0.45, "fill": False, "radius": 12}
    return _outline_group(shown, ["id"], style, name)


def rendered_html(m: folium.Map) -> str:
    """The map as a standalone HTML page (what a browser or a test reads)."""
    return m.get_root().render()
