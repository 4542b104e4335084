"""GeoParquet: WKB geometry, PROJJSON CRS, lists as Arrow lists, metadata under a file key."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from geo.formats.core import LIST_COLUMNS, ExportBundle, native

# -- GeoParquet --------------------------------------------------------------------------------
PARQUET_METADATA_KEY = b"chengyu_plan_export"


def write_parquet(gdf: gpd.GeoDataFrame, path: Path, metadata: dict, bundle: ExportBundle) -> None:
    """Write the selection as GeoParquet at ``path`` with the export's metadata."""
    import pyarrow.parquet as pq
    from geopandas.io.arrow import _geopandas_to_arrow

    frame = gdf.copy()
    for column in LIST_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map(native)
    table = _geopandas_to_arrow(frame, index=False, geometry_encoding="WKB")
    schema_metadata = dict(table.schema.metadata or {})
    schema_metadata[PARQUET_METADATA_KEY] = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    pq.write_table(table.replace_schema_metadata(schema_metadata), path, compression="zstd")
