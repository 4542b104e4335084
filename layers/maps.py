"""folium maps of the plan: an offline administrative basemap, vector layers and labels.

Nothing here needs a network: Leaflet and jQuery come from the app's own static files
(:mod:`layers.assets`), the basemap is the gazetteer's boundaries drawn as vectors, and web tiles
are an optional extra under it. Points are circle markers (no icon fonts, no Bootstrap). The plan's
thematic layers are drawn by :mod:`layers.map_themes`, legends and choropleths by :mod:`layers.legends`.

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

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from geo.gcj02 import geometry_wgs84_to_gcj02
from geo.vocabulary import BASEMAPS
from layers.assets import MAP_CSS, MAP_JS, ensure_assets, write_static_text
from layers.frames import display_frame
from layers.labels import LabelLayer, label_points

WGS84 = "WGS84"
GCJ02 = "GCJ02"
# Opening view: the two provinces' extent (see region_bounds), at the zoom that shows it whole.
REGION_ZOOM = 6
# Administrative outlines are the backdrop: ~0.5 km simplification and ~10 m rounding keep the
# county map under ~0.4 MB, which is sent to the browser when the map is (re)drawn.
ADMIN_TOLERANCE_DEG = {"province": 0.008, "prefecture": 0.005, "county": 0.005}
ADMIN_DECIMALS = 4


# The backgrounds (tile URL, attribution, datum) are the vocabulary's terms (data/vocabularies.yaml);
# the default is the offline outlines, so the map works without the internet.
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
    """Leaflet's ``[[south, west], [north, east]]`` of the provinces (the gazetteer's, or those given).

    The one box of the region for maps; every bounds in ``layers/`` is in this order.
    """
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
.plan-legend .row[hidden] { display: none; }
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
        var {{ this.get_name() }} = PlanMap.htmlControl({{ this._parent.get_name() }}, {{ this.html|tojson }},
            {{ this.position|tojson }}, {{ this.css_class|tojson }});
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
            name=spec.label(lang),
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
        admin_layer(frame, level, tiled=bool(spec.tiles), datum=datum).add_to(m)
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
    with the same options); ``properties.tooltip``, when present, is tooltip HTML that was escaped
    when it was built. A fixed ``style`` applies to every feature instead.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = PlanMap.vector({{ this._parent.get_name() }}, {{ this.data_json }},
            {{ this.options_json }});
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
        self.interactive = interactive
        # Data for PlanMap.vector (static/planmap/core.js), which draws, hovers and binds tooltips.
        self.options_json = safe_json(
            {"style": style, "interactive": interactive, "hover_weight": hover_weight}
        )


# Backdrop panes sit under Leaflet's overlay pane (400), one per level so the province fill stays
# under the outlines whichever file arrives first.
BACKDROP_PANES = {"province": 350, "prefecture": 351, "county": 352}


class BackdropLayer(MacroElement):
    """Administrative outlines fetched from a static file the browser caches, drawn in a pane of
    their own under everything and never clickable: a script run then sends their URL, not them."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = PlanMap.backdrop({{ this._parent.get_name() }}, {{ this.url|tojson }},
            {{ this.style|tojson }}, {{ this.pane|tojson }}, {{ this.z_index|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, *, name: str, style: dict, pane: str, z_index: int):
        super().__init__()
        self._name = "BackdropLayer"
        self.layer_name = name
        self.url = url
        self.style = style
        self.pane = pane
        self.z_index = z_index
        self.interactive = False


@functools.cache
def _admin_json(level: str, datum: str) -> str:
    frame = to_datum(_admin_frame(level), datum)
    if datum != WGS84:  # shifted vertices carry full precision again: round them as the WGS 84 ones
        frame = frame.set_geometry(shapely.set_precision(frame.geometry.values, 10**-ADMIN_DECIMALS))
    return safe_json(_geojson(frame, ["adcode"]))


def _admin_url(level: str, datum: str) -> str:
    # Not cached: the file is written again should it have been removed while the app runs.
    return write_static_text(f"admin-{level}-{datum.lower()}", _admin_json(level, datum))


def admin_layer(
    gdf: gpd.GeoDataFrame | None, level: str, *, tiled: bool = False, datum: str = WGS84
) -> VectorLayer | BackdropLayer:
    """The outlines of one administrative level, drawn under everything and never clickable.

    ``gdf`` None means the gazetteer's boundaries: a static file written once per process and
    datum, which the browser fetches (and caches); other outlines travel inside the map.
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
    if gdf is None:
        pane = f"plan-admin-{level}"
        return BackdropLayer(
            _admin_url(level, datum),
            name=f"admin-{level}",
            style=style,
            pane=pane,
            z_index=BACKDROP_PANES[level],
        )
    data = _geojson(to_datum(gdf, datum), ["adcode"])
    return VectorLayer(data, name=f"admin-{level}", style=style, interactive=False)


@functools.cache
def _admin_labels(level: str, datum: str, lang: str = "zh") -> tuple:
    return tuple(tuple(p) for p in label_points(to_datum(_admin_frame(level), datum), lang))


def rendered_html(m: folium.Map) -> str:
    """The map as a standalone HTML page (what a browser or a test reads)."""
    return m.get_root().render()
