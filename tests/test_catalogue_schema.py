"""The catalogue schema and provenance checks, on entries made in code."""

import pytest

from geo.catalogue import catalogue_problems, entry_from_mapping, entry_problems, read_catalogue_file
from geo.errors import CatalogueError, DataError
from geo.plan import load_plan


def make(**overrides):
    raw = {
        "id": "air-tianfu",
        "name": "成都天府国际机场",
        "layer": "aviation",
        "status": "建成",
        "tasks": [9],
        "sentence": 1,
        "quote": "高质量建成成都天府国际机场",
        "geometry": {"airport": "TFU", "city": "成都"},
    }
    raw.update(overrides)
    return entry_from_mapping(raw, file="test.yaml")


def test_a_sound_entry_has_no_problems():
    assert entry_problems(make(), load_plan()) == []


def test_quote_must_be_verbatim_in_the_task():
    problems = entry_problems(make(quote="高质量建成成都天府国际空港"), load_plan())
    assert len(problems) == 1 and "not verbatim" in problems[0]


def test_quote_must_sit_in_the_named_sentence():
    problems = entry_problems(make(sentence=2), load_plan())
    assert problems == ["air-tianfu: quote is not in sentence 2 of task 9 (found in 1)"]


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("layer", "airports", "unknown layer"),
        ("status", "已完成", "unknown status"),
        ("tasks", [48], "no task [48]"),
        ("id", "Air Tianfu", "lowercase ASCII"),
        ("geometry", {"seat": "成都", "via": ["成都", "重庆"]}, "exactly one of"),
    ],
)
def test_each_schema_rule_reports_its_problem(field, value, needle):
    problems = entry_problems(make(**{field: value}), load_plan())
    assert any(needle in p for p in problems), problems


def test_missing_and_unknown_fields_raise_with_the_entry_id():
    with pytest.raises(CatalogueError, match="air-x: missing field"):
        entry_from_mapping({"id": "air-x", "name": "x"})
    with pytest.raises(CatalogueError, match="unknown field"):
        make(colour="red")


def test_duplicate_ids_are_reported():
    problems = catalogue_problems([make(), make()], load_plan())
    assert any("duplicate id" in p for p in problems)


def test_a_broken_yaml_file_gives_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_catalogue_file(path)
    assert "\n" not in str(info.value) and "bad.yaml" in str(info.value)
