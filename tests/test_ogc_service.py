"""The OGC API – Features service at /ogc, read by real clients from a running ``streamlit run app.py``.

One server for the module, with a progress ledger of its own (``PLANMAP_DATABASE_URL`` in a scratch
SQLite file), stopped by PID after. GDAL (pyogrio's ``OAPIF:`` driver) reads every collection and
must find what the GeoPackage export of the same day holds — counts, ids, values, geometries within
1e-7° — in EPSG:4326 and EPSG:4490; the real QGIS opens every collection through its OAPIF
provider; bad requests answer 4xx JSON; an event recorded with the command line shows in the next
response. Without QGIS its test is skipped with the reason; with ``CI=true`` it fails.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely

from geo.clock import plan_today
from geo.vocabulary import LAYERS
from layers.summaries import tasks_per_unit
from tests.e2e.conftest import running_app
from tests.test_export_qgis import SYSTEM_PYTHON, _qgis_missing

ROOT = Path(__file__).resolve().parent.parent
QGIS_CHECK = Path(__file__).with_name("qgis_oapif_check.py")
COLLECTIONS = [*LAYERS, "places", "progress_events"]
AS_OF = "2023-06-30"
# An item the seed events leave alone, so the event recorded here is the only one it has.
RECORDED_ITEM = "rail-chengdu-lanzhou"
DIMENSIONS = ("points", "lines", "polygons")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """(base URL of /ogc, environment pointing at the server's ledger, scratch directory)."""
    scratch = tmp_path_factory.mktemp("ogc")
    env = {"PLANMAP_DATABASE_URL": f"sqlite:///{scratch / 'progress.sqlite'}"}
    with running_app(scratch, env=env) as url:
        yield f"{url}/ogc", {**os.environ, **env}, scratch


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers with lower-case names, body) of a GET; the URL may hold any text."""
    request = urllib.request.Request(quote(url, safe=":/?&=,%"), headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        answer = error.code, error.headers, error.read().decode("utf-8")
    status, raw_headers, body = answer
    return status, {name.lower(): value for name, value in raw_headers.items()}, body


def export_gpkg(service, as_of: str, crs: str) -> Path:
    """The GeoPackage export of ``as_of`` in ``crs``, from the server's own ledger."""
    _, env, scratch = service
    out = scratch / f"plan-{as_of}-{crs.replace(':', '')}.gpkg"
    if not out.exists():
        result = run_cli(env, "export", "--format", "gpkg", "--as-of", as_of, "--crs", crs, "--out", str(out))
        assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def exported(service):
    """Today's GeoPackage export in each CRS (GDAL reads the service with its default day: today)."""
    today = plan_today().isoformat()
    return {crs: export_gpkg(service, today, crs) for crs in ("EPSG:4326", "EPSG:4490")}


def read_oapif(url: str, collection: str, **options):
    """A collection read by GDAL's OAPIF driver. GDAL types the columns from its first request;
    a first page of 1000 (the service's default page) holds every feature of a collection, so no
    column is typed from a sample where it happens to be empty."""
    return pyogrio.read_dataframe(f"OAPIF:{url}", layer=collection, INITIAL_REQUEST_PAGE_SIZE=1000, **options)


