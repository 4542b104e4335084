"""A QGIS project stored inside the GeoPackage, so that opening the file shows the app's map.

QGIS reads projects from a GeoPackage's ``qgis_projects`` table (*Project ▸ Open From ▸
GeoPackage*, or the browser panel): ``name``, ``metadata`` (JSON) and ``content``, the ``.qgz``
archive as hexadecimal text. The project lists every feature table grouped by theme in the app's
order (points over lines over areas within a theme), the administrative outlines at the bottom,
each with the same renderer as its default style in ``layer_styles``. Layers point at the
GeoPackage by a path relative to it (``./<file name>``), as QGIS itself writes them: the project
keeps working when the file is moved, as long as it keeps its name.
"""

from __future__ import annotations

import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import date

from pyproj import CRS

from geo.formats.core import LayerLook
from geo.formats.metadata import LICENCES, OSM_LICENCE
from geo.formats.styles import renderer_element

PROJECT_NAME = "chengyu-plan"
ADMIN_GROUP = "行政区 Administrative units (reference)"
# QGIS's geometry names for a layer's ``geometry`` attribute.
QGIS_GEOMETRY = {"points": "Point", "lines": "Line", "polygons": "Polygon"}


@dataclass(frozen=True)
class ProjectLayer:
    """One table as a project layer: which group it sits in, its title and how it is drawn."""

    table: str
    group: str
    title: str
    dimension: str  # points / lines / polygons / admin_<level>
    look: LayerLook
    wkb_type: str  # Point, MultiPolygon …


def _spatialrefsys_fields(crs: CRS) -> list[tuple[str, str]]:
    """The children of QGIS's ``<spatialrefsys>``, worked out once per project."""
    fields = [("wkt", crs.to_wkt())]
    # Only an EPSG CRS has an authority; asking PROJ about a custom one searches its whole database.
    epsg = crs.to_epsg()
    if epsg is not None:
        fields += [("srid", str(epsg)), ("authid", f"EPSG:{epsg}")]
    fields += [("description", crs.name), ("projectionacronym", "longlat"), ("geographicflag", "true")]
    return fields


def _spatialrefsys(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    srs = ET.SubElement(parent, "spatialrefsys", {"nativeFormat": "Wkt"})
    for tag, text in fields:
        ET.SubElement(srs, tag).text = text


def project_xml(
    file_name: str,
    layers: list[ProjectLayer],
    crs: CRS,
    extent: tuple[float, float, float, float],
    title: str,
) -> bytes:
    """The ``.qgs`` document (UTF-8)."""
    root = ET.Element("qgis", {"projectname": title, "version": "3.22.0-Białowieża"})
    ET.SubElement(root, "homePath", {"path": ""})
    ET.SubElement(root, "title").text = title
    root.append(project_metadata(title))
    srs = _spatialrefsys_fields(crs)
    _spatialrefsys(ET.SubElement(root, "projectCrs"), srs)

    def layer_id(layer: ProjectLayer) -> str:
        # QGIS keeps a layer id only if it is longer than 10 characters (zone_lines is not).
        return f"chengyu_{layer.table}"

    def source(layer: ProjectLayer) -> str:
        return f"./{file_name}|layername={layer.table}"

    tree = ET.SubElement(root, "layer-tree-group")
    groups: dict[str, ET.Element] = {}
    for layer in layers:
        if layer.group not in groups:
            groups[layer.group] = ET.SubElement(
                tree, "layer-tree-group", {"name": layer.group, "checked": "Qt::Checked", "expanded": "1"}
            )
        ET.SubElement(
            groups[layer.group],
            "layer-tree-layer",
            {
                "id": layer_id(layer),
                "name": layer.title,
                "source": source(layer),
                "providerKey": "ogr",
                "checked": "Qt::Checked",
                "expanded": "0",
            },
        )

    xmin, ymin, xmax, ymax = extent
    canvas = ET.SubElement(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    ET.SubElement(canvas, "units").text = "degrees"
    box = ET.SubElement(canvas, "extent")
    for tag, value in (("xmin", xmin), ("ymin", ymin), ("xmax", xmax), ("ymax", ymax)):
        ET.SubElement(box, tag).text = repr(round(value, 5))
    ET.SubElement(canvas, "rotation").text = "0"
    _spatialrefsys(ET.SubElement(canvas, "destinationsrs"), srs)

    project_layers = ET.SubElement(root, "projectlayers")
    for layer in layers:
        dimension = "polygons" if layer.dimension.startswith("admin_") else layer.dimension
        element = ET.SubElement(
            project_layers,
            "maplayer",
            {"type": "vector", "geometry": QGIS_GEOMETRY[dimension], "wkbType": layer.wkb_type},
        )
        ET.SubElement(element, "id").text = layer_id(layer)
        ET.SubElement(element, "datasource").text = source(layer)
        ET.SubElement(element, "layername").text = layer.title
        _spatialrefsys(ET.SubElement(element, "srs"), srs)
        ET.SubElement(element, "provider", {"encoding": "UTF-8"}).text = "ogr"
        element.append(renderer_element(layer.dimension, layer.look))

    # QGIS applies <projectCrs> only when this legacy property says projections are on.
    properties = ET.SubElement(root, "properties")
    srs_properties = ET.SubElement(properties, "SpatialRefSys")
    ET.SubElement(srs_properties, "ProjectionsEnabled", {"type": "int"}).text = "1"

    order = ET.SubElement(root, "layerorder")
    for layer in layers:
        ET.SubElement(order, "layer", {"id": layer_id(layer)})
    ET.indent(root, space=" ")
    return b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="utf-8"
    )


def project_metadata(title: str) -> ET.Element:
    """``<projectMetadata>``: QGIS shows its abstract under *Project ▸ Properties ▸ Metadata*; it
    carries the credit the drawn sources ask for (OpenStreetMap, Travel Mapping, boundaries)."""
    element = ET.Element("projectMetadata")
    ET.SubElement(element, "title").text = title
    ET.SubElement(element, "abstract").text = "\n".join([*LICENCES, OSM_LICENCE])
    return element


def add_project(
    connection: sqlite3.Connection,
    file_name: str,
    layers: list[ProjectLayer],
    crs: CRS,
    extent: tuple[float, float, float, float],
    exported: date,
) -> None:
    """Store the project in ``qgis_projects`` (the table QGIS itself creates for projects)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as qgz:
        info = zipfile.ZipInfo(
            f"{PROJECT_NAME}.qgs", date_time=(exported.year, exported.month, exported.day, 0, 0, 0)
        )
        info.compress_type = zipfile.ZIP_DEFLATED
        qgz.writestr(
            info,
            project_xml(file_name, layers, crs, extent, "成渝双城经济圈规划地图 Chengdu–Chongqing plan map"),
        )
    metadata = {"last_modified_time": f"{exported.isoformat()}T00:00:00", "last_modified_user": ""}
    connection.execute("CREATE TABLE qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)")
    connection.execute(
        "INSERT INTO qgis_projects VALUES (?, ?, ?)",
        (PROJECT_NAME, json.dumps(metadata), archive.getvalue().hex()),
    )
