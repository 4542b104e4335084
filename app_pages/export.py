"""导出 Export: choose layers, filters, a format and a CRS, then download the features.

State lives in the URL with the map page's names plus the format and the CRS:
``?layers=railway,aviation&status=开工建设&province=四川&chapter=2&task=10&q=万达开&place=达州
&format=gpkg&crs=EPSG:4490&as_of=2024-06-30`` (declared once in ``STATE``). The map page's link
therefore opens what the map shows, with its day: the files' phases are as of ``as_of`` (default today). The file is
made by the same code as ``python -m geo export`` (:mod:`geo.export_selection`), so both give the
same bytes for the same selection.

Every download is a plain link to the app's route ``/api/export`` with the page's selection
(:mod:`web.export_route`): the browser fetches the file from whichever server process answers,
nothing is held in this session, and the link can be bookmarked or fetched with ``curl``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from geo.catalogue import LAYER_IDS
from geo.clock import plan_today
from geo.errors import DataError, GeoError
from geo.export import (
    CRS_CHOICES,
    FORMAT_LABELS,
    FORMATS,
    GCJ02_REFUSED,
    check_crs,
    csv_readme_path,
)
from geo.export_selection import (
    describe_selection,
    export_name,
    export_query,
    resolve_place,
    selected_features,
)
from geo.features import Selection
from geo.vocabulary import CRSES as CRS_TERMS
from geo.vocabulary import FORMATS as FORMAT_TERMS
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from layers.progress import ledger_events
from ui import map_progress
from ui.common import clipped, esc, lang, show_catalogue_error, shown, tr
from ui.filters import plan_filters
from ui.ledger import EXPORT_WITHOUT, read_ledger
from ui.map_progress import EARLIEST
from ui.page_state import PageState, checked, choice, day, selection_of, selection_params

PAGE = "export"

GEOJSON_CRS_NOTE = (
    "此 GeoJSON 以旧版 crs 成员声明坐标系(GDAL、QGIS、geopandas 可识别),因此不符合 RFC 7946(RFC 7946 只允许 WGS 84)。",
    "This GeoJSON declares its CRS in the legacy crs member (read by GDAL, QGIS, geopandas), so it is not "
    "RFC 7946, which allows WGS 84 only.",
)


def _place_name(text: str) -> str:
    return resolve_place(text)[1]


STATE = PageState(
    PAGE,
    (
        *selection_params(PAGE),
        checked("place", "export_place", _place_name, "", lambda: tr("忽略", "ignored")),
        choice("format", "export_format", lambda: FORMATS, "geojson", lambda: "GeoJSON", normalise=str.lower),
        checked("crs", "export_crs", check_crs, CRS_CHOICES[0], lambda: CRS_CHOICES[0]),
        day("as_of", "export_as_of", earliest=EARLIEST),
    ),
)


def _filters() -> tuple[Selection, str | None]:
    language = lang()
    st.multiselect(
        tr("图层", "Layers"),
        options=list(LAYER_IDS),
        format_func=lambda layer_id: LAYERS[layer_id].label(language),
        key="export_layers",
        placeholder=tr("全部", "All"),
    )
    plan_filters(PAGE)
    st.text_input(
        tr("搜索(中文名、拼音、英文或简称)", "Search (Chinese, pinyin, English or abbreviation)"),
        key="export_query",
        placeholder=tr("如:天府、chengdu、万达开", "e.g. 天府, chengdu, 万达开"),
    )
    st.text_input(
        tr("地区(位于或经过)", "Place (features in or touching it)"),
        key="export_place",
        placeholder=tr("如:达州、万州区", "e.g. 达州, 万州区"),
    )
    adcode = place_name = None
    place = st.session_state["export_place"].strip()
    if place:
        try:
            adcode, place_name = resolve_place(place)
        except DataError:
            raise
        except GeoError as exc:
            st.warning(
                tr(
                    f"地区无法识别,未按地区筛选:{shown(exc)}",
                    f"Place not recognised, not filtering by place: {shown(exc)}",
                ),
                icon="⚠️",
            )
    map_progress.as_of_control(
        STATE.key("as_of"),
        tr(
            "文件中各要素的进展阶段(phase 等列)按此日期的台账计算。",
            "The phase columns of the file are the ledger's as of this day.",
        ),
    )
    return selection_of(STATE, place=adcode), place_name


def _stable_link(
    selection: Selection, place_name: str | None, fmt: str, crs: str, file: str | None = None
) -> str:
    """The export (or its side file ``file``) at the app's download route: any server process
    answers it, and it can be bookmarked. Root-relative, so it holds behind a proxy on any port."""
    day = STATE.value("as_of")
    as_of = None if day == plan_today() else day  # today stays "today" in a bookmarked link
    query = export_query(selection, fmt=fmt, crs=crs, place_name=place_name, as_of=as_of, file=file)
    return "/api/export?" + query


# A link drawn as a button: the file comes straight from the route, in this tab (``download``).
DOWNLOAD_CSS = """<style>
a.export-download { display: inline-flex; align-items: center; gap: 0.4rem; padding: 0.45rem 0.9rem;
  margin: 0 0.5rem 0.5rem 0; border-radius: 0.5rem; border: 1px solid #c0392b; text-decoration: none;
  font-weight: 500; line-height: 1.4; }
