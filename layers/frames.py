"""Display copies of catalogue frames: simplified and rounded for drawing.

Frames, selections and filters themselves are :mod:`geo.features` (shared with the exports).
"""

from __future__ import annotations

import geopandas as gpd
import shapely

# Display geometry: ~100 m tolerance and 5 decimals (~1 m) are far below what a regional map shows.
DISPLAY_TOLERANCE_DEG = 0.001
DISPLAY_DECIMALS = 5


def display_frame(gdf: gpd.GeoDataFrame, *, tolerance: float = DISPLAY_TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """A copy for drawing: simplified (topology kept) and rounded to ~1 m."""
    out = gdf.copy()
    simplified = out.geometry.simplify(tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(simplified.values, 10**-DISPLAY_DECIMALS)
    return out
