"""One type per exported field, the same in every format that has the type.

A format without the type writes the field's text form: a date as ISO ``YYYY-MM-DD``, a list as
items joined by ``;``, a number or boolean as its plain text (``True``/``False``). CSV has no types
at all, KML no dates or lists, GeoPackage no lists, Shapefile no lists and no booleans that
readers agree on (a dBASE logical field is T/F text to many, GDAL 3.6 and so QGIS 3.22 among them).

The ledger records a phase's date to the day, the month or the year (``2024-06-18``, ``2024-06``,
``2024``). An export gives ``phase_date`` as a date — the first day of what is known — and
``phase_date_precision`` (``day``, ``month``, ``year``) beside it: a real date type every GIS
sorts and filters, and the precision saying that ``2024-06-01`` with ``month`` means June 2024.
Text dates would not even keep one type: GDAL reads a GeoJSON column of ``YYYY-MM-DD`` strings
as dates, and the same column with one ``2024-06`` in it as text.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa

from geo.errors import ExportError

FIELD_TYPES: dict[str, str] = {
    "id": "text",
    "name": "text",
    "name_en": "text",
    "aliases": "list of text",
    "layer": "text",
    "kind": "text",
    "status": "text",
    "status_en": "text",
    "plan_phase": "text",
    "verb": "text",
    "tasks": "list of integers",
    "task": "integer",
    "chapter": "integer",
    "sentence": "integer",
    "quote": "text",
    "sentence_text": "text",
    "precision": "text",
    "source": "text",
    "places": "list of text",
    "province_scope": "text",
    "note": "text",
    "note_zh": "text",
    "length_km": "real",
    "straight_km": "real",
    "area_km2": "real",
    "area_is": "text",
    "official_area_km2": "real",
    "official_area_source": "text",
    "stand_in": "text",
    "stand_in_note": "text",
    "whole_units": "boolean",
    "phase": "text",
    "phase_date": "date",
    "phase_date_precision": "text",
    "phase_source": "text",
}
DATE_FIELDS: tuple[str, ...] = tuple(name for name, kind in FIELD_TYPES.items() if kind == "date")
# Each ISO 8601 form the ledger writes, by its length: its precision, and what makes it a first day.
DATE_FORMS: dict[int, tuple[str, str]] = {4: ("year", "-01-01"), 7: ("month", "-01"), 10: ("day", "")}


DATE_DTYPE = pd.ArrowDtype(pa.date32())


def field_type(column: str) -> str:
    """The type of an exported field (``text`` for a column the export does not describe)."""
    return FIELD_TYPES.get(column, "text")


def _start_and_precision(value) -> tuple[date | None, str | None]:
    """``"2024-06"`` → (2024-06-01, ``month``); a missing value → (None, None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None, None
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    if len(text) not in DATE_FORMS:
        raise ExportError(f"phase_date {text!r} is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)")
    precision, first_day = DATE_FORMS[len(text)]
    return date.fromisoformat(text + first_day), precision


def typed_phase_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``phase_date`` as dates (the first day of what is known) with ``phase_date_precision``
    beside it; a frame without ``phase_date`` is returned as it is."""
    if "phase_date" not in frame:
        return frame
    frame = frame.copy()
    parsed = [_start_and_precision(value) for value in frame["phase_date"]]
    columns = list(frame.columns)
    # An Arrow date column stays a date column in a table whose rows all lack one (GeoPackage,
    # Shapefile), where a column of Nones would be written as text.
    frame["phase_date"] = pd.Series([day for day, _ in parsed], index=frame.index, dtype=DATE_DTYPE)
    frame["phase_date_precision"] = pd.Series([p for _, p in parsed], index=frame.index, dtype=object)
    if "phase_date_precision" not in columns:
        columns.insert(columns.index("phase_date") + 1, "phase_date_precision")
    return frame[columns]
