"""任务 Task browser: chapters and tasks, each task's text with its places and features marked.

State lives in the URL: ``?task=10`` opens a task, ``?chapter=2`` lists a chapter's tasks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.mentions import mentions_for_task
from geo.plan import chapter_title, chinese_numeral, load_plan, task_title, to_chinese_numeral
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.legends import add_legend, colour_legend_html
from layers.planmap import feature_view, features_url, planner_map
from layers.summaries import (
    english_notes,
    feature_spans,
    highlight_html,
    named_units,
    place_spans,
    task_feature_counts,
    task_features,
)
from ui.clicks import CLICK_OBJECTS, clicked_properties
from ui.common import catalogue, esc, lang, load_catalogue_or_stop, page_href, status_note, tr, warn_bad_param
from ui.details import feature_details
from ui.page_state import PageState, Refused, UrlParam

HIGHLIGHT_CSS = """
<style>
.plan-text { font-size: 1.05rem; line-height: 2.0; text-align: justify; }
.plan-text mark { padding: 0.12em 0; border-radius: 0; color: inherit; }
mark.hl-feature { background: #ffe08a; }
mark.hl-place { background: transparent; border-bottom: 2px solid #1a73e8; }
mark.hl-feature.hl-place { background: #ffe08a; }
.hl-legend { font-size: 0.9rem; }
.hl-legend mark { margin-right: 0.3em; }
.plan-text .hl-note { font-size: 0.8rem; color: #5f6368; margin: 0 0.2em; }
</style>
"""

# Chongqing's districts and counties are on the prefecture-level map of the city page.
CHONGQING_PREFIX = "50"
PAGE = "tasks"
TASK_KEY = "tasks_task"
CHAPTER_KEY = "tasks_chapter"
FEATURE_KEY = "tasks_feature"


def _plan_number(count: Callable[[], int]) -> Callable[[str], int]:
    """A task's or chapter's number, in digits or as the plan numbers it (``?task=十``), from 1 to
    ``count()``; a bad one warns and opens number 1."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            try:
                value = chinese_numeral(text)
            except ValueError:
                raise Refused(text, 1) from None
        if not 1 <= value <= count():
            raise Refused(text, 1)
        return value

    return parse


STATE = PageState(
    PAGE,
    (
        UrlParam(
            "task",
            TASK_KEY,
            _plan_number(lambda: len(load_plan().tasks)),
            lambda: None,
            str,
            lambda: tr("任务(一)", "task 1"),
        ),
        UrlParam(
            "chapter",
            CHAPTER_KEY,
            _plan_number(lambda: len(load_plan().chapters)),
            lambda: None,
            str,
            lambda: tr("第一部分", "chapter 1"),
        ),
        # Checked against the open task's features when it is drawn (_selected_feature).
        UrlParam("feature", FEATURE_KEY, str, lambda: None, str, lambda: tr("无", "none")),
    ),
)


def _open_task(number: int) -> None:
    st.session_state[TASK_KEY] = number
    st.session_state[FEATURE_KEY] = None


def _on_task_select() -> None:
    if st.session_state.get(TASK_KEY) is not None:
        st.session_state[FEATURE_KEY] = None


def _on_chapter_select() -> None:
    if st.session_state.get(CHAPTER_KEY) is not None:
        st.session_state[TASK_KEY] = None
        st.session_state[FEATURE_KEY] = None


def _feature_name(row) -> str:
    return row["name_en"] if lang() == "en" and row["name_en"] else row["name"]


def _legend_html() -> str:
    return (
        '<div class="hl-legend">'
        f'<mark class="hl-feature">{esc(tr("规划项目", "Catalogue feature"))}</mark>'
        f"{esc(tr('(原文引语,与下方地图和表格对应)', '(its quote; on the map and in the table below)'))} &nbsp; "
        f'<mark class="hl-place">{esc(tr("地名", "Place"))}</mark>'
        f"{esc(tr('(行政区、简称或地区组合)', '(administrative unit, abbreviation or grouping)'))}"
        "</div>"
    )


def _on_map_click(key: str) -> None:
    clicked = clicked_properties(key)
    if clicked.get("id"):
        st.session_state[FEATURE_KEY] = clicked["id"]


def _draw_features_map(features, key: str, selected: str | None = None, subtitle: str = "") -> None:
    if features.empty:
        st.info(
            tr(
                "这里没有点名可以上图的工程、平台或园区。",
                "Nothing here names a project, platform or zone that can be mapped.",
            )
        )
        return
    layer_ids = [layer_id for layer_id in LAYERS if layer_id in set(features["layer"])]
    language = lang()
    m = planner_map(lang=language, title=tr("成渝双城经济圈规划地图", "Chengdu–Chongqing Plan Map"))
    add_legend(m, lang=language, collapsed=True)
    view = feature_view(
        features,
        url=features_url(language, "WGS84", "layer", catalogue()),
        selected=selected,
        lang=language,
        subtitle=subtitle,
    )
    st_folium(
        m,
        key=key,
        height=520,
        use_container_width=True,
        feature_group_to_add=[view],
        returned_objects=CLICK_OBJECTS,
        on_change=functools.partial(_on_map_click, key),
    )
    st.markdown(colour_legend_html(layer_ids, lang=language), unsafe_allow_html=True)


def _features_table(features, task_number: int) -> None:
    map_column = tr("地图", "Map")
    table = pd.DataFrame(
        {
            tr("名称", "Name"): [_feature_name(row) for _, row in features.iterrows()],
            tr("图层", "Layer"): [LAYERS[layer].label(lang()) for layer in features["layer"]],
            tr("状态", "Status"): [STATUS_TERMS.label(status, lang()) for status in features["status"]],
            tr("位置精度", "Precision"): [PRECISION_TERMS.label(p, lang()) for p in features["precision"]],
            tr("原文引语", "Quote"): list(features["quote"]),
            map_column: [page_href("map", task=task_number, feature=fid) for fid in features["id"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(36 * (len(table) + 1) + 4, 600),
        column_config={
            map_column: st.column_config.LinkColumn(display_text=tr("在地图中查看", "show on map"))
        },
    )
    status_note()


def _places_line(mentions) -> None:
    units = named_units(mentions)
    if not units:
        return
    links = []
    for unit in units:
        county_map = unit.level == "county" and not unit.adcode.startswith(CHONGQING_PREFIX)
        href = page_href("city", place=unit.adcode, level="county" if county_map else None)
        label = unit.name_en if lang() == "en" and unit.name_en else unit.short_name
        links.append(f'<a href="{esc(href)}" target="_self">{esc(label)}</a>')
    st.markdown(
        f"**{esc(tr('本任务涉及的地区', 'Places this task names'))}**({len(units)}):" + "、".join(links),
        unsafe_allow_html=True,
    )
    st.caption(
        tr(
            "点击地名,在“城市”页查看涉及该地的全部任务。",
            "Open a place on the city page to see every task naming it.",
        )
    )


def _chapter_view(plan, chapter_number: int, gdf) -> None:
    chapter = plan.chapter(chapter_number)
    st.subheader(f"{chapter.label}、{chapter_title(chapter.number, lang())}")
    if lang() == "en":
        st.caption(chapter.title)
    counts = task_feature_counts(gdf, chapter.task_numbers)
    st.caption(
        tr(
            f"本章共 {len(chapter.tasks)} 项任务,点击查看原文与地图。",
            f"{len(chapter.tasks)} tasks in this chapter; open one to read it and see its map.",
        )
    )
    list_column, map_column = st.columns([1, 1], gap="large")
    with list_column:
        for task in chapter.tasks:
            label = f"{task.label} {task_title(task.number, lang())} · " + tr(
                f"{counts[task.number]} 个项目", f"{counts[task.number]} features"
            )
            st.button(label, key=f"open_task_{task.number}", on_click=_open_task, args=(task.number,))
    with map_column, st.spinner(tr("正在绘制地图…", "Drawing the map…")):
        _draw_features_map(
            gdf[gdf["chapter"] == chapter_number],
            key=f"chapter_map_{chapter_number}",
            subtitle=f"{chapter.label}、{chapter.title}",
        )


def _selected_feature(features) -> str | None:
    """The feature chosen by a click or ``?feature=<id>``; an id not in this task warns."""
    chosen = st.session_state.get(FEATURE_KEY)
    if not chosen:
        return None
    if chosen not in set(features["id"]):
        warn_bad_param("feature", chosen, tr("无", "none"))
        st.session_state[FEATURE_KEY] = None
        return None
    return chosen


def _task_view(plan, task_number: int, gdf) -> None:
    task = plan.task(task_number)
    chapter = plan.chapter(task.chapter)
    features = task_features(gdf, task_number)

    st.subheader(f"{task.label} {task_title(task.number, lang())}")
    if lang() == "en":
        st.caption(f"{task.title} (the plan's title)")
    st.caption(
        tr(
            f"第{chapter.label}部分 · {chapter.title}",
            f"Chapter {chapter.number} · {chapter_title(chapter.number, 'en')}",
        )
        + " · "
        + tr(f"{len(features)} 个规划项目", f"{len(features)} features")
    )
    previous, _, following = st.columns([1, 4, 1])
    if task_number > 1:
        previous.button(
            "← " + tr(f"上一项({to_chinese_numeral(task_number - 1)})", f"Previous (task {task_number - 1})"),
            key="task_previous",
            on_click=_open_task,
            args=(task_number - 1,),
        )
    if task_number < len(plan.tasks):
        following.button(
            tr(f"下一项({to_chinese_numeral(task_number + 1)})", f"Next (task {task_number + 1})") + " →",
            key="task_next",
            on_click=_open_task,
            args=(task_number + 1,),
        )

    mentions = mentions_for_task(task)
    text_column, map_column = st.columns([1, 1], gap="large")
    with text_column:
        item_spans = feature_spans(task, features, lang=lang())
        spans = item_spans + place_spans(task, mentions)
        notes = english_notes(item_spans) if lang() == "en" else None
        st.markdown(_legend_html(), unsafe_allow_html=True)
        st.markdown(
            f'<div class="plan-text">{highlight_html(task.text, spans, notes=notes)}</div>',
            unsafe_allow_html=True,
        )
        st.caption(
            tr(
                "原文来自方案全文;标注为自动识别的地名与目录中的规划项目。",
                "The plan's own words (not translated), with each catalogue item's English name in brackets; marks show recognised places and catalogue features.",
            )
        )
    selected = _selected_feature(features)
    with map_column:
        with st.spinner(tr("正在绘制地图…", "Drawing the map…")):
            _draw_features_map(
                features,
                key=f"task_map_{task_number}",
                selected=selected,
                subtitle=f"{task.label} {task.title}",
            )
        if selected:
            with st.container(border=True, key="task_details"):
                feature_details(features[features["id"] == selected].iloc[0])

        _places_line(mentions)
        if not features.empty:
            href = page_href("map", task=task_number)
            label = tr("在地图页筛选本任务的项目", "Open this task's features in the map explorer")
            st.markdown(f'<a href="{esc(href)}" target="_self">{esc(label)} →</a>', unsafe_allow_html=True)

    if not features.empty:
        st.markdown("#### " + tr("本任务的规划项目", "Features of this task"))
        _features_table(features, task_number)


def main() -> None:
    st.markdown(HIGHLIGHT_CSS, unsafe_allow_html=True)
    st.title(tr("任务浏览", "Task browser"))
    plan = load_plan()
    gdf = load_catalogue_or_stop()

    STATE.load()
    task_number, chapter_number = STATE.value("task"), STATE.value("chapter")
    if task_number is None and chapter_number is None:
        task_number = 1
    if task_number is not None:
        chapter_number = plan.task(task_number).chapter

    st.session_state[CHAPTER_KEY] = chapter_number
    st.session_state[TASK_KEY] = task_number
    chapters = {chapter.number: chapter for chapter in plan.chapters}
    chapter_column, task_column = st.columns([1, 2])
    chapter_column.selectbox(
        tr("部分", "Chapter"),
        options=list(chapters),
        format_func=lambda n: f"{chapters[n].label}、{chapter_title(n, lang())}",
        key=CHAPTER_KEY,
        on_change=_on_chapter_select,
    )
    task_column.selectbox(
        tr("任务", "Task"),
        options=[task.number for task in chapters[chapter_number].tasks],
        format_func=lambda n: f"{plan.task(n).label} {task_title(n, lang())}",
        key=TASK_KEY,
        placeholder=tr("选择本部分的一项任务", "Choose a task of this chapter"),
        on_change=_on_task_select,
    )

    if task_number is None:
        _chapter_view(plan, chapter_number, gdf)
    else:
        _task_view(plan, task_number, gdf)
    STATE.save(chapter="" if task_number else str(chapter_number))


main()
