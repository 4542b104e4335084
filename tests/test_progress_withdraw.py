"""Withdrawing an event, on SQLite and PostgreSQL: only an admin, with a reason, once; the event
stays in the ledger and in every listing, and stops counting for phases, warnings and exports
from the day of the withdrawal on."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from geo.cli import main
from geo.clock import plan_today
from geo.errors import ProgressError
from geo.progress import NewEvent, add_event, effective_events, latest_as_of, list_events, open_ledger
from geo.progress.csvfile import events_csv, parse_import_csv
from geo.progress.editors import add_editor, list_editors
from geo.progress.ledger import Event, Withdrawal
from geo.progress.schema import withdrawals as withdrawals_table
from geo.progress.store import create_engine, current_revision, migrate
from geo.progress.warnings import Rule, evaluate
from geo.progress.withdrawals import withdraw_event

ADMIN = "chief@bureau.example"
EDITOR = "王工"


def run_cli(capsys, database: str, *args: str) -> tuple[int, str, str]:
    code = main(["progress", "--database", database, *args])
    out, err = capsys.readouterr()
    return code, out, err


def withdrawal_rows(database: str) -> int:
    with open_ledger(database).engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(withdrawals_table)).scalar_one()


@pytest.fixture
def ledger_with_roles(database):
    ledger = open_ledger(database)
    add_editor(ledger, ADMIN, admin=True)
    add_editor(ledger, EDITOR)
    return database


def _leshan(database: str, source: str = "乐山日报 2022-08", **kwargs) -> Event:
    return add_event(open_ledger(database), NewEvent("air-leshan", "2022-08", "开工", source, **kwargs))


def test_an_admin_withdraws_on_the_command_line_and_the_event_stays(capsys, ledger_with_roles):
    database = ledger_with_roles
    event = _leshan(database)
    code, out, err = run_cli(
        capsys, database, "withdraw", str(event.id), "--by", ADMIN, "--reason", "wrong airport"
    )
    assert (code, err) == (0, "") and f"withdrew event {event.id} as {ADMIN}" in out

    (listed,) = json.loads(run_cli(capsys, database, "list", "air-leshan", "--json")[1])
    assert listed["id"] == event.id and listed["phase"] == "开工"  # nothing of the event changed
    assert (listed["withdrawn_by"], listed["withdraw_reason"]) == (ADMIN, "wrong airport")
    withdrawn_at = datetime.fromisoformat(listed["withdrawn_at"])
    assert abs(withdrawn_at - datetime.now(UTC)) < timedelta(minutes=5)
    table = run_cli(capsys, database, "list", "air-leshan")[1]
    assert f"已撤回 withdrawn by {ADMIN}" in table

    events = list_events(open_ledger(database))
    today = plan_today()
    assert "air-leshan" not in latest_as_of(events, today)
    # As of a day before the withdrawal, the event still counts.
    assert latest_as_of(events, today - timedelta(days=1))["air-leshan"].id == event.id
    assert event.id not in {e.id for e in effective_events(events)}


@pytest.mark.parametrize(
    ("who", "event_id", "reason", "message"),
    [
        (EDITOR, None, "wrong", f"{EDITOR!r} is not an admin; only an admin can withdraw an event"),
        ("visitor", None, "wrong", "'visitor' is not an editor; only an admin can withdraw an event"),
        (ADMIN, 99999, "wrong", "unknown event: 99999"),
        (ADMIN, None, "   ", "a withdrawal needs a reason"),
        (ADMIN, None, "bad\x1breason", "control character U+001B"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(capsys, ledger_with_roles, who, event_id, reason, message):
    database = ledger_with_roles
    event = _leshan(database)
    target = str(event_id or event.id)
    code, out, err = run_cli(capsys, database, "withdraw", target, "--by", who, "--reason", reason)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1 and err.startswith("error: ")
    assert withdrawal_rows(database) == 0
    assert latest_as_of(list_events(open_ledger(database)), plan_today())["air-leshan"].id == event.id


def test_an_event_is_withdrawn_once(capsys, ledger_with_roles):
    database = ledger_with_roles
    event = _leshan(database)
    withdraw_event(open_ledger(database), event.id, by=ADMIN, reason="duplicate")
    code, _, err = run_cli(capsys, database, "withdraw", str(event.id), "--by", ADMIN, "--reason", "again")
    assert code == 2 and err.count("\n") == 1
    assert f"event {event.id} is already withdrawn (by {ADMIN!r} at " in err
    assert withdrawal_rows(database) == 1
    (listed,) = list_events(open_ledger(database), "air-leshan")
    assert listed.withdrawal.reason == "duplicate"


def test_withdrawing_a_correction_brings_back_what_it_corrected(ledger_with_roles):
    database = ledger_with_roles
    first = _leshan(database, "first report")
    correction = add_event(
        open_ledger(database),
        NewEvent("air-leshan", "2022-09", "前期研究", "corrected report", supersedes=first.id),
    )
    today = plan_today()
    assert latest_as_of(list_events(open_ledger(database)), today)["air-leshan"].id == correction.id
    withdraw_event(open_ledger(database), correction.id, by=ADMIN, reason="the correction was wrong")
    assert latest_as_of(list_events(open_ledger(database)), today)["air-leshan"].id == first.id


def test_a_withdrawn_event_cannot_be_corrected(ledger_with_roles):
    database = ledger_with_roles
    event = _leshan(database)
    withdraw_event(open_ledger(database), event.id, by=ADMIN, reason="not this airport")
    with pytest.raises(ProgressError, match=f"event {event.id} was withdrawn"):
        add_event(
            open_ledger(database),
            NewEvent("air-leshan", "2022-09", "开工", "another", supersedes=event.id),
        )


def test_exports_carry_the_withdrawal_and_an_import_refuses_it(ledger_with_roles):
    database = ledger_with_roles
    event = _leshan(database, note="first")
    withdraw_event(open_ledger(database), event.id, by=ADMIN, reason="a rumour, not a start")
    text = events_csv(list_events(open_ledger(database), "air-leshan"))
    header, row = text.splitlines()
    assert header.endswith(",withdrawn_at,withdrawn_by,withdraw_reason")
    assert row.endswith(f",{ADMIN},a rumour, not a start") or row.endswith(
        f',{ADMIN},"a rumour, not a start"'
    )
    with pytest.raises(ProgressError, match="line 2: this event was withdrawn; remove the line"):
        parse_import_csv(text)


def test_editors_have_a_role(capsys, database):
    assert run_cli(capsys, database, "editors", "add", ADMIN, "--role", "admin")[0] == 0
    assert run_cli(capsys, database, "editors", "add", EDITOR, "--role", "editor")[0] == 0
    assert run_cli(capsys, database, "editors", "add", "third")[0] == 0
    assert [(e.name, e.is_admin) for e in list_editors(open_ledger(database))] == [
        (ADMIN, True),
        ("third", False),
        (EDITOR, False),
    ]
    table = run_cli(capsys, database, "editors", "list")[1]
    assert "角色" in table and any(ADMIN in line and "admin" in line for line in table.splitlines())


def test_a_ledger_of_the_previous_revision_gains_withdrawals_keeping_its_editors(database):
    engine = create_engine(database)
    try:
        migrate(engine, "0003")
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO progress_editors (name, is_admin, added_at) VALUES (:n, :a, :t)"),
                {"n": ADMIN, "a": True, "t": datetime(2025, 1, 1, tzinfo=UTC)},
            )
        migrate(engine)
        assert current_revision(engine) == "0004"
    finally:
        engine.dispose()
    event = _leshan(database)
    withdraw_event(open_ledger(database), event.id, by=ADMIN, reason="test of an upgraded ledger")
    assert list_events(open_ledger(database), "air-leshan")[0].withdrawn()


# -- "as of" a day and the withdrawal's day (no database needed) ------------------------------------
def _event(event_id: int, source: str, withdrawn_at: datetime | None = None) -> Event:
    return Event(
        id=event_id,
        item_id="item",
        event_date=date(2022, 5, 1),
        precision="day",
        phase="开工",
        source=source,
        note="",
        author="test",
        recorded_at=datetime(2022, 5, 2, tzinfo=UTC),
        supersedes=None,
        withdrawal=None if withdrawn_at is None else Withdrawal(ADMIN, withdrawn_at, "wrong"),
    )


def test_a_withdrawal_counts_from_its_own_day_on():
    at = datetime(2024, 3, 10, 20, 0, tzinfo=UTC)  # already 11 March in Chengdu
    day = plan_today(at)
    assert day == date(2024, 3, 11)
    events = [_event(1, "https://example.org/a", withdrawn_at=at)]
    assert latest_as_of(events, day - timedelta(days=1))["item"].id == 1
    assert latest_as_of(events, day) == {}
    assert latest_as_of(events, day + timedelta(days=400)) == {}


def test_warnings_ignore_a_withdrawn_event_from_its_day_on():
    rule = Rule("no-link", "source_without_link", "无链接", "no link")
    at = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
    day = plan_today(at)
    events = [_event(1, "某日报 第3版", withdrawn_at=at)]
    assert [w.item_id for w in evaluate([rule], {"item": "推进"}, events, day - timedelta(days=1))] == [
        "item"
    ]
    assert evaluate([rule], {"item": "推进"}, events, day) == []
