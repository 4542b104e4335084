"""A ledger that cannot be opened, seeded or used is one line naming the database and the remedy.

The command-line cases run the real ``python -m geo`` in a child process, as a user's shell would,
and count its stderr lines; the library cases check the one exception the app's pages catch,
:class:`geo.errors.LedgerUnavailable`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.cli import main
from geo.errors import LedgerUnavailable
from geo.progress import list_events, open_ledger
from geo.progress.faults import shown_url

ROOT = Path(__file__).resolve().parents[1]


def geo(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, timeout=120, env=os.environ
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "backslashreplace")


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    return lines[0]


def free_tcp_port() -> int:
    """A port nothing listens on (bound, then closed: refused when dialled)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def corrupt_file(tmp_path) -> Path:
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"\x00garbage, not SQLite\xff" * 200)
    return path


def test_a_corrupt_sqlite_file_is_one_line_and_stays_as_it_was(corrupt_file):
    before = corrupt_file.read_bytes()
    code, out, err = geo("progress", "--database", f"sqlite:///{corrupt_file}", "list")
    line = one_line(err)
    assert code == 2 and out == ""
    assert f"cannot open the progress database sqlite:///{corrupt_file}" in line
    assert "not a readable SQLite database" in line and "backup" in line
    assert corrupt_file.read_bytes() == before


def test_an_unusable_path_is_one_line(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a directory", encoding="utf-8")
    code, _, err = geo("progress", "--database", f"sqlite:///{in_the_way}/ledger.sqlite", "list")
    line = one_line(err)
    assert code == 2 and "cannot open the progress database" in line
    assert str(in_the_way) in line and "writable place" in line


def test_a_read_only_database_refuses_a_write_in_one_line(tmp_path):
    path = tmp_path / "ledger.sqlite"
    open_ledger(f"sqlite:///{path}")  # a sound ledger, then opened read-only
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, out, _ = geo("progress", "--database", read_only, "list", "--json")
    assert code == 0 and out.startswith("[")  # reading a read-only ledger works
    code, _, err = geo(
        "progress", "--database", read_only, "add", "air-leshan", "--date", "2022", "--phase", "开工",
        "--source", "x",
    )  # fmt: skip
    line = one_line(err)
    assert code == 2 and "cannot read or write the progress database" in line and "read-only" in line
    assert len(list_events(open_ledger(f"sqlite:///{path}"))) == 5


def test_a_new_read_only_file_cannot_be_created_in_one_line(tmp_path):
    code, _, err = geo(
        "progress", "--database", f"sqlite:///file:{tmp_path}/new.sqlite?mode=ro&uri=true", "list"
    )
    assert code == 2 and "cannot be opened or created" in one_line(err)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("garbage://x", "unknown kind of database 'garbage'"),
        ("garbage", "not a database URL"),
        ("mysql://planner:secret@db.example/plan", "no driver for 'mysql'"),
    ],
)
def test_a_url_no_driver_takes_is_one_line_without_the_password(url, expected):
    code, _, err = geo("progress", "--database", url, "list")
    line = one_line(err)
    assert code == 2 and expected in line and "sqlite:///PATH" in line
    assert "secret" not in line


def test_postgresql_down_is_one_line_without_the_password():
    url = f"postgresql://planner:s3cret@127.0.0.1:{free_tcp_port()}/plan"
    code, _, err = geo("progress", "--database", url, "list")
    line = one_line(err)
    assert (
        code == 2 and "cannot open the progress database postgresql+psycopg://planner:***@127.0.0.1" in line
    )
    assert "s3cret" not in line and "server is running" in line


