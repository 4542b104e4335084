"""Legends and the choropleth: the in-map precision key, the colour key beside a map, and the
units coloured by how many tasks name them. All text is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import folium
import geopandas as gpd
import pandas as pd

from geo.expressways import TM_CREDIT
from geo.resolve import OSM_ATTRIBUTION
from geo.vocabulary import LAYERS, Precision
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.maps import WGS84, HtmlControl, VectorLayer, _esc, _geojson, safe_json, to_datum


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


def _swatch_point(colour: str, hollow: bool, dash: str = "") -> str:
    fill = "#ffffff" if hollow else colour
    stroke = colour if hollow else "#555"
    dash_attr = f' stroke-dasharray="{_esc(dash)}"' if dash else ""
    return (
        f'<svg width="28" height="14"><circle cx="14" cy="7" r="5" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="2"{dash_attr}/></svg>'
    )


def precision_swatch(precision: Precision, colour: str = "#444") -> str:
    """How a precision class is drawn, as a small SVG: its point, area or line."""
    if precision.point:
        return _swatch_point(colour, hollow=precision.hollow)
    if precision.area:
        return _swatch_area(colour)
    return _swatch_line(colour, dash="6 4" if precision.dashed else None, weight=precision.line_weight)


def _precision_rows(lang: str, stand_in: bool) -> list[str]:
    rows = [
        f'<div class="row" title="{_esc(precision.explanation.label(lang))}">{precision_swatch(precision)}'
        f"{_esc(precision.label(lang))}</div>"
        for precision in PRECISION_TERMS.terms()
    ]
    # A stand-in row is always written (the map script shows it when a stand-in is drawn) and
    # hidden unless the caller knows one is on the map.
    hidden = "" if stand_in else " hidden"
    rows += [
        f'<div class="row plan-legend-stand-in"{hidden}>'
        f"{_swatch_point('#444', hollow=precision.hollow, dash=precision.stand_in_dash)}"
        f"{_esc(precision.stand_in.label(lang))}</div>"
        for precision in PRECISION_TERMS.terms()
        if precision.stand_in is not None
    ]
    return rows


def has_stand_in(features: Iterable[Mapping]) -> bool:
    """Whether any of the GeoJSON features (or rows) stands for a named place: the legend's
    stand-in row is shown only then."""
    for feature in features:
        properties = feature.get("properties", feature)
        if properties.get("stand_in"):
            return True
    return False


def precision_legend_html(*, lang: str = "zh", collapsed: bool = False, stand_in: bool = False) -> str:
    """The in-map legend: how each precision class is drawn (colours are explained beside the map);
    ``stand_in`` shows the row of points standing for a named place."""
    title = "Precision" if lang == "en" else "位置精度"
    state = "" if collapsed else " open"
    # Real alignments and station sites are OpenStreetMap data (ODbL), expressways through Travel
    # Mapping: credited wherever drawn, outside the collapsible part so a closed legend shows it.
    credit = f'<div class="credit">{_esc(OSM_ATTRIBUTION)} · {_esc(TM_CREDIT)}</div>'
    return (
        f'<details{state}><summary>{title}</summary><div class="grid">{"".join(_precision_rows(lang, stand_in))}</div>'
        f"</details>{credit}"
    )


def colour_legend_items(
    layer_ids: Iterable[str] | None = None, *, lang: str = "zh", colour_by: str = "layer"
) -> list[tuple[str, str]]:
    """(colour, label) of what the features' colours mean: the given layers, or every status."""
    if colour_by == "status":
        return [(status.colour, status.label(lang)) for status in STATUS_TERMS.terms()]
    return [(LAYERS[layer_id].colour, LAYERS[layer_id].label(lang)) for layer_id in (layer_ids or ())]


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


def add_legend(
    m: folium.Map, *, lang: str = "zh", collapsed: bool = False, stand_in: bool = False
) -> folium.Map:
    """The compact precision legend in the map; ``collapsed`` for small maps (opens on a click)."""
    # Bottom left: the west of Sichuan is sparse, the east (Chongqing) is where most features are.
    html = precision_legend_html(lang=lang, collapsed=collapsed, stand_in=stand_in)
    HtmlControl(html, position="bottomleft").add_to(m)
    return m


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
    out["tooltip"] = [
        f"<b>{_esc(n)}</b><br>{c} {word}" for n, c in zip(out["name"], out["count"], strict=True)
    ]
    return safe_json(_geojson(out, ["adcode", "name", "count", "style", "tooltip"]))
