"""GeoPackage: a table per layer and geometry type, admin units, join tables, styles, ``about``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.formats.core import (
    DEFAULT_COLOUR,
    LIST_COLUMNS,
    ExportBundle,
    LayerLook,
    as_text,
    common_geometry_type,
    gdal_options,
    geometry_dimension,
    layer_look,
    layers_in_order,
    link_tables,
)
from geo.formats.crs import crs_object, prepare_frame
from geo.formats.qgis_project import ADMIN_GROUP, ProjectLayer, add_project
from geo.formats.styles import qml_style, sld_style

GPKG_GEOMETRY_COLUMN = "geom"
DIMENSION_ZH = {"points": "点", "lines": "线", "polygons": "面"}
DIMENSIONS = ("points", "lines", "polygons")


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
        for dimension in DIMENSIONS:
            if (layer_id, dimension) in groups:
                tables[f"{layer_id}_{dimension}"] = (str(layer_id), dimension, groups[(layer_id, dimension)])
    return tables


ADMIN_TITLES: dict[str, tuple[str, str]] = {
    "admin_province": ("省级行政区", "Provinces"),
    "admin_prefecture": ("地级行政区", "Prefectures"),
    "admin_county": ("县级行政区", "Counties"),
}
# gpkg_contents/gpkg_geometry_columns of the feature tables, as GDAL reads them back.
STYLE_TABLE_SQL = (
    "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
    "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
    "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
    "update_time DATETIME)"
)


def about_table(metadata: Mapping) -> pd.DataFrame:
    """The metadata as readable (key, value) rows: a list gives a row per item, a mapping a row per
    entry (``precision_classes.exact`` …)."""
    rows = []
    for key, value in metadata.items():
        if isinstance(value, Mapping):
            rows += [(f"{key}.{k}", str(v)) for k, v in value.items()]
        elif isinstance(value, list | tuple):
            rows += [(key, str(v)) for v in value]
        else:
            rows.append((key, str(value)))
    return pd.DataFrame(rows, columns=["key", "value"])


def theme_view_name(layer_id: str) -> str:
    """``railway_all``: the view uniting a theme's tables of every geometry type."""
    return f"{layer_id}_all"


