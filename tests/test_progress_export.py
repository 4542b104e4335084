"""Exports carry the progress as of a day: phase columns on every feature, the events table in GPKG."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pyogrio
import pytest

from geo.cli import main
from geo.clock import plan_today


@pytest.fixture(autouse=True)
def seeded_ledger(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'export.sqlite'}")


def test_gpkg_has_phase_columns_as_of_the_day_and_the_events_table(tmp_path, capsys):
    out = tmp_path / "aviation.gpkg"
    assert (
        main(
            ["export", "--format", "gpkg", "--out", str(out), "--layer", "aviation", "--as-of", "2022-05-18"]
        )
        == 0
    )
    points = pyogrio.read_dataframe(out, layer="aviation_points").set_index("id")
    tianfu = points.loc["air-tianfu"]
    assert tianfu["phase"] == "建成投运" and tianfu["phase_date"] == pd.Timestamp("2021-06-27")  # a DATE
    assert tianfu["phase_date_precision"] == "day"
    assert "fjdaily.com" in points.loc["air-tianfu", "phase_source"]
    assert pd.isna(points.loc["air-dazhou", "phase"])  # opened the next day
    assert points.loc["air-langzhong", "phase"] == "开工"  # 2020; opened only in 2023
    events = pyogrio.read_dataframe(out, layer="progress_events")
    assert sorted(events["item_id"]) == ["air-dazhou", "air-langzhong", "air-langzhong", "air-tianfu"]
    assert set(events.columns) >= {"id", "date", "phase", "source", "supersedes", "recorded_at"}


def test_csv_as_of_today_by_default(tmp_path):
    out = tmp_path / "rail.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--layer", "railway"]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig").set_index("id")
    assert table.loc["rail-chengyu-middle", "phase"] == "开工"
    assert table["phase"].notna().sum() == 1


@pytest.mark.parametrize("value", ["2022-13-01", (plan_today() + timedelta(days=2)).isoformat()])
def test_a_bad_as_of_day_is_one_line_and_writes_nothing(tmp_path, capsys, value):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--as-of", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--as-of" in err
    assert not out.exists()


def test_shapefile_names_the_source_field_within_ten_characters(tmp_path):
    out = tmp_path / "aviation.shp.zip"
    assert main(["export", "--format", "shp", "--out", str(out), "--layer", "aviation"]) == 0
    import zipfile

    with zipfile.ZipFile(out) as archive:
        readme = archive.read("README.txt").decode("utf-8")
        assert "progress_events.csv" in archive.namelist()
    assert "phase_src  ← phase_source" in readme
    frame = pyogrio.read_dataframe(f"/vsizip/{out}/aviation_points.shp")
    assert "phase_src" in frame.columns
    assert frame.set_index("id").loc["air-dazhou", "phase_src"].startswith("人民日报海外版")
