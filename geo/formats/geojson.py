"""GeoJSON: one FeatureCollection, UTF-8, the metadata as a foreign member."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import ExportError
from geo.formats.core import COORDINATE_DECIMALS, ExportBundle, records
from geo.formats.crs import DEFAULT_CRS, GCJ02_WKT


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


def crs_member(crs: str) -> dict | None:
    """The legacy (GeoJSON 2008) ``crs`` member for a CRS other than WGS 84, else None.

    RFC 7946 GeoJSON is WGS 84 by definition and has no ``crs`` member (§4); a reader told
    nothing assumes WGS 84. For CGCS2000 the member names the OGC URN, which GDAL, QGIS and
    geopandas read as EPSG:4490. GCJ-02 has no URN: the member names its WKT, which GDAL reads
    as the custom CRS named GCJ-02. Such a file is then not RFC 7946, and its metadata says so.
    """
    if crs == DEFAULT_CRS:
        return None
    name = GCJ02_WKT if crs == "GCJ-02" else f"urn:ogc:def:crs:{crs.replace(':', '::')}"
    return {"type": "name", "properties": {"name": name}}


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as one GeoJSON FeatureCollection at ``path``."""
    features = [
        {"type": "Feature", "id": record["id"], "geometry": geojson_geometry(geometry), "properties": record}
        for record, geometry in zip(records(gdf), gdf.geometry, strict=True)
    ]
    document = {"type": "FeatureCollection", "metadata": metadata, "features": features}
    member = crs_member(metadata["crs"])
    if member is not None:
        document = {"type": "FeatureCollection", "crs": member, "metadata": metadata, "features": features}
    # "metadata" is a foreign member (RFC 7946 §6.1).
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
