"""``GET /api/export`` on a running server: the command line's bytes for every format, a file name
to save under, and one line of JSON for a bad parameter."""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from geo import export
from geo.cli import add_export_arguments, run_export

SELECTION = "layers=railway,aviation&place=" + quote("成都") + "&as_of=2024-06-30"
CLI_SELECTION = ["--layer", "railway", "--layer", "aviation", "--place", "成都", "--as-of", "2024-06-30"]


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _cli(out: Path, *argv: str) -> dict[str, bytes]:
    out.mkdir()
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    args = parser.parse_args([*argv, "--out", str(out)])
    assert run_export(args) == 0
    return {path.name: path.read_bytes() for path in out.iterdir()}


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_the_route_gives_the_command_lines_bytes(app_server, tmp_path, fmt):
    # Both run in this machine's day and read the same ledger (PLANMAP_DATABASE_URL of the tests).
    # Every format is compared whole, GeoPackage included: its timestamps are the export day's.
    status, headers, body = _get(f"{app_server}/api/export?{SELECTION}&format={fmt}&crs=EPSG:4490")
    assert status == 200, body[:300]
    cli = _cli(tmp_path / "cli", "--format", fmt, "--crs", "EPSG:4490", *CLI_SELECTION)
    name = next(n for n in cli if not n.endswith(".README.txt"))
    disposition = headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert unquote(disposition.split("''", 1)[1]) == name
    assert headers["content-type"].startswith(export.MEDIA_TYPES[fmt].split(";")[0])
    assert body == cli[name]
    if fmt == "csv":
        readme = export.csv_readme_path(Path(name)).name
        status, _, text = _get(
            f"{app_server}/api/export?{SELECTION}&format=csv&crs=EPSG:4490&file={quote(readme)}"
        )
        assert status == 200 and text == cli[readme]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("layers=railways", "unknown layers 'railways'"),
        ("format=shp2", "unknown format 'shp2'"),
        ("crs=EPSG:3857", "unknown crs 'EPSG:3857'"),
        ("as_of=2024-02-30", "bad as_of '2024-02-30' (use YYYY-MM-DD)"),
        ("colour=phase", "unknown parameter 'colour'"),
        ("layers=railway&format=kml&crs=GCJ-02", "cannot say it holds GCJ-02"),
        ("q=" + quote("不存在的东西"), "matches no feature"),
        ("layers=railway&file=../../etc/passwd", "no file '../../etc/passwd' in this export"),
    ],
)
def test_a_bad_parameter_is_400_and_one_line(app_server, query, says):
    status, headers, body = _get(f"{app_server}/api/export?{query}")
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert body.count(b"\n") == 0
    assert says in json.loads(body)["error"]
