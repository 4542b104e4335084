"""KML: a Folder per layer in the app's colours, a Placemark per feature with a balloon."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html import escape as html_escape
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import ExportError
from geo.formats.core import (
    COORDINATE_DECIMALS,
    ExportBundle,
    as_text,
    layer_look,
    layers_in_order,
    native,
    records,
    rgba,
)
from geo.formats.crs import DEFAULT_CRS
from geo.formats.fields import field_type
from geo.formats.metadata import PRECISION_CLASSES, readme_text

# -- KML ---------------------------------------------------------------------------------------
KML_NS = "http://www.opengis.net/kml/2.2"
KML_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
SCHEMA_ID = "fields"
# KML's types for the export's field types (OGC 12-007r2 §9.9); KML has no date or list type, so
# those are strings holding the text form (YYYY-MM-DD, items joined by ';').
KML_TYPES = {"integer": "int", "real": "double", "boolean": "bool"}


def kml_value(value) -> str | None:
    """A value as KML SimpleData text (true/false for booleans); None for a missing value."""
    value = native(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return as_text(value)


def _add_schema(document: ET.Element, columns: list[str]) -> None:
    """The typed field list every Placemark's SchemaData follows, so readers get numbers as numbers."""
    schema = ET.SubElement(document, "Schema", {"name": "chengyu_plan", "id": SCHEMA_ID})
    for column in columns:
        kml_type = KML_TYPES.get(field_type(column), "string")
        ET.SubElement(schema, "SimpleField", {"name": column, "type": kml_type})


def _kml_colour(colour: str, alpha: int = 255) -> str:
    r, g, b, a = rgba(colour, alpha)
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
        ("备注(中文) Note in Chinese", record.get("note_zh", "")),
    ]
    return "<br/>".join(
        f"<b>{html_escape(label)}</b>: {html_escape(str(value))}" for label, value in rows if value
    )


def write_kml(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as KML at ``path``, with a style per layer."""
    ET.register_namespace("", KML_NS)
    kml = ET.Element("kml", {"xmlns": KML_NS})
    document = ET.SubElement(kml, "Document")
    label = "" if metadata["crs"] == DEFAULT_CRS else f" [{metadata['crs']}]"
    ET.SubElement(document, "name").text = f"成渝双城经济圈规划项目{label}"
    # Balloons are HTML: <pre> keeps the README's lines, escaping keeps its text as text.
    ET.SubElement(document, "description").text = f"<pre>{html_escape(readme_text(metadata))}</pre>"
    layer_ids = layers_in_order(gdf, bundle)
    for layer_id in layer_ids:
        look = layer_look(bundle, layer_id)
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
    # The Placemark's <name> holds the name.
    columns = [c for c in gdf.columns if c not in (gdf.geometry.name, "name")]
    _add_schema(document, columns)
    for layer_id in layer_ids:
        look = layer_look(bundle, layer_id)
        folder = ET.SubElement(document, "Folder", {"id": layer_id})
        ET.SubElement(folder, "name").text = (
            f"{look.title_zh} {look.title_en}" if look.title_zh != look.title_en else layer_id
        )
        part = gdf[gdf["layer"] == layer_id]
        for record, geometry in zip(records(part), part.geometry, strict=True):
            placemark = ET.SubElement(folder, "Placemark", {"id": str(record["id"])})
            ET.SubElement(placemark, "name").text = str(record.get("name", record["id"]))
            ET.SubElement(placemark, "description").text = kml_description(record)
            variant = "-schematic" if record.get("precision") == "schematic" else ""
            ET.SubElement(placemark, "styleUrl").text = f"#{layer_id}{variant}"
            data = ET.SubElement(
                ET.SubElement(placemark, "ExtendedData"), "SchemaData", {"schemaUrl": f"#{SCHEMA_ID}"}
            )
            for column in columns:
                value = kml_value(record[column])
                if value is not None:  # a missing value is left out, not written as empty text
                    ET.SubElement(data, "SimpleData", {"name": column}).text = value
            _kml_geometry(placemark, geometry)
    ET.indent(kml, space=" ")
    ET.ElementTree(kml).write(path, encoding="UTF-8", xml_declaration=True)
