"""The exports opened in the real QGIS: Debian's ``python3-qgis``, driven through PyQGIS.

The whole catalogue is exported as the app and the command line export it; ``qgis_check.py``
then runs under the system Python (where PyQGIS lives), headless, and reports what QGIS sees:
every GeoPackage table, the project stored in the GeoPackage, a rendering of that project, and
the shapefile zip and GeoJSON in each CRS. Without QGIS these tests are skipped with the reason;
with ``CI=true`` a missing QGIS fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.export import CRS_CHOICES, CRS_FILE_LABELS, write_export
from geo.export_selection import catalogue_bundle
from geo.progress.exporting import progress_bundle
from geo.vocabulary import LAYERS

SYSTEM_PYTHON = "/usr/bin/python3"
CHECK_SCRIPT = Path(__file__).with_name("qgis_check.py")
SHOTS_DIR = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
ADMIN_GROUP = "行政区 Administrative units (reference)"


def _qgis_missing() -> str | None:
    """Why PyQGIS cannot run here, or None."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} not found"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0:
        return "PyQGIS is not installed (apt-get install python3-qgis qgis-providers)"
    return None


@pytest.fixture(scope="module")
def qgis(tmp_path_factory):
    """Export the catalogue, open everything in QGIS: (report, files written)."""
    reason = _qgis_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"QGIS is required in CI: {reason}")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("qgis")
    # With the progress as of today, so the phase columns are there to be typed.
    everything = progress_bundle(catalogue_bundle(), None)
    transport = progress_bundle(catalogue_bundle(layers=("aviation", "railway")), None)
    files = {}
    for crs in CRS_CHOICES:
        label = CRS_FILE_LABELS[crs]
        files[("gpkg", crs)] = write_export(everything, out / f"plan_{label}.gpkg", fmt="gpkg", crs=crs)[0]
        files[("shp", crs)] = write_export(transport, out / f"plan_{label}.shp.zip", fmt="shp", crs=crs)[0]
        files[("geojson", crs)] = write_export(
            transport, out / f"plan_{label}.geojson", fmt="geojson", crs=crs
        )[0]
    uris = {}
    for crs in CRS_CHOICES:
        archive = files[("shp", crs)]
        with zipfile.ZipFile(archive) as members:
            for name in members.namelist():
                if name.endswith(".shp"):
                    uris[f"/vsizip/{archive}/{name}"] = crs
        uris[str(files[("geojson", crs)])] = crs
    request = {
        "gpkg": [str(files[("gpkg", crs)]) for crs in CRS_CHOICES],
        "files": list(uris),
        "render": {"gpkg": str(files[("gpkg", "EPSG:4490")]), "dir": str(out)},
    }
    (out / "request.json").write_text(json.dumps(request), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(out)}
    env.pop("PYTHONPATH", None)  # the system Python with its own packages, not the project's
    result = subprocess.run(
        [SYSTEM_PYTHON, str(CHECK_SCRIPT), str(out / "request.json")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report, files, uris


def _expected_label(crs: str) -> str:
    return "GCJ-02" if crs == "GCJ-02" else crs


@pytest.mark.parametrize("crs", CRS_CHOICES)
def test_every_sublayer_qgis_lists_is_valid_and_every_spatial_one_styled(qgis, crs):
    """What a user sees on dragging the GeoPackage into QGIS: every table it offers opens, and
    every one with geometry opens with the app's look (its default style in ``layer_styles``)."""
    report, files, _ = qgis
    found = report["gpkg"][str(files[("gpkg", crs)])]
    listed = found["sublayers"]
    names = [sub["name"] for sub in listed]
    assert len(names) == len(set(names)), names  # no table offered once per geometry type
    assert {"tasks", "feature_tasks", "feature_places", "place_tasks", "about"} <= set(names)
    assert not {"layer_styles", "qgis_projects"} & set(names)
    invalid = [sub["uri"] for sub in listed if not sub["valid"]]
    assert not invalid
    spatial = [sub for sub in listed if sub["spatial"]]
    assert {sub["name"] for sub in spatial} == set(found["tables"])  # each feature table, once
    unstyled = [
        (sub["name"], sub["renderer"], sub["styles"])
        for sub in spatial
        if sub["renderer"] != "RuleRenderer" or sub["styles"] < 1
    ]
    assert not unstyled
    tables = [sub for sub in listed if not sub["spatial"]]
    assert tables and all(sub["geometry"] == "NoGeometry" and sub["features"] > 0 for sub in tables)
    themes = {name.rsplit("_", 1)[0] for name in found["tables"] if not name.startswith("admin_")}
    assert {sub["name"] for sub in tables if sub["name"].endswith("_all")} == {f"{t}_all" for t in themes}


@pytest.mark.parametrize("crs", CRS_CHOICES)
def test_every_geopackage_table_loads_valid_with_the_crs_and_a_style(qgis, crs):
    report, files, _ = qgis
    tables = report["gpkg"][str(files[("gpkg", crs)])]["tables"]
    admin = {name for name in tables if name.startswith("admin_")}
    assert admin == {"admin_province", "admin_prefecture", "admin_county"}
    for name, seen in tables.items():
        assert seen["valid"], name
        assert seen["crs"] == _expected_label(crs), (name, seen["crs"])
        assert seen["features"] > 0, name
        assert seen["renderer"] == "RuleRenderer", (name, seen["renderer"])  # from layer_styles
    for name in admin:
        assert tables[name]["fills"] == [0, 0, 0][: len(tables[name]["fills"])] and tables[name]["fills"]
    polygons = [seen for name, seen in tables.items() if name.endswith("_polygons")]
    assert polygons and all(0 < alpha < 128 for seen in polygons for alpha in seen["fills"])  # translucent


@pytest.mark.parametrize("crs", CRS_CHOICES)
def test_stored_project_opens_with_every_layer_valid_grouped_by_theme(qgis, crs):
    report, files, _ = qgis
    found = report["gpkg"][str(files[("gpkg", crs)])]
    project, tables = found["project"], found["tables"]
    assert project["opened"]
    assert len(project["layers"]) == len(tables)
    assert all(
        layer["valid"] and layer["crs"] == _expected_label(crs) for layer in project["layers"].values()
    )
    groups = [group["name"] for group in project["groups"]]
    themes = [f"{look.zh} {look.en}" for look in LAYERS.values()]
    assert groups[-1] == ADMIN_GROUP  # reference outlines at the bottom
    # The credit of the real alignments it draws, under Project ▸ Properties ▸ Metadata.
    assert "OpenStreetMap contributors" in project["abstract"]
    assert "Travel Mapping (travelmapping.net)" in project["abstract"]
    assert groups[:-1] == [title for title in themes if title in groups]  # the app's order
    assert project["groups"][-1]["layers"] == [
        "省级行政区 Provinces",
        "地级行政区 Prefectures",
        "县级行政区 Counties",
    ]


def _image(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def test_rendered_project_shows_plan_features_over_unfilled_admin_outlines(qgis):
    report, _, _ = qgis
    images = report["render"]["images"]
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copy(images["project"], SHOTS_DIR / "qgis-project.png")
    project, plan, control = _image(images["project"]), _image(images["plan"]), _image(images["control"])
    region = np.asarray(Image.open(images["mask"]).convert("L")) < 128
    assert region.mean() > 0.2  # the region fills a good part of the picture

    def covered(drawn: np.ndarray) -> float:
        """Share of the region where the admin layers change the picture of the plan alone."""
        return float((np.abs(drawn - plan).max(axis=2) > 40)[region].mean())

    # Outlines only: the admin layers touch a few per cent of the region. Drawn as QGIS draws an
    # unstyled polygon layer (opaque fill), they cover most of it: the check can tell the two.
    assert covered(project) < 0.10, covered(project)
    assert covered(control) > 0.5, covered(control)
    # The plan's features are on the map: railway red and aviation blue, as the app draws them.
    railway = np.all(np.abs(project - (214, 39, 40)) < 30, axis=2).sum()
    aviation = np.all(np.abs(project - (31, 119, 180)) < 30, axis=2).sum()
    assert railway > 2000 and aviation > 200, (railway, aviation)


def test_shapefile_zip_and_geojson_load_with_the_right_crs(qgis):
    report, _, uris = qgis
    assert (
        sum(uri.endswith(".geojson") for uri in uris) == 3 and sum(uri.endswith(".shp") for uri in uris) >= 6
    )
    for uri, crs in uris.items():
        seen = report["files"][uri]
        assert seen["valid"] and seen["features"] > 0, uri
        if crs == "GCJ-02":  # a shapefile's .prj is ESRI WKT, which prefixes GCS_ to the name
            assert seen["crs"] in ("GCJ-02", "GCS_GCJ-02"), (uri, seen["crs"])
        else:
            assert seen["crs"] == crs, (uri, seen["crs"])


# The type QGIS gives each field, in every file it opens: one type per field across formats.
QGIS_TYPES = {
    "phase_date": {"QDate"},
    "phase_date_precision": {"QString"},
    "task": {"int", "qlonglong"},
    "length_km": {"double"},
    "whole_units": {"bool"},
    "id": {"QString"},
}
SHAPEFILE_NAMES = {"phase_date_precision": "phase_prec", "whole_units": "whole_unit"}


def test_qgis_reads_each_field_with_one_type_in_geopackage_shapefile_and_geojson(qgis):
    report, _, _ = qgis
    opened = [
        (name, seen["fields"])
        for found in report["gpkg"].values()
        for name, seen in found["tables"].items()
        if not name.startswith("admin_")
    ]
    opened += [(uri, seen["fields"]) for uri, seen in report["files"].items()]
    assert sum(uri.endswith(".shp") for uri, _ in opened) >= 6
    for where, fields in opened:
        shapefile = where.endswith(".shp")
        for field, types in QGIS_TYPES.items():
            name = SHAPEFILE_NAMES.get(field, field) if shapefile else field
            if shapefile and field == "whole_units":  # booleans as True/False text (no dBASE logical)
                types = {"QString"}
            assert fields.get(name) in types, (where, field, fields.get(name))
