"""The shared vocabularies of ``data/vocabularies.yaml``: precision classes, the ways a task names a
unit ("how") and the export coordinate systems.

Library, map layers, pages and exports all take their labels and explanations from here, so a
term is worded in one place. The file is read on first use, inside the data guard: a missing or
damaged file is one :class:`~geo.errors.DataError`, never a failure to import.
"""

from __future__ import annotations

import functools

from geo.datafiles import DATA_DIR, LoadedMapping, data_error, read_yaml_mapping, reading

VOCABULARIES_PATH = DATA_DIR / "vocabularies.yaml"
TABLES = ("precision", "how", "crs")
# Exports default to the datum of GPS and of the app's map; the vocabulary lists it first.
DEFAULT_CRS = "EPSG:4326"


@functools.cache
def load_vocabularies() -> dict[str, dict[str, dict[str, str]]]:
    """Table name → term id → its fields, in the file's order."""
    data = read_yaml_mapping(VOCABULARIES_PATH)
    with reading(VOCABULARIES_PATH):
        tables = {key: {str(term): dict(fields) for term, fields in data[key].items()} for key in TABLES}
    for key, terms in tables.items():
        if not terms:
            raise data_error(VOCABULARIES_PATH, f"the table {key} is empty")
    if next(iter(tables["crs"])) != DEFAULT_CRS:
        raise data_error(VOCABULARIES_PATH, f"the first coordinate system must be {DEFAULT_CRS}, the default")
    return tables


PRECISION_TERMS: LoadedMapping = LoadedMapping(lambda: load_vocabularies()["precision"])
HOW_TERMS: LoadedMapping = LoadedMapping(lambda: load_vocabularies()["how"])
CRS_TERMS: LoadedMapping = LoadedMapping(lambda: load_vocabularies()["crs"])
