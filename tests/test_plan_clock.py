"""One clock: "today" is the day in Asia/Shanghai, and a download link drawn on one day still
answers on the next (the day is passed in, never waited for)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from geo.clock import plan_today
from geo.errors import GeoError
from geo.export import csv_readme_path
from geo.export_selection import export_name, export_query, file_of_export
from geo.features import Selection
from geo.progress.ledger import NewEvent, parse_as_of, validate_event
from tests.route_server import http_get, serving
from web.export_route import PATH, export_routes


def test_the_day_changes_at_midnight_in_chengdu_not_in_greenwich():
    assert plan_today(datetime(2026, 1, 1, 15, 59, tzinfo=UTC)) == date(2026, 1, 1)
    assert plan_today(datetime(2026, 1, 1, 16, 0, tzinfo=UTC)) == date(2026, 1, 2)
    assert plan_today(datetime(2026, 1, 1, 16, 0)) == date(2026, 1, 2)  # naive: UTC


def test_the_ledger_and_as_of_refuse_the_day_after_the_clock_s_today():
    today = date(2026, 1, 1)
    assert parse_as_of("2026-01-01", today=today) == today
    assert parse_as_of(None, today=today) == today
    with pytest.raises(GeoError, match="future"):
        parse_as_of("2026-01-02", today=today)
    event = NewEvent("air-leshan", "2026-01-02", "开工", "乐山日报", "", "监测科", None)
    with pytest.raises(GeoError, match="future"):
        validate_event(event, today=today)
    assert validate_event(event, today=today + timedelta(days=1))


def test_as_of_by_default_is_the_plan_s_today():
    assert parse_as_of(None) == plan_today()


@pytest.fixture()
def scratch_ledger(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'clock.sqlite'}")


def test_a_csv_readme_link_drawn_before_midnight_answers_after_it(scratch_ledger):
    drawn_on = date(2026, 1, 1)
    selection = Selection(layers=("aviation",))
    # The page's two links, as drawn on the evening of the 1st.
    csv_name = export_name(selection, "csv", "EPSG:4326", drawn_on)
    readme = csv_readme_path(Path(csv_name)).name
    readme_link = PATH + "?" + export_query(selection, fmt="csv", crs="EPSG:4326", file=readme)
    csv_link = PATH + "?" + export_query(selection, fmt="csv", crs="EPSG:4326", file=csv_name)
    other = PATH + "?" + export_query(selection, fmt="csv", crs="EPSG:4326", file="notes.txt")
    for clock_day in (drawn_on, drawn_on + timedelta(days=1)):
        with serving(export_routes(clock=lambda day=clock_day: day)) as url:
            status, body = http_get(url + readme_link)
            assert status == 200, body
            assert f"{clock_day:%Y-%m-%d}".encode() in body  # the README of the export made that day
            status, body = http_get(url + csv_link)
            assert status == 200, body
            assert body.startswith("\ufeff".encode()) and b"aviation" in body
            status, body = http_get(url + other)
            assert status == 400 and b"notes.txt" in body


def test_only_the_day_in_a_file_name_may_differ():
    files = {
        "chengyu-plan_aviation_all_wgs84_20260102.csv": b"",
        "chengyu-plan_aviation_all_wgs84_20260102.README.txt": b"",
    }
    readme = "chengyu-plan_aviation_all_wgs84_20260101.README.txt"
    assert file_of_export(files, readme) == "chengyu-plan_aviation_all_wgs84_20260102.README.txt"
    assert file_of_export(files, "chengyu-plan_railway_all_wgs84_20260101.README.txt") is None
    assert file_of_export(files, "chengyu-plan_aviation_all_cgcs2000_20260102.csv") is None