def test_geo_export_with_an_unusable_ledger_is_one_line_and_writes_nothing(corrupt_file, tmp_path):
    out = tmp_path / "plan.csv"
    env_url = f"sqlite:///{corrupt_file}"
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--format", "csv", "--out", str(out), "--layer", "aviation"],
        cwd=ROOT, capture_output=True, timeout=120, env={**os.environ, "PLANMAP_DATABASE_URL": env_url},
    )  # fmt: skip
    assert proc.returncode == 2
    assert "cannot open the progress database" in one_line(proc.stderr.decode("utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.sqlite"]


# -- the exception the pages catch ----------------------------------------------------------------
def test_ledger_unavailable_carries_database_problem_hint_and_stage(corrupt_file):
    with pytest.raises(LedgerUnavailable) as caught:
        open_ledger(f"sqlite:///{corrupt_file}")
    fault = caught.value
    assert fault.stage == "open" and fault.database == f"sqlite:///{corrupt_file}"
    assert "SQLite" in fault.problem and "backup" in fault.hint
    assert str(corrupt_file) not in fault.problem + fault.hint  # the parts a page shows carry no path


def test_a_failure_after_opening_is_ledger_unavailable_too(tmp_path):
    path = tmp_path / "ledger.sqlite"
    ledger = open_ledger(f"sqlite:///{path}")
    with ledger.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE progress_events"))
    with pytest.raises(LedgerUnavailable) as caught:
        list_events(ledger)
    assert caught.value.stage == "use" and "cannot read or write" in str(caught.value)


def test_a_seeding_failure_says_so_and_writes_nothing(tmp_path, monkeypatch, capsys):
    import geo.progress.csvfile

    seed = tmp_path / "seed-events.csv"
    seed.write_text(
        "item_id,date,phase,source,note\nair-tianfu,2021-06-27,建成投运,src,n\nair-nowhere,2021,开工,src,n\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(geo.progress.csvfile, "SEED_PATH", seed)
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert main(["progress", "--database", url, "list"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"error: cannot seed the new progress database {url}: ")
    assert "data/progress/seed-events.csv" in line and "line 3: unknown item: 'air-nowhere'" in line
    assert "nothing was written" in line and "cannot open" not in line
    engine = sa.create_engine(url)
    with engine.connect() as connection:  # the schema went with the seed events: a clean retry
        assert sa.inspect(connection).get_table_names() == []
    engine.dispose()
    monkeypatch.undo()
    assert len(list_events(open_ledger(url))) == 5


def test_a_missing_seed_file_is_a_seeding_failure(tmp_path, monkeypatch):
    import geo.progress.csvfile

    monkeypatch.setattr(geo.progress.csvfile, "SEED_PATH", tmp_path / "gone.csv")
    with pytest.raises(LedgerUnavailable) as caught:
        open_ledger(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert caught.value.stage == "seed" and "No such file" in caught.value.problem


def test_shown_urls_never_carry_a_password():
    assert shown_url("postgresql+psycopg://u:pw@h/d") == "postgresql+psycopg://u:***@h/d"
    assert shown_url("sqlite:////srv/ledger.sqlite") == "sqlite:////srv/ledger.sqlite"
    assert "pw" not in shown_url("weird//u:pw@h:::x") and "pw" not in shown_url("postgresql://u:pw@h:port/d")


# -- the phase vocabulary --------------------------------------------------------------------------
@pytest.mark.parametrize("content", [None, "", "- {id: 开工}\n"])
def test_a_missing_or_damaged_phase_file_is_one_line_where_phases_are_needed(tmp_path, content):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    phases = data / "progress" / "phases.yaml"
    if content is None:
        phases.unlink()
    else:
        phases.write_text(content, encoding="utf-8")
    env = {
        **os.environ,
        "PLANMAP_DATA_DIR": str(data),
        "PLANMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite'}",
    }
    for args in (
        ["progress", "phases"],
        ["progress", "add", "air-leshan", "--date", "2022", "--phase", "开工", "--source", "x"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, timeout=120, env=env
        )
        line = one_line(proc.stderr.decode("utf-8"))
        assert proc.returncode == 2 and "data/progress/phases.yaml" in line and str(tmp_path) not in line
    tasks = subprocess.run(
        [sys.executable, "-m", "geo", "tasks", "--json"], cwd=ROOT, capture_output=True, timeout=120, env=env
    )
    assert tasks.returncode == 0  # commands that need no phases still run