def write_gpkg(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as a GeoPackage at ``path`` with its styles and metadata."""
    stamp = f"{metadata['exported']}T00:00:00.000Z"
    flat_metadata = {
        key: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        for key, value in metadata.items()
    }
    # Lists as "10;11" text: every GIS reads text, few read GDAL's JSON arrays; the join tables
    # feature_tasks and feature_places hold the same lists one row per item.
    reference = {**bundle.tables, **link_tables(gdf)}
    gdf = gdf.copy()
    for column in LIST_COLUMNS:
        if column in gdf:
            gdf[column] = gdf[column].map(as_text)
    tables = gpkg_tables(gdf)
    ordered = {
        name: tables[name]
        for layer_id in layers_in_order(gdf, bundle)
        for name in tables
        if tables[name][0] == layer_id
    }
    project: list[ProjectLayer] = []
    # A fixed timestamp makes the file a function of its content (same selection, same bytes);
    # no durability syncs, as the file is renamed into place only when complete.
    with gdal_options({"OGR_CURRENT_DATE": stamp, "OGR_SQLITE_SYNCHRONOUS": "OFF"}):
        first = True
        for name, (layer_id, dimension, part) in ordered.items():
            look = layer_look(bundle, layer_id)
            title = f"{look.title_zh} {look.title_en} ({DIMENSION_ZH[dimension]} {dimension})"
            geometry_type = common_geometry_type(part.geom_type)
            _write_features(
                part,
                path,
                name,
                geometry_type,
                identifier=title,
                description=look.legend_zh or look.title_en,
                first_metadata=flat_metadata if first else None,
            )
            first = False
            project.append(
                ProjectLayer(name, f"{look.title_zh} {look.title_en}", title, dimension, look, geometry_type)
            )
        for name, admin in bundle.admin_units.items():
            admin_export = prepare_frame(admin, metadata["crs"])
            zh, en = ADMIN_TITLES.get(name, (name, name))
            geometry_type = common_geometry_type(admin_export.geom_type)
            _write_features(
                admin_export,
                path,
                name,
                geometry_type,
                identifier=f"{zh} {en}",
                description="administrative units 行政区 (reference only)",
                first_metadata=flat_metadata if first else None,
            )
            first = False
            look = LayerLook(name, zh, en, DEFAULT_COLOUR)
            dimension = f"admin_{name.removeprefix('admin_')}"
            project.append(ProjectLayer(name, ADMIN_GROUP, f"{zh} {en}", dimension, look, geometry_type))
        for name, table in {**reference, "about": about_table(metadata)}.items():
            pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", append=True)
    _finish(path, ordered, project, metadata, stamp)


def _write_features(
    frame: gpd.GeoDataFrame,
    path: Path,
    name: str,
    geometry_type: str,
    *,
    identifier: str,
    description: str,
    first_metadata: Mapping | None = None,
) -> None:
    """One feature table; the first one (given ``first_metadata``) creates the file."""
    first = first_metadata is not None
    pyogrio.write_dataframe(
        frame,
        path,
        layer=name,
        driver="GPKG",
        geometry_type=geometry_type,
        append=not first,
        dataset_metadata=dict(first_metadata) if first else None,
        # GeoPackage 1.2: read without warnings by the GDAL of every QGIS 3 and ArcGIS Pro.
        dataset_options={"VERSION": "1.2"} if first else None,
        # Through Arrow, a column of dates becomes a DATE column (the classic path writes text).
        use_arrow=True,
        layer_options={
            "IDENTIFIER": identifier,
            "DESCRIPTION": description,
            "GEOMETRY_NAME": GPKG_GEOMETRY_COLUMN,
        },
    )


def _finish(
    path: Path,
    ordered: Mapping[str, tuple[str, str, gpd.GeoDataFrame]],
    project: list[ProjectLayer],
    metadata: Mapping,
    stamp: str,
) -> None:
    """What GDAL does not write: theme views, QGIS's ``layer_styles`` and the stored project."""
    connection = sqlite3.connect(path)
    # The file is renamed into place only when complete, so a crash cannot leave a torn file
    # behind and durability syncs (slow on a busy disk) buy nothing.
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA journal_mode = MEMORY")
    try:
        with connection:
            _add_theme_views(connection, ordered, stamp)
            _add_layer_styles(connection, project, stamp)
            add_project(
                connection,
                path.name,
                project,
                crs_object(metadata["crs"]),
                _extent(connection, [layer.table for layer in project]),
                date.fromisoformat(metadata["exported"]),
            )
    finally:
        connection.close()


def _extent(connection: sqlite3.Connection, tables: list[str]) -> tuple[float, float, float, float]:
    """The region of the administrative units if present, else of every table."""
    admin = [t for t in tables if t.startswith("admin_")] or tables
    marks = ",".join("?" * len(admin))
    row = connection.execute(
        f"SELECT min(min_x), min(min_y), max(max_x), max(max_y) FROM gpkg_contents WHERE table_name IN ({marks})",
        admin,
    ).fetchone()
    return tuple(float(v) for v in row)


def _add_theme_views(
    connection: sqlite3.Connection, ordered: Mapping[str, tuple[str, str, gpd.GeoDataFrame]], stamp: str
) -> None:
    """A view per theme uniting the attributes of its tables (``railway_all``), registered as an
    attribute table: one table to query, filter or join per theme, whatever the geometry type.

    It carries no geometry: a table mixing points, lines and polygons is one GIS tools split into
    a layer per type (QGIS) or refuse (ArcGIS), and no single style fits it; the map layers are
    the per-type tables, named in ``feature_table``. ``fid`` is the source table's fid × 3 + the
    table's place (points, lines, polygons), so it is unique and stable.
    """
    by_layer: dict[str, list[tuple[str, str]]] = {}
    for name, (layer_id, dimension, _) in ordered.items():
        by_layer.setdefault(layer_id, []).append((name, dimension))
    for layer_id, members in by_layer.items():
        first = members[0][0]
        columns = [
            row[1]
            for row in connection.execute(f'PRAGMA table_info("{first}")')
            if row[1] not in ("fid", GPKG_GEOMETRY_COLUMN)
        ]
        column_list = ", ".join(f'"{c}"' for c in columns)
        # A view column takes its declared type from the first SELECT, and only a plain column
        # reference has one: an empty first branch over the first table (fid INTEGER, the
        # attributes) and gpkg_contents (table_name TEXT) gives GDAL, and so QGIS, the view's
        # integer key and every column's type.
        typed = ", ".join(f'a."{c}"' for c in columns)
        selects = [
            f'SELECT a.fid, c.table_name AS feature_table, {typed} FROM "{first}" a, gpkg_contents c WHERE 0'
        ]
        selects += [
            f"SELECT fid * 3 + {DIMENSIONS.index(dimension)}, '{name}', {column_list} FROM \"{name}\""
            for name, dimension in members
        ]
        view = theme_view_name(layer_id)
        connection.execute(f'CREATE VIEW "{view}" AS ' + " UNION ALL ".join(selects))
        names = [name for name, _ in members]
        identifier = connection.execute(
            "SELECT identifier FROM gpkg_contents WHERE table_name = ?", (first,)
        ).fetchone()[0]
        title = identifier.rsplit(" (", 1)[0]
        connection.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES (?, 'attributes', ?, ?, ?)",
            (
                view,
                f"{title} (attributes of every geometry type)",
                f"attributes of {', '.join(names)}, one row per feature; geometry in the table named by feature_table",
                stamp,
            ),
        )


def _add_layer_styles(connection: sqlite3.Connection, project: list[ProjectLayer], stamp: str) -> None:
    """QGIS's ``layer_styles`` table: the default style QGIS applies when a table is opened."""
    connection.execute(STYLE_TABLE_SQL)
    connection.executemany(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
        "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
        [
            (
                layer.table,
                GPKG_GEOMETRY_COLUMN,
                layer.table,
                qml_style(layer.dimension, layer.look),
                sld_style(layer.table, layer.dimension, layer.look),
                layer.title,
                stamp,
            )
            for layer in project
        ],
    )
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
        "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?)",
        (stamp,),
    )
