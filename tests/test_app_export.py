"""导出 Export page: deep links, warnings, and the download being the CLI's bytes.

The page's downloads are links to the app's route ``/api/export``; the tests read each link's URL
back into a request and fetch it from the real route over HTTP, so they compare exactly what a user
would receive.
"""

from __future__ import annotations

import argparse
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import geo.export_selection
from geo import export
from geo.cli import add_export_arguments, run_export
from geo.features import catalogue_frame
from tests.apptest import run_script
from tests.export_samples import sample_frame
from tests.route_server import http_get, serving
from web.export_route import export_routes

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "export.py")


class _Links(HTMLParser):
    """The download links (``<a download>``) in a page's HTML: label, href and file name."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "download" in attrs:
            self._open = {"href": attrs["href"], "file": attrs["download"], "label": ""}
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["label"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def download_links(at: AppTest) -> list[dict]:
    """Every download link the page draws, in order, the label without its icon."""
    parser = _Links()
    for markdown in at.markdown:
        parser.feed(markdown.value)
    return [link | {"label": link["label"].strip(" ⬇")} for link in parser.links]


def asked(href: str):
    """The request a link makes of the download route (its path must be the route's)."""
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/api/export")  # relative: any host, any port
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return geo.export_selection.request_from_params(params), params


@pytest.fixture(scope="module")
def route_url():
    with serving(export_routes()) as url:
        yield url


@pytest.fixture
def sample_catalogue(monkeypatch):
    monkeypatch.setattr(geo.export_selection, "catalogue_frame", sample_frame)


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _cli(tmp_path: Path, *argv) -> Path:
    """Run the export command into the empty directory ``tmp_path``: the file it wrote."""
    tmp_path.mkdir()
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    args = parser.parse_args([str(a) for a in argv])
    args.out = str(tmp_path)
    assert run_export(args) == 0
    (path,) = [p for p in tmp_path.iterdir() if not p.name.endswith(".README.txt")]
    return path


def test_whole_catalogue_by_default():
    at = _run()
    assert not at.exception, at.exception
    assert not at.warning
    assert at.multiselect(key="export_layers").value == []
    assert at.radio(key="export_format").value == "geojson"
    assert at.radio(key="export_crs").value == "EPSG:4326"
    (link,) = download_links(at)
    assert re.fullmatch(r"下载 chengyu-plan_all_all_wgs84_\d{8}\.geojson", link["label"])
    request, params = asked(link["href"])
    assert params == {"format": "geojson", "crs": "EPSG:4326"}  # the whole catalogue: no filter
    assert request.selection == geo.export_selection.Selection()
    assert f"**{len(catalogue_frame())}**" in " ".join(m.value for m in at.markdown)


def test_deep_link_sets_the_widgets(sample_catalogue):
    at = _run(layers="railway,zone", status="加快建设", task="10,20", format="shp", crs="GCJ-02", lang="en")
    assert not at.exception, at.exception
    assert at.multiselect(key="export_layers").value == ["railway", "zone"]
    assert at.multiselect(key="export_status").value == ["加快建设"]
    assert at.multiselect(key="export_task").value == [10, 20]
    assert at.radio(key="export_format").value == "shp"
    assert at.radio(key="export_crs").value == "GCJ-02"
    (link,) = download_links(at)
    assert re.fullmatch(
        r"Download chengyu-plan_railway-zone_jiakuaijianshe_gcj02_\d{8}\.shp\.zip", link["label"]
    )
    assert link["file"] == link["label"].removeprefix("Download ")
    request, _ = asked(link["href"])
    assert (request.fmt, request.crs) == ("shp", "GCJ-02")
    assert request.selection == geo.export_selection.Selection(
        layers=("railway", "zone"), statuses=("加快建设",), tasks=(10, 20)
    )
    assert "**2** features selected" in " ".join(m.value for m in at.markdown)


def test_gcj02_kml_is_refused_and_geojson_says_it_is_not_rfc_7946(sample_catalogue):
    at = _run(layers="railway", format="kml", crs="GCJ-02", lang="en")
    assert not at.exception, at.exception
    assert not download_links(at)
    assert any("cannot declare GCJ-02" in w.value for w in at.warning)
    at = _run(layers="railway", format="geojson", crs="EPSG:4490", lang="en")
    assert download_links(at)
    assert any("not RFC 7946" in c.value for c in at.caption)
    at = _run(layers="railway", format="geojson", lang="en")
    assert not any("not RFC 7946" in c.value for c in at.caption)


def test_unknown_link_values_warn_and_are_left_out(sample_catalogue):
    at = _run(layers="railway,airports", format="dxf", crs="EPSG:3857")
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "airports" in warnings and "dxf" in warnings and "EPSG:3857" in warnings
    assert at.multiselect(key="export_layers").value == ["railway"]
    assert at.radio(key="export_format").value == "geojson"


def test_empty_selection_offers_no_download(sample_catalogue):
    at = _run(layers="aviation", task="47")
    assert not at.exception, at.exception
    assert not download_links(at)
    assert at.info


def test_unknown_place_warns_and_does_not_filter(sample_catalogue):
    at = _run(place="不存在的地方")
    assert not at.exception, at.exception
    assert any("不存在的地方" in w.value for w in at.warning)
    assert download_links(at)


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_download_is_the_cli_bytes(sample_catalogue, route_url, tmp_path, fmt):
    at = _run(
        layers="aviation,zone", status="加快建设", task="9,20,23", place="自贡", format=fmt, crs="EPSG:4490"
    )
    assert not at.exception, at.exception
    name = geo.export_selection.export_name(
        geo.export_selection.Selection(layers=("zone", "aviation"), statuses=("加快建设",)), fmt, "EPSG:4490"
    )
    assert name.startswith("chengyu-plan_aviation-zone_jiakuaijianshe_cgcs2000_")
    links = download_links(at)
    assert links[0]["file"] == name
    cli_file = _cli(
        tmp_path / "cli",
        "--format", fmt, "--out", tmp_path, "--layer", "aviation", "--layer", "zone", "--status", "加快建设",
        "--task", "9", "--task", "20", "--task", "23", "--place", "自贡", "--crs", "EPSG:4490",
    )  # fmt: skip
    assert cli_file.name == name  # the command line's default name is the app's
    status, page_bytes = http_get(route_url + links[0]["href"])
    assert status == 200, page_bytes[:300]
    assert page_bytes == cli_file.read_bytes()
    if fmt == "csv":
        readme = export.csv_readme_path(Path(name)).name
        assert [link["file"] for link in links] == [name, readme]
        assert asked(links[1]["href"])[1]["file"] == readme
        status, readme_bytes = http_get(route_url + links[1]["href"])
        assert status == 200, readme_bytes[:300]
        assert readme_bytes == export.csv_readme_path(tmp_path / "cli" / name).read_bytes()
    else:
        assert len(links) == 1


FILTER_KEYS = ("export_layers", "export_status", "export_province", "export_chapter", "export_task")


@pytest.mark.parametrize(("lang", "everything"), [("zh", "全部"), ("en", "All")])
def test_empty_filters_read_all_in_the_interface_language(lang, everything):
    at = _run(**({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert [at.multiselect(key=key).placeholder for key in FILTER_KEYS] == [everything] * len(FILTER_KEYS)


def _selected_line(at: AppTest) -> str:
    return next(
        m.value for m in at.markdown if "**" in m.value and ("已选" in m.value or "selected" in m.value)
    )


def test_the_selection_is_described_in_chinese_in_the_chinese_interface():
    at = _run(layers="railway,zone", q="万达开", place="达州")
    assert not at.exception, at.exception
    line = _selected_line(at)
    assert "图层 铁路、合作平台与示范区" in line and "搜索“万达开”" in line and "位于或经过 达州市" in line
    assert not any(word in line for word in ("layers", "search", "touching", "catalogue"))
    assert "状态 开工建设" in _selected_line(_run(status="开工建设"))
    assert "全部要素" in _selected_line(_run())


def test_the_selection_is_described_in_english_in_the_english_interface():
    at = _run(layers="railway", status="开工建设", lang="en")
    assert not at.exception, at.exception
    line = _selected_line(at)
    assert "layers Railways" in line and "status start construction" in line
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in line)


def test_a_compound_abbreviation_exports_what_the_map_shows():
    # 万达开 names no feature verbatim in most cases: the map and the export both match it by its places.
    at = _run(q="万达开")
    assert not at.exception, at.exception
    found = geo.export_selection.selected_features(geo.export_selection.Selection(query="万达开"))
    assert len(found) >= 2
    assert f"**{len(found)}**" in _selected_line(at)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", "添加 WFS / OGC API – Features 图层"), ("en", "Add WFS / OGC API – Features Layer")],
)
def test_the_page_gives_the_live_service_address_and_how_to_open_it_in_qgis(lang, words):
    at = run_script(PAGE, lang=lang)
    assert not at.exception
    assert [code.value for code in at.code] == ["http://localhost:8501/ogc"]
    assert any(words in markdown.value for markdown in at.markdown)


def test_the_page_links_to_the_download_route(sample_catalogue):
    # The link asks the route for what the page shows: read back, it is the page's request.
    at = _run(
        layers="aviation,zone",
        status="加快建设",
        task="9,20,23",
        place="自贡",
        format="gpkg",
        crs="EPSG:4490",
    )
    assert not at.exception, at.exception
    (link,) = download_links(at)
    html = next(m.value for m in at.markdown if "/api/export" in m.value)
    assert "&amp;status=" in html and "&status=" not in html  # the URL is escaped in the attribute
    request, params = asked(link["href"])
    assert request.bad == () and "as_of" not in params  # the day's progress, as the command line
    assert (request.fmt, request.crs, request.place_name) == ("gpkg", "EPSG:4490", "自贡市")
    assert request.selection == geo.export_selection.Selection(
        layers=("aviation", "zone"), statuses=("加快建设",), tasks=(9, 20, 23), place=request.selection.place
    )
    assert request.selection.place == "510300"


def test_the_day_of_the_phases_travels_from_the_link_to_the_download_links():
    at = _run(layers="aviation", format="csv", as_of="2024-06-30")
    assert not at.exception, at.exception
    assert not at.warning
    assert at.date_input(key="export_as_of").value.isoformat() == "2024-06-30"
    links = download_links(at)
    assert len(links) == 2  # the CSV and its README
    for link in links:
        request, params = asked(link["href"])
        assert params["as_of"] == "2024-06-30" and not request.bad
    assert at.query_params["as_of"] == "2024-06-30"
    today = _run(layers="aviation")
    assert "as_of" not in asked(download_links(today)[0]["href"])[1]  # today stays "today"


def test_a_future_day_is_one_warning_and_today():
    at = _run(layers="aviation", as_of="2999-01-01")
    assert [w.value for w in at.warning if "as_of=2999-01-01" in w.value]
    assert "as_of" not in at.query_params
