"""城市 Cities & districts: which tasks name each unit, and which features lie in it.

A choropleth of Sichuan's prefectures and Chongqing's districts and counties (or every county-level
unit) by the number of tasks that name them. Clicking a unit, choosing it in the select box, or
opening ``?place=遂宁`` (a name or an adcode; ``&level=county`` for county level) opens its panel.
"""

from __future__ import annotations

import time

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import DataError, GeoError
from geo.gazetteer import load_gazetteer
from geo.mentions import HOW_ZH, tasks_for
from layers.frames import features_in_unit
from layers.maps import (
    HtmlControl,
    admin_frame,
    choropleth_layer,
    choropleth_legend_html,
    highlight_group,
    new_map,
)
from layers.registry import LAYERS, status_label
from layers.summaries import Span, highlight_html
from pages.ui import (
    catalogue,
    esc,
    lang,
    page_href,
    param,
    remember_url,
    set_params,
    shown,
    tr,
    url_changed,
    warn_bad_param,
)

PAGE = "city"
LEVELS = ("prefecture", "county")
HOW_EN = {
    "direct": "named directly",
    "site": "a site in it",
    "abbreviation": "abbreviation",
    "grouping": "grouping",
}
HOW_CSS = """<style>
mark.hl-direct { background: #ffd54f; } mark.hl-site { background: #ffe0b2; }
mark.hl-abbreviation { background: #b3e5fc; } mark.hl-grouping { background: #d1c4e9; }
mark { padding: 0 2px; border-radius: 2px; }
.how { display: inline-block; font-size: 0.78rem; padding: 0 6px; border-radius: 8px; margin-left: 6px; color: #222; }
.how-direct { background: #ffd54f; } .how-site { background: #ffe0b2; }
.how-abbreviation { background: #b3e5fc; } .how-grouping { background: #d1c4e9; }
.task-sentence { line-height: 1.7; margin: 2px 0 8px 0; padding-left: 10px; border-left: 3px solid #ddd; }
</style>"""


def how_label(how: str) -> str:
    return HOW_EN.get(how, how) if lang() == "en" else HOW_ZH.get(how, how)


# -- data, once per process ------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def units_frame(level: str) -> gpd.GeoDataFrame:
    """The choropleth's units: at "prefecture" level Sichuan's 21 prefectures and Chongqing's
    districts and counties (the gazetteer's prefecture-level map), else every county-level unit."""
    gdf = admin_frame(level).reset_index(drop=True)
    gdf["adcode"] = gdf["adcode"].astype(str)
    return gdf


@st.cache_data(show_spinner=False)
def task_counts(level: str) -> dict[str, int]:
    """adcode → number of tasks naming the unit or a unit inside it."""
    gazetteer = load_gazetteer()
    return {code: len(tasks_for(gazetteer.unit(code), gazetteer)) for code in units_frame(level)["adcode"]}


def _unit_label(row: pd.Series) -> str:
    name = row["name"]
    if lang() == "en":
        unit = load_gazetteer().unit(row["adcode"])
        english = getattr(unit, "name_en", "") or ""
        return f"{english} {name}".strip() if english else name
    return name


# -- URL → state -----------------------------------------------------------------------------------
def _resolve_place(text: str):
    """A unit from a name or an adcode; a GeoError with a plain message otherwise."""
    gazetteer = load_gazetteer()
    if text.isdigit():
        return gazetteer.unit(text)
    return gazetteer.resolve(text).unit


def _state_from_url() -> None:
    level = param("level") or "prefecture"
    if level not in LEVELS:
        warn_bad_param("level", level, tr("地市级", "prefecture level"))
        level = "prefecture"
    adcode = None
    place = param("place")
    if place:
        try:
            unit = _resolve_place(place)
        except DataError:
            raise
        except (GeoError, KeyError) as exc:
            unit = None
            message = shown(exc) if isinstance(exc, GeoError) else tr("未知区划代码", "unknown adcode")
            st.warning(
                tr(
                    f"找不到地点“{shown(place)}”({message}),请在下拉框中选择。",
                    f"Place “{shown(place)}” not found ({message}); choose one from the list.",
                ),
                icon=":material/warning:",
            )
        if unit is not None:
            codes = set(units_frame(level)["adcode"])
            if unit.adcode not in codes and unit.adcode in set(units_frame("county")["adcode"]):
                level = "county"  # a Sichuan county asked for at prefecture level: show it where it exists
                codes = set(units_frame(level)["adcode"])
            if unit.adcode in codes:
                adcode = unit.adcode
            else:
                st.warning(
                    tr(
                        f"“{shown(place)}”({unit.name})不是四川或重庆的市州、区县,无法在图上选择。",
                        f"“{shown(place)}” ({unit.name}) is not a prefecture, district or county of Sichuan or Chongqing.",
                    ),
                    icon=":material/warning:",
                )
    st.session_state["city_level"] = level
    st.session_state["city_place"] = adcode


