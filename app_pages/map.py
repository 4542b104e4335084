"""地图 Map explorer: thematic layers, filters, search, basemaps; click a feature to read its sentence.

State lives in the URL: ``?layers=railway,aviation&status=开工建设&province=四川&chapter=2&task=10
&q=万达开&basemap=gaode&colour=status&feature=<id>&as_of=2024-06-30&lang=en``. ``colour`` is layer,
status, phase (progress as of ``as_of``) or warnings (the ledger's warning rules as of ``as_of``).
Unknown values give a one-line warning and fall back to the default; the widgets then write the cleaned state back.
"""

from __future__ import annotations

import time

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.catalogue import LAYER_IDS
from geo.features import SELECTION_PARAMS, Selection
from geo.formats.measures import length_wording
from geo.search import search_frame
from geo.vocabulary import BASEMAPS, LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import PROVINCE_SCOPES as PROVINCE_SCOPE_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.assets import write_static_text
from layers.legends import add_legend, colour_legend_html
from layers.maps import DEFAULT_BASEMAP, datum_label, datum_of, feature_collection_json
from layers.planmap import feature_strings, feature_view, features_url, planner_map
from layers.summaries import phase_definition, phase_matching
from ui import map_progress, map_warnings
from ui.clicks import CLICK_OBJECTS, clicked_properties
from ui.common import catalogue, lang, load_catalogue_or_stop, page_href, tr
from ui.details import feature_details
from ui.filters import plan_filters, search_suggestions
from ui.page_state import PageState, Refused, checked, choice, selection_of, selection_params

PAGE = "map"
COLOUR_MODES = ("layer", "status", "phase", "warnings")


# -- URL ↔ widgets --------------------------------------------------------------------------------
def _known_feature(item_id: str) -> str:
    if catalogue()[catalogue()["id"] == item_id].empty:
        raise Refused(item_id)
    return item_id


STATE = PageState(
    PAGE,
    (
        *selection_params(PAGE, every_layer=lambda: list(LAYER_IDS)),
        choice(
            "basemap",
            "map_basemap",
            lambda: BASEMAPS,
            DEFAULT_BASEMAP,
            lambda: BASEMAPS[DEFAULT_BASEMAP].label(lang()),
        ),
        choice("colour", "map_colour", lambda: COLOUR_MODES, "layer", lambda: "layer"),
        checked("feature", "map_feature", _known_feature, None, lambda: tr("无", "none")),
        map_progress.AS_OF,
    ),
)
# What the "export these features" link carries: the selection and the day of the phases.
EXPORTED = (*SELECTION_PARAMS, "as_of")


# -- widgets ---------------------------------------------------------------------------------------
def _filters(gdf: gpd.GeoDataFrame) -> Selection:
    language = lang()
    counts = gdf["layer"].value_counts()
    st.multiselect(
        tr("图层", "Layers"),
        options=list(LAYER_IDS),
        format_func=lambda layer_id: f"{LAYERS[layer_id].label(language)} ({counts.get(layer_id, 0)})",
        key="map_layers",
        placeholder=tr("未选择图层", "No layer chosen"),
        help=tr(
            "每个主题一个图层;清空后地图不显示要素。",
            "One layer per theme; with none chosen the map shows no features.",
        ),
    )
    st.text_input(
        tr("搜索(中文名、拼音、英文或简称)", "Search (Chinese, pinyin, English or abbreviation)"),
        key="map_query",
        placeholder=tr("如:天府、chengdu、万达开", "e.g. 天府, chengdu, 万达开"),
    )
    search_suggestions(PAGE)
    plan_filters(PAGE)
    st.selectbox(
        tr("底图", "Basemap"),
        options=list(BASEMAPS),
        format_func=lambda b: BASEMAPS[b].label(language),
        key="map_basemap",
        help=tr(
            "行政区划底图离线可用;瓦片底图需要联网。选择高德底图时所有叠加图层转换为 GCJ-02。",
            "The administrative basemap works offline; tiles need internet. With Gaode tiles every overlay is shifted to GCJ-02.",
        ),
    )
    st.radio(
        tr("着色依据", "Colour by"),
        options=list(COLOUR_MODES),
        format_func=lambda c: (
            {
                "layer": tr("图层", "layer"),
                "status": tr("状态", "status"),
                "warnings": tr("预警", "warnings"),
            }.get(c)
            or tr("进展", "progress")
        ),
        key="map_colour",
        horizontal=True,
    )
    map_progress.as_of_control()
    return selection_of(STATE)


