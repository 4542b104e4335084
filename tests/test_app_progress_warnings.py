"""The warnings panel of /progress lists exactly the warnings the library computes for the day, rule
by rule, in Chinese and in English; a rule that flags nothing says so; a ledger that cannot be used
is the one fault message and no panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.clock import plan_today
from geo.features import catalogue_frame
from geo.progress import NewEvent, add_event, list_events, open_ledger
from geo.progress.warnings import evaluate, load_rules
from tests.apptest import page_script, run_script, scratch_ledger

PAGE = page_script("progress")
# A 开工建设 item the seed events say nothing about, and a source with no web address (and marks
# that would be HTML or Markdown if they were not shown as text).
PLANTED_ITEM = "hw-dazhu-dianjiang"
PLANTED_SOURCE = "某日报 2024-03-01 第3版 <b>[x](javascript:alert(1))</b>"


def _expected(url: str) -> dict[str, list]:
    """Rule id → the library's warnings for the page's day, in the library's order."""
    frame = catalogue_frame()
    items = dict(zip(frame["id"], frame["status"], strict=True))
    found = evaluate(load_rules(), items, list_events(open_ledger(url)), plan_today())
    return {rule.id: [w for w in found if w.rule == rule.id] for rule in load_rules()}


def _panel(at: AppTest) -> dict[str, object]:
    """Rule id → its section of the panel (found by the rule line each section starts with)."""
    sections = {}
    for expander in at.expander:
        captions = [c.value for c in expander.caption]
        if captions and captions[0].split(" ")[0] in ("规则", "Rule"):
            sections[captions[0].split(" ", 1)[1]] = expander
    return sections


def _check_panel(at: AppTest, expected: dict[str, list], lang: str) -> None:
    assert not at.exception, at.exception
    assert ("Warnings" if lang == "en" else "预警") in [h.value for h in at.header]
    sections = _panel(at)
    assert list(sections) == list(expected)  # every rule, in the file's order
    rules = {rule.id: rule for rule in load_rules()}
    for rule_id, warnings in expected.items():
        section = sections[rule_id]
        assert section.label.endswith(f" · {len(warnings)}"), section.label
        # The label is the rule's own data: its due day or its months.
        rule = rules[rule_id]
        assert (rule.due.isoformat() if rule.due else str(rule.months or "")) in section.label
        if not warnings:
            assert not section.dataframe
            continue
        (table,) = [df.value for df in section.dataframe]
        assert list(table["ID" if lang == "en" else "编号"]) == [w.item_id for w in warnings]
        reasons = table["Reason" if lang == "en" else "原因"]
        assert list(reasons) == [w.message(lang) for w in warnings]
        suffix = "&lang=en" if lang == "en" else ""
        links = table["Map" if lang == "en" else "地图"]
        assert list(links) == [f"/map?feature={w.item_id}{suffix}" for w in warnings]


def test_the_panel_lists_the_library_warnings_in_chinese(tmp_path, monkeypatch):
    url = scratch_ledger(tmp_path, monkeypatch)
    at = run_script(PAGE)
    expected = _expected(url)
    # The seed events all cite a web address: one rule flags nothing, others flag items.
    assert expected["source-without-link"] == [] and expected["start-overdue"]
    _check_panel(at, expected, "zh")
    (empty,) = [c.value for c in _panel(at)["source-without-link"].caption][1:]
    assert "没有要素触发此规则" in empty
    total = sum(len(w) for w in expected.values())
    assert any(f"共有 {total} 条预警" in c.value for c in at.caption)


def test_the_panel_lists_the_library_warnings_in_english(tmp_path: Path, monkeypatch):
    url = scratch_ledger(tmp_path, monkeypatch)
    run_script(PAGE)  # the page makes the new ledger with its seed events
    add_event(open_ledger(url), NewEvent(PLANTED_ITEM, "2024-03-01", "开工", PLANTED_SOURCE, "", "test"))
    at = run_script(PAGE, lang="en")
    expected = _expected(url)
    flagged = [w.item_id for w in expected["source-without-link"]]
    assert flagged == [PLANTED_ITEM]
    assert PLANTED_ITEM not in [w.item_id for w in expected["start-overdue"]]
    _check_panel(at, expected, "en")
    table = _panel(at)["source-without-link"].dataframe[0].value
    assert list(table["Latest event"]) == ["2024-03-01"]
    assert list(table["Source"]) == [PLANTED_SOURCE]  # a table cell: text, never HTML
    assert list(table["Item"]) == ["Dazhu–Dianjiang Expressway"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ledger_fault_is_one_message_and_no_panel(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PLANMAP_DATABASE_URL", "garbage://x")
    at = run_script(PAGE, lang=lang)
    assert not at.exception, at.exception
    (error,) = at.error
    expected = "The progress database cannot be used" if lang == "en" else "进展数据库无法使用"
    assert expected in error.value
    assert not at.expander and ("Warnings" if lang == "en" else "预警") not in [h.value for h in at.header]
