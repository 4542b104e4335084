"""CSV exports never hand a spreadsheet a formula: text cells starting with = + - @ (or a tab or
carriage return) get a leading ', numbers stay numbers — in the features CSV and in the tables a
zipped Shapefile carries."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from shapely.geometry import Point

from geo.csvcells import neutralise_formula, restore_formula
from geo.export import write_export
from geo.progress.frames import events_frame
from geo.progress.ledger import Event
from tests.export_samples import EXPORTED, sample_bundle

PAYLOADS = ['=HYPERLINK("https://example.invalid","官方")', "@SUM(A1:A9)", "+86 28", "-note", "\tx", "\rx"]


def _bundle_with_payloads():
    bundle = sample_bundle()
    features = bundle.features.copy()
    for row, payload in enumerate(PAYLOADS[: len(features)]):
        features.loc[row, "note"] = payload
    # A point west of Greenwich: its coordinates are genuinely negative numbers.
    features.loc[0, "geometry"] = Point(-0.12345, 51.5)
    features["length_km"] = -1.5
    event = Event(
        id=1, item_id=features.loc[0, "id"], event_date=date(2022, 1, 1), precision="year", phase="开工",
        source=PAYLOADS[0], note="@cmd", author="-x", recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
        supersedes=None,
    )  # fmt: skip
    tables = {**bundle.tables, "progress_events": events_frame([event])}
    return dataclasses.replace(bundle, features=features, tables=tables)


def test_features_csv_neutralises_text_and_keeps_negative_numbers(tmp_path):
    path = tmp_path / "sample.csv"
    write_export(_bundle_with_payloads(), path, fmt="csv", crs="EPSG:4326", exported=EXPORTED)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert [row["note"] for row in rows[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS]
    assert rows[0]["lon"] == "-0.12345" and rows[0]["lat"] == "51.5"
    assert "-1.5" in {row["length_km"] for row in rows} and not any("'" in row["length_km"] for row in rows)
    assert rows[0]["wkt"] == "POINT (-0.12345 51.5)"
    assert rows[len(PAYLOADS)]["note"] == ""  # empty stays empty


def test_the_events_table_in_a_zipped_shapefile_is_neutralised(tmp_path):
    path = tmp_path / "sample.shp.zip"
    write_export(_bundle_with_payloads(), path, fmt="shp", crs="EPSG:4326", exported=EXPORTED)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("progress_events.csv").decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["source"], row["note"], row["author"]) == ("'" + PAYLOADS[0], "'@cmd", "'-x")
    assert row["id"] == "1" and row["supersedes"] == ""


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "''", "'plain", "plain", "", "-", "'-", "a=b"])
def test_the_added_quote_comes_off_exactly(text):
    assert restore_formula(neutralise_formula(text)) == text