def _measure(length_km, area_km2, precision: str) -> str:
    if pd.notna(length_km):
        return tr(*length_wording(length_km, precision))
    if pd.notna(area_km2):
        return f"{float(area_km2):,.0f} km²"
    return ""


def _feature_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    language = lang()
    table = pd.DataFrame(
        {
            tr("名称", "Name"): gdf["name"],
            tr("图层", "Layer"): [LAYERS[layer].label(language) for layer in gdf["layer"]],
            tr("状态", "Status"): [STATUS_TERMS.label(s, language) for s in gdf["status"]],
            tr("任务", "Task"): gdf["task"].astype(int),
            tr("方面", "Chapter"): gdf["chapter"].astype(int),
            tr("省份", "Province"): [PROVINCE_SCOPE_TERMS.label(p, language) for p in gdf["province_scope"]],
            tr("精度", "Precision"): [PRECISION_TERMS.label(p, language) for p in gdf["precision"]],
            tr("长度/面积", "Length / area"): [
                _measure(length, area, precision)
                for length, area, precision in zip(
                    gdf["length_km"], gdf["area_km2"], gdf["precision"], strict=True
                )
            ],
        }
    )
    return table.reset_index(drop=True)


# -- page ------------------------------------------------------------------------------------------
def _on_map_click() -> None:
    """A click on the map, handled before the run so the page runs once (not twice)."""
    clicked_id = clicked_properties("map_explorer").get("id")
    if clicked_id:
        st.session_state["map_feature"] = clicked_id


def _on_table_pick() -> None:
    event = st.session_state.get("map_table")
    rows = list(
        getattr(getattr(event, "selection", None), "rows", None)
        or (event or {}).get("selection", {}).get("rows", [])
    )
    ids = st.session_state.get("map_table_ids") or []
    if rows and rows[0] < len(ids):
        st.session_state["map_feature"] = ids[rows[0]]


def _selection_subtitle(selection: Selection, shown: int, total: int) -> str:
    parts = [tr(f"{shown} / {total} 个要素", f"{shown} of {total} features")]
    if selection.tasks:
        parts.append(tr("任务 ", "tasks ") + ",".join(str(t) for t in selection.tasks))
    if selection.statuses:
        parts.append(",".join(STATUS_TERMS.label(s, lang()) for s in selection.statuses))
    if selection.query:
        parts.append(f"“{selection.query}”")
    return " · ".join(parts)


def _map_section(gdf, gdf_all, selection: Selection, events, latest, chosen: str | None) -> None:
    language = lang()
    basemap, colour_by = STATE.value("basemap"), STATE.value("colour")
    found = None
    if colour_by == "warnings":
        found = map_warnings.warnings_as_of(gdf_all, events, map_progress.current_as_of())
        # Unknown warnings (a fault, already shown in one line): the map draws in its layer colours.
        colour_by = "layer" if found is None else colour_by
    datum = datum_of(basemap)
    if not selection.layers:
        st.info(
            tr(
                "未选择图层:请在左侧“图层”中至少选择一个。",
                "No layer chosen: pick at least one under “Layers” on the left.",
            ),
            icon=":material/layers:",
        )
    elif gdf.empty:
        st.info(
            tr(
                "没有符合条件的要素:请放宽状态、省份、方面或任务筛选,或修改搜索词。",
                "No feature matches: relax the status, province, chapter or task filters, or change the search.",
            ),
            icon=":material/search_off:",
        )
    else:
        phase = phase_matching(selection.statuses)
        st.caption(
            tr(
                f"显示 {len(gdf)} 个要素(共 {len(gdf_all)} 个)· ",
                f"Showing {len(gdf)} of {len(gdf_all)} features · ",
            )
            + (f"{phase_definition(phase, language)} · " if phase else "")
            + tr("坐标系:", "datum: ")
            + datum_label(datum, language)
        )
    view = feature_view(
        gdf,
        url=_features_url(language, datum, colour_by, gdf_all, latest, found),
        selected=chosen,
        lang=language,
        subtitle=_selection_subtitle(selection, len(gdf), len(gdf_all)),
    )
    st_folium(
        _base_map(basemap, language),
        key="map_explorer",
        height=640,
        use_container_width=True,
        feature_group_to_add=[view],
        returned_objects=CLICK_OBJECTS,
        on_change=_on_map_click,
    )
    shown_layers = [layer_id for layer_id in LAYER_IDS if layer_id in set(gdf["layer"])]
    legend = map_progress.legend_html() if colour_by == "phase" else None
    if colour_by == "warnings":
        legend = map_warnings.legend_html(gdf, found or [])
    st.markdown(
        legend or colour_legend_html(shown_layers, lang=language, colour_by=colour_by),
        unsafe_allow_html=True,
    )


