"""The progress ledger on both backends: SQLite (a scratch file) and PostgreSQL (a throwaway cluster).

Round trips through the command line, concurrent writers, bad input refused with nothing written,
corrections, and migrations from an empty and from a previous-version database.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from geo.cli import main
from geo.clock import plan_today
from geo.errors import ProgressError
from geo.progress import (
    NewEvent,
    add_event,
    latest_as_of,
    list_events,
    open_ledger,
    parse_event_date,
)
from geo.progress.ledger import DATE_PRECISIONS
from geo.progress.store import create_engine, current_revision, head_revision, migrate

SEED_EVENTS = 5
WRITERS = 20


def run_cli(capsys, database: str, *args: str) -> tuple[int, str, str]:
    code = main(["progress", "--database", database, *args])
    out, err = capsys.readouterr()
    return code, out, err


def count(database: str) -> int:
    return len(list_events(open_ledger(database)))


# -- command line round trips ---------------------------------------------------------------------
def test_add_then_list_round_trip(database, capsys):
    code, out, err = run_cli(
        capsys, database, "add", "air-leshan", "--date", "2022-08", "--phase", "开工",
        "--source", "乐山日报 2022-08", "--note", "开工仪式", "--author", "monitor",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "air-leshan 2022-08 开工" in out
    code, out, _ = run_cli(capsys, database, "list", "air-leshan", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 1
    assert {
        k: listed[0][k] for k in ("item_id", "date", "precision", "phase", "source", "note", "author")
    } == {
        "item_id": "air-leshan",
        "date": "2022-08",
        "precision": "month",
        "phase": "开工",
        "source": "乐山日报 2022-08",
        "note": "开工仪式",
        "author": "monitor",
    }
    code, out, _ = run_cli(capsys, database, "list", "--json")
    assert len(json.loads(out)) == SEED_EVENTS + 1  # a new ledger starts with the shipped seed events


def test_export_then_import_round_trip_keeps_corrections(database, tmp_path, capsys):
    run_cli(
        capsys, database, "add", "air-wanzhou", "--date", "2023", "--phase", "前期研究", "--source", "doc A"
    )
    first = json.loads(run_cli(capsys, database, "list", "air-wanzhou", "--json")[1])[0]["id"]
    code, _, err = run_cli(
        capsys, database, "add", "air-wanzhou", "--date", "2023-05-02", "--phase", "可研批复",
        "--source", "doc B", "--supersedes", str(first),
    )  # fmt: skip
    assert (code, err) == (0, "")
    exported = tmp_path / "events.csv"
    assert run_cli(capsys, database, "export", "--format", "csv", "--out", str(exported))[0] == 0

    target = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    open_ledger(target, seed=False)  # an empty ledger: the file brings the seed events itself
    code, out, err = run_cli(capsys, target, "import", str(exported))
    assert (code, err) == (0, "") and f"imported {SEED_EVENTS + 2} events" in out

    def content(url):
        events = list_events(open_ledger(url))
        by_id = {e.id: e for e in events}
        return sorted(
            (e.item_id, e.date_text, e.phase, e.source, e.note, e.author,
             by_id[e.supersedes].source if e.supersedes else None)
            for e in events
        )  # fmt: skip

    assert content(target) == content(database)
    json_out = run_cli(capsys, target, "export", "--format", "json")[1]
    assert [e["phase"] for e in json.loads(json_out) if e["item_id"] == "air-wanzhou"] == [
        "前期研究",
        "可研批复",
    ]


def test_phases_vocabulary_on_the_command_line(capsys):
    assert main(["progress", "phases", "--json"]) == 0
    phases = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in phases][:3] == ["前期研究", "可研批复", "开工"]
    assert {"建成投运", "暂缓", "取消"} <= {p["id"] for p in phases}


def test_listing_an_unknown_item_is_one_line(database, capsys):
    code, out, err = run_cli(capsys, database, "list", "air-nowhere")
    assert code == 2 and out == "" and err == "error: unknown item: 'air-nowhere'\n"


# -- bad input: exit 2, one line, nothing written -------------------------------------------------
FUTURE = (plan_today() + timedelta(days=40)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["air-nowhere", "--date", "2023-01", "--phase", "开工", "--source", "x"], "unknown item"),
        (["air-leshan", "--date", FUTURE, "--phase", "开工", "--source", "x"], "date in the future"),
        (["air-leshan", "--date", "2023-02-30", "--phase", "开工", "--source", "x"], "bad date"),
        (["air-leshan", "--date", "2023-01", "--phase", "快建成了", "--source", "x"], "unknown phase"),
        (["air-leshan", "--date", "2023-01", "--phase", "开工", "--source", "  "], "empty source"),
        (["air-leshan", "--date", "2023-01", "--phase", "开工", "--source", "x", "--supersedes", "999"], "unknown event"),
    ],
)  # fmt: skip
def test_bad_event_is_refused_with_nothing_written(database, capsys, args, message):
    before = count(database)
    code, out, err = run_cli(capsys, database, "add", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert count(database) == before


def test_import_is_all_or_nothing_and_names_the_line(database, tmp_path, capsys):
    before = count(database)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"item_id,date,phase,source\nair-leshan,2022-08,开工,src 1\nair-wanzhou,{FUTURE},开工,src 2\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, database, "import", str(bad))
    assert code == 2 and err.strip() == "error: line 3: date in the future: " + FUTURE
    no_source = tmp_path / "no-source.csv"
    no_source.write_text("item_id,date,phase\nair-leshan,2022-08,开工\n", encoding="utf-8")
    code, _, err = run_cli(capsys, database, "import", str(no_source))
    assert code == 2 and "missing column(s): source" in err
    assert count(database) == before


def test_a_second_correction_of_the_same_event_is_refused(database):
    ledger = open_ledger(database)
    first = add_event(ledger, NewEvent("air-yaan", "2022", "前期研究", "src"))
    add_event(ledger, NewEvent("air-yaan", "2022-03", "前期研究", "src 2", supersedes=first.id))
    before = count(database)
    with pytest.raises(ProgressError, match="already superseded"):
        add_event(ledger, NewEvent("air-yaan", "2022-04", "开工", "src 3", supersedes=first.id))
    with pytest.raises(ProgressError, match="is about air-yaan"):
        add_event(ledger, NewEvent("air-leshan", "2022-04", "开工", "src 4", supersedes=first.id))
    assert count(database) == before


# -- concurrency ---------------------------------------------------------------------------------
def _write_one(args: tuple[str, int]) -> int:
    url, n = args
    from geo.progress.store import Ledger

    engine = create_engine(url)  # each writer its own connection pool, as separate processes have
    try:
        event = add_event(
            Ledger(engine, url),
            NewEvent("air-neijiang-zigong", f"2024-01-{n + 1:02d}", "建设中", f"writer {n}"),
        )
        return event.id
    finally:
        engine.dispose()


def _open_and_count(url: str) -> int:
    from geo.progress.store import forget_inherited

    forget_inherited()  # a fresh process's view: no engine inherited from the parent
    return len(list_events(open_ledger(url)))


def test_concurrent_first_opens_create_the_ledger_once(database):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        counts = pool.map(_open_and_count, [database] * 4, chunksize=1)
    assert counts == [SEED_EVENTS] * 4 and count(database) == SEED_EVENTS


def test_concurrent_writers_lose_no_event(database):
    open_ledger(database)  # migrated once, as the app or the first command would
    before = count(database)
    context = multiprocessing.get_context("fork")
    with context.Pool(WRITERS) as pool:
        ids = pool.map(_write_one, [(database, n) for n in range(WRITERS)], chunksize=1)
    assert len(set(ids)) == WRITERS
    events = [e for e in list_events(open_ledger(database)) if e.item_id == "air-neijiang-zigong"]
    assert sorted(e.source for e in events) == sorted(f"writer {n}" for n in range(WRITERS))
    assert count(database) == before + WRITERS


# -- migrations ----------------------------------------------------------------------------------
def test_migrations_create_an_empty_database(database):
    engine = create_engine(database)
    assert current_revision(engine) is None
    assert migrate(engine) is None
    assert current_revision(engine) == head_revision() == "0004"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("progress_events")}
    assert {"item_id", "event_date", "date_precision", "phase", "source", "supersedes"} <= columns
    engine.dispose()
    assert count(database) == SEED_EVENTS


def test_migrations_upgrade_a_previous_version_keeping_its_events(database):
    engine = create_engine(database)
    migrate(engine, "0001", seed=False)
    assert current_revision(engine) == "0001"
    assert "supersedes" not in {c["name"] for c in sa.inspect(engine).get_columns("progress_events")}
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO progress_events (item_id, event_date, date_precision, phase, source, note, author, recorded_at) "
                "VALUES ('air-tianfu', :day, 'day', '建成投运', 'an earlier record', '', 'old', :now)"
            ),
            {"day": date(2021, 6, 27), "now": datetime(2024, 1, 1, tzinfo=UTC)},
        )
    engine.dispose()
    ledger = open_ledger(database)  # upgrades to the head revision; no seeding into a used ledger
    assert current_revision(ledger.engine) == "0004"
    events = list_events(ledger)
    assert [(e.item_id, e.source, e.supersedes) for e in events] == [
        ("air-tianfu", "an earlier record", None)
    ]
    corrected = add_event(
        ledger, NewEvent("air-tianfu", "2021-06", "建成投运", "corrected", supersedes=events[0].id)
    )
    assert latest_as_of(list_events(ledger), date(2022, 1, 1))["air-tianfu"].id == corrected.id


# -- dates and "as of" -------------------------------------------------------------------------------
def test_event_dates_keep_their_precision():
    assert parse_event_date("2024") == (date(2024, 1, 1), "year")
    assert parse_event_date("2024-06") == (date(2024, 6, 1), "month")
    assert parse_event_date("2024-06-18") == (date(2024, 6, 18), "day")
    assert {parse_event_date(t)[1] for t in ("2024", "2024-06", "2024-06-18")} == set(DATE_PRECISIONS)
    for bad in ("24-06", "2024/06", "2024-13", "June 2024", ""):
        with pytest.raises(ProgressError):
            parse_event_date(bad)


def test_latest_as_of_counts_an_event_from_the_start_of_its_period(tmp_path):
    ledger = open_ledger(f"sqlite:///{tmp_path / 'l.sqlite'}", seed=False)
    add_event(ledger, NewEvent("air-wanyuan", "2022-06", "开工", "a"))
    add_event(ledger, NewEvent("air-wanyuan", "2024-02-10", "建成投运", "b"))
    events = list_events(ledger)
    assert "air-wanyuan" not in latest_as_of(events, date(2022, 5, 31))
    assert latest_as_of(events, date(2022, 6, 1))["air-wanyuan"].phase == "开工"
    assert latest_as_of(events, date(2024, 2, 9))["air-wanyuan"].phase == "开工"
    assert latest_as_of(events, date(2024, 2, 10))["air-wanyuan"].phase == "建成投运"


def test_csv_export_is_readable_as_a_table(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    text = run_cli(capsys, url, "export", "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == SEED_EVENTS and all(row["source"].strip() for row in rows)


# -- settings ------------------------------------------------------------------------------------
def test_database_setting_environment_then_secrets_then_a_user_data_file(tmp_path, monkeypatch):
    from geo.progress.settings import ROOT, database_url

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('PLANMAP_DATABASE_URL = "postgresql://planner@db.example/plan"\n', encoding="utf-8")
    monkeypatch.setenv("PLANMAP_DATABASE_URL", "sqlite:////srv/ledger.sqlite")
    assert database_url(secrets) == "sqlite:////srv/ledger.sqlite"
    monkeypatch.delenv("PLANMAP_DATABASE_URL")
    assert database_url(secrets) == "postgresql+psycopg://planner@db.example/plan"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = database_url(tmp_path / "missing.toml")
    assert url == f"sqlite:///{tmp_path / 'xdg' / 'chengyu-plan' / 'progress.sqlite'}"
    assert str(ROOT / "data") not in url


def test_an_unreachable_database_is_one_line(capsys, tmp_path):
    url = f"postgresql://nobody@/none?host={tmp_path}&port=1"
    code, out, err = run_cli(capsys, url, "list")
    assert code == 2 and err.startswith("error: cannot open the progress database") and err.count("\n") == 1


def test_seed_events_are_sourced_public_record():
    from geo.progress.csvfile import parse_import_csv
    from geo.progress.ledger import SEED_PATH, validate_event

    events, _, _ = parse_import_csv(SEED_PATH.read_text(encoding="utf-8"))
    for event in events:
        validate_event(event)  # known item, known phase, a past date, a source
        assert "http" in event.source and event.note, event
