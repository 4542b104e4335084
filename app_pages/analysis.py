"""分析 Analysis: questions the plan raises about space, answered with straight lines only.

- 机场覆盖 (``?analysis=airports&radius=100&scenario=today``): the share of county units and area
  within a service radius of the civil airports in operation today, or with every airport the plan
  names, and the units the plan's airports bring within it (the figures of ``python -m geo coverage``);
- 通道途经 (``?analysis=corridor&corridor=<feature id>``): the districts and counties a railway,
  highway or waterway of the plan passes (``python -m geo corridor``);
- 可达范围 (``?analysis=reach&network=rail``): minutes from 成都 and 重庆 along the lines the plan
  names, under the assumptions of ``data/assumptions/reach.yaml`` (no timetable exists for them).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import (
    DEFAULT_CORRIDOR,
    corridor_assumption,
    corridor_lines,
    corridor_units,
    is_measured,
)
from geo.coverage import (
    ASSUMPTION_EN,
    ASSUMPTION_ZH,
    DEFAULT_SCENARIO,
    DEFAULT_SERVICE_RADIUS_KM,
    POPULATION_NOTE_EN,
    POPULATION_NOTE_ZH,
    SCENARIOS,
    CoverageReport,
    coverage_report,
)
from geo.reach import NETWORKS, ReachReport, reach_report
from geo.vocabulary import LAYERS
from geo.vocabulary import NETWORKS as NETWORK_TERMS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.analysis import airport_map, corridor_map, reach_map, reach_unit_table
from ui.common import esc, lang, load_catalogue_or_stop, page_href, status_note, tr
from ui.page_state import PageState, Refused, UrlParam, checked, choice

PAGE = "analysis"
ANALYSES = ("airports", "corridor", "reach")
RADIUS_MIN_KM, RADIUS_MAX_KM, RADIUS_STEP_KM = 25, 300, 25


def analysis_label(key: str) -> str:
    return {
        "airports": tr("机场覆盖", "Airport coverage"),
        "corridor": tr("通道途经区县", "Districts a corridor serves"),
        "reach": tr("沿规划线路的可达范围", "Reach on the plan's lines"),
    }[key]


def scenario_label(key: str) -> str:
    return {
        "today": tr("现有民用机场", "Civil airports today"),
        "plan": tr("加上规划点名的全部机场", "With every airport the plan names"),
    }[key]


# -- data, cached ----------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def report_for(scenario: str, radius_km: float) -> CoverageReport:
    return coverage_report(load_catalogue_or_stop(), scenario, radius_km)


@st.cache_data(show_spinner=False)
def corridor_options() -> pd.DataFrame:
    lines = corridor_lines(load_catalogue_or_stop())
    order = {layer: i for i, layer in enumerate(LAYERS)}
    lines = lines.assign(_layer_order=lines["layer"].map(order)).sort_values(["_layer_order", "task", "id"])
    return pd.DataFrame(
        lines[["id", "name", "name_en", "layer", "kind", "status", "precision", "task", "length_km"]]
    )


@st.cache_data(show_spinner=False)
def corridor_table(feature_id: str) -> pd.DataFrame:
    gdf = load_catalogue_or_stop()
    feature = gdf.loc[gdf["id"] == feature_id].iloc[0]
    return corridor_units(feature.geometry, measured=is_measured(feature["precision"]))


@st.cache_data(show_spinner=False)
def reach_for(network: str) -> ReachReport:
    return reach_report(load_catalogue_or_stop(), network)


def network_label(key: str) -> str:
    return NETWORK_TERMS.label(key, lang())


# -- URL ↔ widgets --------------------------------------------------------------------------------
def _analysis(text: str) -> str:
    if text not in ANALYSES:
        raise Refused(text, "airports")  # not the analysis the other parameters imply: it was named
    return text


def _radius(text: str) -> int:
    value = float(text)
    if not RADIUS_MIN_KM <= value <= RADIUS_MAX_KM:  # NaN fails too: not a number a user meant
        raise Refused(text)
    return int(value)


def _corridor(feature_id: str) -> str:
    if feature_id not in set(corridor_options()["id"]):
        raise Refused(feature_id)
    return feature_id


def _implied_analysis() -> str:
    """A link with only ``?corridor=…`` or ``?network=…`` opens the analysis it belongs to."""
    if STATE.given("corridor"):
        return "corridor"
    return "reach" if STATE.given("network") else "airports"


STATE = PageState(
    PAGE,
    (
        UrlParam(
            "analysis",
            "analysis_kind",
            _analysis,
            _implied_analysis,
            lambda kind: "" if kind == "airports" else kind,
            lambda: analysis_label("airports"),
        ),
        checked(
            "radius",
            "analysis_radius",
            _radius,
            int(DEFAULT_SERVICE_RADIUS_KM),
            lambda: f"{DEFAULT_SERVICE_RADIUS_KM:g} km",
        ),
        choice(
            "scenario",
            "analysis_scenario",
            lambda: SCENARIOS,
            DEFAULT_SCENARIO,
            lambda: scenario_label(DEFAULT_SCENARIO),
        ),
        checked(
            "corridor",
            "analysis_corridor",
            _corridor,
            DEFAULT_CORRIDOR,
            lambda: (
                f"{corridor_options().set_index('id').loc[DEFAULT_CORRIDOR, 'name']} ({DEFAULT_CORRIDOR})"
            ),
        ),
        choice("network", "analysis_network", lambda: NETWORKS, "rail", lambda: network_label("rail")),
    ),
)
# The parameters each analysis shows (and its link carries); the others leave the URL.
SHOWN = {"airports": ("radius", "scenario"), "corridor": ("corridor",), "reach": ("network",)}


# -- 1. airports -----------------------------------------------------------------------------------
def map_beside_table(build_map, *, key: str):
    """Draw a display-only map (nothing clicked is read back) in the wider column; the other
    column is returned for the table that explains it."""
    map_column, table_column = st.columns([3, 2], gap="medium")
    with map_column, st.spinner(tr("正在绘制地图…", "Drawing the map…")):
        st_folium(build_map(), key=key, height=560, use_container_width=True, returned_objects=[])
    return table_column


DISTANCE_HEADINGS = {"today": ("现状(公里)", "km today"), "plan": ("规划后(公里)", "km with plan")}


def _county_distances(table: pd.DataFrame, en: bool, *, airports: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """County units with their distance in each scenario and, where ``airports`` gives a heading,
    the nearest airport in that scenario."""
    columns = {
        tr("区县", "Unit"): table["name_en"] if en else table["name"],
        tr("所属", "In"): table["prefecture_en"] if en else table["prefecture"],
    }
    for scenario, heading in DISTANCE_HEADINGS.items():
        columns[tr(*heading)] = table[f"distance_km_{scenario}"].round(0).astype(int)
        if scenario in airports:
            columns[tr(*airports[scenario])] = table[
                f"airport_en_{scenario}" if en else f"airport_{scenario}"
            ]
    return pd.DataFrame(columns)


def airports_section(language: str) -> None:
    st.radio(
        tr("情形", "Scenario"),
        options=list(SCENARIOS),
        format_func=scenario_label,
        key="analysis_scenario",
        horizontal=True,
    )
    st.slider(
        tr("服务半径(公里,直线)", "Service radius (km, straight line)"),
        min_value=RADIUS_MIN_KM,
        max_value=RADIUS_MAX_KM,
        step=RADIUS_STEP_KM,
        key="analysis_radius",
    )
    scenario = st.session_state["analysis_scenario"]
    radius = float(st.session_state["analysis_radius"])
    en = language == "en"
    st.caption(
        tr(
            "假设:100公里是我国民用机场规划中常用的服务半径,可用滑块调整。" + ASSUMPTION_ZH,
            "Assumption: 100 km is the service radius commonly used in Chinese civil-airport planning; change it with the slider. "
            + ASSUMPTION_EN,
        )
    )
    st.info(
        tr(
            "现有机场:airportsdata 中中国大陆坐标已知的机场(不含其标为军用基地或在建的),本区及周边省份都计入;数据集可能滞后于新机场启用或旧机场关闭。"
            "规划情形另加规划点名、现有机场表中没有的机场(新建、迁建):规划没有给出选址的,位于所服务城市的驻地(内江(自贡)在两市驻地各计一次),距离仅为示意。",
            "Airports today: airportsdata's airports in mainland China with known coordinates (less those it names an air base or under construction), in the region and the neighbouring provinces; the dataset may lag openings and closures. "
            "The plan scenario adds every airport the plan names that is not among them (new and relocated): where the plan fixes no site it stands at the seat of the city it serves (内江(自贡) at both seats), so its distances are indicative.",
        ),
        icon=":material/info:",
    )

    with st.spinner(tr("正在计算到最近机场的距离…", "Measuring distances to the nearest airport…")):
        report = report_for(scenario, radius)
        other = report_for("plan" if scenario == "today" else "today", radius)
    coverage, compare = report.coverage, other.coverage

    def share_metric(column, label: str, share: float, compared: float, help_text: str) -> None:
        """A share in this scenario with the other scenario's beside it (grey: a comparison, not a change)."""
        other_label = tr("规划后", "with the plan") if scenario == "today" else tr("现状", "today")
        column.metric(
            label, f"{share:.0%}", delta=f"{other_label} {compared:.0%}", delta_color="off", help=help_text
        )

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("机场数", "Airports"), report.airports["id"].nunique())
    share_metric(
        c2,
        tr(f"驻地在{radius:g}公里内的区县", f"County units with seat within {radius:g} km"),
        coverage.unit_share,
        compare.unit_share,
        tr(
            f"{coverage.units_within} / {coverage.units_total} 个区县级单位(驻地到最近机场的直线距离)",
            f"{coverage.units_within} of {coverage.units_total} county-level units (seat to nearest airport, straight line)",
        ),
    )
    share_metric(
        c3,
        tr(f"{radius:g}公里内的面积", f"Area within {radius:g} km"),
        coverage.area_share,
        compare.area_share,
        tr(
            f"{coverage.area_within_km2:,.0f} / {coverage.area_total_km2:,.0f} 平方公里(机场周围直线半径圆与区域求交)",
            f"{coverage.area_within_km2:,.0f} of {coverage.area_total_km2:,.0f} km² (straight-line discs round the airports, intersected with the region)",
        ),
    )
    c4.metric(tr("规划新纳入的区县", "Units the plan brings within"), len(report.gains))
    st.caption(
        tr(
            f"区县:{coverage.units_within} / {coverage.units_total} 个,按驻地到最近机场的直线距离计。"
            f"面积:{coverage.area_within_km2:,.0f} / {coverage.area_total_km2:,.0f} 平方公里,按机场周围{radius:g}公里直线圆计。"
            f"新纳入:规划后驻地在{radius:g}公里内、现状不在的区县。",
            f"Units: {coverage.units_within} of {coverage.units_total}, by straight line from seat to nearest airport. "
            f"Area: {coverage.area_within_km2:,.0f} of {coverage.area_total_km2:,.0f} km², by {radius:g} km straight-line discs. "
            f"Brought within: units whose seat is within {radius:g} km with the plan's airports and not today.",
        )
    )
    st.info(tr(POPULATION_NOTE_ZH, POPULATION_NOTE_EN), icon=":material/groups:")

    with map_beside_table(
        lambda: airport_map(
            report.table, other.airports if scenario == "today" else report.airports, radius, lang=language
        ),
        key="analysis_airport_map",
    ):
        st.markdown(
            f"**{tr(f'规划机场新纳入{radius:g}公里内的区县', f'Units the plan brings within {radius:g} km')}**"
        )
        gains = report.gains
        if gains.empty:
            st.caption(tr("在这个半径下没有。", "None at this radius."))
        else:
            st.dataframe(
                _county_distances(gains, en, airports={"plan": ("规划机场", "Plan airport")}),
                hide_index=True,
                width="stretch",
            )
            st.caption(tr(ASSUMPTION_ZH, ASSUMPTION_EN))
    with st.expander(tr("全部区县", "Every county unit")):
        table = report.table.sort_values(f"distance_km_{scenario}", ascending=False)
        st.dataframe(
            _county_distances(
                table,
                en,
                airports={
                    "today": ("最近现有机场", "Nearest airport today"),
                    "plan": ("规划后最近机场", "Nearest with the plan"),
                },
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(tr(ASSUMPTION_ZH, ASSUMPTION_EN))


# -- 2. corridor -----------------------------------------------------------------------------------
def corridor_section(language: str) -> None:
    options = corridor_options()
    en = language == "en"
    by_id = options.set_index("id")

    def label(fid: str) -> str:
        row = by_id.loc[fid]
        name = row["name_en"] if en and row["name_en"] else row["name"]
        return f"{name} · {LAYERS[row['layer']].label(language)}"

    st.selectbox(
        tr("选择铁路、公路或水运通道", "Choose a railway, highway or waterway"),
        options=list(options["id"]),
        format_func=label,
        key="analysis_corridor",
    )
    fid = st.session_state["analysis_corridor"]
    feature = load_catalogue_or_stop().set_index("id", drop=False).loc[fid]
    measured = is_measured(feature["precision"])
    if feature["precision"] == "river":
        st.success(
            tr(
                "真实河段:线取自 Natural Earth 河流中心线(涪江、渠江取自 GSHHG),途经区县是实际的(沿河为界的区县两岸都计入)。",
                "Real river section: the line is the Natural Earth centreline (GSHHG for 涪江 and 渠江), so the units are real (where the river is a boundary, both banks count).",
            ),
            icon=":material/water:",
        )
    elif measured:
        st.success(
            tr(
                "真实线位:线取自开放地图数据中的线路走向,途经区县和区内长度是实际的。",
                "Real alignment: the line follows the route in open map data, so the units and the km inside each are real.",
            ),
            icon=":material/route:",
        )
    else:
        st.warning(
            tr(
                "示意线:规划没有给出线位,这条线是依次连接所列城市驻地的直线。下面只列出它经过附近的区县,不给各区县内的长度——直线上的长度不是线路的长度。",
                "Schematic line: the plan gives no alignment; this is a straight line through the named seats in turn. Listed are the units it passes near, with no km per unit — lengths along straight legs are not lengths of the line.",
            ),
            icon=":material/timeline:",
        )
    with st.spinner(tr("正在求交…", "Intersecting with the districts…")):
        units = corridor_table(fid)

    name = feature["name_en"] if en and feature["name_en"] else feature["name"]
    st.markdown(
        f"**{esc(name)}** · {esc(STATUS_TERMS.label(feature['status'], language))} · "
        f"{esc(PRECISION_TERMS.label(feature['precision'], language))} · "
        f"[{esc(tr('任务', 'Task'))} {int(feature['task'])}]({page_href('tasks', task=int(feature['task']))}) · "
        f"[{esc(tr('在地图上查看', 'show on map'))}]({page_href('map', feature=fid)})",
        unsafe_allow_html=True,
    )
    status_note()
    relation = (
        tr("途经区县", "County units it runs through")
        if measured
        else tr("经过附近的区县", "County units it passes near")
    )
    c1, c2, c3 = st.columns(3)
    c1.metric(relation, len(units))
    c2.metric(tr("涉及市州", "Prefectures / municipality"), units["prefecture"].nunique())
    if measured:
        c3.metric(tr("区域内长度(公里)", "Length in the region (km)"), f"{units['length_km'].sum():,.0f}")
    st.caption(corridor_assumption(feature["precision"], language))

    columns = {
        "#": units["order"],
        tr("区县", "Unit"): units["name_en"] if en else units["name"],
        tr("所属", "In"): units["prefecture_en"] if en else units["prefecture"],
    }
    if measured:
        columns[tr("区内长度(公里)", "km inside")] = units["length_km"].round(1)
    columns[tr("城市页", "City page")] = [page_href("city", place=a, level="county") for a in units["adcode"]]
    with map_beside_table(
        lambda: corridor_map(feature, units, lang=language), key=f"analysis_corridor_map_{fid}"
    ):
        st.dataframe(
            pd.DataFrame(columns),
            hide_index=True,
            width="stretch",
            column_config={
                tr("城市页", "City page"): st.column_config.LinkColumn(display_text=tr("查看", "open"))
            },
        )


# -- 3. reach on the plan's lines ----------------------------------------------------------------
def reach_section(language: str) -> None:
    st.radio(
        tr("网络", "Network"),
        options=list(NETWORKS),
        format_func=network_label,
        key="analysis_network",
        horizontal=True,
    )
    network = st.session_state["analysis_network"]
    with st.spinner(tr("正在沿规划线路计算时间…", "Timing the plan's lines…")):
        report = reach_for(network)
    minutes = report.assumptions.minutes
    st.warning(report.assumptions.one_line(language), icon=":material/schedule:")
    st.caption(
        tr(
            "网络只包括规划点名的新建、改造线路(示意线),不含现有路网,所以不在这些线路上的地方显示为不连通;结果回答的是:若规划点名的线路都按上述速度运行,哪些驻地能在时限内到达。数据文件 data/assumptions/reach.yaml 中的假设可修改。",
            "The network holds only the new and upgraded lines the plan names (schematic), not the existing network, so places off these lines show as not connected. The figure answers: if every line the plan names ran at these speeds, which seats would be within the limit. The assumptions are in data/assumptions/reach.yaml.",
        )
    )
    units, outside_vertices = report.units, int((report.nodes["adcode"] == "").sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(
        tr("线路经过的区县", "County units on the lines"),
        len(units),
        help=tr(
            f"线路的 {len(report.nodes)} 个折点所在的区县,每个区县计一次;区域外折点 {outside_vertices} 个。",
            f"The units holding the lines' {len(report.nodes)} vertices, each unit once; "
            f"{outside_vertices} vertices lie outside the region.",
        ),
    )
    c2.metric(
        tr(f"成都{minutes:g}分钟内的区县", f"Units within {minutes:g} min of Chengdu"),
        report.units_within("chengdu"),
    )
    c3.metric(
        tr(f"重庆{minutes:g}分钟内的区县", f"Units within {minutes:g} min of Chongqing"),
        report.units_within("chongqing"),
    )
    names = units["name_en"] if language == "en" else units["name"]
    at_centre = units["min_nearest"] == 0
    with map_beside_table(
        lambda: reach_map(report.edges, report.nodes, minutes, lang=language),
        key=f"analysis_reach_map_{network}",
    ):
        st.caption(
            tr(
                f"{int(at_centre.sum())} 个区县在成都、重庆中心站点范围内(0 分钟),不逐行列出:",
                f"{int(at_centre.sum())} units lie at the centres' stations (0 min), not listed row by row: ",
            )
            + tr("、", ", ").join(names[at_centre])
        )
        st.dataframe(
            reach_unit_table(units[~at_centre], minutes, lang=language),
            hide_index=True,
            width="stretch",
            height=520,
        )
        st.caption(report.assumptions.one_line(language))


# -- page ------------------------------------------------------------------------------------------
def main() -> None:
    language = lang()
    st.title(tr("分析", "Analysis"))
    st.caption(
        tr(
            "规划本身提出的空间问题:机场覆盖、通道经过哪些区县、沿规划线路的可达范围。距离均为直线距离(UTM 48N);时间只在明示假设下沿规划点名的线路估算,不是时刻表上的出行时间。",
            "Spatial questions the plan raises: airport coverage, which districts a corridor serves, reach along the plan's lines. Distances are straight lines (UTM 48N); times are estimated only along the lines the plan names under stated assumptions, never timetable travel times.",
        )
    )
    with st.spinner(tr("正在加载规划要素…", "Loading the plan's features…")):
        load_catalogue_or_stop()
    STATE.load()
    st.segmented_control(
        tr("分析", "Analysis"),
        options=list(ANALYSES),
        format_func=analysis_label,
        key="analysis_kind",
        label_visibility="collapsed",
    )
    analysis = st.session_state.get("analysis_kind") or "airports"
    if analysis == "corridor":
        corridor_section(language)
    elif analysis == "reach":
        reach_section(language)
    else:
        airports_section(language)
    hidden = {name for names in SHOWN.values() for name in names} - set(SHOWN[analysis])
    STATE.save(**dict.fromkeys(hidden, ""))


main()
