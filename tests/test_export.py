"""GIS export: every format read back with GDAL (pyogrio), RFC 7946 rules, shapefile encoding, CLI.

The features are made in code (shapes in the region with awkward names and many decimals), so
these tests do not depend on how complete the catalogue is.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString

from geo import export
from geo.cli import add_export_arguments, run_export
from geo.errors import ExportError
from geo.export import (
    COORDINATE_DECIMALS,
    CRS_CHOICES,
    FORMATS,
    GCJ02_REFUSED,
    SHAPEFILE_FIELDS,
    ExportBundle,
    export_bytes,
    output_path,
    write_export,
)
from geo.formats import geojson as geojson_writer
from geo.resolve import PRECISIONS
from tests.export_samples import (
    AWKWARD_NAME,
    EXPORTED,
    LONG_QUOTE,
    LOOKS,
    read_back,
    round_trip_problems,
    same_shape,
    sample_bundle,
    sample_frame,
    write_sample,
)


@pytest.mark.parametrize("crs", CRS_CHOICES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(tmp_path, fmt, crs):
    """Each format × CRS read back: the CRS chosen, Chinese text, task and place lists, geometry."""
    if fmt in GCJ02_REFUSED and crs == "GCJ-02":
        with pytest.raises(ExportError, match="cannot say it holds GCJ-02"):
            write_sample(tmp_path, fmt, crs)
        assert list(tmp_path.iterdir()) == []
        return
    path = write_sample(tmp_path, fmt, crs)
    assert round_trip_problems(path, fmt, crs, sample_frame()) == []
    if crs == "GCJ-02":
        assert "gcj02" in path.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_check_finds_a_planted_error(tmp_path, fmt):
    """The check above is not vacuous: a changed task list, a changed character and a wrong CRS
    are each reported."""
    crs = "EPSG:4326" if fmt == "kml" else "EPSG:4490"
    path = write_sample(tmp_path, fmt, crs)
    planted = sample_frame()
    planted.at[2, "tasks"] = [10, 11]
    planted.at[3, "name"] = planted.at[3, "name"].replace("长江", "长河")
    problems = round_trip_problems(path, fmt, crs, planted)
    assert any(p.startswith("rail-sample tasks") for p in problems), problems
    assert any(p.startswith("water-sample name") for p in problems), problems
    wrong = "GCJ-02" if crs != "GCJ-02" else "EPSG:4326"
    assert any(p.startswith("declared CRS") for p in round_trip_problems(path, fmt, wrong, sample_frame()))


def test_gcj02_moves_points_by_hundreds_of_metres(tmp_path):
    wgs = read_back(write_sample(tmp_path, "gpkg", "EPSG:4326"), "gpkg")["aviation"].set_index("id")
    gcj = read_back(write_sample(tmp_path, "gpkg", "GCJ-02"), "gpkg")["aviation"].set_index("id")
    gdf = gpd.GeoDataFrame(
        geometry=[wgs.at["air-sample-a", "geometry"], gcj.at["air-sample-a", "geometry"]], crs=4326
    )
    metres = gdf.to_crs(32648).geometry.iloc[0].distance(gdf.to_crs(32648).geometry.iloc[1])
    assert 200 < metres < 700


def test_lists_and_numbers_survive_where_the_format_has_types(tmp_path):
    source = sample_frame().set_index("id")
    for fmt in ("parquet", "geojson"):
        back = pd.concat(read_back(write_sample(tmp_path, fmt, "EPSG:4326"), fmt).values()).set_index("id")
        for ident in source.index:
            assert list(back.at[ident, "tasks"]) == source.at[ident, "tasks"], fmt
            assert list(back.at[ident, "places"]) == source.at[ident, "places"], fmt
        assert back.at["rail-sample", "quote"] == LONG_QUOTE
        assert "search_text" not in back.columns


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "shp"])
def test_lists_are_semicolon_text_with_join_tables(tmp_path, fmt):
    back = pd.concat(read_back(write_sample(tmp_path, fmt, "EPSG:4326"), fmt).values()).set_index("id")
    assert back.at["air-sample-b", "tasks"] == "9;10"
    assert back.at["rail-sample", "places"] == "成都市;达州市;万州区"


@pytest.mark.parametrize("fmt", ["gpkg", "parquet", "geojson"])
def test_measures_say_what_they_measure(tmp_path, fmt):
    """length_km only for real river/route lines; straight_km for schematic lines; area_is."""
    back = pd.concat(read_back(write_sample(tmp_path, fmt, "EPSG:4326"), fmt).values()).set_index("id")
    assert back.at["water-sample", "length_km"] == pytest.approx(321.5)  # river
    assert pd.isna(back.at["water-sample", "straight_km"])
    assert pd.isna(back.at["rail-sample", "length_km"])  # schematic: not a measured length
    assert back.at["rail-sample", "straight_km"] == pytest.approx(321.5)
    assert back.at["zone-sample-a", "area_km2"] == pytest.approx(1234.0)
    assert back.at["zone-sample-a", "area_is"] == "whole units"
    assert back.at["air-sample-a", "area_is"] in ("", None)


def test_honest_measures_handle_any_precision_class():
    from geo.formats.measures import honest_measures

    frame = pd.DataFrame(
        {
            "precision": ["route", "site", "schematic", "area", "new-class"],
            "length_km": [10.0, np.nan, 20.0, np.nan, 30.0],
            "area_km2": [np.nan, np.nan, np.nan, 500.0, np.nan],
        }
    )
    out = honest_measures(frame)
    assert out["length_km"].tolist()[0] == 10.0 and out["length_km"].isna().tolist()[1:] == [True] * 4
    assert out["straight_km"].tolist()[2] == 20.0 and out["straight_km"].tolist()[4] == 30.0
    assert out["area_is"].tolist() == ["", "", "", "whole units", ""]
    assert list(out.columns) == ["precision", "length_km", "straight_km", "area_km2", "area_is"]


# -- GeoJSON: RFC 7946 -------------------------------------------------------------------------
def _positions(coords) -> list:
    """Every [lon, lat] position in a GeoJSON coordinates array of any nesting."""
    if not isinstance(coords[0], list):
        return [coords]
    return [position for part in coords for position in _positions(part)]


def _ring_area(ring: list) -> float:
    xy = np.asarray(ring)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def test_geojson_follows_rfc_7946(tmp_path):
    path = write_sample(tmp_path, "geojson", "EPSG:4326")
    raw = path.read_bytes()
    document = json.loads(raw.decode("utf-8"))
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946 §4
    assert "示例国际机场".encode() in raw and b"\\u" not in raw  # UTF-8, not ASCII escapes
    assert [f["id"] for f in document["features"]] == list(sample_frame()["id"])
    for feature in document["features"]:
        assert "crs" not in feature
        for lon, lat in _positions(feature["geometry"]["coordinates"]):
            assert 73 < lon < 136 and 18 < lat < 54  # lon/lat order, in China
            assert round(lon, COORDINATE_DECIMALS) == lon and round(lat, COORDINATE_DECIMALS) == lat
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else []
        )
        for rings in polygons:
            assert _ring_area(rings[0]) > 0  # exterior counter-clockwise (right-hand rule)
            assert all(_ring_area(hole) < 0 for hole in rings[1:])
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings)
        props = feature["properties"]
        assert {"id", "name", "layer", "status", "tasks", "quote", "precision", "source", "places"} <= set(
            props
        )
        assert all(isinstance(t, int) for t in props["tasks"]) and isinstance(props["places"], list)
    zone = next(f for f in document["features"] if f["id"] == "zone-sample-a")
    assert len(zone["geometry"]["coordinates"]) == 2  # the hole is kept
    metadata = document["metadata"]
    assert metadata["features"] == 7 and metadata["exported"] == "2026-01-02"
    assert any("Natural Earth" in line for line in metadata["licences"])
    assert set(metadata["precision_classes"]) == set(PRECISIONS)
    # No OpenStreetMap geometry in these features, so no OpenStreetMap licence line.
    assert not any("OpenStreetMap" in line for line in metadata["licences"])


# -- Shapefile ---------------------------------------------------------------------------------
def read_dbf(data: bytes, encoding: str) -> list[dict]:
    """A dBASE table decoded with ``encoding`` alone (no GDAL): what any reader would see."""
    records, header_size, record_size = struct.unpack("<xxxxIHH", data[:12])
    fields, offset = [], 32
    while data[offset] != 0x0D:
        name = data[offset : offset + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[offset + 16]))
        offset += 32
    rows, position = [], header_size
    for _ in range(records):
        record = data[position + 1 : position + record_size]
        row, start = {}, 0
        for name, width in fields:
            row[name] = record[start : start + width].decode(encoding).strip()
            start += width
        rows.append(row)
        position += record_size
    return rows


def test_shapefile_zip_has_cpg_prj_readme_and_mapped_fields(tmp_path):
    path = write_sample(tmp_path, "shp", "EPSG:4326")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        stems = {n.rsplit(".", 1)[0] for n in names if n.endswith(".shp")}
        assert stems == {
            "sample_wgs84_points",
            "sample_wgs84_multipoints",
            "sample_wgs84_lines",
            "sample_wgs84_polygons",
        }
        for stem in stems:
            assert {f"{stem}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} <= names
        readme = archive.read("README.txt").decode("utf-8")
        rows = []
        for stem in stems:
            encoding = archive.read(f"{stem}.cpg").decode("ascii").strip()
            assert encoding.upper() in ("UTF-8", "UTF8")
            rows += read_dbf(archive.read(f"{stem}.dbf"), encoding)
        assert "tasks.csv" in names and "feature_tasks.csv" in names
    assert {row["name"] for row in rows} == set(sample_frame()["name"])
    assert all(len(name) <= 10 for name in rows[0])
    for long in ("sentence_text", "province_scope", "straight_km"):
        short = SHAPEFILE_FIELDS[long]
        assert short in rows[0] and f"{short:<10} ← {long}" in readme
    by_id = {row["id"]: row for row in rows}
    assert by_id["air-sample-b"]["tasks"] == "9;10"
    assert by_id["rail-sample"]["places"] == "成都市;达州市;万州区"
    cut = by_id["rail-sample"]["quote"]
    assert cut.endswith("…") and LONG_QUOTE.startswith(cut[:-1]) and len(cut.encode()) <= 254


# -- KML, CSV, GeoPackage, Parquet details -----------------------------------------------------
def test_kml_is_escaped_and_describes_status_task_quote(tmp_path):
    path = write_sample(tmp_path, "kml", "EPSG:4326")
    root = ET.parse(path).getroot()  # well-formed despite <, &, " in a name
    placemarks = {p.get("id"): p for p in root.iter("{http://www.opengis.net/kml/2.2}Placemark")}
    awkward = placemarks["air-sample-b"]
    assert awkward.find("{*}name").text == AWKWARD_NAME
    description = awkward.find("{*}description").text
    assert "加快建设" in description and "9;10" in description and "「加快建设" in description
    assert "&lt;尖括号&gt;" in description  # the balloon's HTML shows the name, it does not run it
    assert path.read_text(encoding="utf-8").count("<Placemark") == 7


def test_csv_has_bom_wkt_and_point_lon_lat(tmp_path):
    path = write_sample(tmp_path, "csv", "EPSG:4326")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype=str, keep_default_na=False).set_index(
        "id"
    )
    assert table.at["air-sample-a", "lon"] == "104.44123" and table.at["air-sample-a", "lat"] == "30.31235"
    assert table.at["rail-sample", "lon"] == "" and table.at["zone-sample-c", "lon"] == ""
    assert shapely.from_wkt(table.at["rail-sample", "wkt"]).geom_type == "LineString"
    assert table.at["air-sample-b", "name"] == AWKWARD_NAME
    assert export.csv_readme_path(path).exists()


def test_gpkg_has_styles_tables_and_metadata(tmp_path):
    import sqlite3

    path = write_sample(tmp_path, "gpkg", "EPSG:4490")
    tables = dict(pyogrio.list_layers(path))
    feature_tables = {t for t, kind in tables.items() if kind is not None}
    per_type = {"aviation_points", "railway_lines", "waterway_lines", "zone_points", "zone_polygons"}
    views = {"aviation_all", "railway_all", "waterway_all", "zone_all"}
    assert feature_tables == per_type  # the theme views are attribute tables, so no GIS splits them
    assert {"tasks", "feature_tasks", "feature_places", "about", "layer_styles"} | views <= set(tables)
    assert "theme_view_types" not in tables
    with sqlite3.connect(path) as connection:
        styles = dict(
            connection.execute(
                "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault"
            ).fetchall()
        )
        geometry_columns = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
        )
        styled_columns = dict(
            connection.execute("SELECT f_table_name, f_geometry_column FROM layer_styles").fetchall()
        )
        sld = connection.execute(
            "SELECT styleSLD FROM layer_styles WHERE f_table_name = 'railway_lines'"
        ).fetchone()[0]
        contents = dict(connection.execute("SELECT table_name, identifier FROM gpkg_contents").fetchall())
        about_rows = connection.execute("SELECT key, value FROM about").fetchall()
        projects = connection.execute("SELECT name FROM qgis_projects").fetchall()
    about = dict(about_rows)
    assert set(styles) == per_type
    assert projects == [("chengyu-plan",)]
    assert all(
        geometry_columns[table] == column for table, column in styled_columns.items()
    )  # QGIS matches on both
    railway = ET.fromstring(styles["railway_lines"].split("\n", 1)[1])
    dashed = [r for r in railway.iter("rule") if "schematic" in r.get("filter")]
    assert dashed and railway.find(".//Option[@name='line_color']").get("value").startswith("214,39,40")
    assert ET.fromstring(sld.encode()).tag.endswith("StyledLayerDescriptor")
    assert contents["aviation_points"].startswith("航空 Aviation")
    assert about["crs"] == "EPSG:4490" and about["exported"] == "2026-01-02"
    assert about["precision_classes.schematic"].startswith("a line through the named places")
    assert sum(key == "licences" for key, _ in about_rows) >= 4
    links = pyogrio.read_dataframe(path, layer="feature_tasks")
    assert len(links) == sum(len(t) for t in sample_frame()["tasks"])
    zone_info = pyogrio.read_info(path, layer="zone_all")  # the theme view
    zone = pyogrio.read_dataframe(path, layer="zone_all", fid_as_index=True)
    assert zone_info["fid_column"] == "fid" and zone_info["geometry_type"] is None
    assert dict(zip(zone_info["fields"], zone_info["dtypes"], strict=True))["task"] == "int64"
    assert zone.index.is_unique
    zone = zone.set_index("id")
    assert sorted(zone.index) == ["zone-sample-a", "zone-sample-b", "zone-sample-c"]
    assert zone.at["zone-sample-b", "tasks"] == "21;22"
    assert set(zone["feature_table"]) == {"zone_points", "zone_polygons"}


def test_parquet_is_geoparquet_with_metadata(tmp_path):
    import pyarrow.parquet as pq

    path = write_sample(tmp_path, "parquet", "EPSG:4326")
    schema_metadata = pq.read_schema(path).metadata
    geo = json.loads(schema_metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    assert json.loads(schema_metadata[export.PARQUET_METADATA_KEY])["features"] == 7


def test_union_leftovers_are_dropped_so_each_feature_has_one_geometry_type(tmp_path):
    gdf = sample_frame()
    area = gdf.geometry.iloc[5]
    gdf.loc[5, "geometry"] = shapely.GeometryCollection(
        [*area.geoms, LineString([(106.0, 29.0), (106.1, 29.1)])]
    )
    path = tmp_path / "x.gpkg"
    write_export(ExportBundle(gdf, layer_looks=LOOKS), path, fmt="gpkg", exported=EXPORTED)
    zone = pyogrio.read_dataframe(path, layer="zone_polygons").set_index("id")
    assert same_shape(zone.at["zone-sample-b", "geometry"], area)
    assert "zone_lines" not in dict(pyogrio.list_layers(path))


# -- determinism, naming, failures -------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_same_selection_same_bytes(fmt):
    first = export_bytes(sample_bundle(), fmt=fmt, crs="EPSG:4326", exported=EXPORTED)
    second = export_bytes(sample_bundle(), fmt=fmt, crs="EPSG:4326", exported=EXPORTED)
    assert first == second


def test_output_path_labels_gcj02_and_checks_suffix(tmp_path):
    assert output_path(tmp_path / "a.geojson", "geojson", "GCJ-02").name == "a_gcj02.geojson"
    assert output_path(tmp_path / "a.shp.zip", "shp", "GCJ-02").name == "a_gcj02.shp.zip"
    assert output_path(tmp_path / "a-gcj.kml", "kml", "GCJ-02").name == "a-gcj.kml"
    assert output_path(tmp_path, "gpkg", "EPSG:4490").name == "chengyu-plan_cgcs2000.gpkg"
    with pytest.raises(ExportError, match=r"must end in \.gpkg"):
        output_path(tmp_path / "a.geojson", "gpkg")


def test_failed_export_leaves_nothing(tmp_path, monkeypatch):
    def half_written(gdf, path, metadata, bundle):
        path.write_text("partial")
        raise OSError(28, "No space left on device")

    # The writer the format's term names (data/vocabularies.yaml), looked up when the file is written.
    monkeypatch.setattr(geojson_writer, "write_geojson", half_written)
    with pytest.raises(ExportError, match="No space left"):
        write_export(sample_bundle(), tmp_path / "x.geojson", fmt="geojson")
    assert list(tmp_path.iterdir()) == []


def test_bad_requests_raise_one_line_errors(tmp_path):
    bundle = sample_bundle()
    with pytest.raises(ExportError, match="does not exist"):
        write_export(bundle, tmp_path / "missing" / "x.geojson", fmt="geojson")
    with pytest.raises(ExportError, match="unknown format"):
        write_export(bundle, tmp_path / "x.dxf", fmt="dxf")
    with pytest.raises(ExportError, match="unknown CRS"):
        write_export(bundle, tmp_path / "x.geojson", fmt="geojson", crs="EPSG:3857")
    with pytest.raises(ExportError, match="matches no feature"):
        write_export(ExportBundle(sample_frame().iloc[0:0]), tmp_path / "x.geojson", fmt="geojson")
    assert list(tmp_path.iterdir()) == []


# -- the command line --------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch):
    """``python -m geo export`` over the code-made features (the real gazetteer resolves --place)."""
    import geo.export_selection

    monkeypatch.setattr(geo.export_selection, "catalogue_frame", sample_frame)
    parser = argparse.ArgumentParser(prog="python -m geo export")
    add_export_arguments(parser)
    return lambda *argv: run_export(parser.parse_args([str(a) for a in argv]))


def test_cli_writes_the_selection(cli, tmp_path, capsys):
    out = tmp_path / "rail.gpkg"
    assert (
        cli("--format", "gpkg", "--out", out, "--layer", "railway", "--layer", "aviation", "--task", "10")
        == 0
    )
    back = read_back(out, "gpkg")
    assert {layer: sorted(part["id"]) for layer, part in back.items()} == {
        "railway": ["rail-sample"],
        "aviation": ["air-sample-b"],
    }
    assert "wrote 2 features" in capsys.readouterr().out


def test_cli_place_filter_uses_the_gazetteer(cli, tmp_path):
    out = tmp_path / "wanzhou.geojson"
    assert cli("--format", "geojson", "--out", out, "--place", "万州区") == 0
    ids = [f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert "rail-sample" in ids and "air-sample-a" not in ids


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "geojson", "--layer", "airports"], "unknown layer airports"),
        (["--format", "geojson", "--status", "完成"], "unknown status 完成"),
        (["--format", "geojson", "--task", "x"], "not a task number"),
        (["--format", "geojson", "--place", "不存在的地方"], "unknown place"),
        (["--format", "geojson", "--layer", "aviation", "--task", "47"], "matches no feature"),
        (["--format", "dxf"], "unknown format"),
        (["--format", "geojson", "--crs", "EPSG:3857"], "unknown CRS"),
    ],
)
def test_cli_bad_requests_exit_2_with_one_line(cli, tmp_path, capsys, argv, message):
    out = tmp_path / "x.geojson"
    assert cli("--out", out, *argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_path_exits_2(cli, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = cli("--format", "geojson", "--out", locked / "x.geojson")
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    if code == 0:  # running as root: permissions do not bind, a missing directory does
        (locked / "x.geojson").unlink()
        assert cli("--format", "geojson", "--out", tmp_path / "no" / "x.geojson") == 2
        err = capsys.readouterr().err
    assert err.startswith("error: cannot write") and err.count("\n") == 1


def test_python_m_geo_export(tmp_path):
    """The real command in a child process: its help, a file written, an unknown layer refused."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]

    def run(*argv):
        proc = subprocess.run(
            [sys.executable, "-m", "geo", "export", *map(str, argv)],
            cwd=root,
            capture_output=True,
            timeout=300,
        )
        return proc.returncode, proc.stdout.decode(), proc.stderr.decode()

    code, out, err = run("--help")
    assert code == 0 and "--format" in out and "--layer" in out, err
    code, out, err = run("--format", "geojson", "--out", tmp_path / "air.geojson", "--layer", "aviation")
    assert code == 0, err
    document = json.loads((tmp_path / "air.geojson").read_text(encoding="utf-8"))
    assert document["features"] and {f["properties"]["layer"] for f in document["features"]} == {"aviation"}
    code, _, err = run("--format", "geojson", "--out", tmp_path / "x.geojson", "--layer", "airports")
    assert code == 2 and err.count("\n") == 1 and "unknown layer airports" in err
    assert not (tmp_path / "x.geojson").exists()
