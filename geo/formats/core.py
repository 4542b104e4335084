"""The shared core of every export format: formats, the bundle, values as text, join tables.

Writers take a frame already prepared by :func:`geo.formats.crs.prepare_frame` and never import
the presentation layer: layer titles and colours arrive in an :class:`ExportBundle`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.csvcells import csv_cell, neutralise_formula
from geo.datafiles import LoadedMapping, LoadedTuple
from geo.errors import ExportError
from geo.vocabulary import FORMATS as FORMAT_TERMS

# The formats are vocabulary terms (data/vocabularies.yaml): name, suffixes, media type, writer.
# These views keep the library's names; they read the file on first use.
FORMATS: LoadedTuple = LoadedTuple(lambda: FORMAT_TERMS.ids)
FORMAT_LABELS: LoadedMapping = LoadedMapping(lambda: {f.id: f.en for f in FORMAT_TERMS.terms()})
# The first suffix is what a default file name gets; the others are accepted for --out.
SUFFIXES: LoadedMapping = LoadedMapping(lambda: {f.id: f.suffixes for f in FORMAT_TERMS.terms()})
MEDIA_TYPES: LoadedMapping = LoadedMapping(lambda: {f.id: f.media_type for f in FORMAT_TERMS.terms()})

# 5 decimals of a degree is ≈1.1 m north–south and ≈0.96 m east–west at 30° N.
COORDINATE_DECIMALS = 5
DEFAULT_STEM = "chengyu-plan"
# Columns used by the app only (search index), not data a GIS user needs.
INTERNAL_COLUMNS = ("search_text",)
LIST_COLUMNS = ("tasks", "places", "aliases")
LIST_SEPARATOR = ";"

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


def check_format(fmt: str) -> str:
    """The format name as :data:`FORMATS` spells it; ExportError for any other."""
    value = str(fmt).strip().lower()
    if value not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return value


def geometry_dimension(geom_type: str) -> str:
    """``points``, ``lines`` or ``polygons``: the kind of a geometry type name; ExportError otherwise."""
    if geom_type in ("Point", "MultiPoint"):
        return "points"
    if geom_type in ("LineString", "MultiLineString", "LinearRing"):
        return "lines"
    if geom_type in ("Polygon", "MultiPolygon"):
        return "polygons"
    raise ExportError(f"geometry type {geom_type} cannot be exported")


def common_geometry_type(types: Iterable[str]) -> str:
    """One geometry type covering all of ``types`` (the Multi form when single and multi mix)."""
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
    """A value as plain Python, ready for JSON or XML: lists of plain values, None for missing
    numbers, dates as ISO ``YYYY-MM-DD`` text (which GDAL reads back from GeoJSON as dates)."""
    if isinstance(value, list | tuple | np.ndarray):
        return [native(v) for v in value]
    if _is_missing(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
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


def records(gdf: gpd.GeoDataFrame) -> list[dict]:
    """The rows as plain Python dicts (no geometry), ready for JSON or XML."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    return [
        {c: native(v) for c, v in zip(columns, row, strict=True)}
        for row in gdf[columns].itertuples(index=False)
    ]


def layer_look(bundle: ExportBundle, layer_id: str) -> LayerLook:
    """The title and colour of a layer in this export (a plain default for an unknown layer)."""
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


def layers_in_order(gdf: gpd.GeoDataFrame, bundle: ExportBundle) -> list[str]:
    """The layers present in ``gdf``, in the registry's order."""
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


def link_tables(gdf: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    """The tables linking features to tasks and places (one row per pair), keyed by table name."""
    tables = {}
    if "tasks" in gdf:
        tables["feature_tasks"] = feature_tasks_table(gdf)
    if "places" in gdf:
        tables["feature_places"] = feature_places_table(gdf)
    return tables


@contextmanager
def gdal_options(options: Mapping[str, str]):
    """Set GDAL configuration options for the body of a ``with`` block, then restore them."""
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(dict(options))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    """``#rrggbb`` as (r, g, b, alpha) integers."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16), alpha


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark and CRLF line ends (what spreadsheets expect).

    Text cells that a spreadsheet would run as a formula get a leading ``'`` (:mod:`geo.csvcells`);
    numbers are written as they are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([csv_cell(native(v), as_text(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")
