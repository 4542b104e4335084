"""What an export file says about itself: its name, its CRS declaration, its README and licences,
and the QGIS project stored in a GeoPackage (read here without QGIS; test_export_qgis opens it)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import pyogrio
import pytest

from geo.catalogue import LAYER_IDS, STATUSES
from geo.cli import add_export_arguments, run_export
from geo.export import OSM_LICENCE, ExportBundle, selection_filename, write_export
from geo.export_selection import Selection, export_name
from tests.export_samples import EXPORTED, LOOKS, sample_bundle, sample_frame, write_sample


# -- names ---------------------------------------------------------------------------------------
def test_file_names_say_layers_status_crs_and_day():
    name = selection_filename(
        "gpkg", "EPSG:4490", layers=["railway", "aviation"], statuses=["加快建设", "建成"], exported=EXPORTED
    )
    assert name == "chengyu-plan_railway-aviation_jiakuaijianshe-jiancheng_cgcs2000_20260102.gpkg"
    assert (
        selection_filename("shp", "GCJ-02", exported=EXPORTED)
        == "chengyu-plan_all_all_gcj02_20260102.shp.zip"
    )


def test_long_selections_stay_ascii_and_short():
    for fmt in ("parquet", "shp", "geojson"):
        name = selection_filename(fmt, "GCJ-02", layers=LAYER_IDS, statuses=STATUSES, exported=EXPORTED)
        assert len(name) <= 80 and name.isascii() and re.fullmatch(r"[a-z0-9_.-]+", name), name
    assert "15-layers_9-statuses" in name


def test_export_name_follows_the_apps_order_whatever_the_click_order():
    one = export_name(
        Selection(layers=("zone", "aviation"), statuses=("建成", "迁建")), "kml", "EPSG:4326", EXPORTED
    )
    two = export_name(
        Selection(layers=("aviation", "zone"), statuses=("迁建", "建成")), "kml", "EPSG:4326", EXPORTED
    )
    assert one == two == "chengyu-plan_aviation-zone_jiancheng-qianjian_wgs84_20260102.kml"


def test_cli_default_out_is_the_apps_file_name(monkeypatch, tmp_path, capsys):
    import geo.export_selection

    monkeypatch.setattr(geo.export_selection, "catalogue_frame", sample_frame)
    monkeypatch.chdir(tmp_path)
    parser = __import__("argparse").ArgumentParser()
    add_export_arguments(parser)
    args = parser.parse_args(["--format", "gpkg", "--layer", "railway", "--crs", "EPSG:4490"])
    assert run_export(args) == 0
    (written,) = tmp_path.iterdir()
    today = written.name.rsplit("_", 1)[1].removesuffix(".gpkg")
    expected = export_name(
        Selection(layers=("railway",)),
        "gpkg",
        "EPSG:4490",
        date.fromisoformat(f"{today[:4]}-{today[4:6]}-{today[6:]}"),
    )
    assert written.name == expected and expected.startswith("chengyu-plan_railway_all_cgcs2000_")


# -- CRS declarations ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("crs", "member"), [("EPSG:4490", "urn:ogc:def:crs:EPSG::4490"), ("GCJ-02", "GCJ-02")]
)
def test_geojson_outside_wgs84_carries_a_crs_member_and_says_it_is_not_rfc_7946(tmp_path, crs, member):
    path = write_sample(tmp_path, "geojson", crs)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert member in document["crs"]["properties"]["name"]
    assert document["metadata"]["format_note"].startswith("Not RFC 7946")
    assert (
        "GCJ-02" in pyogrio.read_info(path)["crs"]
        if crs == "GCJ-02"
        else pyogrio.read_info(path)["crs"] == crs
    )


def test_wgs84_geojson_has_no_crs_member_and_no_note(tmp_path):
    document = json.loads(write_sample(tmp_path, "geojson", "EPSG:4326").read_text(encoding="utf-8"))
    assert "crs" not in document and "format_note" not in document["metadata"]
    assert document["metadata"]["format"] == "GeoJSON (RFC 7946)"


def test_gcj02_csv_names_its_coordinate_columns(tmp_path):
    header = write_sample(tmp_path, "csv", "GCJ-02").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith("lon_gcj02,lat_gcj02,wkt_gcj02")


# -- README, about, licences -------------------------------------------------------------------------
def test_shapefile_readme_lists_what_is_in_the_zip(tmp_path):
    path = write_sample(tmp_path, "shp", "EPSG:4326")
    with zipfile.ZipFile(path) as archive:
        readme = archive.read("README.txt").decode("utf-8")
        members = archive.namelist()
    listed = readme.split("What's in this file 文件内容:\n", 1)[1].split("\n\n", 1)[0]
    for member in members:
        if member.endswith((".shp", ".csv")) or member == "README.txt":
            assert member in listed, member
    assert "sample_wgs84_lines.shp (.shx .dbf .prj .cpg): 2 lines — railway 1, waterway 1" in listed


def test_osm_licence_and_new_precision_classes_appear_when_present(tmp_path):
    frame = sample_frame()
    frame.loc[frame["id"] == "rail-sample", "precision"] = "route"
    frame.loc[frame["id"] == "air-sample-a", "precision"] = "site"
    path = tmp_path / "x.gpkg"
    write_export(ExportBundle(frame, layer_looks=LOOKS), path, fmt="gpkg", exported=EXPORTED)
    with sqlite3.connect(path) as connection:
        about = connection.execute("SELECT key, value FROM about").fetchall()
    assert ("licences", OSM_LICENCE) in about
    keys = {key for key, _ in about}
    assert {"precision_classes.route", "precision_classes.site"} <= keys
    rail = pyogrio.read_dataframe(path, layer="railway_lines")
    assert rail.at[0, "length_km"] == pytest.approx(321.5)  # a real alignment is measured
    without = write_sample(tmp_path, "gpkg", "EPSG:4326")
    with sqlite3.connect(without) as connection:
        assert not connection.execute(
            "SELECT 1 FROM about WHERE key = 'licences' AND value LIKE '%OpenStreetMap%'"
        ).fetchall()


# -- the QGIS project inside the GeoPackage ------------------------------------------------------------
def _project(path) -> ET.Element:
    with sqlite3.connect(path) as connection:
        (content,) = connection.execute("SELECT content FROM qgis_projects").fetchone()
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as qgz:
        (name,) = qgz.namelist()
        return ET.fromstring(qgz.read(name).split(b"\n", 1)[1])


def test_project_groups_layers_by_theme_with_admin_outlines_at_the_bottom(tmp_path):
    from geo.export_selection import admin_units

    bundle = sample_bundle()
    bundle.admin_units = admin_units()
    path = tmp_path / "plan.gpkg"
    write_export(bundle, path, fmt="gpkg", crs="EPSG:4490", exported=EXPORTED)
    project = _project(path)
    groups = project.findall("layer-tree-group/layer-tree-group")
    names = [group.get("name") for group in groups]
    assert names == [f"{LOOKS[k].title_zh} {LOOKS[k].title_en}" for k in LOOKS] + [
        "行政区 Administrative units (reference)"
    ]
    sources = [layer.get("source") for layer in groups[-1]]
    assert sources == [
        f"./plan.gpkg|layername=admin_{level}" for level in ("province", "prefecture", "county")
    ]
    assert project.find("projectCrs/spatialrefsys/authid").text == "EPSG:4490"
    for layer in project.iter("maplayer"):
        fills = [o.get("value") for o in layer.iter("Option") if o.get("name") == "style"]
        if layer.find("id").text.startswith("chengyu_admin_"):
            assert fills == ["no"]  # outlines only


# -- KML -------------------------------------------------------------------------------------------
def test_kml_has_a_folder_per_theme_in_the_apps_colours(tmp_path):
    root = ET.parse(write_sample(tmp_path, "kml", "EPSG:4326")).getroot()
    document = root.find("{*}Document")
    folders = [folder.find("{*}name").text for folder in document.findall("{*}Folder")]
    assert folders == [f"{look.title_zh} {look.title_en}" for look in LOOKS.values()]
    styles = {style.get("id"): style for style in document.findall("{*}Style")}
    for layer_id, look in LOOKS.items():
        r, g, b = look.colour[1:3], look.colour[3:5], look.colour[5:7]
        line = styles[layer_id].find("{*}LineStyle/{*}color").text
        assert line == f"ff{b}{g}{r}".lower()  # KML colours are aabbggrr
    schematic = document.find(".//{*}Placemark[@id='rail-sample']/{*}styleUrl").text
    assert schematic == "#railway-schematic"
