"""Warnings of the progress ledger: the shipped rules on a planted ledger give exactly the
expected warnings on two days; a broken rules file is reported by its problems."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from geo.check import warning_rule_problems
from geo.cli import main
from geo.progress.ledger import Event
from geo.progress.warnings import evaluate, load_rules, rule_problems

ITEMS = {"item-start": "开工建设", "item-speed": "加快建设", "item-other": "推进"}


def _event(
    event_id: int, item: str, day: date, phase: str, source: str, supersedes: int | None = None
) -> Event:
    return Event(
        id=event_id,
        item_id=item,
        event_date=day,
        precision="day",
        phase=phase,
        source=source,
        note="",
        author="test",
        recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
        supersedes=supersedes,
    )


PLANTED = [
    _event(1, "item-start", date(2022, 3, 1), "可研批复", "发改委批复 https://example.org/approval"),
    _event(2, "item-other", date(2021, 1, 10), "开工", "某日报 2021-01-11 第3版"),
    # A start recorded, then corrected away: the correction's phase is what counts.
    _event(3, "item-start", date(2022, 5, 1), "开工", "https://example.org/wrong"),
    _event(4, "item-start", date(2022, 5, 1), "前期研究", "https://example.org/right", supersedes=3),
]


def _found(day: date) -> set[tuple[str, str]]:
    return {(w.rule, w.item_id) for w in evaluate(load_rules(), ITEMS, PLANTED, day)}


def test_the_planted_ledger_on_two_days():
    assert _found(date(2022, 6, 30)) == {("source-without-link", "item-other")}
    assert _found(date(2024, 6, 30)) == {
        ("start-overdue", "item-start"),
        ("accelerate-without-event", "item-speed"),
        ("stale", "item-start"),
        ("stale", "item-other"),
        ("source-without-link", "item-other"),
    }


def test_messages_in_both_languages_name_the_day():
    warnings = evaluate(load_rules(), ITEMS, PLANTED, date(2024, 6, 30))
    stale = next(w for w in warnings if w.rule == "stale" and w.item_id == "item-other")
    assert "2024-06-30" in stale.message_zh and "开工" in stale.message_zh
    assert "construction started" in stale.message_en and "24 months" in stale.message_en


def test_the_shipped_rules_are_sound_and_broken_ones_are_named():
    assert warning_rule_problems() == []
    problems = rule_problems(
        {
            "rules": [
                {
                    "id": "x",
                    "kind": "no_phase_by",
                    "statuses": ["开工"],
                    "phases": ["动工"],
                    "zh": "{oops}",
                    "en": "e",
                },
                {"id": "x", "kind": "sometimes", "zh": "z", "en": "e"},
            ]
        }
    )
    text = "\n".join(problems)
    assert "needs 'due'" in text and "unknown status '开工'" in text and "unknown phase '动工'" in text
    assert "bad placeholder" in text and "duplicate id" in text and "unknown kind 'sometimes'" in text


def test_the_command_line_lists_them_as_json(capsys):
    assert main(["progress", "warnings", "--as-of", "2024-06-30", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == "2024-06-30"
    assert set(document["counts"]) == {rule.id for rule in load_rules()}
    assert sum(document["counts"].values()) == len(document["warnings"]) > 0
    assert main(["progress", "warnings", "--as-of", "2024-02-30"]) == 2
    assert "bad --as-of date" in capsys.readouterr().err
