"""The shared vocabularies, read once from ``data/vocabularies.yaml``: precision classes, the ways a
task names a unit ("how") and the export coordinate systems.

Library, map layers, pages and exports all take their labels and explanations from here, so a
term is worded in one place.
"""

from __future__ import annotations

import yaml

from geo.datafiles import DATA_DIR, reading

VOCABULARIES_PATH = DATA_DIR / "vocabularies.yaml"


def _load() -> dict:
    with reading(VOCABULARIES_PATH):
        data = yaml.safe_load(VOCABULARIES_PATH.read_text(encoding="utf-8"))
        return {key: dict(data[key]) for key in ("precision", "how", "crs")}


_VOCABULARIES = _load()

PRECISION_TERMS: dict[str, dict[str, str]] = _VOCABULARIES["precision"]
HOW_TERMS: dict[str, dict[str, str]] = _VOCABULARIES["how"]
CRS_TERMS: dict[str, dict[str, str]] = _VOCABULARIES["crs"]
