"""The catalogue schema and provenance checks, on entries made in code."""

import pytest

from geo.catalogue import (
    CATALOGUE_DIR,
    catalogue_problems,
    entry_from_mapping,
    entry_problems,
    read_catalogue_file,
)
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


def test_a_note_needs_its_chinese_version():
    note = "Opened in June 2021, in 简阳 east of the city."
    assert entry_problems(make(note=note), load_plan()) == [
        "air-tianfu: note has no Chinese version (note_zh)"
    ]
    assert entry_problems(make(note=note, note_zh="   "), load_plan()) == [
        "air-tianfu: note has no Chinese version (note_zh)"
    ]
    assert entry_problems(make(note=note, note_zh="2021年6月投运，位于城区以东的简阳。"), load_plan()) == []
    assert entry_problems(make(note_zh="没有英文备注也可以"), load_plan()) == []


def test_a_note_must_be_text():
    with pytest.raises(CatalogueError, match="air-tianfu: note_zh must be text"):
        make(note="x", note_zh=["两", "行"])


def test_a_planted_missing_note_zh_in_a_shipped_file_is_reported(tmp_path):
    shipped = CATALOGUE_DIR / "aviation.yaml"
    text = shipped.read_text(encoding="utf-8")
    entries = read_catalogue_file(shipped)
    assert not [p for p in catalogue_problems(entries, load_plan()) if "note_zh" in p]
    first = next(e for e in entries if e.note)
    line = next(ln for ln in text.splitlines(keepends=True) if ln.startswith("  note_zh: "))
    assert first.note_zh in line
    planted = tmp_path / "aviation.yaml"
    planted.write_text(text.replace(line, "", 1), encoding="utf-8")
    problems = catalogue_problems(read_catalogue_file(planted), load_plan())
    assert problems == [f"{first.id}: note has no Chinese version (note_zh)"]
