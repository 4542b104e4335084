"""城市 Cities & districts: which tasks name each unit, and which features lie in it.

A choropleth of Sichuan's prefectures and Chongqing's districts and counties (or every county-level
unit) by the number of tasks that name them. Clicking a unit, choosing it in the select box, or
opening ``?place=遂宁`` (a name or an adcode; ``&level=county`` for county level) opens its panel.
"""

from __future__ import annotations

import functools
import time

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import DataError, GeoError
from geo.features import features_in_unit, task_numbers
from geo.gazetteer import load_gazetteer
from geo.mentions import tasks_for
from geo.plan import task_title
from geo.vocabulary import HOWS, LAYERS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.labels import label_points, unit_label_points
from layers.legends import choropleth_legend_html
from layers.maps import HtmlControl, admin_frame
from layers.planmap import RevealUnit, ZoomLabels, feature_view, features_url, planner_map
from layers.summaries import Span, highlight_html, hits_per_unit, tasks_per_unit
from layers.unitmap import SelectUnit, UnitChoropleth, choropleth_spec, unit_outlines_url
from ui.brief_download import brief_download
from ui.clicks import CLICK_OBJECTS, clicked_point, clicked_properties
from ui.common import (
    catalogue,
    esc,
    lang,
    page_href,
    show_catalogue_error,
    shown,
    status_note,
    tr,
)
from ui.page_state import PageState, Refused, UrlParam, choice, flag

PAGE = "city"
LEVELS = ("prefecture", "county")
HOW_CSS = """
mark { padding: 0 2px; border-radius: 2px; }
.how { display: inline-block; font-size: 0.78rem; padding: 0 6px; border-radius: 8px; margin-left: 6px; color: #222; }
.task-sentence { line-height: 1.7; margin: 2px 0 8px 0; padding-left: 10px; border-left: 3px solid #ddd; }
"""


def how_css() -> str:
    """The page's styles, each way of naming a place highlighted in its term's colour."""
    colours = "".join(
        f"mark.hl-{how.id}, .how-{how.id} {{ background: {how.colour}; }}\n" for how in HOWS.terms()
    )
    return f"<style>{HOW_CSS}{colours}</style>"


def how_label(how: str) -> str:
    return HOWS.label(how, lang())


# -- data, once per process ------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def units_frame(level: str) -> gpd.GeoDataFrame:
    """The choropleth's units: at "prefecture" level Sichuan's 21 prefectures and Chongqing's
    districts and counties (the gazetteer's prefecture-level map), else every county-level unit."""
    gdf = admin_frame(level).reset_index(drop=True)
    gdf["adcode"] = gdf["adcode"].astype(str)
    return gdf


@st.cache_data(show_spinner=False)
def task_counts(level: str, inherited: bool = True) -> dict[str, int]:
    """adcode → number of tasks naming the unit or a unit inside it; with ``inherited``, also
    those it receives through its prefecture and its groupings (the overview's count too)."""
    table = tasks_per_unit(level, inherited=inherited)
    return dict(zip(table["adcode"], table["tasks"], strict=True))


@st.cache_resource(show_spinner=False)
def _unit_hits(inherited: bool) -> dict:
    """adcode → the tasks reaching it, for every unit of both levels: computed once per process."""
    return hits_per_unit(inherited=inherited)


def _task_list(hits, language: str) -> None:
    for hit in hits:
        routes = hit.routes if hit.received else [r for r in hit.routes if not HOWS[r.how].received]
        badges = "".join(
            f'<span class="how how-{esc(route.how)}">{esc(route.label(language))}</span>'
            for route in dict.fromkeys(routes)
        )
        link = page_href("tasks", task=hit.task)
        title = task_title(hit.task, language)
        st.markdown(
            f'<a href="{esc(link)}" target="_self"><b>{tr("任务", "Task")} {hit.task}</b>. {esc(title)}</a>{badges}',
            unsafe_allow_html=True,
        )
        for sentence in hit.sentences:
            spans = [Span(start, end, how, how_label(how)) for start, end, how in sentence.spans]
            st.markdown(
                f'<div class="task-sentence">{highlight_html(sentence.text, spans)}</div>',
                unsafe_allow_html=True,
            )


@st.cache_resource(show_spinner=False, max_entries=8)
def _choropleth(level: str, language: str, inherited: bool) -> dict:
    """The outlines' file (written once per level) and the small table that colours them."""
    url = unit_outlines_url(units_frame(level), level)
    return choropleth_spec(url, task_counts(level, inherited), lang=language)


