"""The export CRS choices and the one preparation every format shares.

Coordinates in the requested CRS — EPSG:4326 (default), EPSG:4490 (CGCS2000, numerically the same
as WGS 84 at this map's accuracy) or GCJ-02 (Gaode's obfuscated datum, which has no EPSG code: it
is declared as a custom CRS named GCJ-02 and the file name says ``gcj02``); coordinates snapped to
5 decimals (≈1 m), keeping geometries valid; polygon exteriors counter-clockwise and holes
clockwise (the RFC 7946 right-hand rule).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.datafiles import LoadedMapping, LoadedTuple
from geo.errors import ExportError
from geo.formats.core import COORDINATE_DECIMALS, INTERNAL_COLUMNS, check_format
from geo.formats.fields import typed_phase_dates
from geo.formats.measures import honest_measures
from geo.gcj02 import geometry_wgs84_to_gcj02
from geo.vocabulary import CRSES, DEFAULT_CRS, FORMATS

# Read from data/vocabularies.yaml on first use.
CRS_CHOICES: LoadedTuple = LoadedTuple(lambda: CRSES.ids)
CRS_FILE_LABELS = LoadedMapping(lambda: {crs.id: crs.file_label for crs in CRSES.terms()})
CRS_TITLES = LoadedMapping(lambda: {crs.id: crs.title for crs in CRSES.terms()})
CRS_NOTES = LoadedMapping(lambda: {crs.id: crs.note for crs in CRSES.terms()})
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


# Formats whose standard fixes the CRS (KML: WGS 84, OGC 12-007r2 §6.2), so a file in GCJ-02
# would claim to be WGS 84 while sitting half a kilometre off.
GCJ02_REFUSED: LoadedTuple = LoadedTuple(lambda: tuple(f.id for f in FORMATS.terms() if not f.declares_gcj02))


# -- CRS and geometry preparation --------------------------------------------------------------
def check_crs(crs: str) -> str:
    """The CRS choice spelled as :data:`CRS_CHOICES` spells it; ExportError for any other."""
    value = str(crs).strip()
    for choice in CRS_CHOICES:
        if value.upper() == choice.upper():
            return choice
    raise ExportError(f"unknown CRS {crs!r}; choose one of {', '.join(CRS_CHOICES)}")


class _CustomCRS(CRS):
    """A CRS without an EPSG code that says so at once.

    pyogrio asks every table's CRS for its EPSG code; for a custom CRS PROJ answers by searching
    its whole database (≈25 ms), which for a GeoPackage of 30-odd tables costs most of a second.
    """

    def to_epsg(self, min_confidence: int = 70) -> int | None:
        return None


def check_request(fmt: str, crs: str) -> tuple[str, str]:
    """(format, CRS) checked, and checked together: GCJ-02 only where the file can say so."""
    fmt, crs = check_format(fmt), check_crs(crs)
    if crs == "GCJ-02" and fmt in GCJ02_REFUSED:
        raise ExportError(
            f"a {fmt.upper()} file is WGS 84 by definition and cannot say it holds GCJ-02; "
            "choose EPSG:4326 or another format"
        )
    return fmt, crs


def crs_object(crs: str) -> CRS:
    """The pyproj CRS of a choice (GCJ-02 as its custom geographic CRS)."""
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
    data = typed_phase_dates(honest_measures(pd.DataFrame({c: gdf[c].to_numpy() for c in columns})))
    geometry = prepare_geometries(gdf.geometry.to_numpy(), crs)
    out = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=crs_object(crs)))
    if out.geometry.is_empty.any() or out.geometry.isna().any():
        bad = out.loc[out.geometry.is_empty | out.geometry.isna(), "id"].tolist()
        raise ExportError(f"features with no geometry cannot be exported: {', '.join(map(str, bad))}")
    return out
