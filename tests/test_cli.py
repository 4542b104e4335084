"""``python -m geo`` run as a subprocess: JSON outputs, tables, and exit status 2 on bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, env=env, timeout=120
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def run_json(*args):
    code, out, err = run(*args)
    assert code == 0, err
    return json.loads(out)


def test_tasks_json():
    tasks = run_json("tasks", "--json")
    assert len(tasks) == 47
    assert [t["number"] for t in tasks] == list(range(1, 48))
    first = tasks[0]
    assert set(first) == {"number", "chapter", "title", "text", "sentences"}
    assert first["title"] == "推动重庆成都双核引领相向发展"
    assert first["sentences"][0].startswith(first["title"])
    assert tasks[46]["chapter"] == 10


def test_tasks_table():
    code, out, _ = run("tasks")
    assert code == 0
    assert "推动重庆成都双核引领相向发展" in out
    assert len(out.strip().splitlines()) == 47 + 2


def test_place_json():
    rows = run_json("place", "遂宁", "江北", "贵州/赤水", "--json")
    assert [r["query"] for r in rows] == ["遂宁", "江北", "贵州/赤水"]
    assert [r["adcode"] for r in rows] == ["510900", "500105", "520381"]
    assert rows[0] | {"lon": 0, "lat": 0} == {
        "query": "遂宁",
        "adcode": "510900",
        "name": "遂宁市",
        "short_name": "遂宁",
        "level": "prefecture",
        "province": "四川省",
        "lon": 0,
        "lat": 0,
        "note": None,
    }
    assert 105 < rows[0]["lon"] < 106 and 30 < rows[0]["lat"] < 31


def test_place_nonunit_gives_its_unit_with_a_note():
    [row] = run_json("place", "两江新区", "--json")
    assert row["name"] == "渝北区"
    assert "not an administrative unit" in row["note"]


def test_place_grouping_gives_one_row_per_member():
    rows = run_json("place", "川南", "--json")
    assert {r["name"] for r in rows} == {"自贡市", "泸州市", "内江市", "宜宾市"}
    assert {r["query"] for r in rows} == {"川南"}


def test_place_geojson_boundary_or_point():
    collection = run_json("place", "遂宁", "兰州", "--geojson")
    assert collection["type"] == "FeatureCollection"
    suining, lanzhou = collection["features"]
    assert suining["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert suining["properties"]["geometry_kind"] == "boundary"
    assert lanzhou["geometry"]["type"] == "Point"
    assert lanzhou["geometry"]["coordinates"] == [lanzhou["properties"]["lon"], lanzhou["properties"]["lat"]]


def test_tasks_for_json():
    [result] = run_json("tasks-for", "遂宁", "--json")
    assert result["query"] == "遂宁"
    tasks = {t["task"]: t for t in result["tasks"]}
    assert {2, 3, 7} <= set(tasks)
    two = tasks[2]
    assert two["how"] == "direct" and two["title"] == "培育发展现代化都市圈"
    sentence = next(s for s in two["sentences"] if "遂宁" in s["text"])
    assert sentence["index"] == 3
    assert any(sentence["text"][sp["start"] : sp["end"]] == "遂宁" for sp in sentence["spans"])


def test_tasks_for_table_and_several_names():
    code, out, _ = run("tasks-for", "遂宁", "射洪", "--no-inherited")
    assert code == 0
    assert "遂宁: " in out and "射洪: 0 项任务" in out
    assert "培育发展现代化都市圈" in out
    code, out, _ = run("tasks-for", "射洪")
    assert code == 0
    assert "射洪: 10 项任务(点名 0,承接 10)" in out
    assert "遂宁 (所属市)" in out and "成都平原经济区 (组合)" in out


def test_tasks_for_county_inherits_with_how_and_via():
    [result] = run_json("tasks-for", "大竹县", "--json")
    tasks = {t["task"]: t for t in result["tasks"]}
    assert {4, 35, 46} <= set(tasks)
    assert tasks[4]["how"] == "grouping" and tasks[4]["received"]
    assert {"how": "prefecture", "via": "达州"} in tasks[4]["routes"]
    assert tasks[35]["via"] == "万达开" and tasks[46]["via"] == "万达开"
    assert tasks[7]["how"] == "direct" and tasks[7]["via"] is None and not tasks[7]["received"]
    [named] = run_json("tasks-for", "大竹县", "--json", "--no-inherited")
    assert {t["task"] for t in named["tasks"]} == {7, 11}
    [by_code] = run_json("tasks-for", "511724", "--json")
    assert by_code["tasks"] == result["tasks"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("成达万", "rail-chengdu-dazhou-wanzhou"),
        ("渝西高铁", "rail-chongqing-xian"),
        ("天府机场", "air-tianfu"),
        ("成渝中线高铁", "rail-chengyu-middle"),
        ("万州机场", "air-wanzhou"),
    ],
)
def test_search_finds_planners_names_first(query, first):
    results = run_json("search", query, "--json")
    assert results[0]["id"] == first
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_search_table_and_unknown():
    code, out, _ = run("search", "天府机场")
    assert code == 0
    assert out.splitlines()[2].startswith("air-tianfu")
    code, out, err = run("search", "不存在东西")
    assert code == 2 and not out
    assert err.startswith("error: no catalogue item matches") and "did you mean" in err
    assert len(err.strip().splitlines()) == 1


def test_utf8_output_whatever_the_locale():
    code, out, _ = run("place", "遂宁", env_extra={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"})
    assert code == 0
    assert "遂宁市" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("place", "市中"), "市中区 (四川省内江市"),
        (("tasks-for", "市中", "--json"), "ambiguous place: 市中"),
        (("place", "不存在的地方", "--json"), "unknown place: 不存在的地方"),
        (("place", "遂宁x"), "did you mean: 遂宁"),
    ],
)
def test_bad_names_exit_2_with_one_line(args, expected):
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert expected in lines[0]


def test_no_command_is_a_usage_error():
    code, _, err = run()
    assert code == 2
    assert err == "geo: error: the following arguments are required: COMMAND; see python -m geo --help\n"
