"""Expressway reference: the Travel Mapping waypoint files of the G-numbered national expressways
in Sichuan and Chongqing, copied into one compact GeoJSON the app reads.

Travel Mapping takes its waypoints from OpenStreetMap (each line of a ``.wpt`` file is a label and
an openstreetmap.org URL), so the coordinates are WGS 84 as published: no datum shift is applied.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from build_common import REFERENCE

TM_SOURCE = Path("/work/shared/sources/travelmapping-expressways")
TM_FILE = "expressways_tm.geojson"
TM_NOTES = "SOURCE-travelmapping.md"
TM_CREDIT = "Travel Mapping (travelmapping.net), OpenStreetMap contributors"
# Only the G-numbered national system; the provincial ``chnsf`` routes are not shipped.
TM_SYSTEM = "chng"
_URL = re.compile(r"lat=(-?[0-9.]+)&lon=(-?[0-9.]+)")


def source_commit() -> str:
    return (TM_SOURCE / "COMMIT").read_text(encoding="utf-8").split()[0]


def expressway_records() -> dict[str, dict]:
    commit = source_commit()
    return {
        f"data/reference/{TM_FILE}": {
            "source": f"Travel Mapping (GitHub TravelMapping/HighwayData @{commit[:8]}), hwy_data/CHN-SC and "
            "CHN-CQ, system chng (China National Expressways); waypoints from OpenStreetMap",
            "licence": f"ODbL 1.0, © OpenStreetMap contributors; credit: {TM_CREDIT}",
            "processing": "every chng route file (one feature per route and province) as a LineString "
            "through its waypoints in file order, coordinates as published (WGS 84, no shift); "
            "waypoint labels kept in order in `labels` (space-separated, `+` = shaping point); "
            "see data/reference/SOURCE-travelmapping.md",
        },
        f"data/reference/{TM_NOTES}": {
            "source": "Travel Mapping extract notes",
            "licence": "project documentation",
            "processing": "the extract's SOURCE.md with a line naming the shipped copy and the source commit",
        },
    }


def read_waypoints(path: Path) -> list[tuple[str, float, float]]:
    points = []
    for line in path.read_text(encoding="ascii").splitlines():
        parts, match = line.split(), _URL.search(line)
        if parts and match:
            points.append((parts[0], float(match.group(2)), float(match.group(1))))
    return points


def build_expressways() -> None:
    """Write data/reference/expressways_tm.geojson and SOURCE-travelmapping.md."""
    features = []
    with (TM_SOURCE / "chng_sc_cq.csv").open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f, delimiter=";") if row["systemName"] == TM_SYSTEM]
    for row in sorted(rows, key=lambda r: r["root"]):
        points = read_waypoints(TM_SOURCE / "wpt" / f"{row['root']}.wpt")
        if len(points) < 2:
            raise SystemExit(f"{row['root']}: fewer than two waypoints")
        labels = [label for label, _, _ in points]
        if any(" " in label for label in labels):
            raise SystemExit(f"{row['root']}: a waypoint label holds a space")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "root": row["root"],
                    "route": row["route"],
                    "region": row["region"],
                    "city": row["city"],
                    "labels": " ".join(labels),
                },
                "geometry": {"type": "LineString", "coordinates": [[lon, lat] for _, lon, lat in points]},
            }
        )
    collection = {"type": "FeatureCollection", "name": "expressways_tm", "features": features}
    (REFERENCE / TM_FILE).write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    notes = (TM_SOURCE / "SOURCE.md").read_text(encoding="utf-8")
    header = (
        f"Shipped here as `{TM_FILE}`: every `chng` route file of the extract below, one LineString "
        f"per route and province with its waypoint labels, coordinates unchanged (WGS 84). Source "
        f"commit {source_commit()}. Credit: {TM_CREDIT}; © OpenStreetMap contributors, ODbL 1.0.\n\n"
    )
    (REFERENCE / TM_NOTES).write_text(header + notes, encoding="utf-8")
    count = sum(len(f["geometry"]["coordinates"]) for f in features)
    print(f"{TM_FILE}: {len(features)} route files, {count} waypoints")
