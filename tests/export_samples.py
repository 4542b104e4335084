"""Export test data made in code, and reading exports back as GIS tools read them.

Seven features over four layers and every geometry type, in the region, with awkward names and
many decimals, so the export tests do not depend on how complete the catalogue is.
:func:`round_trip_problems` compares a written file with the frame it was made from.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon

from geo import export
from geo.export import (
    COORDINATE_DECIMALS,
    CRS_CHOICES,
    ExportBundle,
    LayerLook,
    export_filename,
    write_export,
)
from geo.gcj02 import geometry_wgs84_to_gcj02

EXPORTED = date(2026, 1, 2)
AWKWARD_NAME = '示例站点 "引号" <尖括号> & 逗号, 分号; 完'
LONG_QUOTE = "加快建设" + "成渝地区双城经济圈" * 20  # > 254 UTF-8 bytes: cut in the shapefile only
# Geometry may move by at most half a grid step per axis when rounded.
TOLERANCE = 10.0**-COORDINATE_DECIMALS


def sample_frame() -> gpd.GeoDataFrame:
    """Seven features over four layers and every geometry type, with the catalogue's columns."""
    clockwise_with_hole = Polygon(
        [
            (104.00001234, 30.50004321),
            (104.00001234, 31.00009876),
            (104.50007777, 31.00009876),
            (104.50007777, 30.50004321),
        ],
        [[(104.1, 30.6), (104.2, 30.6), (104.2, 30.7), (104.1, 30.7)]],
    )
    two_parts = MultiPolygon(
        [
            Polygon([(105.2, 29.3), (105.5, 29.3), (105.5, 29.6), (105.2, 29.6)]),
            Polygon([(105.7, 29.7), (105.9, 29.7), (105.9, 29.9)]),
        ]
    )
    rows = [
        (
            "air-sample-a",
            "示例国际机场",
            "aviation",
            "exact",
            Point(104.441234567, 30.312345678),
            [9],
            ["成都市", "简阳市"],
        ),
        (
            "air-sample-b",
            AWKWARD_NAME,
            "aviation",
            "seat",
            Point(103.765432109, 29.552345678),
            [9, 10],
            ["乐山市"],
        ),
        (
            "rail-sample",
            "成都至达州至万州铁路(示例)",
            "railway",
            "schematic",
            LineString([(104.0655551, 30.6599991), (107.4677771, 31.2088881), (108.3899991, 30.8077771)]),
            [10],
            ["成都市", "达州市", "万州区"],
        ),
        (
            "water-sample",
            "长江宜宾至重庆段(示例)",
            "waterway",
            "river",
            LineString([(104.6333333, 28.7666666), (105.4444444, 28.8888888), (106.5555555, 29.5666666)]),
            [12, 13],
            ["宜宾市", "泸州市", "重庆市"],
        ),
        (
            "zone-sample-a",
            "明月山绿色发展示范带(示例)",
            "zone",
            "area",
            clockwise_with_hole,
            [20],
            ["梁平区", "垫江县"],
        ),
        (
            "zone-sample-b",
            "川南渝西融合发展试验区(示例)",
            "zone",
            "area",
            two_parts,
            [21, 22],
            ["自贡市", "江津区"],
        ),
        (
            "zone-sample-c",
            "多点示例平台",
            "zone",
            "seat",
            MultiPoint([(104.7777777, 29.3523456), (105.4412345, 28.8712345)]),
            [23],
            ["自贡市", "泸州市"],
        ),
    ]
    records = []
    for ident, name, layer, precision, geometry, tasks, places in rows:
        records.append(
            {
                "id": ident, "name": name, "name_en": f"Sample {ident}", "layer": layer, "kind": "", "status": "加快建设",
                "status_en": "accelerated construction", "verb": "加快建设", "tasks": tasks, "task": tasks[0],
                "chapter": 2, "sentence": 1, "quote": LONG_QUOTE if ident == "rail-sample" else f"加快建设{name}",
                "sentence_text": "加快建设" + name + "。", "precision": precision, "source": f"test data: {precision}",
                "places": places, "province_scope": "跨省", "note": "", "search_text": ident,
                "geometry": geometry,
            }
        )  # fmt: skip
    gdf = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    is_line = gdf.geom_type == "LineString"
    is_area = gdf.geom_type.isin(["Polygon", "MultiPolygon"])
    gdf["length_km"] = np.where(is_line, 321.5, np.nan)
    gdf["area_km2"] = np.where(is_area, 1234.0, np.nan)
    gdf["official_area_km2"] = np.where(gdf["id"] == "zone-sample-a", 262.0, np.nan)
    gdf["official_area_source"] = np.where(gdf["id"] == "zone-sample-a", "示例批复（样例），2020", "")
    gdf["stand_in"] = np.where(gdf["id"] == "zone-sample-c", "示例港", "")
    gdf["stand_in_note"] = np.where(
        gdf["id"] == "zone-sample-c", "以自贡市驻地代表示例港 / the seat of 自贡市 stands for 示例港", ""
    )
    gdf["whole_units"] = is_area
    return gdf


