"""Reference extras: GSHHG rivers (via Debian's gmt), OpenStreetMap railway sections and known sites."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import shapely
from build_common import GAZETTEER, REFERENCE, _deb_version, write_csv
from build_gazetteer import GRID

RIVERS_SOURCE = Path("/work/shared/sources/natural-earth")
OSM_SOURCE = Path("/work/shared/sources/osm-railways-partial")
GSHHG_BOX = (97.0, 110.5, 26.0, 34.5)  # lon_min, lon_max, lat_min, lat_max
# WDBII has no names: a river is identified by the towns on its banks (all within this distance).
GSHHG_BANK_KM = 3.0
GSHHG_RIVERS = {
    # name: (English, WDBII level, seats on its banks from source to mouth)
    "涪江": ("Fu", 3, ("江油市", "涪城区", "三台县", "射洪市", "遂宁", "潼南区", "合川区")),
    "渠江": ("Qu", 3, ("渠县", "广安")),
}
# Plan items the OSM extract covers end to end: key -> (OSM line name, section as in the extract).
# (成昆线 峨眉–米易 is not one: OSM names the old and the new line alike, and the copy lacks the
# new line between 金口河南 and 汉源, so the plan's 峨米 upgrade stays schematic.)
OSM_ROUTES = {
    "chengyu-chengdu-longchang": ("成渝线", "成渝铁路 成都–隆昌 [OSM 成渝线]"),
}
# Known sites of non-unit places: OSM station nodes (ODbL), or a cited public coordinate.
OSM_SITES = {
    # site name: (OSM node id, what the station marks)
    "天府新区": (6544756475, "兴隆湖 station at 兴隆湖, the core of 四川天府新区 (its 成都科学城)"),
    "成都高新区": (8242891888, "高新 station in the 南区 core of 成都高新区"),
    "天府站": (9025152913, "天府 railway station (川藏铁路 朝阳湖至天府段 ends here)"),
    "朝阳湖站": (4585401968, "朝阳湖 railway station in 蒲江县"),
}
CITED_SITES = {
    # site name: (lon, lat, citation)
    "三峡大坝": (
        111.0033,
        30.8231,
        "Wikipedia, Three Gorges Dam (coordinates 30°49′23″N 111°00′12″E; dam at 三斗坪, 宜昌市夷陵区)",
    ),
}


def reference_extra_records() -> dict[str, dict]:
    """Provenance of the OSM and GSHHG files (no Python build package needed to state it)."""
    return {
        "data/reference/rivers_gshhg.geojson": {
            "source": f"GSHHG 2.3.7 WDBII rivers via Debian packages gmt {_deb_version('gmt')}, "
            f"gmt-gshhg-full {_deb_version('gmt-gshhg-full')} (`gmt coast -R97/110.5/26/34.5 -Df -Ia -M`)",
            "licence": "LGPL-3+ (gmt-gshhg-full, debian/copyright); credit Wessel & Smith, GSHHG",
            "processing": "segments merged per WDBII level and clipped to the box; 涪江 and 渠江 are the "
            f"level-3 lines passing within {GSHHG_BANK_KM:g} km of every bank town listed in "
            "scripts/build_data.py (WDBII has no names). Generalised small-scale courses.",
        },
        "data/reference/railways_osm.geojson": {
            "source": "OpenStreetMap railways (Overpass export simplified at ~0.002° by GitHub "
            "kingtmc314/east-asia-railway-map @05f3995d), identified sections",
            "licence": "ODbL 1.0, © OpenStreetMap contributors",
            "processing": "the identified sections that are plan items covered end to end (成渝线 成都–隆昌), "
            "copied unchanged; see data/reference/SOURCE-osm.md",
        },
        "data/reference/sites.csv": {
            "source": "OpenStreetMap station nodes (same extract); cited public coordinates",
            "licence": "ODbL 1.0, © OpenStreetMap contributors (OSM rows); cited facts (other rows)",
            "processing": "one point per known site of a non-unit place, with its source in the row",
        },
        "data/reference/SOURCE-osm.md": {
            "source": "OpenStreetMap extract notes",
            "licence": "project documentation",
            "processing": "the extract's SOURCE.md with a line naming the shipped copies",
        },
    }


def gmt_river_segments() -> list[tuple[int, list[tuple[float, float]]]]:
    """WDBII river segments in the box, (level, coordinates), as `gmt coast -M` prints them."""
    import subprocess
    import tempfile

    region = "/".join(f"{v:g}" for v in GSHHG_BOX)
    try:
        out = subprocess.run(
            ["gmt", "coast", f"-R{region}", "-Df", "-Ia", "-M"],
            check=True, capture_output=True, text=True, cwd=tempfile.gettempdir(),
        ).stdout  # fmt: skip
    except FileNotFoundError:
        raise SystemExit("gmt not found: apt-get install gmt gmt-gshhg-full") from None
    segments, level, coords = [], 0, []
    for line in out.splitlines():
        if line.startswith(">"):
            if len(coords) > 1:
                segments.append((level, coords))
            match = re.search(r"Level\s*=?\s*(\d+)|-L(\d+)", line)
            level = int(next(g for g in match.groups() if g)) if match else 0
            coords = []
        elif line.strip() and not line.startswith("#"):
            lon, lat = (float(v) for v in line.split()[:2])
            coords.append((lon, lat))
    if len(coords) > 1:
        segments.append((level, coords))
    return segments


def build_gshhg_rivers(units: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
    """涪江 and 渠江 from WDBII: per level, segments merged into lines; a river is the line of its
    level that passes every bank town it is known by (WDBII carries no names)."""
    from shapely.geometry import LineString, Point, box

    segments = gmt_river_segments()
    clip = box(GSHHG_BOX[0], GSHHG_BOX[2], GSHHG_BOX[1], GSHHG_BOX[3])
    rows = []
    for name, (name_en, level, towns) in GSHHG_RIVERS.items():
        lines = [LineString(c) for lvl, c in segments if lvl == level]
        merged = shapely.line_merge(shapely.union_all(lines)).intersection(clip)
        parts = list(getattr(merged, "geoms", [merged]))
        metric = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs("EPSG:32648")
        towns_m = gpd.GeoSeries([Point(*units[t]) for t in towns], crs="EPSG:4326").to_crs("EPSG:32648")
        matches = [
            i
            for i, part in enumerate(metric)
            if all(part.distance(t) <= GSHHG_BANK_KM * 1000 for t in towns_m)
        ]
        if len(matches) != 1:
            raise SystemExit(
                f"{name}: {len(matches)} WDBII level-{level} lines pass all of {', '.join(towns)}"
            )
        line = parts[matches[0]]
        rows.append(
            {
                "name": name,
                "name_en": name_en,
                "level": level,
                "len_km": round(metric[matches[0]].length / 1000, 1),
                "source": f"GSHHG/WDBII river (level {level}), identified by position",
                "geometry": shapely.set_precision(line, GRID),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def build_osm_routes() -> gpd.GeoDataFrame:
    sections = gpd.read_file(OSM_SOURCE / "railways_identified_sections.geojson")
    rows = []
    for key, (osm_name, line) in OSM_ROUTES.items():
        hit = sections[sections["line"] == line]
        if len(hit) != 1:
            raise SystemExit(f"{line}: not found once in the OSM sections")
        rows.append(
            {"id": key, "osm_name": osm_name, "section": line, "len_km": float(hit["len_km"].iloc[0]),
             "geometry": hit.geometry.iloc[0]}
        )  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def build_sites() -> list[dict]:
    stations = gpd.read_file(OSM_SOURCE / "railway_stations_osm_kingtmc314_partial.geojson")
    rows = []
    for name, (node, what) in OSM_SITES.items():
        hit = stations[stations["osm_id"].astype("int64") == node]
        if len(hit) != 1:
            raise SystemExit(f"{name}: OSM node {node} not in the station file")
        point = hit.geometry.iloc[0]
        rows.append(
            {"name": name, "lon": f"{point.x:.5f}", "lat": f"{point.y:.5f}",
             "source": f"OpenStreetMap node {node} ({hit['name'].iloc[0]}): {what}",
             "licence": "ODbL 1.0, © OpenStreetMap contributors"}
        )  # fmt: skip
    for name, (lon, lat, citation) in CITED_SITES.items():
        rows.append({"name": name, "lon": f"{lon:.4f}", "lat": f"{lat:.4f}", "source": citation,
                     "licence": "fact (coordinate) cited from a public source"})  # fmt: skip
    return rows


def build_reference_extras(units: dict[str, tuple[float, float]] | None = None) -> None:
    """The OSM and GSHHG reference files (the app reads only these copies, never ../shared)."""
    routes = build_osm_routes()
    routes.to_file(REFERENCE / "railways_osm.geojson", driver="GeoJSON")
    print(f"railways_osm.geojson: {len(routes)} sections")
    sites = build_sites()
    write_csv(REFERENCE / "sites.csv", sites, list(sites[0]))
    print(f"sites.csv: {len(sites)} sites")
    notes = (OSM_SOURCE / "SOURCE.md").read_text(encoding="utf-8")
    header = (
        "Shipped here: `railways_osm.geojson` (the sections below that are plan items covered end to "
        "end) and the station points of `sites.csv`. © OpenStreetMap contributors, ODbL 1.0.\n\n"
    )
    (REFERENCE / "SOURCE-osm.md").write_text(header + notes, encoding="utf-8")
    if units is None:
        table = gpd.pd.read_csv(GAZETTEER / "units.csv", dtype=str)
        table = table[table["adcode"].str[:2].isin(["50", "51"])]
        units = {}
        for column in ("name", "short_name"):
            for name, lon, lat in zip(table[column], table["lon"], table["lat"], strict=True):
                units.setdefault(name, (float(lon), float(lat)))
    rivers = build_gshhg_rivers(units)
    rivers.to_file(REFERENCE / "rivers_gshhg.geojson", driver="GeoJSON")
    print("rivers_gshhg.geojson:", ", ".join(f"{r.name} {r.len_km} km" for r in rivers.itertuples()))
