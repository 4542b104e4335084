"""Every exported field has one type, the same in every format that has that type.

Each format is read back as a GIS reads it (GDAL through pyogrio; GeoParquet through pyarrow, as
this GDAL has no Parquet driver) and the type of every field is compared with the one declared
in ``geo.formats.fields``; a format without the type must hold the field's text form.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pytest

from geo import export
from geo.export import ExportBundle, write_export
from geo.formats.fields import FIELD_TYPES
from geo.formats.shp import SHAPEFILE_FIELDS
from tests.export_samples import EXPORTED, sample_bundle

# The phase dates of the sample's seven features, as the ledger writes them.
PHASE_DATES = ["2021-06-27", "2022-08", "2020", None, "2023-12-28", None, "2024-01"]
STARTS = [
    date(2021, 6, 27),
    date(2022, 8, 1),
    date(2020, 1, 1),
    None,
    date(2023, 12, 28),
    None,
    date(2024, 1, 1),
]
PRECISIONS = ["day", "month", "year", None, "day", None, "month"]
# The kinds each format can hold, as GDAL (or pyarrow) reads them back.
KINDS = {
    "geojson": {"text", "integer", "real", "boolean", "date", "list"},
    "gpkg": {"text", "integer", "real", "boolean", "date"},
    "shp": {"text", "integer", "real", "date"},  # a dBASE logical field is T/F text to many readers
    "parquet": {"text", "integer", "real", "boolean", "date", "list"},
    "csv": {"text"},
    "kml": {"text", "integer", "real", "boolean"},
}
SUFFIX = {
    "geojson": "geojson",
    "gpkg": "gpkg",
    "shp": "shp.zip",
    "kml": "kml",
    "csv": "csv",
    "parquet": "parquet",
}


def progress_bundle(phase_dates=PHASE_DATES) -> ExportBundle:
    """The sample features with phase columns as an export with progress carries them."""
    bundle = sample_bundle()
    features = bundle.features.copy()
    features["phase"] = [None if d is None else "开工" for d in phase_dates]
    features["phase_date"] = phase_dates
    features["phase_source"] = [None if d is None else "https://example.org/news" for d in phase_dates]
    return ExportBundle(features, bundle.selection, bundle.layer_looks, bundle.tables)


def kind(dtype: str) -> str:
    """A pyogrio or pyarrow type name as a kind: text, integer, real, boolean, date, list."""
    if dtype.startswith(("list", "large_list")):
        return "list"
    if dtype.startswith(("int", "uint")):
        return "integer"
    if dtype.startswith(("float", "double")):
        return "real"
    if dtype == "bool":
        return "boolean"
    if dtype.startswith(("datetime64[D]", "date32")):
        return "date"
    if dtype.startswith("datetime64"):
        return "date and time"  # KML's own begin/end/timestamp, as LIBKML reads them
    if dtype in ("object", "string", "large_string"):
        return "text"
    raise AssertionError(f"unexpected type {dtype}")


def declared_kind(field: str) -> str:
    declared = FIELD_TYPES[field]
    return "list" if declared.startswith("list") else declared


def _pyogrio_kinds(source: str, layer=None) -> dict[str, str]:
    info = pyogrio.read_info(source, layer=layer)
    return {f: kind(d) for f, d in zip(info["fields"], info["dtypes"], strict=True)}


def read_kinds(path, fmt: str) -> list[dict[str, str]]:
    """The kind of every field, one mapping per table or file of the export, under export names."""
    if fmt == "parquet":
        schema = pq.read_schema(path)
        return [{name: kind(str(schema.field(name).type)) for name in schema.names if name != "geometry"}]
    if fmt == "shp":
        names = {short: long for long, short in SHAPEFILE_FIELDS.items()}
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.endswith(".shp")]
        return [
            {names.get(f, f): k for f, k in _pyogrio_kinds(f"/vsizip/{path}/{member}").items()}
            for member in members
        ]
    if fmt == "gpkg":
        return [
            _pyogrio_kinds(path, table)
            for table, geometry in pyogrio.list_layers(path)
            if geometry is not None and not table.startswith("admin_")
        ]
    if fmt == "kml":
        return [
            {("name" if f == "Name" else f): k for f, k in _pyogrio_kinds(path, folder).items()}
            for folder, _ in pyogrio.list_layers(path)
        ]
    return [_pyogrio_kinds(path)]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("types")
    bundle = progress_bundle()
    return {
        fmt: write_export(bundle, out / f"sample.{SUFFIX[fmt]}", fmt=fmt, exported=EXPORTED)[0]
        for fmt in export.FORMATS
    }


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_every_field_has_its_declared_type_or_the_text_form_where_the_format_has_none(written, fmt):
    fields = [c for c in progress_bundle().features.columns if c in FIELD_TYPES]
    assert {"phase_date", "task", "length_km", "whole_units", "tasks"} <= set(fields)
    for table in read_kinds(written[fmt], fmt):
        for field in fields:
            assert field in table, (fmt, field)
            expected = declared_kind(field)
            expected = expected if expected in KINDS[fmt] else "text"
            assert table[field] == expected, (fmt, field, table[field])
    phase_precision = "phase_date_precision"
    assert all(phase_precision in table for table in read_kinds(written[fmt], fmt))


def test_common_fields_have_one_type_across_the_typed_formats(written):
    """GeoJSON, GeoPackage, Shapefile and GeoParquet agree on each field they can all type."""
    kinds = {fmt: read_kinds(written[fmt], fmt) for fmt in ("geojson", "gpkg", "shp", "parquet")}
    common = set.intersection(*(set(t) for tables in kinds.values() for t in tables))
    assert {"phase_date", "phase_date_precision", "task", "length_km", "straight_km"} <= common
    typed = [f for f in common if all(declared_kind(f) in KINDS[fmt] for fmt in kinds)]
    assert {"phase_date", "task", "length_km"} <= set(typed)
    for field in typed:  # lists and booleans: the text form where a format lacks them
        seen = {fmt: {table[field] for table in tables} for fmt, tables in kinds.items()}
        assert len(set().union(*seen.values())) == 1, (field, seen)


def test_phase_dates_read_back_as_the_same_day_and_precision_everywhere(written):
    """A date is its first known day in every format (ISO text in CSV and KML); the precision says
    how much of it is known."""
    expected = dict(zip(progress_bundle().features["id"], zip(STARTS, PRECISIONS, strict=True), strict=True))

    def day(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            return None
        if isinstance(value, str):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value  # ISO YYYY-MM-DD
            return date.fromisoformat(value)
        return pd.Timestamp(value).date()

    for fmt, path in written.items():
        if fmt == "parquet":
            frame = pq.read_table(path).to_pandas()
        elif fmt == "shp":
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.endswith(".shp")]
            frame = pd.concat([pyogrio.read_dataframe(f"/vsizip/{path}/{m}") for m in members])
            frame = frame.rename(columns={"phase_prec": "phase_date_precision"})
        elif fmt in ("gpkg", "kml"):
            frame = pd.concat(
                [
                    pyogrio.read_dataframe(path, layer=table)
                    for table, geometry in pyogrio.list_layers(path)
                    if fmt == "kml" or (geometry is not None and not table.startswith("admin_"))
                ]
            )
        elif fmt == "csv":
            frame = pyogrio.read_dataframe(path, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
        else:
            frame = pyogrio.read_dataframe(path)
        got = {
            row["id"]: (day(row["phase_date"]), row["phase_date_precision"] or None)
            for _, row in frame.iterrows()
        }
        got = {
            k: (d, None if p is None or (not isinstance(p, str) and pd.isna(p)) else p)
            for k, (d, p) in got.items()
        }
        assert got == expected, fmt


def test_geojson_of_full_dates_and_of_mixed_precision_reads_as_dates_alike(tmp_path):
    """Text dates would read as dates when all are days and as text once one is a month."""
    for name, dates in {"days": ["2021-06-27"] * 7, "mixed": PHASE_DATES}.items():
        path = write_export(progress_bundle(dates), tmp_path / f"{name}.geojson", fmt="geojson")[0]
        assert _pyogrio_kinds(str(path))["phase_date"] == "date", name


@pytest.mark.parametrize("fmt", ["csv", "shp"])
def test_the_readme_beside_the_data_gives_each_field_its_type(written, fmt):
    path = written[fmt]
    if fmt == "csv":
        readme = export.csv_readme_path(path).read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(path) as archive:
            readme = archive.read("README.txt").decode("utf-8")
    for field in ("phase_date", "phase_date_precision", "task", "length_km", "whole_units", "tasks"):
        line = next(line for line in readme.splitlines() if line.strip().startswith(field + " "))
        assert line.split()[1] == FIELD_TYPES[field].split()[0], line
    assert "dates YYYY-MM-DD" in readme


def test_a_date_column_is_an_arrow_date_in_geoparquet(written):
    assert pq.read_schema(written["parquet"]).field("phase_date").type == pa.date32()
