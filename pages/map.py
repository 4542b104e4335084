"""地图 Map explorer: thematic layers, filters, search, basemaps; click a feature to read its sentence.

State lives in the URL: ``?layers=railway,aviation&status=开工建设&province=四川&chapter=2&task=10
&q=万达开&basemap=gaode&colour=status&feature=<id>&as_of=2024-06-30&lang=en``. Unknown values give a one-line warning
and fall back to the default; the widgets then write the cleaned state back.
"""

from __future__ import annotations

import time

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.catalogue import LAYER_IDS
from geo.features import selection_from_params
from geo.plan import load_plan
from geo.search import search_frame
from layers.frames import PROVINCE_SCOPE_EN, Selection
from layers.maps import (
    BASEMAPS,
    DEFAULT_BASEMAP,
    add_legend,
    colour_legend_html,
    datum_label,
    datum_of,
    map_features,
    new_map,
    selected_feature_group,
    theme_layers,
)
from layers.registry import LAYERS, precision_explanation, precision_label, status_label
from layers.summaries import FEATURE, Span, highlight_html
from pages import map_progress
from pages.filters import filter_state, plan_filters, search_suggestions, selection_params, set_filter_state
from pages.ui import (
    catalogue,
    esc,
    lang,
    load_catalogue_or_stop,
    page_href,
    param,
    remember_url,
    set_params,
    tr,
    url_changed,
    warn_bad_param,
)

PAGE = "map"
COLOUR_MODES = ("layer", "status", "phase")
HIGHLIGHT_CSS = """<style>
mark.hl-feature { background: #ffe08a; padding: 0 2px; border-radius: 2px; }
.feature-quote { font-size: 1.02rem; line-height: 1.7; border-left: 4px solid #c0392b; padding: 4px 12px; background: #fafafa; }
</style>"""


@st.cache_resource(show_spinner=False, max_entries=12)
def _map_features(language: str, datum: str, colour_by: str) -> dict[str, dict]:
    """Every feature ready to draw, per interface language, datum and colouring (once each)."""
    return map_features(catalogue(), lang=language, datum=datum, colour_by=colour_by)


@st.cache_resource(show_spinner=False)
def _plan():
    return load_plan()


# -- URL → widgets ---------------------------------------------------------------------------------
def _state_from_url() -> None:
    selection, bad = selection_from_params(st.query_params.to_dict())
    everything = tr("全部", "all")
    for name in dict.fromkeys(name for name, _ in bad):
        warn_bad_param(name, ",".join(value for n, value in bad if n == name), everything)
    set_filter_state(PAGE, selection)
    st.session_state["map_layers"] = list(selection.layers) or list(LAYER_IDS)
    basemap = param("basemap")
    if basemap and basemap not in BASEMAPS:
        warn_bad_param("basemap", basemap, BASEMAPS[DEFAULT_BASEMAP].title(lang()))
        basemap = None
    st.session_state["map_basemap"] = basemap or DEFAULT_BASEMAP
    colour = param("colour")
    if colour and colour not in COLOUR_MODES:
        warn_bad_param("colour", colour, "layer")
        colour = None
    st.session_state["map_colour"] = colour or "layer"
    st.session_state["map_feature"] = param("feature")
    map_progress.as_of_from_url()


# -- widgets ---------------------------------------------------------------------------------------
def _filters(gdf: gpd.GeoDataFrame) -> Selection:
    language = lang()
    counts = gdf["layer"].value_counts()
    st.multiselect(
        tr("图层", "Layers"),
        options=list(LAYER_IDS),
        format_func=lambda layer_id: f"{LAYERS[layer_id].title(language)} ({counts.get(layer_id, 0)})",
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
        format_func=lambda b: BASEMAPS[b].title(language),
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
            {"layer": tr("图层", "layer"), "status": tr("状态", "status")}.get(c) or tr("进展", "progress")
        ),
        key="map_colour",
        horizontal=True,
    )
    map_progress.as_of_control()
    return filter_state(PAGE)


def _write_url(selection: Selection) -> None:
    set_params(
        **selection_params(selection),
        basemap="" if st.session_state["map_basemap"] == DEFAULT_BASEMAP else st.session_state["map_basemap"],
        colour="" if st.session_state["map_colour"] == "layer" else st.session_state["map_colour"],
        feature=st.session_state.get("map_feature") or "",
        as_of=map_progress.as_of_param(map_progress.current_as_of()),
    )


