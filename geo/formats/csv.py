"""CSV: one row per feature, WKT geometry, lon/lat for points, UTF-8 with BOM; README beside it."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.formats.core import COORDINATE_DECIMALS, ExportBundle, csv_bytes, native
from geo.formats.crs import DEFAULT_CRS
from geo.formats.metadata import readme_text


# -- CSV ---------------------------------------------------------------------------------------
def csv_readme_path(path: Path) -> Path:
    """Where the README beside a CSV goes: ``x.csv`` → ``x.README.txt``."""
    return path.with_name(path.name.removesuffix(".csv") + ".README.txt")


def coordinate_columns(crs: str) -> tuple[str, str, str]:
    """(lon, lat, wkt) column names: a CSV cannot declare a CRS, so GCJ-02 columns say it in their
    names (``lon_gcj02`` …) wherever the rows are pasted; CGCS2000 numbers equal WGS 84 ones."""
    tag = "_gcj02" if crs == "GCJ-02" else ""
    return f"lon{tag}", f"lat{tag}", f"wkt{tag}"


def csv_table(gdf: gpd.GeoDataFrame, crs: str = DEFAULT_CRS) -> pd.DataFrame:
    """One row per feature: the attributes, lon/lat for points, WKT for every geometry.

    Values keep their kind (numbers stay numbers) so that :func:`csv_bytes` writes numbers as
    they are and neutralises only text cells that a spreadsheet would run as a formula.
    """
    lon, lat, wkt = coordinate_columns(crs)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    table = pd.DataFrame({c: pd.Series([native(v) for v in gdf[c]], dtype=object) for c in columns})
    is_point = (gdf.geom_type == "Point").to_numpy()
    coords = np.full((len(gdf), 2), np.nan)
    if is_point.any():
        coords[is_point] = shapely.get_coordinates(gdf.geometry.to_numpy()[is_point])
    coords = np.round(coords, COORDINATE_DECIMALS)
    table[lon] = pd.Series([native(v) for v in coords[:, 0]], dtype=object)
    table[lat] = pd.Series([native(v) for v in coords[:, 1]], dtype=object)
    table[wkt] = shapely.to_wkt(gdf.geometry.to_numpy(), rounding_precision=COORDINATE_DECIMALS, trim=True)
    return table


def write_csv(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as CSV at ``path``, coordinates as columns and WKT."""
    path.write_bytes(csv_bytes(csv_table(gdf, metadata["crs"])))
    lon, lat, wkt = coordinate_columns(metadata["crs"])
    extra = (
        f"CSV: one row per feature, UTF-8 with BOM (Excel shows Chinese). Geometry as WKT in the column "
        f"'{wkt}'; for points also '{lon}' and '{lat}'. GDAL/QGIS: open with GEOM_POSSIBLE_NAMES={wkt}."
    )
    csv_readme_path(path).write_text(readme_text(metadata, extra=extra), encoding="utf-8")
