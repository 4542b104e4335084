"""geo/coverage.py: airports today and with the plan, coverage by units and area, the CLI's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from geo import coverage
from geo.analysis import to_metric
from geo.errors import GeoError
from geo.features import catalogue_frame
from geo.resolve import load_airports

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_frame()


@pytest.fixture(scope="module")
def reports(catalogue):
    return {s: coverage.coverage_report(catalogue, s, 100.0) for s in coverage.SCENARIOS}


def _airports(*points, source="today"):
    return pd.DataFrame(
        {
            "id": [f"{source}{i}" for i in range(len(points))],
            "name": [f"机场{i}" for i in range(len(points))],
            "name_en": [f"Airport {i}" for i in range(len(points))],
            "status": "",
            "precision": "exact" if source == "today" else "seat",
            "lon": [p[0] for p in points],
            "lat": [p[1] for p in points],
            "source": source,
        }
    )


# ---------------------------------------------------------------- code-made units


def test_nearest_airport_on_code_made_units(row_of_squares):
    nearest = coverage.nearest_airports(_airports((100.5, 30.5)), gazetteer=row_of_squares)
    by_name = nearest.set_index("name")["distance_km"]
    assert by_name["甲县"] == pytest.approx(0.0, abs=1e-6)
    assert by_name["丙县"] == pytest.approx(2 * by_name["乙县"], rel=0.01)
    assert 90 < by_name["乙县"] < 100  # one degree of longitude at 30.5°N ≈ 96 km
    two = coverage.nearest_airports(_airports((100.5, 30.5), (102.5, 30.5)), gazetteer=row_of_squares)
    assert two.set_index("name").loc["丙县", "airport_id"] == "today1"
    with pytest.raises(GeoError):
        coverage.nearest_airports(_airports(), gazetteer=row_of_squares)


def test_coverage_counts_units_and_area(row_of_squares):
    airports = _airports((100.5, 30.5))
    small = coverage.airport_coverage(airports, 20.0, gazetteer=row_of_squares)
    assert (small.units_within, small.units_total) == (1, 4)
    # a 20 km disc lies wholly inside 甲 (a square ~96 × 111 km)
    assert small.area_within_km2 == pytest.approx(3.14159265 * 20.0**2, rel=1e-3)
    squares = [box(100, 30, 101, 31), box(101, 30, 102, 31), box(102, 30, 103, 31), box(101, 31, 102, 32)]
    assert small.area_total_km2 == pytest.approx(to_metric(shapely.union_all(squares)).area / 1e6, rel=1e-6)
    large = coverage.airport_coverage(airports, 1000.0, gazetteer=row_of_squares)
    assert large.unit_share == 1.0 and large.area_share == pytest.approx(1.0)
    with pytest.raises(GeoError):
        coverage.airport_coverage(airports, 0, gazetteer=row_of_squares)


def test_gains_are_units_within_with_the_plan_and_not_today(row_of_squares):
    today = _airports((100.5, 30.5))
    plan = pd.concat([today, _airports((102.5, 30.5), source="plan")], ignore_index=True)
    table = coverage.county_table(
        coverage.nearest_airports(today, gazetteer=row_of_squares),
        coverage.nearest_airports(plan, gazetteer=row_of_squares),
        50.0,
    )
    assert list(table.loc[table["within_today"], "name"]) == ["甲县"]
    gains = coverage.gained_counties(table)
    assert list(gains["name"]) == ["丙县"]  # 乙 and 丁 are ~96 km from either airport
    assert (table["distance_km_plan"] <= table["distance_km_today"]).all()


# ---------------------------------------------------------------- the shipped data


def test_today_airports_follow_the_reference_by_rule():
    reference = load_airports()
    today = coverage.today_airports(reference)
    ids = set(today["id"])
    # the airports the old default left out are in operation today and counted
    assert {"YBP", "LZO", "XIC", "MIG", "PZI", "TFU", "CTU", "CKG"} <= ids
    # placeholders, air bases, airports under construction and other countries are not
    assert "LSG" not in ids and "WNJ" not in ids and "AEB" not in ids and "HKG" not in ids
    names = " ".join(today["name"]).lower()
    assert "under construction" not in names and "air base" not in names
    assert (today["precision"] == "exact").all() and set(today["source"]) == {"today"}


def test_plan_adds_only_airports_missing_from_the_reference(catalogue):
    additions = coverage.plan_additions(catalogue)
    aviation = catalogue[catalogue["layer"] == "aviation"]
    assert set(additions["id"]) == set(aviation.loc[aviation["precision"] != "exact", "id"])
    assert {"air-leshan", "air-yaan", "air-wanyuan"} <= set(additions["id"])
    assert len(additions[additions["id"] == "air-neijiang-zigong"]) == 2  # both seats it names
    with pytest.raises(GeoError):
        coverage.scenario_airports(catalogue, "existing")


def test_plan_covers_at_least_what_today_covers(reports):
    today, plan = reports["today"], reports["plan"]
    assert plan.coverage.units_within >= today.coverage.units_within
    assert plan.coverage.area_within_km2 >= today.coverage.area_within_km2
    assert today.coverage.units_total == plan.coverage.units_total == 221  # 183 + 38 county units
    assert 560_000 < today.coverage.area_total_km2 < 575_000
    assert plan.coverage.units_within - today.coverage.units_within == len(today.gains) > 0
    # with every operating airport counted, no county seat is 400+ km from one (攀枝花 has its own)
    assert today.table["distance_km_today"].max() < 200
    panzhihua = today.table[today.table["prefecture"] == "攀枝花市"]
    assert (panzhihua["airport_id_today"] == "PZI").all()
    gained = set(today.gains["name"])
    assert {"雨城区", "万源市"} <= gained  # 雅安 and 万源 airports the plan names
    for scenario in coverage.SCENARIOS:
        data = reports[scenario].to_dict()
        assert data["population"] is None and "census" in data["population_note"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )


def test_cli_coverage_json_matches_the_report(reports):
    result = _cli("coverage", "--scenario", "today", "--radius-km", "100", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(reports["today"].to_dict(), ensure_ascii=False))
    assert len(data["counties"]) == 221
    assert sum(c["within"] for c in data["counties"]) == data["units"]["within"]
    assert {c["adcode"] for c in data["counties"] if c["gains_with_plan"]} == set(data["gained_with_plan"])


@pytest.mark.parametrize(
    "args, message",
    [
        (("coverage", "--scenario", "mars"), "invalid choice"),
        (("coverage", "--radius-km", "abc"), "not a number"),
        (("coverage", "--radius-km", "-5"), "radius must be"),
        (("corridor", "no such line"), "unknown corridor"),
        (("corridor",), "give a corridor"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message, capsys):
    from geo.cli import main

    try:
        status = main(list(args))
    except SystemExit as exit:  # argparse's own errors
        status = exit.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_corridor_json(catalogue, capsys):
    from geo.analysis import DEFAULT_CORRIDOR, corridor_report, find_corridor
    from geo.cli import main

    assert main(["corridor", DEFAULT_CORRIDOR, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == corridor_report(find_corridor(catalogue, DEFAULT_CORRIDOR))
    assert main(["corridor", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == len(
        catalogue[
            catalogue.geom_type.isin(["LineString", "MultiLineString"])
            & catalogue["layer"].isin(["railway", "highway", "waterway"])
        ]
    )
