"""The export page in a real Chromium: click the download link (a plain link to /api/export) and
check the file is the CLI's."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.cli import add_export_arguments, run_export
from geo.export_selection import Selection, export_name
from geo.features import catalogue_frame
from tests.e2e.conftest import SHOTS_DIR

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000


def _cli_geojson(tmp_path: Path, *argv: str) -> bytes:
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    out = tmp_path / "cli.geojson"
    assert run_export(parser.parse_args(["--format", "geojson", "--out", str(out), *argv])) == 0
    return out.read_bytes()


def test_download_geojson_from_export_page(app_server, browser_page, tmp_path):
    page = browser_page
    page.goto(
        f"{app_server}/export?layers=aviation,railway&status=建成,加快建设", wait_until="domcontentloaded"
    )
    button = page.locator('a[download][href^="/api/export?"]').first
    button.wait_for(state="visible", timeout=TIMEOUT_MS)
    href = urlsplit(button.get_attribute("href"))
    assert parse_qs(href.query) == {
        "layers": ["aviation,railway"], "status": ["建成,加快建设"], "format": ["geojson"], "crs": ["EPSG:4326"]
    }  # fmt: skip
    name = export_name(
        Selection(layers=("aviation", "railway"), statuses=("建成", "加快建设")), "geojson", "EPSG:4326"
    )
    assert name.startswith("chengyu-plan_aviation-railway_jiancheng-jiakuaijianshe_wgs84_")
    assert name in button.inner_text()
    page.screenshot(path=str(SHOTS_DIR / "export-page.png"), full_page=True)

    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == name  # the name the command line gives by default
    downloaded = Path(download.path()).read_bytes()

    document = json.loads(downloaded.decode("utf-8"))
    assert document["type"] == "FeatureCollection" and "crs" not in document
    gdf = catalogue_frame()
    expected = gdf[gdf["layer"].isin(["aviation", "railway"]) & gdf["status"].isin(["建成", "加快建设"])]
    assert sorted(f["id"] for f in document["features"]) == sorted(expected["id"])
    names = {f["properties"]["name"] for f in document["features"]}
    assert names == set(expected["name"])  # Chinese intact through the browser
    assert downloaded == _cli_geojson(
        tmp_path, "--layer", "aviation", "--layer", "railway", "--status", "建成", "--status", "加快建设"
    )
