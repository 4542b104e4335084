"""分析 Analysis: questions the plan raises about space, answered with straight lines only.

- 机场覆盖 (``?analysis=airports&radius=100&scenario=existing``): each county seat's distance to
  the nearest airport and the share of units and area within a service radius;
- 通道途经 (``?analysis=corridor&corridor=<feature id>``): the districts and counties a railway,
  highway or waterway of the plan runs through;
- 一小时圈 (``?analysis=circle&speed=350``): straight-line distances from 成都 and 重庆 and the
  distance one hour at a design speed covers — an upper bound, never a travel time.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import (
    AIRPORT_SCENARIOS,
    DEFAULT_CORRIDOR,
    DEFAULT_SERVICE_RADIUS_KM,
    DEFAULT_SPEED_KMH,
    DESIGN_SPEEDS_KMH,
    airport_coverage,
    centre_distances,
    corridor_lines,
    corridor_units,
    nearest_airports,
    one_hour_reach,
    scenario_airports,
)
from layers.analysis import airport_map, corridor_map, reach_map
from layers.registry import LAYERS, precision_label, status_label
from pages.ui import (
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

PAGE = "analysis"
ANALYSES = ("airports", "corridor", "circle")
RADIUS_MIN_KM, RADIUS_MAX_KM, RADIUS_STEP_KM = 25, 300, 25
LEAST_SERVED_ROWS = 15


def analysis_label(key: str) -> str:
    return {
        "airports": tr("机场覆盖", "Airport coverage"),
        "corridor": tr("通道途经区县", "Districts a corridor serves"),
        "circle": tr("一小时圈(直线)", "One-hour circle (straight line)"),
    }[key]


def scenario_label(key: str) -> str:
    return {
        "existing": tr("规划点名的现有机场", "Existing airports the plan names"),
        "plan": tr("规划点名的全部机场(含新建、迁建)", "All airports the plan names (new and relocated too)"),
        "reference": tr("全部现有民用机场(airportsdata)", "All existing civil airports (airportsdata)"),
    }[key]


def speed_label(kmh: int) -> str:
    """A design speed with what typically runs at it in the region (for orientation only)."""
    kinds = {
        350: tr("高速铁路", "high-speed rail"),
        250: tr("高速铁路", "high-speed rail"),
        200: tr("城际铁路", "intercity rail"),
        160: tr("市域(郊)铁路", "suburban rail"),
        120: tr("高速公路最高设计速度", "expressway, top design speed"),
        100: tr("高速公路", "expressway"),
        80: tr("一级公路", "class-1 highway"),
    }
    kind = kinds.get(kmh)
    return f"{kmh} km/h · {kind}" if kind else f"{kmh} km/h"


# -- data, cached ----------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def airports_for(scenario: str) -> pd.DataFrame:
    return scenario_airports(load_catalogue_or_stop(), scenario)


@st.cache_data(show_spinner=False)
def nearest_for(scenario: str) -> pd.DataFrame:
    return nearest_airports(airports_for(scenario))


@st.cache_data(show_spinner=False)
def coverage_for(scenario: str, radius_km: float):
    return airport_coverage(airports_for(scenario), radius_km, nearest=nearest_for(scenario))


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
    geometry = gdf.loc[gdf["id"] == feature_id].geometry.iloc[0]
    return corridor_units(geometry)


@st.cache_data(show_spinner=False)
def distances_table() -> pd.DataFrame:
    return centre_distances()


# -- URL → widgets ---------------------------------------------------------------------------------
def _state_from_url() -> None:
    analysis = param("analysis") or _implied_analysis()
    if analysis not in ANALYSES:
        warn_bad_param("analysis", analysis, analysis_label("airports"))
        analysis = "airports"
    st.session_state["analysis_kind"] = analysis

    radius = _number_param("radius", DEFAULT_SERVICE_RADIUS_KM)
    if radius is None or not RADIUS_MIN_KM <= radius <= RADIUS_MAX_KM:
        warn_bad_param("radius", param("radius") or "", f"{DEFAULT_SERVICE_RADIUS_KM:g} km")
        radius = DEFAULT_SERVICE_RADIUS_KM
    st.session_state["analysis_radius"] = int(radius)

    scenario = param("scenario") or "existing"
    if scenario not in AIRPORT_SCENARIOS:
        warn_bad_param("scenario", scenario, scenario_label("existing"))
        scenario = "existing"
    st.session_state["analysis_scenario"] = scenario

    corridor = param("corridor") or DEFAULT_CORRIDOR
    if corridor not in set(corridor_options()["id"]):
        default = corridor_options().set_index("id").loc[DEFAULT_CORRIDOR, "name"]
        warn_bad_param("corridor", corridor, f"{default} ({DEFAULT_CORRIDOR})")
        corridor = DEFAULT_CORRIDOR
    st.session_state["analysis_corridor"] = corridor

    speed = _number_param("speed", DEFAULT_SPEED_KMH)
    if speed not in DESIGN_SPEEDS_KMH:
        warn_bad_param("speed", param("speed") or "", f"{DEFAULT_SPEED_KMH} km/h")
        speed = DEFAULT_SPEED_KMH
    st.session_state["analysis_speed"] = int(speed)


def _implied_analysis() -> str:
    """A link with only ``?corridor=…`` or ``?speed=…`` opens the analysis it belongs to."""
    if param("corridor"):
        return "corridor"
    if param("speed"):
        return "circle"
    return "airports"


def _number_param(name: str, default: float) -> float | None:
    """The parameter as a number, the default when absent, None when it is not a number."""
    text = param(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is not a number a user meant


# -- 1. airports -----------------------------------------------------------------------------------
def map_beside_table(build_map, *, key: str):
    """Draw a display-only map (nothing clicked is read back) in the wider column; the other
    column is returned for the table that explains it."""
    map_column, table_column = st.columns([3, 2], gap="medium")
    with map_column, st.spinner(tr("正在绘制地图…", "Drawing the map…")):
        st_folium(build_map(), key=key, height=560, use_container_width=True, returned_objects=[])
    return table_column


def airports_section(language: str) -> dict:
    st.radio(
        tr("机场范围", "Airports counted"),
        options=list(AIRPORT_SCENARIOS),
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
    st.caption(
        tr(
            "100公里是我国民用机场规划中常用的服务半径,这里只是一个假设,可用滑块调整。距离为区县驻地到最近机场的直线距离(UTM 48N投影),不是行车距离或时间。",
            "100 km is the service radius commonly used in Chinese civil-airport planning; here it is an assumption you can change with the slider. Distances are straight lines from each county seat to the nearest airport (UTM 48N), not road distances or travel times.",
        )
    )
    if scenario == "existing":
        note = tr(
            "只计规划点名、且已有实际坐标的机场(精度:精确)。宜宾、泸州、西昌、绵阳南郊等现有机场规划未点名,不计入——选“全部现有民用机场”可对照。",
            "Only airports the plan names that exist, at their real coordinates (precision: exact). Existing airports the plan does not name (宜宾, 泸州, 西昌, 绵阳 …) are not counted — choose “All existing civil airports” to compare.",
        )
    elif scenario == "plan":
        note = tr(
            "含规划新建、迁建的机场:规划没有给出这些机场的选址,它们位于所服务城市(区县)的驻地(内江(自贡)支线机场在两市驻地各计一次),不是机场场址,距离仅为示意。",
            "New and relocated airports are included: the plan gives them no site, so they stand at the seat of the city or county they serve (内江(自贡) at both seats) — not at an airport site — and their distances are indicative.",
        )
    else:
        note = tr(
            "airportsdata 中本区域及周边省份坐标已知的全部机场,不论规划是否提及(乐山机场坐标未知,不计入)。",
            "Every airport of the region and its neighbouring provinces with known coordinates in airportsdata, whether the plan names it or not (Leshan, with unknown coordinates, is left out).",
        )
    st.info(note, icon=":material/info:")

    with st.spinner(tr("正在计算到最近机场的距离…", "Measuring distances to the nearest airport…")):
        airports = airports_for(scenario)
        nearest = nearest_for(scenario)
        coverage = coverage_for(scenario, radius)

    c1, c2, c3 = st.columns(3)
    c1.metric(tr("机场数", "Airports"), airports["id"].nunique())
    c2.metric(
        tr(f"驻地在{radius:g}公里内的区县", f"County units with seat within {radius:g} km"),
        f"{coverage.unit_share:.0%}",
        help=tr(
            f"{coverage.units_within} / {coverage.units_total} 个区县级单位",
            f"{coverage.units_within} of {coverage.units_total} county-level units",
        ),
        delta=None,
    )
    c3.metric(
        tr(f"{radius:g}公里内的面积", f"Area within {radius:g} km"),
        f"{coverage.area_share:.0%}",
        help=tr(
            f"{coverage.area_within_km2:,.0f} / {coverage.area_total_km2:,.0f} 平方公里",
            f"{coverage.area_within_km2:,.0f} of {coverage.area_total_km2:,.0f} km²",
        ),
    )
    st.caption(
        tr(
            f"{coverage.units_within} / {coverage.units_total} 个区县级单位;{coverage.area_within_km2:,.0f} / {coverage.area_total_km2:,.0f} 平方公里。四川西部高原面积大、人口少,面积比例不代表人口比例。",
            f"{coverage.units_within} of {coverage.units_total} county-level units; {coverage.area_within_km2:,.0f} of {coverage.area_total_km2:,.0f} km². Western Sichuan's plateau is large and thinly peopled: the area share is not a population share.",
        )
    )

    with map_beside_table(
        lambda: airport_map(nearest, airports, radius, lang=language), key="analysis_airport_map"
    ):
        st.markdown(f"**{tr('距机场最远的区县', 'Least-served county units')}**")
        worst = nearest.head(LEAST_SERVED_ROWS)
        en = language == "en"
        st.dataframe(
            pd.DataFrame(
                {
                    tr("区县", "Unit"): worst["name_en"] if en else worst["name"],
                    tr("所属", "In"): worst["prefecture_en"] if en else worst["prefecture"],
                    tr("距离(公里)", "km"): worst["distance_km"].round(0).astype(int),
                    tr("最近机场", "Nearest airport"): worst["airport_en"] if en else worst["airport"],
                    tr("机场位置", "Airport point"): [
                        precision_label(p, language) for p in worst["airport_precision"]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    return {
        "radius": "" if radius == DEFAULT_SERVICE_RADIUS_KM else int(radius),
        "scenario": "" if scenario == "existing" else scenario,
    }


# -- 2. corridor -----------------------------------------------------------------------------------
def corridor_section(language: str) -> dict:
    options = corridor_options()
    en = language == "en"
    by_id = options.set_index("id")

    def label(fid: str) -> str:
        row = by_id.loc[fid]
        name = row["name_en"] if en and row["name_en"] else row["name"]
        return f"{name} · {LAYERS[row['layer']].title(language)}"

    st.selectbox(
        tr("选择铁路、公路或水运通道", "Choose a railway, highway or waterway"),
        options=list(options["id"]),
        format_func=label,
        key="analysis_corridor",
    )
    fid = st.session_state["analysis_corridor"]
    feature = load_catalogue_or_stop().set_index("id", drop=False).loc[fid]
    if feature["precision"] == "schematic":
        st.warning(
            tr(
                "示意线:规划没有给出线位,这条线是依次连接所列城市驻地的直线,途经区县名单仅供参考。",
                "Schematic line: the plan gives no alignment; this is a straight line through the named seats in turn, so the list of units is indicative only.",
            ),
            icon=":material/timeline:",
        )
    elif feature["precision"] == "river":
        st.success(
            tr(
                "真实河段:线取自 Natural Earth 河流中心线,途经区县是实际的(沿河为界的区县两岸都计入)。",
                "Real river section: the line is the Natural Earth centreline, so the units are real (where the river is a boundary, both banks count).",
            ),
            icon=":material/water:",
        )
    with st.spinner(tr("正在求交…", "Intersecting with the districts…")):
        units = corridor_table(fid)

    name = feature["name_en"] if en and feature["name_en"] else feature["name"]
    st.markdown(
        f"**{esc(name)}** · {esc(status_label(feature['status'], language))} · "
        f"{esc(precision_label(feature['precision'], language))} · "
        f"[{esc(tr('任务', 'Task'))} {int(feature['task'])}]({page_href('tasks', task=int(feature['task']))}) · "
        f"[{esc(tr('在地图上查看', 'show on map'))}]({page_href('map', feature=fid)})",
        unsafe_allow_html=True,
    )
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("途经区县", "County units"), len(units))
    c2.metric(tr("涉及市州", "Prefectures / municipality"), units["prefecture"].nunique())
    c3.metric(tr("区域内长度(公里)", "Length in the region (km)"), f"{units['length_km'].sum():,.0f}")

    with map_beside_table(
        lambda: corridor_map(feature, units, lang=language), key=f"analysis_corridor_map_{fid}"
    ):
        st.dataframe(
            pd.DataFrame(
                {
                    "#": units["order"],
                    tr("区县", "Unit"): units["name_en"] if en else units["name"],
                    tr("所属", "In"): units["prefecture_en"] if en else units["prefecture"],
                    tr("区内长度(公里)", "km inside"): units["length_km"].round(1),
                    tr("城市页", "City page"): [
                        page_href("city", place=a, level="county") for a in units["adcode"]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                tr("城市页", "City page"): st.column_config.LinkColumn(display_text=tr("查看", "open"))
            },
        )
    return {"corridor": "" if fid == DEFAULT_CORRIDOR else fid}


# -- 3. one-hour circle ----------------------------------------------------------------------------
def circle_section(language: str) -> dict:
    st.radio(
        tr("设计速度(公里/小时)", "Design speed (km/h)"),
        options=list(DESIGN_SPEEDS_KMH),
        key="analysis_speed",
        format_func=speed_label,
        horizontal=True,
    )
    speed = st.session_state["analysis_speed"]
    st.warning(
        tr(
            "没有时刻表和路网,本页不计算出行时间。圆圈是以设计速度不停车沿直线行驶1小时的距离,是上限:驻地在圆外,1小时必然到不了;在圆内,也只是有可能。参考:高速铁路350、城际铁路200、市域(郊)铁路160、高速公路100–120公里/小时。",
            "Without timetables or a network this page computes no travel time. Each circle is the straight-line distance covered in one hour non-stop at the design speed — an upper bound: a seat outside it cannot be reached in an hour; one inside it only might be. For reference: high-speed rail 350, intercity rail 200, suburban rail 160, expressways 100–120 km/h.",
        ),
        icon=":material/straighten:",
    )
    with st.spinner(tr("正在计算直线距离…", "Measuring straight-line distances…")):
        distances = distances_table()
        reach = one_hour_reach(speed, distances)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("1小时直线可达", "1-hour straight-line reach"), f"{reach.reach_km:g} km")
    c2.metric(
        tr("成都范围内的单位", "Units within reach of Chengdu"), f"{reach.within_chengdu} / {reach.total}"
    )
    c3.metric(
        tr("重庆范围内的单位", "Units within reach of Chongqing"), f"{reach.within_chongqing} / {reach.total}"
    )
    c4.metric(
        tr("成渝两地驻地直线距离", "Chengdu ↔ Chongqing seats, straight line"),
        f"{reach.centres_km:.0f} km",
        help=tr(
            f"按 {speed} 公里/小时至少需 {reach.centres_min_minutes:.0f} 分钟(下限)",
            f"At {speed} km/h at least {reach.centres_min_minutes:.0f} min (a lower bound)",
        ),
    )
    st.caption(
        tr(
            f"单位为四川21个市州和重庆38个区县(驻地)。按 {speed} 公里/小时,成都与重庆驻地之间的直线至少需 {reach.centres_min_minutes:.0f} 分钟(不含停站、绕行,为下限)。",
            f"Units: Sichuan's 21 prefectures and Chongqing's 38 districts and counties (their seats). At {speed} km/h the straight line between the seats of Chengdu and Chongqing takes at least {reach.centres_min_minutes:.0f} min (no stops, no detours: a lower bound).",
        )
    )
    with map_beside_table(
        lambda: reach_map(distances, reach.reach_km, lang=language), key="analysis_reach_map"
    ):
        en = language == "en"
        st.dataframe(
            pd.DataFrame(
                {
                    tr("驻地", "Seat of"): distances["name_en"] if en else distances["name"],
                    tr("距成都(公里)", "km to Chengdu"): distances["km_chengdu"].round(0).astype(int),
                    tr("距重庆(公里)", "km to Chongqing"): distances["km_chongqing"].round(0).astype(int),
                    tr("在范围内", "Within reach"): distances["km_nearest"] <= reach.reach_km,
                }
            ),
            hide_index=True,
            width="stretch",
            height=520,
        )
    return {"speed": "" if speed == DEFAULT_SPEED_KMH else speed}


# -- page ------------------------------------------------------------------------------------------
def main() -> None:
    language = lang()
    st.title(tr("分析", "Analysis"))
    st.caption(
        tr(
            "规划本身提出的空间问题:机场覆盖、通道途经哪些区县、“一小时交通圈”。所有距离均为直线距离(UTM 48N),不是出行时间。",
            "Spatial questions the plan raises: airport coverage, which districts a corridor serves, the “one-hour circle”. Every distance is a straight line (UTM 48N), never a travel time.",
        )
    )
    with st.spinner(tr("正在加载规划要素…", "Loading the plan's features…")):
        load_catalogue_or_stop()
    if url_changed(PAGE):
        _state_from_url()
    st.segmented_control(
        tr("分析", "Analysis"),
        options=list(ANALYSES),
        format_func=analysis_label,
        key="analysis_kind",
        label_visibility="collapsed",
    )
    analysis = st.session_state.get("analysis_kind") or "airports"
    if analysis == "airports":
        params = airports_section(language)
    elif analysis == "corridor":
        params = corridor_section(language)
    else:
        params = circle_section(language)
    everything = {"radius": "", "scenario": "", "corridor": "", "speed": ""}
    everything.update(params)
    set_params(analysis="" if analysis == "airports" else analysis, **everything)
    remember_url(PAGE)


main()