LOOKS = {
    "aviation": LayerLook("aviation", "航空", "Aviation", "#1f77b4"),
    "railway": LayerLook("railway", "铁路", "Railways", "#d62728"),
    "waterway": LayerLook("waterway", "水运", "Waterways", "#17becf"),
    "zone": LayerLook("zone", "合作平台与示范区", "Pilot & cooperation zones", "#ff9896"),
}


def sample_bundle() -> ExportBundle:
    tasks = pd.DataFrame(
        {
            "number": [9, 10],
            "chapter": [2, 2],
            "title": ["任务九", "任务十"],
            "text": ["正文九。", "正文十。"],
        }
    )
    return ExportBundle(
        sample_frame(), selection="test selection", layer_looks=LOOKS, tables={"tasks": tasks}
    )


def expected_geometry(geometry, crs: str):
    return geometry_wgs84_to_gcj02(geometry) if crs == "GCJ-02" else geometry


def write_sample(tmp_path: Path, fmt: str, crs: str) -> Path:
    path = tmp_path / export_filename(fmt, crs, stem="sample")
    written = write_export(sample_bundle(), path, fmt=fmt, crs=crs, exported=EXPORTED)
    assert written[0] == path and path.exists()
    return path


# -- reading back ------------------------------------------------------------------------------
def read_back(path: Path, fmt: str, crs: str = "EPSG:4326") -> dict[str, gpd.GeoDataFrame]:
    """``{layer id: features}`` as GDAL (or pyarrow, for GeoParquet) reads the file."""
    if fmt == "parquet":
        gdf = gpd.read_parquet(path)
    elif fmt == "csv":
        wkt = "wkt_gcj02" if crs == "GCJ-02" else "wkt"
        gdf = pyogrio.read_dataframe(path, GEOM_POSSIBLE_NAMES=wkt, KEEP_GEOM_COLUMNS="NO")
    elif fmt == "geojson":
        gdf = pyogrio.read_dataframe(path)
    elif fmt == "shp":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".shp")]
            encodings = {
                n: archive.read(n.removesuffix(".shp") + ".cpg").decode("ascii").strip() for n in names
            }
        frames = [pyogrio.read_dataframe(f"/vsizip/{path}/{n}", encoding=encodings[n]) for n in names]
        gdf = pd.concat(frames, ignore_index=True)
    elif fmt == "gpkg":
        out: dict[str, list] = {}
        for table, geometry_type in pyogrio.list_layers(path):
            if geometry_type is None or table.startswith("admin_") or table.endswith("_all"):
                continue  # non-spatial tables, reference layers, theme views
            layer_id = table.rsplit("_", 1)[0]
            part = pyogrio.read_dataframe(path, layer=table)
            assert set(part["layer"]) == {layer_id}, table
            out.setdefault(layer_id, []).append(part)
        return {layer: pd.concat(parts, ignore_index=True) for layer, parts in out.items()}
    elif fmt == "kml":
        titles = {f"{look.title_zh} {look.title_en}": layer for layer, look in LOOKS.items()}
        out = {}
        for folder, _ in pyogrio.list_layers(path):
            part = pyogrio.read_dataframe(path, layer=folder)
            part = part.rename(columns={"Name": "name"})
            assert set(part["layer"]) == {titles[folder]}, folder
            out[titles[folder]] = part
        return out
    else:
        raise AssertionError(fmt)
    return {layer: part for layer, part in gdf.groupby("layer", sort=False)}


