"""``/api/export`` reads the progress ledger on every request: a new event is in the next download,
and a ledger that cannot be read is a 503 with one line, never a file quietly without progress.

The route is served by uvicorn on a loopback port (the same Starlette route the app mounts)."""

from __future__ import annotations

import json

import pytest

from geo.progress import NewEvent, add_event, open_ledger
from tests.route_server import http_get, serving
from web.export_route import export_routes

QUERY = "/api/export?layers=aviation&format=csv"


@pytest.fixture(scope="module")
def route_url():
    with serving(export_routes()) as url:
        yield url


def _get(url: str) -> tuple[int, bytes]:
    return http_get(url)


def test_a_recorded_event_is_in_the_next_download(route_url, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'route.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    status, before = _get(route_url + QUERY)
    assert status == 200
    source = "乐山日报 2022-08-02 route-test-source"
    assert source.encode() not in before
    add_event(open_ledger(url), NewEvent("air-leshan", "2022-08", "开工", source, "", "监测科", None))
    status, after = _get(route_url + QUERY)
    assert status == 200
    assert source.encode() in after


def test_a_ledger_that_cannot_be_read_is_503_in_one_line(route_url, tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database " * 100)
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///{corrupt}")
    status, body = _get(route_url + QUERY)
    assert status == 503
    error = json.loads(body)["error"]
    assert error.startswith("the progress database cannot be used")
    assert "\n" not in error and str(tmp_path) not in error
