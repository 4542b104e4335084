"""总览 Overview: what the plan is, how many features per layer and status, where they lie."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.plan import PLAN_DATE, PLAN_TITLE, load_plan
from geo.vocabulary import LAYERS, headline_phase
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.frames import display_frame
from layers.legends import add_legend, colour_legend_html, has_stand_in
from layers.map_themes import theme_layers
from layers.maps import new_map
from layers.summaries import (
    counts_by_layer_and_status,
    phase_count,
    phase_definition,
    task_feature_counts,
    tasks_per_unit,
)
from ui.common import catalogue, esc, lang, load_catalogue_or_stop, page_href, status_note, tr

# The overview map shows the two provinces at once: detail finer than ~1 km is invisible there.
OVERVIEW_TOLERANCE_DEG = 0.01
ABOUT_ZH = (
    "2021年12月,中共重庆市委、中共四川省委、重庆市人民政府、四川省人民政府联合印发《重庆四川两省市贯彻落实〈成渝地区双城经济圈"
    "建设规划纲要〉联合实施方案》,把《规划纲要》分解为10个方面、47项重点任务,点名了一大批机场、铁路、"
    "高速公路、航道港口、能源水利工程、产业与科技平台和川渝毗邻地区合作平台。本站把方案中点名的每个项目"
    "落到地图上,并注明它来自哪一项任务、哪一句原文,以及位置的精确程度。"
)
ABOUT_EN = (
    "In December 2021 the Party committees and the governments of Chongqing and Sichuan jointly issued "
    "their implementation plan "
    "for the Outline Plan of the Chengdu–Chongqing Twin-City Economic Circle. It breaks the outline into "
    "10 chapters and 47 key tasks and names airports, railways, expressways, waterways and ports, energy "
    "and water projects, industrial and science platforms and cross-border cooperation zones. This site "
    "maps every item the plan names, with the task and the verbatim sentence it comes from and how "
    "precisely its location is known. The plan's text is shown in Chinese."
)


@st.cache_resource(show_spinner=False)
def _overview_frame():
    """The catalogue simplified for a whole-region map (~1 km): a fraction of the vertices to send."""
    return display_frame(catalogue(), tolerance=OVERVIEW_TOLERANCE_DEG)


@st.cache_data(show_spinner=False)
def _unit_task_counts() -> pd.DataFrame:
    return tasks_per_unit("prefecture")


def _link(url_path: str, label: str, note: str) -> str:
    href = page_href(url_path)
    return f'<li><a href="{esc(href)}" target="_self">{esc(label)}</a> — {esc(note)}</li>'


def _headline(gdf, plan) -> None:
    counts = task_feature_counts(gdf, range(1, len(plan.tasks) + 1))
    tasks_with_features = sum(1 for n in counts.values() if n)
    columns = st.columns(4)
    columns[0].metric(tr("规划项目", "Features"), len(gdf))
    columns[1].metric(
        tr("专题图层", "Thematic layers"),
        int(gdf["layer"].nunique()),
        help=tr(f"共 {len(LAYERS)} 个图层", f"of {len(LAYERS)} layers"),
    )
    columns[2].metric(
        tr("涉及项目的任务", "Tasks with features"), f"{tasks_with_features} / {len(plan.tasks)}"
    )
    phase = headline_phase()
    columns[3].metric(
        phase.label(lang()),
        phase_count(gdf, phase),
        help=tr("地图中筛选“{}”显示同样的项目。", "The map filtered by “{}” shows the same features.").format(
            phase.label(lang())
        ),
    )
    on_map = page_href("map", status=phase.id)
    columns[3].caption(
        f"{esc(phase_definition(phase, lang()))} · "
        f'<a href="{esc(on_map)}" target="_self">{esc(tr("在地图上查看", "see on the map"))}</a>',
        unsafe_allow_html=True,
    )


def _layer_metrics(table: pd.DataFrame) -> None:
    st.markdown("#### " + tr("各图层项目数", "Features per layer"))
    per_row = 5
    layer_ids = list(table.index)
    for start in range(0, len(layer_ids), per_row):
        columns = st.columns(per_row)
        for column, layer_id in zip(columns, layer_ids[start : start + per_row], strict=False):
            row = table.loc[layer_id]
            busiest = row.idxmax() if row.sum() else None
            layer = LAYERS[layer_id]
            column.metric(
                layer.label(lang()),
                int(row.sum()),
                help=layer.legend.label(lang())
                + (
                    tr(
                        f";最多:{busiest}({row[busiest]})",
                        f"; most: {STATUS_TERMS.label(busiest, 'en')} ({row[busiest]})",
                    )
                    if busiest
                    else ""
                ),
            )


def _status_metrics(table: pd.DataFrame) -> None:
    st.markdown("#### " + tr("各状态项目数", "Features per status"))
    st.caption(
        tr(
            "状态由方案原文的动词归并而来(如“高质量建成”“基本建成”归为建成)。",
            "Statuses are the plan's own verbs, normalised (高质量建成 and 基本建成 both count as complete).",
        )
    )
    status_note()
    totals = table.sum(axis=0)
    per_row = 5
    statuses = list(totals.index)
    for start in range(0, len(statuses), per_row):
        columns = st.columns(per_row)
        for column, status in zip(columns, statuses[start : start + per_row], strict=False):
            column.metric(STATUS_TERMS.label(status, lang()), int(totals[status]))


def _status_chart(table: pd.DataFrame) -> None:
    st.markdown("#### " + tr("各图层项目的状态", "Features per layer and status"))
    present = [status for status in table.columns if table[status].sum()]
    layer_titles = [LAYERS[layer_id].label(lang()) for layer_id in table.index]
    long = table[present].copy()
    long.index = layer_titles
    long = long.rename_axis("layer").reset_index().melt("layer", var_name="status", value_name="count")
    long = long[long["count"] > 0]
    long["status_label"] = [STATUS_TERMS.label(status, lang()) for status in long["status"]]
    long["order"] = [present.index(status) for status in long["status"]]
    labels = [STATUS_TERMS.label(status, lang()) for status in present]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("layer:N", sort=layer_titles, title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("count:Q", title=tr("项目数", "Features")),
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(domain=labels, range=[STATUS_TERMS[status].colour for status in present]),
                legend=alt.Legend(title=tr("状态", "Status"), orient="right", labelLimit=260),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("layer:N", title=tr("图层", "Layer")),
                alt.Tooltip("status_label:N", title=tr("状态", "Status")),
                alt.Tooltip("count:Q", title=tr("项目数", "Features")),
            ],
        )
        .properties(height=alt.Step(22))
    )
    st.altair_chart(chart, width="stretch")


def _unit_chart(counts: pd.DataFrame, province: str) -> None:
    rows = counts[counts["province"] == province].copy()
    rows["label"] = rows["name_en"] if lang() == "en" else rows["short_name"]
    rows["task_text"] = [", ".join(str(n) for n in tasks) for tasks in rows["task_list"]]
    chart = (
        alt.Chart(rows[["label", "tasks", "task_text"]])
        .mark_bar(color="#1a73e8")
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
            x=alt.X("tasks:Q", title=tr("任务数", "Tasks"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=tr("地区", "Unit")),
                alt.Tooltip("tasks:Q", title=tr("任务数", "Tasks")),
                alt.Tooltip("task_text:N", title=tr("任务编号", "Task numbers")),
            ],
        )
        .properties(height=alt.Step(16))
    )
    st.altair_chart(chart, width="stretch")


def _prefecture_chart() -> None:
    st.markdown("#### " + tr("各地涉及的任务数", "Tasks naming each city and district"))
    counts = _unit_task_counts()
    sichuan, chongqing = st.tabs(
        [
            tr("四川 · 21 个市(州)", "Sichuan · 21 prefectures"),
            tr("重庆 · 38 个区县", "Chongqing · 38 districts"),
        ]
    )
    with sichuan:
        _unit_chart(counts, "四川")
    with chongqing:
        _unit_chart(counts, "重庆")
    st.caption(
        tr(
            "统计直接点名、通过简称(如成德眉资)或地区组合(如重庆中心城区)涉及该地或其下辖区县的任务。",
            "Counts tasks naming the unit or a county in it, directly, by abbreviation (e.g. 成德眉资) or through a grouping (e.g. 重庆中心城区).",
        )
    )


def _overview_map(gdf) -> None:
    st.markdown("#### " + tr("全部图层一览", "All layers at a glance"))
    with st.spinner(tr("正在绘制地图…", "Drawing the map…")):
        layer_ids = [layer_id for layer_id in LAYERS if layer_id in set(gdf["layer"])]
        m = new_map(lang=lang())
        frame = _overview_frame()
        for group in theme_layers(frame, layer_ids, lang=lang()):
            group.add_to(m)
        stand_in = has_stand_in(frame.drop(columns="geometry").to_dict("records"))
        add_legend(m, lang=lang(), collapsed=True, stand_in=stand_in)
        st_folium(m, key="overview_map", height=520, use_container_width=True, returned_objects=[])
    st.markdown(colour_legend_html(layer_ids, lang=lang()), unsafe_allow_html=True)


def main() -> None:
    plan = load_plan()
    gdf = load_catalogue_or_stop()
    st.title(tr("成渝双城经济圈规划地图", "Chengdu–Chongqing Plan Map"))
    st.markdown(f"**{esc(PLAN_TITLE)}**", unsafe_allow_html=True)
    st.caption(
        tr(
            f"{PLAN_DATE[:4]}年{int(PLAN_DATE[5:])}月 · {len(plan.chapters)} 个方面 · {len(plan.tasks)} 项任务",
            f"{PLAN_DATE} · {len(plan.chapters)} chapters · {len(plan.tasks)} tasks",
        )
    )
    st.write(tr(ABOUT_ZH, ABOUT_EN))

    _headline(gdf, plan)
    table = counts_by_layer_and_status(gdf)
    _layer_metrics(table)
    _status_metrics(table)

    map_column, chart_column = st.columns([3, 2], gap="large")
    with map_column:
        _overview_map(gdf)
    with chart_column:
        _prefecture_chart()

    _status_chart(table)

    _explore()


def _explore() -> None:
    st.markdown("#### " + tr("继续浏览", "Explore"))
    links = [
        _link(
            "map",
            tr("地图", "Map explorer"),
            tr(
                "按图层、状态、省市、任务筛选并检索项目",
                "layers, filters by status, province and task, search",
            ),
        ),
        _link(
            "city",
            tr("城市", "City explorer"),
            tr(
                "点击区县或市(州),查看涉及它的全部任务",
                "click a district or prefecture to see every task naming it",
            ),
        ),
        _link(
            "tasks",
            tr("任务", "Task browser"),
            tr("逐项阅读47项任务原文及其项目地图", "read each of the 47 tasks with its features on a map"),
        ),
        _link(
            "export",
            tr("导出", "Export"),
            tr("下载 GeoJSON 等格式的数据", "download GeoJSON and other formats"),
        ),
        _link(
            "data",
            tr("数据说明", "Data & sources"),
            tr("数据来源、许可、位置精度与引用方式", "sources, licences, location precision, how to cite"),
        ),
    ]
    st.markdown("<ul>" + "".join(links) + "</ul>", unsafe_allow_html=True)


main()
