"""The catalogue frames for drawing: the library's frames and filters, plus display copies.

Frames, selections and filters are :mod:`geo.features` (shared with the exports); this module
adds the simplified, rounded copies the maps draw.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.features import (
    COLUMNS,
    METRIC_CRS,
    PROVINCE_SCOPE_EN,
    PROVINCE_SCOPES,
    Selection,
    catalogue_frame,
    features_in_unit,
    filter_frame,
    frame_from_features,
    layer_frame,
    layer_frames,
)

__all__ = [
    "COLUMNS",
    "DISPLAY_DECIMALS",
    "DISPLAY_TOLERANCE_DEG",
    "METRIC_CRS",
    "PROVINCE_SCOPES",
    "PROVINCE_SCOPE_EN",
    "Selection",
    "catalogue_frame",
    "display_frame",
    "features_in_unit",
    "filter_frame",
    "frame_from_features",
    "layer_frame",
    "layer_frames",
]

# Display geometry: ~100 m tolerance and 5 decimals (~1 m) are far below what a regional map shows.
DISPLAY_TOLERANCE_DEG = 0.001
DISPLAY_DECIMALS = 5


def display_frame(gdf: gpd.GeoDataFrame, *, tolerance: float = DISPLAY_TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """A copy for drawing: simplified (topology kept) and rounded to ~1 m."""
    out = gdf.copy()
    simplified = out.geometry.simplify(tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(simplified.values, 10**-DISPLAY_DECIMALS)
    return out
