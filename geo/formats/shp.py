"""Shapefile (zip): one shapefile per geometry type, UTF-8 with .cpg, join tables as CSV, README."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.formats.core import (
    LIST_COLUMNS,
    LIST_SEPARATOR,
    ExportBundle,
    as_text,
    common_geometry_type,
    csv_bytes,
    link_tables,
)
from geo.formats.fields import field_type
from geo.formats.metadata import readme_text

DBF_TEXT_BYTES = 254  # the dBASE limit for a character field
TRUNCATION_MARK = "…"
# dBASE allows 10-character ASCII field names; these are the shapefile's names for long ones.
SHAPEFILE_FIELDS: dict[str, str] = {
    "sentence_text": "sent_text",
    "province_scope": "prov_scope",
    "straight_km": "straightkm",
    "official_area_km2": "off_area",
    "official_area_source": "off_src",
    "stand_in_note": "stand_note",
    "whole_units": "whole_unit",
    "phase_date_precision": "phase_prec",
    "phase_source": "phase_src",
}


# -- Shapefile (zip) ---------------------------------------------------------------------------
def shapefile_field(column: str) -> str:
    """The column's name as a Shapefile field (at most ten characters)."""
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
            # Numbers and dates keep their type; lists and booleans become their text form: a
            # dBASE logical field is T/F text to many readers (GDAL 3.6, and so QGIS 3.22).
            typed = field_type(column) == "date" or (
                pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
            )
            if column in LIST_COLUMNS or not typed:
                values = values.map(lambda v: dbf_text(as_text(v)))
            data[shapefile_field(column)] = values.array  # keeps a date column's type
        frames[kind] = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(part.geometry.to_numpy(), crs=gdf.crs))
    return frames


def shapefile_readme_extra(gdf: gpd.GeoDataFrame) -> str:
    """The shapefile part of the README: field names and limits."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    lines = ["Shapefile field names 字段名对照 (dBASE allows 10 characters):"]
    lines += [f"  {shapefile_field(c):<10} ← {c}" for c in columns]
    lines += [
        f"Text fields are UTF-8 (see the .cpg files); lists are joined by '{LIST_SEPARATOR}', booleans are True/False text. Text longer than "
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


def write_shp(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as a zipped Shapefile set at ``path`` (one per geometry kind)."""
    stem = path.name.removesuffix(".zip").removesuffix(".shp")
    exported = date.fromisoformat(metadata["exported"])
    contents = []
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch, zipfile.ZipFile(path, "w") as archive:
        for kind, frame in shapefile_frames(gdf).items():
            layers = ", ".join(f"{k} {v}" for k, v in frame["layer"].value_counts(sort=False).items())
            contents.append(f"{stem}_{kind}.shp (.shx .dbf .prj .cpg): {len(frame)} {kind} — {layers}")
            shp = Path(scratch) / f"{stem}_{kind}.shp"
            pyogrio.write_dataframe(
                frame,
                shp,
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=common_geometry_type(frame.geom_type),
                use_arrow=True,  # dates as dBASE dates (the classic path writes text)
            )
            for member in sorted(Path(scratch).glob(f"{stem}_{kind}.*")):
                _zip_write(archive, member.name, member.read_bytes(), exported)
        for name, table in {**bundle.tables, **link_tables(gdf)}.items():
            _zip_write(archive, f"{name}.csv", csv_bytes(table), exported)
            contents.append(f"{name}.csv: {len(table)} rows ({', '.join(table.columns)})")
        contents.append("README.txt: this description")
        _zip_write(
            archive,
            "README.txt",
            readme_text(metadata, extra=shapefile_readme_extra(gdf), contents=contents).encode("utf-8"),
            exported,
        )