# -- the panel -------------------------------------------------------------------------------------
def unit_panel(adcode: str) -> None:
    language = lang()
    gazetteer = load_gazetteer()
    unit = gazetteer.unit(adcode)
    with st.spinner(tr("正在查找提及该地的任务…", "Finding the tasks that name it…")):
        hits = tasks_for(unit, gazetteer)
    english = getattr(unit, "name_en", "") or ""
    st.markdown(
        f"### {esc(unit.name)}" + (f" <small>{esc(english)}</small>" if english else ""),
        unsafe_allow_html=True,
    )
    st.caption(f"{tr('行政区划代码', 'Adcode')} {unit.adcode}")
    st.markdown(HOW_CSS, unsafe_allow_html=True)
    if not hits:
        st.info(tr("规划的47项任务都没有提到这里。", "None of the plan's 47 tasks names this place."))
    else:
        st.markdown(f"**{tr(f'{len(hits)} 项任务提及此地', f'{len(hits)} tasks name it')}**")
    for hit in hits:
        badge = f'<span class="how how-{esc(hit.how)}">{esc(how_label(hit.how))}</span>'
        link = page_href("tasks", task=hit.task)
        st.markdown(
            f'<a href="{esc(link)}" target="_self"><b>{tr("任务", "Task")} {hit.task}</b>. {esc(hit.title)}</a>{badge}',
            unsafe_allow_html=True,
        )
        for sentence in hit.sentences:
            spans = [Span(start, end, how, how_label(how)) for start, end, how in sentence.spans]
            st.markdown(
                f'<div class="task-sentence">{highlight_html(sentence.text, spans)}</div>',
                unsafe_allow_html=True,
            )

    try:
        features = features_in_unit(catalogue(), adcode)
    except DataError:
        raise
    except GeoError as exc:
        st.error(
            tr(f"规划要素目录无法读取:{exc}", f"The feature catalogue cannot be read: {exc}"),
            icon=":material/error:",
        )
        return
    st.markdown(
        f"**{tr(f'位于或经过此地的规划要素:{len(features)} 个', f'Features in or touching it: {len(features)}')}**"
    )
    if features.empty:
        st.caption(tr("目录中没有位于此地的要素。", "No catalogue feature lies here."))
    else:
        table = pd.DataFrame(
            {
                tr("名称", "Name"): features["name"],
                tr("图层", "Layer"): [LAYERS[layer].title(language) for layer in features["layer"]],
                tr("状态", "Status"): [status_label(s, language) for s in features["status"]],
                tr("任务", "Task"): features["task"].astype(int),
                tr("地图", "Map"): [page_href("map", feature=fid) for fid in features["id"]],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                tr("地图", "Map"): st.column_config.LinkColumn(display_text=tr("在地图上查看", "show on map"))
            },
        )