def _base_map(level: str, language: str, inherited: bool):
    """The choropleth with labels and tools: the same on every run of a level and language, so a
    click or a choice in the select box does not re-send or re-mount it."""
    m = planner_map(
        admin_levels=("province",),
        lang=language,
        labels=False,
        title=tr("成渝双城经济圈规划:提及各地的任务数", "Chengdu–Chongqing plan: tasks naming each unit"),
    )
    UnitChoropleth(_choropleth(level, language, inherited)).add_to(m)
    HtmlControl(choropleth_legend_html(language), position="bottomright").add_to(m)
    ZoomLabels(label_points(admin_frame("prefecture"), language), min_zoom=0).add_to(m)
    if level == "county":
        ZoomLabels(
            unit_label_points(units_frame("county"), language), min_zoom=8, css_class="plan-label-county"
        ).add_to(m)
    return m


def _on_map_click(key: str) -> None:
    """A click on a unit, applied before the run (one run, the map keeps its extent)."""
    level = st.session_state.get("city_level", "prefecture")
    code = clicked_properties(key).get("adcode")
    point = clicked_point(key)
    if not code and point is not None:
        # A feature drawn over the units (a zone, a line) took the click: the place is the unit
        # under the pointer, as a planner clicking "there" means.
        unit = load_gazetteer().containing(*point, level=level)
        code = unit.adcode if unit is not None else None
    if code and code in set(units_frame(level)["adcode"]):
        st.session_state["city_place"] = code


def _unit_label(row: pd.Series) -> str:
    name = row["name"]
    if lang() == "en":
        unit = load_gazetteer().unit(row["adcode"])
        english = getattr(unit, "name_en", "") or ""
        return f"{english} {name}".strip() if english else name
    return name


# -- URL ↔ widgets --------------------------------------------------------------------------------
def _unit_from_url(place: str) -> str:
    """The adcode of a unit of either level named in ``?place=`` (a name or an adcode)."""
    try:
        unit = load_gazetteer().resolve(place).unit
    except DataError:
        raise
    except GeoError as exc:
        message = shown(exc)
        raise Refused(
            place,
            message=tr(
                f"找不到地点“{shown(place)}”({message}),请在下拉框中选择。",
                f"Place “{shown(place)}” not found ({message}); choose one from the list.",
            ),
        ) from None
    if unit.adcode in set(units_frame("prefecture")["adcode"]) | set(units_frame("county")["adcode"]):
        return unit.adcode
    raise Refused(
        place,
        message=tr(
            f"“{shown(place)}”({unit.name})不是四川或重庆的市州、区县,无法在图上选择。",
            f"“{shown(place)}” ({unit.name}) is not a prefecture, district or county of Sichuan or Chongqing.",
        ),
    )


def _place_param(adcode: str) -> str:
    """The URL names the unit (``?place=遂宁``): its short name, or its full name, whichever reads
    back as the same unit; the adcode only when neither does (a spelling of the link's own that
    reads as the same unit is kept)."""
    unit = load_gazetteer().unit(adcode)
    for name in dict.fromkeys((unit.short_name, unit.name)):
        if not name:
            continue
        try:
            if load_gazetteer().resolve(name).unit.adcode == adcode:
                return name
        except DataError:
            raise
        except GeoError:
            continue
    return adcode


STATE = PageState(
    PAGE,
    (
        choice("level", "city_level", lambda: LEVELS, "prefecture", lambda: tr("地市级", "prefecture level")),
        UrlParam("place", "city_place", _unit_from_url, lambda: None, _place_param, lambda: "", spelled=True),
        flag("inherited", "city_inherited"),
    ),
)


def _load_state() -> None:
    """The widgets from a newly opened link; a unit asked for at the other level (a Sichuan county
    at prefecture level) is shown where it exists."""
    if STATE.load():
        place = STATE.value("place")
        if place and place not in set(units_frame(STATE.value("level"))["adcode"]):
            other = next(level for level in LEVELS if place in set(units_frame(level)["adcode"]))
            st.session_state[STATE.key("level")] = other