def _details_section(gdf, gdf_all, latest, chosen: str | None) -> None:
    if chosen:
        with st.container(border=True, key="map_details"):
            feature_details(gdf_all[gdf_all["id"] == chosen].iloc[0], latest)
    elif not gdf.empty:
        st.info(
            tr(
                "点击地图上的要素或表格中的一行,在这里查看原文、状态和位置精度。",
                "Click a feature on the map or a row of the table to read its sentence, status and precision here.",
            ),
            icon=":material/touch_app:",
        )


def _table_section(gdf, chosen: str | None) -> None:
    st.subheader(tr("要素列表", "Features"))
    table = _feature_table(gdf)
    ids = list(gdf["id"])
    st.session_state["map_table_ids"] = ids
    shown = table
    if chosen in ids:
        position = ids.index(chosen)
        shown = table.style.apply(
            lambda row: ["background-color: #ffe08a" if row.name == position else "" for _ in row], axis=1
        )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select=_on_table_pick,
        selection_mode="single-row",
        key="map_table",
        height=min(420, 38 + 35 * max(len(table), 1)),
    )


def main() -> None:
    st.title(tr("地图", "Map explorer"))
    started = time.perf_counter()
    with st.spinner(tr("正在加载规划要素…", "Loading the plan's features…")):
        gdf_all = load_catalogue_or_stop()
    STATE.load()

    filters_column, map_column, details_column = st.columns([1.05, 3, 1.75], gap="small")
    with filters_column:
        selection = _filters(gdf_all)
    gdf = search_frame(gdf_all, selection) if selection.layers else gdf_all.iloc[0:0]
    events = map_progress.map_events()
    latest = map_progress.latest_events(map_progress.current_as_of(), events)
    chosen = STATE.value("feature")
    with map_column:
        _map_section(gdf, gdf_all, selection, events, latest, chosen)
    with details_column:
        _details_section(gdf, gdf_all, latest, chosen)
    _table_section(gdf, chosen)

    STATE.save()
    export = page_href("export", **STATE.link(*EXPORTED))
    label = tr("导出这些要素(GeoJSON 等格式)→", "Export these features (GeoJSON and other formats) →")
    st.markdown(f"[{label}]({export})")
    st.caption(
        tr(
            f"本页计算用时 {time.perf_counter() - started:.2f} 秒",
            f"Page computed in {time.perf_counter() - started:.2f} s",
        )
    )


def _features_url(language: str, datum: str, colour_by: str, gdf_all, latest, found) -> str:
    """The static features file to draw from; colouring by progress (or by warnings) recolours the
    layer colours with the latest events (or the warnings), cached per set of them, and writes that file."""
    if colour_by == "warnings":
        coloured = map_warnings.coloured_by_warnings(feature_strings(language, datum, gdf_all), found, datum)
        return write_static_text(
            f"features-{language}-{datum.lower()}-warnings", feature_collection_json(coloured.values())
        )
    if colour_by != "phase":
        return features_url(language, datum, colour_by, gdf_all)
    coloured = map_progress.coloured_by_phase(feature_strings(language, datum, gdf_all), latest, datum)
    return write_static_text(
        f"features-{language}-{datum.lower()}-phase", feature_collection_json(coloured.values())
    )


def _base_map(basemap: str, language: str):
    """The part of the map that is the same on every run (so it stays mounted)."""
    m = planner_map(
        basemap=basemap, lang=language, title=tr("成渝双城经济圈规划地图", "Chengdu–Chongqing Plan Map")
    )
    add_legend(m, lang=language, collapsed=True)
    return m


main()
