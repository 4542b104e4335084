"""Validation of the shipped data and the whole catalogue: what ``python -m geo check`` reports.

First every shipped file is compared with its record in ``data/PROVENANCE.json`` (present, sha256,
row count, no undescribed file, every layer's catalogue file listed); only data that pass are read
and the catalogue checked entry by entry. Each problem is one readable line naming the file or
the entry, so a curator can fix or restore it directly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import shapely
import yaml

from geo.catalogue import catalogue_problems, load_catalogue, load_unlocated, load_unplaceable
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.plan import load_plan
from geo.resolve import PRECISIONS, Feature, Resolver, load_sites, resolve_all
from geo.rules import (
    missing_task_numbers,
    precision_problems,
    province_crossings,
    site_problems,
    stand_in_problems,
    status_problems,
    uncovered_designations,
)

PROVENANCE_FILE = "PROVENANCE.json"
# Every file in these sub-directories of data/, and every top-level YAML file, must be described.
DESCRIBED_DIRS = ("gazetteer", "reference", "source", "progress", "catalogue", "assumptions")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_rows(path: Path, data: bytes) -> int | None:
    """Rows as ``scripts/build_data.py`` counts them: CSV records, GeoJSON features, YAML entries."""
    suffix = path.suffix
    if suffix == ".csv":
        return sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    if suffix == ".parquet":
        return pq.ParquetFile(io.BytesIO(data)).metadata.num_rows
    if suffix == ".geojson":
        return len(json.loads(data.decode("utf-8"))["features"])
    if suffix in (".yaml", ".yml"):
        return len(yaml.load(data.decode("utf-8"), Loader=YAML_LOADER))
    return None


def _file_problem(path: Path, record: dict) -> str | None:
    """What is wrong with one shipped file compared with its record, or None when it matches."""
    if not path.is_file():
        return "missing"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        # Say what kind of damage it is where that is cheap to tell; the checksum decides.
        try:
            rows = _count_rows(path, data)
        except Exception as exc:  # any parser's complaint: the file is damaged either way
            kind = "not UTF-8 text" if isinstance(exc, UnicodeError) else "unreadable or malformed"
            return f"{kind} (checksum differs from PROVENANCE.json)"
        if rows != record.get("rows"):
            return f"{rows} rows where PROVENANCE.json records {record.get('rows')}"
        return "content differs from PROVENANCE.json (sha256)"
    return None


def data_problems(data_dir: Path) -> list[str]:
    """One line per shipped file that is missing, damaged, unlisted or not what PROVENANCE.json says."""
    from geo.catalogue import LAYER_IDS
    from geo.errors import RESTORE_HINT

    problems: list[str] = []
    provenance = data_dir / PROVENANCE_FILE
    try:
        records = json.loads(provenance.read_text(encoding="utf-8"))
        paths = [str(r["path"]) for r in records]
        if not all(isinstance(r, dict) and isinstance(r.get("sha256"), str) for r in records):
            raise ValueError("a record without a sha256")
    except FileNotFoundError:
        return [f"data/{PROVENANCE_FILE}: missing — {RESTORE_HINT}"]
    except Exception:
        return [f"data/{PROVENANCE_FILE}: unreadable or malformed — {RESTORE_HINT}"]
    listed = set()
    for record, shown in zip(records, paths, strict=True):
        relative = shown.removeprefix("data/")
        listed.add(relative)
        problem = _file_problem(data_dir / relative, record)
        if problem:
            problems.append(f"{shown}: {problem}")
    shipped = [p for d in DESCRIBED_DIRS if (data_dir / d).is_dir() for p in sorted((data_dir / d).iterdir())]
    shipped += sorted(data_dir.glob("*.yaml"))
    for path in shipped:
        relative = path.relative_to(data_dir).as_posix()
        if path.is_file() and relative not in listed:
            problems.append(f"data/{relative}: not described in PROVENANCE.json")
    for layer_id in LAYER_IDS:
        if f"catalogue/{layer_id}.yaml" not in listed:
            problems.append(
                f"data/catalogue/{layer_id}.yaml: layer {layer_id} has no file in PROVENANCE.json"
            )
    return problems


# Features may reach a little beyond the two provinces (a seat on the border, a river bank).
REGION_MARGIN_DEG = 0.1


# The keys of a geometry spec that name places (the catalogue's schema, data/catalogue/README.md).
SPEC_PLACE_KEYS = ("seat", "seats", "area", "via", "from", "to", "city", "in")


def _spec_places(feature: Feature) -> list[str]:
    spec = feature.entry.geometry
    names: list[str] = []
    for key in SPEC_PLACE_KEYS:
        value = spec.get(key)
        if value is None:
            continue
        names.extend(value if isinstance(value, list) else [value])
    return [str(name) for name in names]


def region_problems(features: list[Feature], gazetteer: Gazetteer) -> list[str]:
    """Features lying wholly outside Sichuan and Chongqing although every place they name is inside."""
    provinces = gazetteer.boundaries("province")
    region = shapely.union_all(provinces.geometry.values).buffer(REGION_MARGIN_DEG)
    problems = []
    for feature in features:
        if feature.geometry.intersects(region):
            continue
        names = _spec_places(feature)
        outside = [n for n in names if not gazetteer.resolve(n).unit.in_region]
        if not outside:
            problems.append(
                f"{feature.entry.id}: lies outside Sichuan and Chongqing but names only places inside"
            )
    return problems


def check_catalogue() -> tuple[int, list[str]]:
    """(number of entries, problems) for the shipped catalogue."""
    entries = load_catalogue()
    plan = load_plan()
    problems = catalogue_problems(entries, plan)
    gazetteer = load_gazetteer()
    features, resolve_problems = resolve_all(entries, Resolver(gazetteer))
    problems.extend(resolve_problems)
    problems.extend(region_problems(features, gazetteer))
    problems.extend(uncovered_designations(plan, entries, load_unlocated(), load_unplaceable()))
    problems.extend(missing_task_numbers(plan, entries))
    problems.extend(province_crossings(features))
    problems.extend(status_problems(entries))
    problems.extend(precision_problems(features, PRECISIONS))
    sites = load_sites().reset_index()
    problems.extend(site_problems(features, sites))
    problems.extend(stand_in_problems(entries, gazetteer, sites["name"]))
    problems.extend(warning_rule_problems())
    return len(entries), problems


def warning_rule_problems() -> list[str]:
    """Problems of the warning rules file (``data/progress/warnings.yaml``)."""
    import yaml

    from geo.datafiles import reading
    from geo.progress.warnings import WARNINGS_PATH, rule_problems

    with reading(WARNINGS_PATH):
        data = yaml.safe_load(WARNINGS_PATH.read_text(encoding="utf-8"))
    return rule_problems(data)
