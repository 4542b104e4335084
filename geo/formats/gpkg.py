"""GeoPackage: a table per layer and geometry type, admin units, join tables, styles, ``about``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.formats.core import (
    ExportBundle,
    LayerLook,
    common_geometry_type,
    gdal_options,
    geometry_dimension,
    layer_look,
    layers_in_order,
    link_tables,
)
from geo.formats.crs import prepare_frame
from geo.formats.styles import qml_style, sld_style

GPKG_GEOMETRY_COLUMN = "geom"
DIMENSION_ZH = {"points": "点", "lines": "线", "polygons": "面"}


def gpkg_tables(gdf: gpd.GeoDataFrame) -> dict[str, tuple[str, str, gpd.GeoDataFrame]]:
    """``{table: (layer id, dimension, rows)}``: ``railway_lines``, ``zone_polygons`` …

    A layer holding points and polygons gets a table for each: GIS tools (ArcGIS above all) want
    one geometry type per table, and a name that always carries the type stays stable when a
    layer gains its first feature of another type.
    """
    dims = gdf.geom_type.map(geometry_dimension)
    groups = {
        key: gdf.iloc[rows] for key, rows in gdf.groupby([gdf["layer"], dims], sort=False).indices.items()
    }
    tables = {}
    for layer_id in dict.fromkeys(gdf["layer"]):
        for dimension in ("points", "lines", "polygons"):
            if (layer_id, dimension) in groups:
                tables[f"{layer_id}_{dimension}"] = (str(layer_id), dimension, groups[(layer_id, dimension)])
    return tables


def write_gpkg(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    stamp = f"{metadata['exported']}T00:00:00.000Z"
    flat_metadata = {
        key: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        for key, value in metadata.items()
    }
    tables = gpkg_tables(gdf)
    ordered = {
        name: tables[name]
        for layer_id in layers_in_order(gdf, bundle)
        for name in tables
        if tables[name][0] == layer_id
    }
    styles = []
    # A fixed timestamp makes the file a function of its content (same selection, same bytes);
    # no durability syncs, as the file is renamed into place only when complete.
    with gdal_options({"OGR_CURRENT_DATE": stamp, "OGR_SQLITE_SYNCHRONOUS": "OFF"}):
        first = True
        for name, (layer_id, dimension, part) in ordered.items():
            look = layer_look(bundle, layer_id)
            suffix = f" ({DIMENSION_ZH[dimension]} {dimension})"
            pyogrio.write_dataframe(
                part,
                path,
                layer=name,
                driver="GPKG",
                geometry_type=common_geometry_type(part.geom_type),
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
                geometry_type=common_geometry_type(admin_export.geom_type),
                append=True,
                layer_options={
                    "IDENTIFIER": name,
                    "DESCRIPTION": "administrative units 行政区 (reference only)",
                    "GEOMETRY_NAME": GPKG_GEOMETRY_COLUMN,
                },
            )
        reference = {**bundle.tables, **link_tables(gdf)}
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