# -- the panel -------------------------------------------------------------------------------------
def unit_panel(adcode: str) -> None:
    language = lang()
    gazetteer = load_gazetteer()
    unit = gazetteer.unit(adcode)
    with st.spinner(tr("正在查找提及该地的任务…", "Finding the tasks that name it…")):
        hits = _unit_hits(st.session_state.get("city_inherited", True)).get(unit.adcode)
        if hits is None:  # a unit outside the two levels' maps
            hits = tasks_for(unit, gazetteer, inherited=st.session_state.get("city_inherited", True))
    english = getattr(unit, "name_en", "") or ""
    st.markdown(
        f"### {esc(unit.name)}" + (f" <small>{esc(english)}</small>" if english else ""),
        unsafe_allow_html=True,
    )
    st.caption(f"{tr('行政区划代码', 'Adcode')} {unit.adcode}")
    st.markdown(how_css(), unsafe_allow_html=True)
    named = [hit for hit in hits if not hit.received]
    received = [hit for hit in hits if hit.received]
    if not hits:
        st.info(
            tr(
                f"规划的{len(task_numbers())}项任务都没有提到这里。",
                f"None of the plan's {len(task_numbers())} tasks names this place.",
            )
        )
    else:
        st.markdown(f"**{tr(f'{len(named)} 项任务点名此地', f'{len(named)} tasks name it')}**")
    _task_list(named, language)
    if received:
        st.markdown(
            f"**{tr(f'另有 {len(received)} 项任务经所属市或所在组合承接', f'{len(received)} more tasks reach it through its prefecture or a grouping')}**"
        )
        st.caption(
            tr(
                "这些任务没有点名此地,而是点名了它所属的市(如“达州 (所属市)”)或它所在的地区组合、简称(如“川东北 (组合)”)。",
                "These tasks do not name it: they name its prefecture (“达州 (its prefecture)”) or a grouping or abbreviation it lies in (“川东北 (grouping)”).",
            )
        )
        _task_list(received, language)


def _unit_features(adcode: str | None) -> gpd.GeoDataFrame | None:
    """The catalogue features in or touching the unit; None (after one line saying why) on error."""
    if not adcode:
        return None
    try:
        return features_in_unit(catalogue(), adcode)
    except DataError:
        raise
    except GeoError as exc:
        show_catalogue_error(exc)
        return None


def _unit_name(adcode: str) -> str:
    unit = load_gazetteer().unit(adcode)
    return (unit.name_en or unit.name) if lang() == "en" else unit.name


def _area_cell(row: pd.Series) -> str:
    """An area item's drawn size, with the published size and its source where there is one."""
    drawn, official = row.get("area_km2"), row.get("official_area_km2")
    if drawn is None or pd.isna(drawn):
        return ""
    text = tr(f"按整区县绘制 {drawn:,.0f} km²", f"drawn as whole units {drawn:,.0f} km²")
    if official is not None and pd.notna(official):
        source = row.get("official_area_source") or ""
        text = (
            tr(f"公布 {official:,.0f} km²（{source}）；", f"official {official:,.0f} km² ({source}); ") + text
        )
    return text


