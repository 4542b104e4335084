"""Paths and file helpers shared by the data build: writers, checksums, row counts, provenance records.

A sibling of ``scripts/build_data.py`` (the command); nothing in the app imports it.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.datafiles import PROJECT_DATA_DIR  # noqa: E402  (after the path above)

# The build writes the project's own data/, whatever PLANMAP_DATA_DIR says.
DATA = PROJECT_DATA_DIR
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


def _deb_version(name: str) -> str:
    import subprocess

    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
    except FileNotFoundError:
        return "unknown"
    return out.stdout.strip() or "unknown"


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


def refreshed_records() -> list[dict]:
    """After a hand edit: checksums and rows recomputed, descriptions kept (no build packages needed)."""
    current = json.loads((DATA / "PROVENANCE.json").read_text(encoding="utf-8"))
    keep = ("source", "licence", "processing")
    return described_records({r["path"]: {k: r[k] for k in keep} for r in current})


def update_provenance(records: dict[str, dict]) -> None:
    """Refresh the records of the given files in PROVENANCE.json, keeping every other record."""
    path = DATA / "PROVENANCE.json"
    current = {r["path"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
    for relative, record in records.items():
        file = ROOT / relative
        current[relative] = {"path": relative, **record, "sha256": sha256(file), "rows": count_rows(file)}
    # Every described file keeps its record, in the order a full build writes them.
    order = [p.relative_to(ROOT).as_posix() for p in described_files()]
    out = [current[p] for p in order if p in current]
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"PROVENANCE.json: {len(records)} records refreshed, {len(out)} files")
