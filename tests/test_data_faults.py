"""Damaged data: every loader raises one DataError, `geo check` finds every fault, pages say one thing.

The damaged copies of data/ are made here in code (deleted, truncated, shuffled, re-encoded files,
a damaged or missing PROVENANCE.json, an undescribed file) in temporary directories; the shipped
data/ is never touched. ``PLANMAP_DATA_DIR`` points the library at a copy.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo import cli, datafiles
from geo.catalogue import load_unlocated, read_catalogue_file
from geo.check import data_problems
from geo.errors import DataError
from geo.gazetteer import Gazetteer, read_nonunit_places, read_units
from geo.plan import load_plan

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RECORDS = json.loads((DATA / "PROVENANCE.json").read_text(encoding="utf-8"))
CHILD_TIMEOUT_S = 600


# -- damage, made in code --------------------------------------------------------------------------
def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _shuffle(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 3:  # one-line or binary files: shuffle fixed-size blocks instead
        blocks = [data[i : i + 64] for i in range(0, len(data), 64)]
        random.Random(7).shuffle(blocks)
        return b"".join(blocks)
    random.Random(7).shuffle(lines)
    return b"".join(lines)


def _reencode(data: bytes) -> bytes:
    try:
        return data.decode("utf-8").encode("gb18030")
    except UnicodeDecodeError:  # binary: flip bytes in the middle instead
        middle = len(data) // 2
        return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 32]) + data[middle + 32 :]


def _utf16(data: bytes) -> bytes:
    try:
        return data.decode("utf-8").encode("utf-16")
    except UnicodeDecodeError:
        return data[:-200]


DAMAGE = {
    "deleted": None,
    "truncated": _truncate,
    "shuffled": _shuffle,
    "gb18030": _reencode,
    "utf16": _utf16,
}


def _variants() -> list[tuple[str, str]]:
    """(file relative to data/, damage) for every described file and every damage that changes it
    (re-encoding an ASCII file changes nothing)."""

    def changes(relative: str, how: str) -> bool:
        data = (DATA / relative).read_bytes()
        return DAMAGE[how] is None or DAMAGE[how](data) != data

    described = [record["path"].removeprefix("data/") for record in RECORDS]
    out = [(relative, how) for relative in described for how in DAMAGE if changes(relative, how)]
    out += [("PROVENANCE.json", "deleted"), ("PROVENANCE.json", "truncated"), ("PROVENANCE.json", "gb18030")]
    return out


VARIANTS = _variants()


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("data-copy") / "data"
    shutil.copytree(DATA, copy)
    return copy


@pytest.fixture
def damaged(data_copy, monkeypatch):
    """Damage one file of the copy for the test; it is restored afterwards."""
    saved: dict[Path, bytes] = {}

    def damage(relative: str, how: str) -> Path:
        path = data_copy / relative
        saved[path] = path.read_bytes()
        if DAMAGE[how] is None:
            path.unlink()
        else:
            changed = DAMAGE[how](saved[path])
            assert changed != saved[path], f"{how} did not change {relative}"
            path.write_bytes(changed)
        return data_copy

    monkeypatch.setenv(datafiles.DATA_DIR_ENV, str(data_copy))
    yield damage
    for path, data in saved.items():
        path.write_bytes(data)


def test_there_are_at_least_fifty_kinds_of_damage():
    assert len(VARIANTS) >= 50


def test_the_intact_copy_has_no_fault(data_copy):
    assert data_problems(data_copy) == []


@pytest.mark.parametrize(("relative", "how"), VARIANTS, ids=[f"{r}-{h}" for r, h in VARIANTS])
def test_check_reports_every_damaged_copy(damaged, capsys, relative, how):
    damaged(relative, how)
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "ok:" not in out
    lines = out.strip().splitlines()
    assert lines and all(line.startswith("data/") for line in lines), out
    assert any(line.startswith(f"data/{relative}:") for line in lines), out
    assert str(ROOT) not in out + err


def test_an_undescribed_or_missing_layer_file_is_a_fault(data_copy):
    extra = data_copy / "catalogue" / "extra.yaml"
    extra.write_text("[]\n", encoding="utf-8")
    try:
        assert data_problems(data_copy) == ["data/catalogue/extra.yaml: not described in PROVENANCE.json"]
    finally:
        extra.unlink()
    records = [r for r in RECORDS if r["path"] != "data/catalogue/zone.yaml"]
    provenance = data_copy / "PROVENANCE.json"
    saved = provenance.read_bytes()
    provenance.write_text(json.dumps(records), encoding="utf-8")
    try:
        problems = data_problems(data_copy)
    finally:
        provenance.write_bytes(saved)
    assert "data/catalogue/zone.yaml: not described in PROVENANCE.json" in problems
    assert "data/catalogue/zone.yaml: layer zone has no file in PROVENANCE.json" in problems


def _child_env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, datafiles.DATA_DIR_ENV: str(data_dir)}


def test_the_command_checks_the_directory_it_is_given(damaged, data_copy):
    """The real command on the intact copy (every check runs on its files), then on a half zone.yaml."""
    run = [sys.executable, "-m", "geo", "check"]
    intact = subprocess.run(
        run, cwd=ROOT, env=_child_env(data_copy), capture_output=True, timeout=CHILD_TIMEOUT_S
    )
    assert intact.returncode == 0 and intact.stdout.decode().startswith("ok: ")
    zone = data_copy / "catalogue" / "zone.yaml"
    text = zone.read_text(encoding="utf-8")
    damaged("catalogue/zone.yaml", "deleted")  # saved for restoring; replaced just below
    cut = text[: text.index("\n- id:", len(text) // 2)]  # half the entries, still valid YAML
    zone.write_text(cut, encoding="utf-8")
    halved = subprocess.run(
        run, cwd=ROOT, env=_child_env(data_copy), capture_output=True, timeout=CHILD_TIMEOUT_S
    )
    assert halved.returncode == 1
    assert halved.stdout.decode().startswith("data/catalogue/zone.yaml: ")
    assert "Traceback" not in halved.stderr.decode()


# -- every loader raises DataError naming the file, without the server's path ---------------------
def _assert_data_error(info, name: str) -> None:
    message = str(info.value)
    assert name in message and "\n" not in message and "git checkout -- data/" in message
    assert str(ROOT) not in message and "/tmp" not in message


def _boundary_reader(path: Path):
    return Gazetteer(read_units(), read_nonunit_places(), path).boundary("510100")


LOADER_FAULTS = [
    # (file written, the shipped file it damages or None, how, the loader that reads it)
    ("units.csv", None, None, read_units),
    (
        "nonunit_places.yaml",
        "gazetteer/nonunit_places.yaml",
        lambda b: _truncate(b) + b"\n  - [",
        read_nonunit_places,
    ),
    ("plan.txt", "source/plan-article-2021-12-31.txt", _reencode, load_plan),
    ("short-plan.txt", "source/plan-article-2021-12-31.txt", _truncate, load_plan),
    ("zone.yaml", "catalogue/zone.yaml", _utf16, read_catalogue_file),
    ("unlocated.yaml", None, lambda _: b"- name: x\n", load_unlocated),
    ("boundaries.parquet", "gazetteer/boundaries.parquet", _truncate, _boundary_reader),
]


@pytest.mark.parametrize(
    ("name", "shipped", "damage", "reader"), LOADER_FAULTS, ids=[f[0] for f in LOADER_FAULTS]
)
def test_loaders_raise_data_error(tmp_path, name, shipped, damage, reader):
    path = tmp_path / name
    if damage is not None:
        path.write_bytes(damage((DATA / shipped).read_bytes() if shipped else b""))
    with pytest.raises(DataError) as info:
        reader(path)
    _assert_data_error(info, name)
    if damage is None:
        assert "missing" in str(info.value)


# -- the app: one message on every page -------------------------------------------------------------
APP_UNDER_DAMAGE = textwrap.dedent(
    """
    import json, sys
    from streamlit.testing.v1 import AppTest
    from ui.common import PAGES
    report = {}
    for spec in PAGES:
        at = AppTest.from_file("navigation.py", default_timeout=300)
        at.run()
        if spec.url_path:
            at.switch_page(spec.path).run()
        texts = [e.value for e in at.error] + [w.value for w in at.warning] + [m.value for m in at.markdown]
        report[spec.url_path] = {
            "exceptions": [str(e.value) for e in at.exception],
            "errors": [e.value for e in at.error],
            "texts": texts,
        }
    json.dump(report, sys.stdout)
    """
)


@pytest.mark.parametrize("relative", ["gazetteer/units.csv", "catalogue/zone.yaml"])
def test_every_page_shows_one_message_for_damaged_data(data_copy, damaged, relative):
    damaged(relative, "truncated" if relative.endswith(".yaml") else "deleted")
    if relative.endswith(".yaml"):  # a YAML cut mid-entry
        path = data_copy / relative
        path.write_bytes(path.read_bytes() + b"\n- id: [unclosed\n")
    child = subprocess.run(
        [sys.executable, "-c", APP_UNDER_DAMAGE],
        cwd=ROOT,
        env=_child_env(data_copy),
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
    )
    assert child.returncode == 0, child.stderr.decode()[-2000:]
    report = json.loads(child.stdout)
    for page, seen in report.items():
        assert seen["exceptions"] == [], (page, seen["exceptions"])
        # A page that does not read the damaged file works (the city choropleth needs no catalogue).
        assert len(seen["errors"]) <= 1, (page, seen["errors"])
        if page in ("map", "export") or seen["errors"]:
            assert len(seen["errors"]) == 1, (page, seen["errors"])
            assert f"data/{relative}" in seen["errors"][0]
            assert "git checkout -- data/" in seen["errors"][0]
        shown = " ".join(seen["texts"])
        assert str(data_copy) not in shown and str(ROOT) not in shown and "Traceback" not in shown
