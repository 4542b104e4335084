"""Exports never replace a file silently, never write into data/, and end in one line whatever happens.

In-process runs use the code-made features of test_export; the signal, pipe, disk-full and
file-name cases run the real ``python -m geo`` in a child process, as a user's shell would.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo import cli as geo_cli
from geo import outfiles
from geo.datafiles import PROJECT_DATA_DIR
from geo.errors import ExportError
from tests.test_export import sample_frame

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 300


@pytest.fixture
def cli(monkeypatch):
    import geo.export_selection

    monkeypatch.setattr(geo.export_selection, "catalogue_frame", sample_frame)
    parser = argparse.ArgumentParser(prog="python -m geo export")
    geo_cli.add_export_arguments(parser)
    return lambda *argv: geo_cli.run_export(parser.parse_args([str(a) for a in argv]))


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def test_an_existing_file_is_kept_unless_forced(cli, tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    out.write_text("mine", encoding="utf-8")
    assert cli("--format", "geojson", "--out", out) == 2
    assert "already exists; add --force" in _one_error_line(capsys.readouterr().err)
    assert out.read_text(encoding="utf-8") == "mine"
    assert cli("--format", "geojson", "--out", out, "--force") == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_the_readme_beside_a_csv_is_a_target_too(cli, tmp_path, capsys):
    readme = tmp_path / "plan.README.txt"
    readme.write_text("my notes", encoding="utf-8")
    assert cli("--format", "csv", "--out", tmp_path / "plan.csv") == 2
    assert "plan.README.txt already exists" in _one_error_line(capsys.readouterr().err)
    assert readme.read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.README.txt"]


def test_a_file_appearing_while_writing_is_not_replaced(tmp_path):
    source, target = tmp_path / "new", tmp_path / "target"
    source.write_text("new", encoding="utf-8")
    target.write_text("theirs", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        outfiles.move_into_place(source, target, overwrite=False)
    assert target.read_text(encoding="utf-8") == "theirs"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "out",
    ["gazetteer/units.csv", "gazetteer", "catalogue/new.csv", "../data/reference/airports.csv"],
    ids=["a shipped file", "a data directory", "a new file", "a roundabout path"],
)
def test_nothing_is_written_inside_data(cli, capsys, out):
    before = {p: _digest(p) for p in PROJECT_DATA_DIR.rglob("*") if p.is_file()}
    assert cli("--format", "csv", "--out", PROJECT_DATA_DIR / out, "--force") == 2
    assert "inside the project's data directory" in _one_error_line(capsys.readouterr().err)
    assert {p: _digest(p) for p in PROJECT_DATA_DIR.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", ""], "--out is empty"),
        (["--out", "   "], "--out is empty"),
        (["--place", ""], "--place is empty"),
    ],
)
def test_empty_out_or_place_is_an_error(cli, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    full = ["--format", "geojson", "--out", tmp_path / "x.geojson", *argv]
    assert cli(*full) == 2
    assert message in _one_error_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_stale_scratch_is_removed_by_the_next_export(cli, tmp_path):
    stale, fresh = tmp_path / ".export-stale", tmp_path / ".export-running"
    for scratch in (stale, fresh):
        scratch.mkdir()
        (scratch / "part.gpkg").write_bytes(b"partial")
    hours_ago = time.time() - 2 * outfiles.STALE_SCRATCH_S
    os.utime(stale, (hours_ago, hours_ago))
    assert cli("--format", "geojson", "--out", tmp_path / "x.geojson") == 0
    assert not stale.exists()
    assert fresh.exists(), "a scratch directory younger than an hour may belong to a running export"


# -- the real command in a child process --------------------------------------------------------
def _geo(*argv, stdout=subprocess.PIPE, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *argv],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=CHILD_TIMEOUT_S,
        **kwargs,
    )


def test_over_long_and_non_utf8_names(tmp_path):
    long = _geo("export", "--format", "geojson", "--out", str(tmp_path / ("a" * 300 + ".geojson")))
    assert long.returncode == 2
    assert "file name is too long" in _one_error_line(long.stderr.decode())
    odd = os.fsencode(tmp_path) + b"/\xff\xfe.geojson"
    made = _geo(b"export", b"--format", b"geojson", b"--out", odd)
    assert made.returncode == 0, made.stderr.decode(errors="replace")
    assert os.path.exists(odd) and made.stderr == b""


def test_a_closed_pipe_ends_in_one_line():
    child = subprocess.Popen(
        [sys.executable, "-m", "geo", "tasks", "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.read(100)  # like `| head -c 100`: read a little, then close
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=CHILD_TIMEOUT_S) == 141
    assert "broken pipe" in _one_error_line(err)


def test_a_full_disk_ends_in_one_line(tmp_path):
    with open("/dev/full", "wb") as full:
        printed = _geo("tasks", "--json", stdout=full)
    assert printed.returncode == 2
    assert "disk is full" in _one_error_line(printed.stderr.decode())

    def small_files():
        # A file-size limit fails writes the way a full disk does (EFBIG instead of ENOSPC).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    exported = _geo("export", "--format", "gpkg", "--out", str(tmp_path / "x.gpkg"), preexec_fn=small_files)
    assert exported.returncode == 2
    assert "cannot write" in _one_error_line(exported.stderr.decode())
    assert list(tmp_path.iterdir()) == [], "no partial file and no scratch left"


@pytest.mark.parametrize(
    ("signum", "status", "word"), [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_a_signal_mid_export_leaves_no_scratch(tmp_path, signum, status, word):
    out = tmp_path / "x.gpkg"
    for _attempt in range(3):  # if the export finished before the signal landed, try again
        child = subprocess.Popen(
            [sys.executable, "-m", "geo", "export", "--format", "gpkg", "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + CHILD_TIMEOUT_S
        while child.poll() is None and not any(tmp_path.glob(".export-*")) and time.monotonic() < deadline:
            time.sleep(0.002)
        child.send_signal(signum)
        _, err = child.communicate(timeout=CHILD_TIMEOUT_S)
        if child.returncode == 0:
            out.unlink()
            continue
        assert child.returncode == status
        assert word in _one_error_line(err.decode())
        assert list(tmp_path.iterdir()) == []
        return
    pytest.fail("the export always finished before the signal arrived")