def _gpkg_layer(path: Path, layer_id: str):
    tables = set(pyogrio.list_layers(path)[:, 0])
    parts = [
        pyogrio.read_dataframe(path, layer=f"{layer_id}_{dim}")
        for dim in DIMENSIONS
        if f"{layer_id}_{dim}" in tables
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame.set_index("id").sort_index()


def _value(value):
    """A cell as comparable plain Python: missing → None, integral numbers as int, and a day as
    ``YYYY-MM-DD`` (GDAL reads a column of day-precision texts such as ``phase_date`` as dates)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):  # GDAL reads day and date-time texts as times
        if value.tzinfo is None and value == value.normalize():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, str) and len(value) > 10 and value[10] == "T" and value[:4].isdigit():
        return pd.Timestamp(value).isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _same_geometry(a, b) -> bool:
    a, b = shapely.normalize(a), shapely.normalize(b)
    if a.geom_type != b.geom_type:  # a GeoPackage table of one type holds singles as Multi
        a, b = (shapely.normalize(shapely.multipolygons([a]) if "Polygon" in a.geom_type else a), b)
        parts_a, parts_b = shapely.get_parts(a), shapely.get_parts(b)
        return len(parts_a) == len(parts_b) and all(
            shapely.equals_exact(x, y, tolerance=1e-7) for x, y in zip(parts_a, parts_b, strict=True)
        )
    return bool(shapely.equals_exact(a, b, tolerance=1e-7))


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490"])
def test_gdal_reads_every_layer_as_the_geopackage_export_holds_it(service, exported, crs):
    url, _, _ = service
    for layer_id in LAYERS:
        served = read_oapif(url, layer_id, CRS=crs).set_index("id").sort_index()
        stored = _gpkg_layer(exported[crs], layer_id)
        # GDAL names EPSG:4326 in lon/lat order OGC:CRS84: the same CRS but for the axis order.
        assert pyproj.CRS(crs).equals(served.crs, ignore_axis_order=True), (layer_id, served.crs)
        assert list(served.index) == list(stored.index), layer_id
        columns = [c for c in stored.columns if c != "geometry"]
        assert [c for c in served.columns if c != "geometry"] == columns, layer_id
        for column in columns:
            assert [_value(v) for v in served[column]] == [_value(v) for v in stored[column]], (
                layer_id,
                column,
            )
        mismatched = [
            fid
            for fid, a, b in zip(served.index, served.geometry, stored.geometry, strict=True)
            if not _same_geometry(a, b)
        ]
        assert mismatched == [], (layer_id, mismatched)


def test_gdal_reads_places_and_events_as_the_library_and_the_geopackage_hold_them(service, exported):
    url, _, _ = service
    places = read_oapif(url, "places").set_index("id").sort_index()
    expected = tasks_per_unit("prefecture").set_index("adcode").sort_index()
    assert list(places.index) == list(expected.index)
    assert places["tasks"].tolist() == expected["tasks"].tolist()
    assert places["task_list"].tolist() == [";".join(map(str, tasks)) for tasks in expected["task_list"]]
    admin = (
        pyogrio.read_dataframe(exported["EPSG:4326"], layer="admin_prefecture")
        .set_index("adcode")
        .sort_index()
    )
    assert all(_same_geometry(a, b) for a, b in zip(places.geometry, admin.geometry, strict=True))

    events = read_oapif(url, "progress_events", read_geometry=False)
    stored = pyogrio.read_dataframe(exported["EPSG:4326"], layer="progress_events", read_geometry=False)
    events, stored = events.sort_values("id", ignore_index=True), stored.sort_values("id", ignore_index=True)
    assert len(events) == len(stored) > 0
    for column in stored.columns:
        assert [_value(v) for v in events[column]] == [_value(v) for v in stored[column]], column


def _items(url: str, collection: str, query: str = "") -> dict:
    status, _, body = get(f"{url}/collections/{collection}/items?limit=10000{query}")
    assert status == 200, body
    return json.loads(body)


def test_datetime_gives_the_phases_of_the_geopackage_export_of_that_day(service):
    url, _, _ = service
    stored = pd.concat(
        [_gpkg_layer(export_gpkg(service, AS_OF, "EPSG:4326"), layer_id) for layer_id in LAYERS]
    ).sort_index()
    served = {
        feature["id"]: feature["properties"]
        for layer_id in LAYERS
        for feature in _items(url, layer_id, f"&datetime={AS_OF}")["features"]
    }
    assert sorted(served) == list(stored.index)
    for column in ("phase", "phase_date", "phase_date_precision", "phase_source"):
        assert [served[i][column] for i in stored.index] == [_value(v) for v in stored[column]], column
    assert stored["phase"].notna().any()  # the seed events give some items a phase by then
    early = _items(url, "aviation", "&datetime=2015-01-01")["features"]
    assert {f["properties"]["phase"] for f in early} == {None}


def test_pages_follow_next_links_to_every_feature(service):
    url, _, _ = service
    everything = [f["id"] for f in _items(url, "zone")["features"]]
    seen, page_url = [], f"{url}/collections/zone/items?limit=7"
    while page_url:
        status, _, body = get(page_url)
        assert status == 200, body
        page = json.loads(body)
        assert len(page["features"]) <= 7
        seen += [f["id"] for f in page["features"]]
        page_url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert seen == everything and len(everything) > 7


@pytest.mark.parametrize(
    ("collection", "query"),
    [
        ("railway", "status=在建"),
        ("aviation", "task=11"),
        ("railway", "place=遂宁"),
        ("railway", "precision=route"),
        ("railway", "bbox=104,30,105,31"),
    ],
)
def test_filters_choose_what_the_export_page_chooses(service, collection, query):
    from geo.export_selection import request_from_params, selected_features

    url, _, _ = service
    served = sorted(f["id"] for f in _items(url, collection, "&" + query)["features"])
    layer = selected_features(request_from_params({"layers": collection}).selection)
    name, value = query.split("=")
    if name == "precision":
        wanted = layer[layer["precision"] == value]
    elif name == "bbox":
        wanted = layer[layer.intersects(shapely.box(*map(float, value.split(","))))]
    else:
        wanted = selected_features(request_from_params({"layers": collection, name: value}).selection)
    assert served == sorted(wanted["id"]) and 0 < len(served) < len(layer)


BAD_REQUESTS = [
    ("/collections/no-such-layer/items", 404),
    ("/collections/no-such-layer", 404),
    ("/collections/railway/items/no-such-item", 404),
    ("/collections/railway/items?limit=-1", 400),
    ("/collections/railway/items?limit=abc", 400),
    ("/collections/railway/items?offset=-5", 400),
    ("/collections/railway/items?bbox=a,b", 400),
    ("/collections/railway/items?bbox=1,2,3", 400),
    ("/collections/railway/items?datetime=2024-13-40", 400),
    ("/collections/railway/items?datetime=2999-01-01", 400),
    ("/collections/railway/items?filter=" + "name%3D%27" + "x" * 10000 + "%27", 400),
    ("/collections/railway/items?filter=name%3D%27x%27", 400),
    ("/collections/railway/items?status=" + "x" * 10000, 400),
    ("/collections/railway/items?status=<script>alert(1)</script>", 400),
    ("/collections/railway/items?place=nowhere", 400),
    ("/collections/railway/items?precision=guess", 400),
    ("/collections/railway/items?crs=EPSG:3857", 400),
    ("/collections/railway/items?f=nonsense", 400),
]


@pytest.mark.parametrize(("path", "status"), BAD_REQUESTS, ids=[path[:60] for path, _ in BAD_REQUESTS])
def test_a_bad_request_gets_one_json_line(service, path, status):
    url, _, _ = service
    got, headers, body = get(url + path)
    assert got == status, body[:300]
    error = json.loads(body)
    assert error["description"] and "Traceback" not in body and "/work" not in body
    assert "<" not in body.replace("\\u003c", "")  # nothing a browser could take for HTML
    assert headers.get("content-type", "").startswith("application/json")


def test_no_html_pages_so_nothing_comes_from_a_cdn(service):
    url, _, _ = service
    for path in ("", "/collections", "/collections/railway", "/collections/railway/items?limit=2"):
        status, headers, body = get(url + path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert status == 200 and headers["content-type"].startswith("application/"), path
        json.loads(body)


def test_links_follow_the_proxy_headers(service):
    url, _, _ = service
    status, _, body = get(
        f"{url}/collections",
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "plan.example.cn",
            "X-Forwarded-Prefix": "/map",
        },
    )
    assert status == 200
    hrefs = [
        link["href"] for c in json.loads(body)["collections"] for link in c["links"] if link["rel"] == "items"
    ]
    assert hrefs and all(h.startswith("https://plan.example.cn/map/ogc/collections/") for h in hrefs)
    status, _, body = get(f"{url}/collections")
    assert all(
        link["href"].startswith(url)
        for c in json.loads(body)["collections"]
        for link in c["links"]
        if link["rel"] == "items"
    )


def test_collections_are_titled_in_both_languages_with_licences(service):
    url, _, _ = service
    collections = {c["id"]: c for c in json.loads(get(f"{url}/collections")[2])["collections"]}
    assert sorted(collections) == sorted(COLLECTIONS)
    assert collections["railway"]["title"] == "铁路 Railways"
    licences = [link for link in collections["railway"]["links"] if link["rel"] == "license"]
    assert any("OpenStreetMap" in link["title"] for link in licences)
    assert {"http://www.opengis.net/def/crs/EPSG/0/4490"} <= set(collections["railway"]["crs"])


def test_qgis_opens_every_collection(service):
    reason = _qgis_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"QGIS is required in CI: {reason}")
        pytest.skip(reason)
    url, _, scratch = service
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(scratch)}
    env.pop("PYTHONPATH", None)  # the system Python with its own packages, not the project's
    result = subprocess.run(
        [SYSTEM_PYTHON, str(QGIS_CHECK), url, *COLLECTIONS],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for collection in COLLECTIONS:
        served = _items(url, collection)
        seen = report[collection]
        assert seen["valid"], (collection, seen)
        assert seen["fetched"] == seen["count"] == served["numberMatched"] > 0, collection
        if collection != "progress_events":
            assert sorted(seen["ids"]) == sorted(str(f["id"]) for f in served["features"]), collection
            assert seen["crs"] == "EPSG:4326", collection


def test_a_recorded_event_shows_in_the_next_response(service):
    url, env, _ = service
    before = _items(url, "progress_events")["numberMatched"]
    status, _, body = get(f"{url}/collections/railway/items/{RECORDED_ITEM}")
    assert status == 200 and json.loads(body)["properties"]["phase"] is None
    result = run_cli(
        env, "progress", "add", RECORDED_ITEM, "--date", "2024-05", "--phase", "开工",
        "--source", "https://example.org/news/chengdu-lanzhou", "--author", "test",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    feature = json.loads(get(f"{url}/collections/railway/items/{RECORDED_ITEM}")[2])
    recorded = [feature["properties"][name] for name in ("phase", "phase_date", "phase_date_precision")]
    assert recorded == ["开工", "2024-05-01", "month"]
    assert _items(url, "progress_events")["numberMatched"] == before + 1
    earlier = _items(url, "railway", "&datetime=2024-04-30")["features"]
    assert [f["properties"]["phase"] for f in earlier if f["id"] == RECORDED_ITEM] == [None]
