"""``python -m geo`` errors are one line with exit 2, carry no control characters, and the ledger
export writes files the way every export does.

Run as a child process where what reaches the terminal matters (argparse writes straight to
stderr); in-process otherwise.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.datafiles import PROJECT_DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
ESCAPES = "\x1b[2J\x1b]0;title\x07"


def geo(*args: str, env_extra: dict | None = None) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env_extra or {})},
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "backslashreplace")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "geo: error: the following arguments are required: COMMAND; see python -m geo --help"),
        (("nope",), "argument COMMAND: invalid choice: 'nope'"),
        (("search", "x", "--limit", "many"), "see python -m geo search --help"),
        (("export", "--format"), "argument --format: expected one argument; see python -m geo export --help"),
        (("progress",), "required: SUBCOMMAND; see python -m geo progress --help"),
        (("progress", "add", "air-leshan"), "required: --date, --phase, --source; see python -m geo progress add --help"),
        (("progress", "export", "--format", "xml"), "invalid choice: 'xml'"),
        (("tasks", "--bogus"), "unrecognized arguments: --bogus"),
    ],
)  # fmt: skip
def test_argument_errors_are_one_line(args, expected):
    code, out, err = geo(*args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geo: error: ") and "usage" not in err, err
    assert expected in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("tasks", ESCAPES),
        ("place", "遂宁" + ESCAPES),
        ("search", ESCAPES + "成达万x"),
        ("progress", "list", ESCAPES),
        ("export", "--format", "csv", "--out", f"/nonexistent{ESCAPES}/x.csv"),
    ],
)
def test_error_lines_echo_no_control_characters(args):
    code, _, err = geo(*args)
    assert code == 2 and err.count("\n") == 1, err
    assert not any(ch in err for ch in "\x1b\x07"), repr(err)


def test_the_help_still_works():
    code, out, _ = geo("progress", "export", "--help")
    assert code == 0 and "--force" in out and "usage:" in out


# -- progress export: the guarded writer ------------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_progress_export_never_writes_into_data(fmt):
    target = PROJECT_DATA_DIR / "PROVENANCE.json"
    before = _digest(target)
    code, out, err = geo(
        "progress", "export", "--format", fmt, "--out", str(target.relative_to(ROOT)), "--force"
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(
        "error: data/PROVENANCE.json: refusing to write inside the project's data directory"
    )
    assert _digest(target) == before


def test_progress_export_never_writes_into_the_data_directory_in_use(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data-copy"
    data.mkdir()
    monkeypatch.setenv("PLANMAP_DATA_DIR", str(data))
    assert main(["progress", "export", "--out", str(data / "events.csv")]) == 2
    assert "refusing to write inside the project's data directory" in capsys.readouterr().err
    assert list(data.iterdir()) == []


def test_progress_export_keeps_an_existing_file_unless_forced(tmp_path, capsys):
    out = tmp_path / "events.csv"
    out.write_text("mine", encoding="utf-8")
    assert main(["progress", "export", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {out} already exists; add --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["progress", "export", "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,item_id,date")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]  # no scratch left behind


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("", "--out is empty"),
        ("{tmp}/missing/events.csv", "the directory {tmp}/missing does not exist"),
        ("{tmp}", "it is a directory"),
    ],
)
def test_progress_export_refuses_a_bad_target_in_one_line(tmp_path, capsys, out, message):
    assert main(["progress", "export", "--out", out.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(tmp=tmp_path) in err
    assert list(tmp_path.iterdir()) == []