# -- details ---------------------------------------------------------------------------------------
def feature_details(row: pd.Series, latest: dict | None = None) -> None:
    """Everything about one feature: what, where from in the plan, how precisely it is placed."""
    language = lang()
    plan = _plan()
    layer = LAYERS[row["layer"]]
    name = row["name"]
    st.markdown(f"#### {esc(name)}", unsafe_allow_html=True)
    if row.get("name_en"):
        st.caption(row["name_en"])
    chapter = plan.chapter(int(row["chapter"]))
    task = plan.task(int(row["task"]))
    verb = row.get("verb") or ""
    status_text = status_label(row["status"], language)
    if verb and verb != row["status"]:
        status_text += tr(f"(原文:{verb})", f" (the plan says: {verb})")
    lines = [
        f"**{tr('图层', 'Layer')}:** {esc(layer.title(language))}",
        f"**{tr('状态', 'Status')}:** {esc(status_text)}",
        f"**{tr('任务', 'Task')}:** [{int(row['task'])}. {esc(task.title)}]({page_href('tasks', task=int(row['task']))})",
        f"**{tr('方面', 'Chapter')}:** {esc(chapter.label)}、{esc(chapter.title)}",
    ]
    others = [int(t) for t in row["tasks"] if int(t) != int(row["task"])]
    if others:
        links = ", ".join(f"[{t}]({page_href('tasks', task=t)})" for t in others)
        lines.append(f"**{tr('另见任务', 'Also in tasks')}:** {links}")
    st.markdown("  \n".join(lines), unsafe_allow_html=True)
    if latest is not None:
        map_progress.details_line(row, latest, map_progress.current_as_of())

    sentence = str(row["sentence_text"])
    quote = str(row["quote"])
    start = sentence.find(quote) if quote else -1
    spans = [Span(start, start + len(quote), FEATURE, name)] if start >= 0 else []
    st.markdown(HIGHLIGHT_CSS, unsafe_allow_html=True)
    st.markdown(
        f'<div class="feature-quote">{highlight_html(sentence, spans)}</div>',
        unsafe_allow_html=True,
    )
    st.caption(
        tr(
            f"原文:任务 {task.number} 第 {int(row['sentence'])} 句",
            f"Plan text: task {task.number}, sentence {int(row['sentence'])}",
        )
    )

    precision = row["precision"]
    st.markdown(
        f"**{tr('位置精度', 'Precision')}:** {esc(precision_label(precision, language))} — {esc(precision_explanation(precision, language))}  \n"
        f"**{tr('几何来源', 'Geometry source')}:** {esc(row['source'])}",
        unsafe_allow_html=True,
    )
    measures = []
    if pd.notna(row.get("length_km")):
        measures.append(tr(f"长度约 {row['length_km']:.0f} km", f"length ≈ {row['length_km']:.0f} km"))
    if pd.notna(row.get("area_km2")):
        measures.append(tr(f"面积约 {row['area_km2']:,.0f} km²", f"area ≈ {row['area_km2']:,.0f} km²"))
    places = list(row["places"]) if row.get("places") is not None else []
    if places:
        measures.append(tr("涉及:", "places: ") + "、".join(places))
    if measures:
        st.caption(" · ".join(measures))
    if row.get("note"):
        st.info(row["note"], icon=":material/edit_note:")


def _measure(length_km, area_km2) -> str:
    if pd.notna(length_km):
        return f"{float(length_km):,.0f} km"
    if pd.notna(area_km2):
        return f"{float(area_km2):,.0f} km²"
    return ""


def _feature_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    language = lang()
    table = pd.DataFrame(
        {
            tr("名称", "Name"): gdf["name"],
            tr("图层", "Layer"): [LAYERS[layer].title(language) for layer in gdf["layer"]],
            tr("状态", "Status"): [status_label(s, language) for s in gdf["status"]],
            tr("任务", "Task"): gdf["task"].astype(int),
            tr("方面", "Chapter"): gdf["chapter"].astype(int),
            tr("省份", "Province"): [
                PROVINCE_SCOPE_EN[p] if language == "en" else p for p in gdf["province_scope"]
            ],
            tr("精度", "Precision"): [precision_label(p, language) for p in gdf["precision"]],
            tr("长度/面积", "Length / area"): [
                _measure(length, area) for length, area in zip(gdf["length_km"], gdf["area_km2"], strict=True)
            ],
        }
    )
    return table.reset_index(drop=True)