a.export-download.primary { background: #c0392b; color: #fff; }
a.export-download.secondary { background: #fff; color: #c0392b; }
a.export-download:hover { filter: brightness(0.92); text-decoration: none; }
</style>"""


def _download_link(label: str, href: str, file_name: str, kind: str) -> str:
    """``<a download>`` to the route, every value escaped."""
    return (
        f'<a class="export-download {kind}" href="{esc(href)}" download="{esc(file_name)}" '
        f'target="_self">⬇ {esc(label)}</a>'
    )


def _summary(features: pd.DataFrame) -> pd.DataFrame:
    language = lang()
    counts = features.groupby(["layer", "precision"]).size().unstack(fill_value=0)
    order = [layer_id for layer_id in LAYER_IDS if layer_id in counts.index]
    columns = [p for p in PRECISION_TERMS if p in counts.columns]
    counts = counts.loc[order, columns]
    counts.columns = [PRECISION_TERMS.label(p, language) for p in counts.columns]
    counts.insert(0, tr("要素", "Features"), counts.sum(axis=1))
    counts.index = [LAYERS[layer_id].label(language) for layer_id in counts.index]
    return counts


def _service_url() -> str:
    """The address of the app's feature service (``/ogc``) as this browser reaches the app."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    base = parts.path.rstrip("/").removesuffix(f"/{PAGE}")
    return f"{parts.scheme}://{parts.netloc}{base}/ogc"


def _live_service() -> None:
    with st.expander(
        tr("在线服务:在 QGIS 中直接打开(随进展实时更新)", "Live service: open in QGIS, always current")
    ):
        st.code(_service_url(), language=None)
        st.markdown(
            tr(
                "上面的地址是本应用的 OGC API – Features 服务:每个主题图层一个集合,另有 `places`(地区与任务数)和 "
                "`progress_events`(进展事件),属性与 GeoPackage 导出相同,进展随台账实时更新。在 QGIS 中:图层 ▸ "
                "添加图层 ▸ 添加 WFS / OGC API – Features 图层,新建连接,URL 填上面的地址,版本选“OGC API - Features”,"
                "连接后选择集合并添加;坐标系可选 EPSG:4490(CGCS2000)。ArcGIS Pro 用“添加 OGC API 服务器”,GDAL 用 "
                "`ogrinfo OAPIF:地址`。",
                "The address above is this app's OGC API – Features service: a collection per thematic layer, "
                "plus `places` (units and their task counts) and `progress_events`, with the same properties as "
                "the GeoPackage export and progress as the ledger holds it now. In QGIS: Layer ▸ Add Layer ▸ Add "
                "WFS / OGC API – Features Layer, make a new connection with the address above as URL and version "
                "“OGC API - Features”, connect, pick the collections and add them; EPSG:4490 (CGCS2000) may be "
                "chosen as CRS. ArcGIS Pro: Add OGC API Server; GDAL: `ogrinfo OAPIF:address`.",
            )
        )


def _format_section() -> tuple[str, str]:
    language = lang()
    st.subheader(tr("格式与坐标系", "Format and CRS"))
    fmt = st.radio(
        tr("格式", "Format"),
        options=list(FORMATS),
        format_func=lambda f: f"{FORMAT_TERMS[f].label(language)} — {FORMAT_TERMS[f].hint.label(language)}",
        key="export_format",
    )
    crs = st.radio(
        tr("坐标系", "CRS"),
        options=list(CRS_CHOICES),
        format_func=lambda c: CRS_TERMS[c].label(language),
        key="export_crs",
    )
    if CRS_TERMS[crs].hint is not None:
        st.caption(CRS_TERMS[crs].hint.label(language))
    if fmt == "geojson" and crs != CRS_CHOICES[0]:
        st.caption(tr(*GEOJSON_CRS_NOTE))
    return fmt, crs


def _download_links(selection: Selection, place_name: str | None, fmt: str, crs: str) -> None:
    """The route's links for the file (and a CSV's README), as of the page's day."""
    file_name = export_name(selection, fmt, crs)
    links = [
        _download_link(
            tr(f"下载 {file_name}", f"Download {file_name}"),
            _stable_link(selection, place_name, fmt, crs),
            file_name,
            "primary",
        )
    ]
    if fmt == "csv":
        readme = csv_readme_path(Path(file_name)).name
        links.append(
            _download_link(
                tr(f"下载说明 {readme}", f"Download the README {readme}"),
                _stable_link(selection, place_name, fmt, crs, readme),
                readme,
                "secondary",
            )
        )
    st.markdown(DOWNLOAD_CSS + "".join(links), unsafe_allow_html=True)
    day = STATE.value("as_of").isoformat()
    st.caption(
        tr(
            f"下载按钮是固定链接(可收藏、复制,或用 `curl` 获取),进展阶段截至 {day},与 `python -m geo export --as-of {day}` 的文件相同。",
            f"The download buttons are plain links (to bookmark, copy or fetch with `curl`), with the phases as of "
            f"{day}; the files are those of `python -m geo export --as-of {day}`.",
        )
    )


def _download_section(selection: Selection, place_name: str | None, fmt: str, crs: str, features) -> None:
    st.subheader(tr("下载", "Download"))
    if fmt in GCJ02_REFUSED and crs == "GCJ-02":
        st.warning(
            tr(
                f"{FORMAT_LABELS[fmt]} 文件按标准只能是 WGS 84,无法声明 GCJ-02:请选择 WGS 84 或其他格式。",
                f"A {FORMAT_LABELS[fmt]} file is WGS 84 by definition and cannot declare GCJ-02: "
                "choose WGS 84 or another format.",
            ),
            icon="⚠️",
        )
    elif features.empty:
        st.info(
            tr("没有符合条件的要素:请放宽筛选条件。", "No feature matches: relax the filters."),
            icon=":material/search_off:",
        )
    else:
        clipped_query = replace(selection, query=clipped(selection.query))
        described = shown(describe_selection(clipped_query, place_name, lang()), 1000)
        st.markdown(
            tr(
                f"已选 **{len(features)}** 个要素:{described}",
                f"**{len(features)}** features selected: {described}",
            )
        )
        # The route answers 503 while the ledger cannot be read: say so here, not after a click.
        if read_ledger(ledger_events, *EXPORT_WITHOUT) is not None:
            _download_links(selection, place_name, fmt, crs)
        summary = _summary(features)
        # Tall enough for every layer: a scrolling 15-row table hides the last ones.
        st.dataframe(summary, width="stretch", height=38 + 35 * len(summary))


def _help_section() -> None:
    language = lang()
    _live_service()
    with st.expander(tr("定位精度说明", "Precision classes")):
        for precision in PRECISION_TERMS.terms():
            st.markdown(
                f"- **{precision.label(language)}** ({precision.id}): {precision.explanation.label(language)}"
            )
    with st.expander(
        tr("在 QGIS、ArcGIS、Google Earth、奥维中打开", "Opening in QGIS, ArcGIS, Google Earth, Ovital")
    ):
        st.markdown(
            tr(
                "- **QGIS**:工程 ▸ 打开自 ▸ GeoPackage,即可打开文件内置的工程:按主题分组、行政区边界在底层,与本应用地图一致;"
                "也可把 GeoPackage 拖入 QGIS 逐个加载表格,样式相同(示意线为虚线)。\n"
                "- **ArcGIS Pro**:解压 Shapefile 压缩包或直接添加 GeoPackage 表;中文由 .cpg 声明为 UTF-8。\n"
                "- **Google Earth / 奥维互动地图**:导入 KML;奥维导入时坐标系选 WGS84(选了 GCJ-02 导出的文件则选 GCJ-02/火星坐标)。\n"
                "- **Excel**:CSV 为带 BOM 的 UTF-8,中文直接可读;`wkt` 列为几何。",
                "- **QGIS**: Project ▸ Open From ▸ GeoPackage opens the project stored in the file: layers grouped by theme, "
                "admin outlines at the bottom, as the app draws them; or drag the GeoPackage in and add tables, "
                "each with the same style (schematic lines dashed).\n"
                "- **ArcGIS Pro**: unzip the shapefile archive or add the GeoPackage tables; the .cpg declares UTF-8 for Chinese.\n"
                "- **Google Earth / 奥维 (Ovital)**: import the KML; in 奥维 choose WGS84 (or GCJ-02 for a GCJ-02 export).\n"
                "- **Excel**: the CSV is UTF-8 with BOM, so Chinese shows; the `wkt` column holds the geometry.",
            )
        )


def main() -> None:
    st.title(tr("导出", "Export"))
    st.caption(
        tr(
            "选择要素与格式后下载;文件附带说明(来源、日期、坐标系、许可、定位精度)。命令行 `python -m geo export` 生成相同的数据。",
            "Choose the features and a format, then download; every file carries a README (source, date, CRS, "
            "licences, precision). The command line `python -m geo export` makes the same data.",
        )
    )
    STATE.load()
    filters_column, output_column = st.columns([1, 2], gap="large")
    with filters_column:
        st.subheader(tr("选择要素", "Features"))
        selection, place_name = _filters()
    with output_column:
        fmt, crs = _format_section()
    STATE.save(place=place_name or "")

    try:
        features = selected_features(selection)
    except DataError:
        raise
    except GeoError as exc:
        show_catalogue_error(exc)
        st.stop()
    with output_column:
        _download_section(selection, place_name, fmt, crs, features)
        _help_section()


main()
