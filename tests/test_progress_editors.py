"""Named editors in the ledger's database: ``progress editors add|list|remove`` on SQLite and
PostgreSQL, with names checked and every refusal one line and exit status 2."""

from __future__ import annotations

import json

import pytest

from geo.cli import main
from geo.progress import open_ledger
from geo.progress.editors import find_editor, list_editors
from geo.progress.store import create_engine, current_revision, head_revision, migrate


def run_cli(capsys, database: str, *args: str) -> tuple[int, str, str]:
    code = main(["progress", "--database", database, "editors", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_remove(capsys, database):
    assert run_cli(capsys, database, "add", "王工")[0] == 0
    assert run_cli(capsys, database, "add", "chief@bureau.example", "--admin")[0] == 0
    code, out, _ = run_cli(capsys, database, "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(e["name"], e["admin"]) for e in listed] == [("chief@bureau.example", True), ("王工", False)]
    code, out, _ = run_cli(capsys, database, "list")
    assert code == 0 and "王工" in out and "admin" in out
    assert find_editor(open_ledger(database), "王工") is not None

    code, out, _ = run_cli(capsys, database, "remove", "王工")
    assert code == 0 and "王工" in out
    assert [e.name for e in list_editors(open_ledger(database))] == ["chief@bureau.example"]
    assert find_editor(open_ledger(database), "王工") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", ""), "cannot be empty"),
        (("add", "bad\x1bname"), "control character U+001B"),
        (("add", "x" * 81), "at most 80 characters, not 81"),
        (("add", " padded"), "start or end with a space"),
        (("remove", "nobody"), "'nobody' is not an editor"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(capsys, database, args, message):
    code, out, err = run_cli(capsys, database, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert list_editors(open_ledger(database)) == []


def test_an_editor_is_added_once(capsys, database):
    assert run_cli(capsys, database, "add", "王工")[0] == 0
    code, _, err = run_cli(capsys, database, "add", "王工", "--admin")
    assert code == 2 and "already an editor" in err and err.count("\n") == 1
    (editor,) = list_editors(open_ledger(database))
    assert not editor.is_admin


def test_an_older_ledger_gains_the_table(database):
    engine = create_engine(database)
    try:
        migrate(engine, "0002")
        assert current_revision(engine) == "0002"
        migrate(engine)
        assert current_revision(engine) == head_revision() == "0004"
    finally:
        engine.dispose()
    assert list_editors(open_ledger(database)) == []