# -- page ------------------------------------------------------------------------------------------
def main() -> None:
    language = lang()
    started = time.perf_counter()
    st.title(tr("城市", "Cities & districts"))
    st.caption(
        tr(
            "颜色表示47项任务中提到该市州或区县(或其下辖区县)的任务数:直接点名、简称(如“成德眉资”)或组合(如“重庆中心城区”)都计入。",
            "Colour: how many of the 47 tasks name the unit (or a unit inside it) — directly, by an abbreviation (成德眉资) or through a grouping (重庆中心城区).",
        )
    )
    if url_changed(PAGE):
        _state_from_url()
    if st.session_state.get("city_pending"):
        st.session_state["city_place"] = st.session_state.pop("city_pending")

    level_column, select_column = st.columns([1, 2])
    with level_column:
        st.radio(
            tr("层级", "Level"),
            options=list(LEVELS),
            format_func=lambda lv: (
                tr("市州(重庆为区县)", "Prefectures (Chongqing: districts)")
                if lv == "prefecture"
                else tr("区县", "Counties & districts")
            ),
            key="city_level",
            horizontal=True,
        )
    level = st.session_state["city_level"]
    if level == "county":
        st.caption(
            tr(
                "区县级:只计入点名该区县(或其所属组合、简称)的任务;只点名“成都”“绵阳”等市州的任务不分摊到各区县。",
                "County level: only tasks naming the county (or a grouping or abbreviation containing it) count; tasks naming only its prefecture (成都, 绵阳 …) are not spread over its counties.",
            )
        )
    with st.spinner(tr("正在加载行政区划与任务统计…", "Loading units and task counts…")):
        units = units_frame(level)
        counts = task_counts(level)
    if st.session_state.get("city_place") not in set(units["adcode"]):
        st.session_state["city_place"] = None

    ordered = units.assign(count=[counts.get(c, 0) for c in units["adcode"]]).sort_values(["adcode"])
    labels = {row["adcode"]: f"{_unit_label(row)} ({row['count']})" for _, row in ordered.iterrows()}
    with select_column:
        st.selectbox(
            tr("选择市州或区县(括号内为提及的任务数)", "Choose a unit (tasks naming it in brackets)"),
            options=[None, *labels],
            format_func=lambda code: (
                tr("— 点击地图或在此选择 —", "— click the map or choose here —")
                if code is None
                else labels[code]
            ),
            key="city_place",
            placeholder=tr("— 点击地图或在此选择 —", "— click the map or choose here —"),
        )
    selected = st.session_state.get("city_place")

    map_column, panel_column = st.columns([3, 2], gap="medium")
    with map_column:
        with st.spinner(tr("正在绘制地图…", "Drawing the map…")):
            m = new_map(admin_levels=("province",), lang=language, labels=False)
            choropleth_layer(units, counts, lang=language).add_to(m)
            HtmlControl(choropleth_legend_html(language), position="bottomright").add_to(m)
            highlight = units[units["adcode"] == selected] if selected else units.iloc[0:0]
            centre = None
            if selected and not highlight.empty:
                point = highlight.geometry.iloc[0].representative_point()
                centre = (point.y, point.x)
            result = st_folium(
                m,
                key=f"city_map_{level}",
                height=600,
                use_container_width=True,
                feature_group_to_add=[highlight_group(highlight)],
                returned_objects=["last_active_drawing"],
                center=centre,
                zoom=7 if centre else None,
            )
        clicked = ((result or {}).get("last_active_drawing") or {}).get("properties") or {}
        clicked_code = clicked.get("adcode")
        if clicked_code and clicked_code != st.session_state.get("city_last_click"):
            st.session_state["city_last_click"] = clicked_code
            if clicked_code in labels and clicked_code != selected:
                # The select box is already drawn in this run: apply the click at the top of the next.
                st.session_state["city_pending"] = clicked_code
                st.rerun()

    with panel_column:
        if selected:
            with st.container(border=True):
                unit_panel(selected)
        else:
            st.info(
                tr(
                    "点击地图上的市州或区县,或在上方下拉框中选择,查看提及它的任务和位于其中的规划要素。",
                    "Click a prefecture or district on the map, or choose one above, to see the tasks naming it and the features inside it.",
                ),
                icon=":material/touch_app:",
            )
            top = ordered.sort_values("count", ascending=False).head(10)
            st.markdown(f"**{tr('被提及最多的地方', 'Most often named')}**")
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("地方", "Place"): [labels[c].rsplit(" (", 1)[0] for c in top["adcode"]],
                        tr("任务数", "Tasks"): top["count"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )

    set_params(level="" if level == "prefecture" else level, place=_place_param(selected))
    remember_url(PAGE)
    st.caption(
        tr(
            f"本页计算用时 {time.perf_counter() - started:.2f} 秒",
            f"Page computed in {time.perf_counter() - started:.2f} s",
        )
    )


def _place_param(adcode: str | None) -> str:
    """The URL keeps a readable name where it is unambiguous, else the adcode."""
    if not adcode:
        return ""
    unit = load_gazetteer().unit(adcode)
    current = param("place")
    if current:
        try:
            if _resolve_place(current).adcode == adcode:
                return current
        except DataError:
            raise
        except (GeoError, KeyError):
            pass
    return adcode if unit is None else unit.adcode


main()