# -- page ------------------------------------------------------------------------------------------
def main() -> None:
    language = lang()
    st.title(tr("地图", "Map explorer"))
    started = time.perf_counter()
    with st.spinner(tr("正在加载规划要素…", "Loading the plan's features…")):
        gdf_all = load_catalogue_or_stop()

    if url_changed(PAGE):
        _state_from_url()

    filters_column, map_column = st.columns([1, 3], gap="medium")
    with filters_column:
        selection = _filters(gdf_all)
    gdf = search_frame(gdf_all, selection) if selection.layers else gdf_all.iloc[0:0]

    basemap = st.session_state["map_basemap"]
    colour_by = st.session_state["map_colour"]
    datum = datum_of(basemap)
    latest = map_progress.latest_events(map_progress.current_as_of())

    with map_column:
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
            st.caption(
                tr(
                    f"显示 {len(gdf)} 个要素(共 {len(gdf_all)} 个)· 坐标系:",
                    f"Showing {len(gdf)} of {len(gdf_all)} features · datum: ",
                )
                + datum_label(datum, language)
            )
        with st.spinner(tr("正在绘制地图…", "Drawing the map…")):
            m = new_map(basemap=basemap, lang=language)
            add_legend(m, lang=language)
            features = _map_features(language, datum, "layer" if colour_by == "phase" else colour_by)
            if colour_by == "phase":
                features = map_progress.coloured_by_phase(features, latest, datum)
            groups = theme_layers(gdf, selection.layers, lang=language, features=features)
            chosen = st.session_state.get("map_feature")
            if chosen:
                groups.append(selected_feature_group(gdf_all[gdf_all["id"] == chosen], datum=datum))
            result = st_folium(
                m,
                key="map_explorer",
                height=620,
                use_container_width=True,
                feature_group_to_add=groups,
                returned_objects=["last_active_drawing"],
            )
        shown_layers = [layer_id for layer_id in LAYER_IDS if layer_id in set(gdf["layer"])]
        legend = map_progress.legend_html() if colour_by == "phase" else None
        st.markdown(
            legend or colour_legend_html(shown_layers, lang=language, colour_by=colour_by),
            unsafe_allow_html=True,
        )
        clicked = ((result or {}).get("last_active_drawing") or {}).get("properties") or {}
        clicked_id = clicked.get("id")
        # The component keeps reporting the last click; only a new one changes the selection.
        if clicked_id and clicked_id != st.session_state.get("map_last_click"):
            st.session_state["map_last_click"] = clicked_id
            st.session_state["map_feature"] = clicked_id

    st.subheader(tr("要素列表", "Features"))
    table = _feature_table(gdf)
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="map_table",
        height=min(420, 38 + 35 * max(len(table), 1)),
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows and rows[0] < len(gdf):
        picked = gdf.iloc[rows[0]]["id"]
        if picked != st.session_state.get("map_table_pick"):
            st.session_state["map_table_pick"] = picked
            st.session_state["map_feature"] = picked

    feature_id = st.session_state.get("map_feature")
    with map_column:
        if feature_id:
            match = gdf_all[gdf_all["id"] == feature_id]
            if match.empty:
                warn_bad_param("feature", feature_id, tr("无", "none"))
                st.session_state["map_feature"] = None
            else:
                with st.container(border=True):
                    feature_details(match.iloc[0], latest)
        elif not gdf.empty:
            st.caption(
                tr(
                    "点击地图上的要素或表格中的一行,查看原文、状态和位置精度。",
                    "Click a feature on the map or a row of the table to read its sentence, status and precision.",
                )
            )

    _write_url(selection)
    remember_url(PAGE)
    shared = {
        k: v
        for k, v in st.query_params.to_dict().items()
        if k in ("layers", "status", "province", "chapter", "task", "q")
    }
    st.markdown(
        f"[{tr('导出这些要素(GeoJSON 等格式)→', 'Export these features (GeoJSON and other formats) →')}]({page_href('export', **shared)})"
    )
    st.caption(
        tr(
            f"本页计算用时 {time.perf_counter() - started:.2f} 秒",
            f"Page computed in {time.perf_counter() - started:.2f} s",
        )
    )


main()