def features_section(features: gpd.GeoDataFrame) -> None:
    """The unit's features as a full-width table (every row and column shown, no inner scrolling)."""
    language = lang()
    st.markdown(
        f"**{tr(f'位于或经过此地的规划要素:{len(features)} 个', f'Features in or touching it: {len(features)}')}**"
    )
    if features.empty:
        st.caption(tr("目录中没有位于此地的要素。", "No catalogue feature lies here."))
        return
    table = pd.DataFrame(
        {
            tr("名称", "Name"): [
                (e or n) if language == "en" else n
                for n, e in zip(features["name"], features["name_en"], strict=True)
            ],
            tr("图层", "Layer"): [LAYERS[layer].label(language) for layer in features["layer"]],
            tr("状态", "Status"): [STATUS_TERMS.label(s, language) for s in features["status"]],
            tr("任务", "Task"): features["task"].astype(int),
            tr("面积", "Area"): [_area_cell(row) for _, row in features.iterrows()],
            tr("地图", "Map"): [page_href("map", feature=fid) for fid in features["id"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(table),
        column_config={
            tr("名称", "Name"): st.column_config.TextColumn(width="large"),
            tr("地图", "Map"): st.column_config.LinkColumn(display_text=tr("在地图上查看", "show on map")),
        },
        key="city_features",
    )
    status_note()


# -- page ------------------------------------------------------------------------------------------
def _level_controls() -> tuple[str, bool]:
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
    inherited = st.toggle(
        tr("计入承接的任务(经所属市、地区组合)", "Count received tasks (through prefecture, groupings)"),
        key="city_inherited",
    )
    st.caption(
        tr(
            "颜色计:点名的任务 + 经所属市(四川各区县)和所在地区组合承接的任务;点名“重庆”“四川”的任务不下分。",
            "Colour counts tasks naming the unit + those it receives through its prefecture (Sichuan counties) and its groupings; tasks naming 重庆 or 四川 are not passed down.",
        )
        if inherited
        else tr(
            "颜色计:只计点名该地(直接、地点或简称)的任务;不计所属市和地区组合。",
            "Colour counts only tasks naming the unit (directly, by a site or an abbreviation); not its prefecture or groupings.",
        )
    )
    return st.session_state["city_level"], inherited


def _unit_select(ordered: pd.DataFrame) -> dict[str, str]:
    """The select box of units (tasks naming each in brackets); adcode → its label."""
    labels = {row["adcode"]: f"{_unit_label(row)} ({row['count']})" for _, row in ordered.iterrows()}
    st.selectbox(
        tr("选择市州或区县(括号内为提及的任务数)", "Choose a unit (tasks naming it in brackets)"),
        options=[None, *labels],
        format_func=lambda code: (
            tr("— 点击地图或在此选择 —", "— click the map or choose here —") if code is None else labels[code]
        ),
        key="city_place",
        placeholder=tr("— 点击地图或在此选择 —", "— click the map or choose here —"),
    )
    return labels


def _map_section(level: str, inherited: bool, units, selected: str | None, features) -> None:
    language = lang()
    highlight = units[units["adcode"] == selected] if selected else units.iloc[0:0]
    # Only the chosen unit's id: the browser outlines it from the file it already holds.
    groups = [folium.FeatureGroup(name="selected", control=False)]
    SelectUnit(selected).add_to(groups[0])
    if not highlight.empty:
        RevealUnit(highlight).add_to(groups[0])
    if features is not None and not features.empty:
        groups.append(
            feature_view(
                features,
                url=features_url(language, "WGS84", "layer", catalogue()),
                lang=language,
                fit=False,
                subtitle=_unit_name(selected),
            )
        )
    map_key = f"city_map_{level}_{int(inherited)}"
    st_folium(
        _base_map(level, language, inherited),
        key=map_key,
        height=600,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=CLICK_OBJECTS,
        on_change=functools.partial(_on_map_click, map_key),
    )


def _most_named(ordered: pd.DataFrame, labels: dict[str, str]) -> None:
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


def main() -> None:
    started = time.perf_counter()
    st.title(tr("城市", "Cities & districts"))
    st.caption(
        tr(
            f"颜色表示{len(task_numbers())}项任务中提到该市州或区县(或其下辖区县)的任务数:直接点名、简称(如“成德眉资”)或组合(如“重庆中心城区”)都计入。",
            f"Colour: how many of the {len(task_numbers())} tasks name the unit (or a unit inside it) — directly, by an abbreviation (成德眉资) or through a grouping (重庆中心城区).",
        )
    )
    _load_state()
    level_column, select_column = st.columns([1, 2])
    with level_column:
        level, inherited = _level_controls()
    with st.spinner(tr("正在加载行政区划与任务统计…", "Loading units and task counts…")):
        units = units_frame(level)
        counts = task_counts(level, inherited)
    if st.session_state.get("city_place") not in set(units["adcode"]):
        st.session_state["city_place"] = None  # the level changed under it
    ordered = units.assign(count=[counts.get(c, 0) for c in units["adcode"]]).sort_values(["adcode"])
    with select_column:
        labels = _unit_select(ordered)
    selected = st.session_state.get("city_place")

    map_column, panel_column = st.columns([3, 2], gap="medium")
    features = _unit_features(selected)
    with map_column:
        _map_section(level, inherited, units, selected, features)
    with panel_column:
        if selected:
            with st.container(border=True):
                unit_panel(selected)
        else:
            _most_named(ordered, labels)
    if selected and features is not None:
        features_section(features)
    if selected:
        brief_download(selected)

    STATE.save()
    st.caption(
        tr(
            f"本页计算用时 {time.perf_counter() - started:.2f} 秒",
            f"Page computed in {time.perf_counter() - started:.2f} s",
        )
    )


main()
