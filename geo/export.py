"""GIS export of catalogue features: GeoJSON, GeoPackage, Shapefile (zip), KML, CSV and GeoParquet.

One implementation serves the command line (``python -m geo export``, in :mod:`geo.cli`) and the
app's export page. This module is the public face of :mod:`geo.formats`, where the shared core
and one module per format live. The writers take a GeoDataFrame in WGS 84 (the catalogue frame,
or any frame with at least ``id``, ``name``, ``layer`` and a geometry) and never import the
presentation layer: layer titles and colours arrive in an :class:`ExportBundle`.

Every format gets the same preparation (:func:`prepare_frame`), so all of them carry the same
data: coordinates in the requested CRS, snapped to 5 decimals (≈1 m) and kept valid, polygon
rings right-hand-ruled, and the same README/metadata block.
"""

from __future__ import annotations

from geo.formats.core import (
    COORDINATE_DECIMALS,
    DEFAULT_STEM,
    FORMAT_LABELS,
    FORMATS,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    MEDIA_TYPES,
    SUFFIXES,
    ExportBundle,
    LayerLook,
    as_text,
    check_format,
    feature_places_table,
    feature_tasks_table,
    native,
)
from geo.formats.crs import (
    CRS_CHOICES,
    CRS_FILE_LABELS,
    CRS_NOTES,
    CRS_TITLES,
    DEFAULT_CRS,
    GCJ02_REFUSED,
    GCJ02_WKT,
    check_crs,
    check_request,
    crs_object,
    prepare_frame,
    prepare_geometries,
)
from geo.formats.csv import csv_readme_path, csv_table
from geo.formats.geojson import geojson_geometry
from geo.formats.gpkg import gpkg_tables
from geo.formats.kml import kml_description
from geo.formats.metadata import (
    FIELD_DESCRIPTIONS,
    LICENCES,
    OSM_LICENCE,
    PRECISION_CLASSES,
    export_metadata,
    readme_text,
)
from geo.formats.names import selection_filename
from geo.formats.parquet import PARQUET_METADATA_KEY
from geo.formats.shp import SHAPEFILE_FIELDS, dbf_text, shapefile_frames
from geo.formats.styles import qml_style, sld_style
from geo.formats.write import (
    WRITERS,
    ExportTarget,
    export_bytes,
    export_filename,
    export_outputs,
    export_target,
    output_path,
    write_export,
    write_target,
)

__all__ = [
    "COORDINATE_DECIMALS", "CRS_CHOICES", "CRS_FILE_LABELS", "CRS_NOTES", "CRS_TITLES", "DEFAULT_CRS",
    "DEFAULT_STEM", "FIELD_DESCRIPTIONS", "FORMATS", "FORMAT_LABELS", "GCJ02_REFUSED", "GCJ02_WKT", "LICENCES",
    "LIST_COLUMNS", "OSM_LICENCE", "LIST_SEPARATOR", "MEDIA_TYPES", "PARQUET_METADATA_KEY", "PRECISION_CLASSES",
    "SHAPEFILE_FIELDS", "SUFFIXES", "WRITERS", "ExportBundle", "ExportTarget", "LayerLook", "as_text",
    "check_crs", "check_request", "selection_filename", "check_format", "crs_object", "csv_readme_path", "csv_table", "dbf_text",
    "export_bytes", "export_filename", "export_metadata", "export_outputs", "export_target",
    "feature_places_table", "feature_tasks_table", "geojson_geometry", "gpkg_tables", "kml_description",
    "native", "output_path", "prepare_frame", "prepare_geometries", "qml_style", "readme_text",
    "shapefile_frames", "sld_style", "write_export", "write_target",
]  # fmt: skip