def declared_crs(path: Path, fmt: str) -> str:
    """The CRS a reader is told: as GDAL (pyogrio) reads it where the file has one, else from the
    README or metadata (CSV; KML is WGS 84 by definition)."""
    if fmt in ("gpkg", "parquet", "shp", "geojson"):
        if fmt == "shp":
            with zipfile.ZipFile(path) as archive:
                first = next(n for n in archive.namelist() if n.endswith(".shp"))
            crs = pyogrio.read_info(f"/vsizip/{path}/{first}")["crs"]
        elif fmt == "gpkg":
            crs = pyogrio.read_info(path, layer="aviation_points")["crs"]
        elif fmt == "geojson":
            crs = pyogrio.read_info(path)["crs"]
        else:
            crs = gpd.read_parquet(path).crs
        crs = CRS.from_user_input(crs)
        if "GCJ-02" in crs.name:
            return "GCJ-02"
        return f"EPSG:{crs.to_epsg(min_confidence=70)}"
    if fmt == "csv":
        readme = export.csv_readme_path(path).read_text(encoding="utf-8")
        return next(c for c in CRS_CHOICES if f"CRS 坐标系: {export.CRS_TITLES[c]}" in readme)
    if fmt == "kml":
        document = ET.parse(path).getroot()
        text = document.find("{*}Document/{*}description").text
        return next(c for c in CRS_CHOICES if export.CRS_TITLES[c] in text)
    raise AssertionError(fmt)


def as_list(value, cast) -> list:
    """A list field as a format gives it back: a list (GeoJSON, GeoParquet) or ``10;11`` text."""
    if isinstance(value, str):
        return [cast(item) for item in value.split(";") if item]
    return [cast(item) for item in value]


def same_shape(a, b) -> bool:
    if a.geom_type.removeprefix("Multi") != b.geom_type.removeprefix("Multi"):
        return False
    return shapely.hausdorff_distance(a, b) <= TOLERANCE


def round_trip_problems(path: Path, fmt: str, crs: str, source: gpd.GeoDataFrame) -> list[str]:
    """What differs between a written file, read back, and the frame it was made from: features
    per layer, ids, Chinese names and places, task lists, geometry and the declared CRS."""
    layers = read_back(path, fmt, crs)
    problems = []
    counts = {layer: len(part) for layer, part in layers.items()}
    if counts != source["layer"].value_counts().to_dict():
        problems.append(f"features per layer {counts}")
    back = pd.concat(layers.values(), ignore_index=True).set_index("id")
    for row in source.itertuples():
        if row.id not in back.index:
            problems.append(f"{row.id} missing")
            continue
        got = back.loc[row.id]
        if got["name"] != row.name:
            problems.append(f"{row.id} name {got['name']!r}")
        if as_list(got["tasks"], int) != list(row.tasks):
            problems.append(f"{row.id} tasks {got['tasks']!r}")
        if as_list(got["places"], str) != list(row.places):
            problems.append(f"{row.id} places {got['places']!r}")
        if not same_shape(got["geometry"], expected_geometry(row.geometry, crs)):
            problems.append(f"{row.id} geometry {got['geometry'].wkt[:80]}")
    declared = declared_crs(path, fmt)
    if declared != crs:
        problems.append(f"declared CRS {declared}")
    return problems
