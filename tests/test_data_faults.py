"""Damaged data: every loader raises one DataError, `geo check` finds every fault, pages say one thing.

The damaged copies of data/ are made here in code (deleted, truncated, shuffled, re-encoded files,
a damaged or missing PROVENANCE.json, an undescribed file) in temporary directories; the shipped
data/ is never touched. ``PLANMAP_DATA_DIR`` points the library at a copy. The commands and pages
run in new processes (what fails at start-up must show too), forked by :mod:`tests.fresh_process`
from servers that have the third-party libraries imported already.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from geo import cli, datafiles
from geo.catalogue import LAYER_IDS, load_unlocated, read_catalogue_file
from geo.check import data_problems
from geo.errors import DataError
from geo.gazetteer import Gazetteer, read_nonunit_places, read_units
from geo.plan import load_plan
from tests.fresh_process import run_python
from ui.common import PAGES

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
    run = ["-m", "geo", "check"]
    intact = run_python(run, cwd=ROOT, env=_child_env(data_copy), timeout=CHILD_TIMEOUT_S)
    assert intact.returncode == 0 and intact.stdout.decode().startswith("ok: ")
    zone = data_copy / "catalogue" / "zone.yaml"
    text = zone.read_text(encoding="utf-8")
    damaged("catalogue/zone.yaml", "deleted")  # saved for restoring; replaced just below
    cut = text[: text.index("\n- id:", len(text) // 2)]  # half the entries, still valid YAML
    zone.write_text(cut, encoding="utf-8")
    halved = run_python(run, cwd=ROOT, env=_child_env(data_copy), timeout=CHILD_TIMEOUT_S)
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
    child = run_python(["-c", APP_UNDER_DAMAGE], cwd=ROOT, env=_child_env(data_copy), timeout=CHILD_TIMEOUT_S)
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


# -- every fault on the command line and on every page: one message, no traceback, no path -------
def _delete(path: Path) -> None:
    path.unlink()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garble(path: Path) -> None:
    path.write_bytes(b"precision: [unclosed\n  - {\n")


def _stray_copy(path: Path) -> None:
    """A second copy of a layer's file beside it (a merge leftover): every entry twice if loaded."""
    shutil.copy(path, path.with_name(f"{path.stem}-copy.yaml"))


DAMAGES = {"deleted": _delete, "emptied": _empty, "garbled": _garble, "stray-copy": _stray_copy}
EXPORT = ("export", "--format", "csv", "--out", "{out}")
# (file relative to data/, damage, a command that reads the file); the message names the file,
# or the stray copy for a stray copy.
FILE_FAULTS = [
    ("vocabularies.yaml", "deleted", EXPORT),
    ("vocabularies.yaml", "emptied", ("tasks-for", "成都")),
    ("vocabularies.yaml", "garbled", EXPORT),
    ("progress/phases.yaml", "deleted", ("progress", "phases")),
    ("progress/phases.yaml", "emptied", ("progress", "list")),
    ("progress/phases.yaml", "garbled", ("progress", "phases")),
    ("status_groups.yaml", "deleted", EXPORT),
    ("status_groups.yaml", "emptied", EXPORT),
    *[
        (f"catalogue/{layer}.yaml", how, ("search", "机场"))
        for layer in LAYER_IDS
        for how in ("deleted", "emptied")
    ],
    ("catalogue/zone.yaml", "stray-copy", ("search", "机场")),
    ("gazetteer/units.csv", "deleted", ("place", "成都")),
    ("gazetteer/boundaries.parquet", "deleted", ("place", "成都", "--geojson")),
    ("gazetteer/abbreviations.yaml", "deleted", ("tasks-for", "成都")),
    ("gazetteer/groupings.yaml", "deleted", ("tasks-for", "成都")),
    ("gazetteer/mention_rules.yaml", "deleted", ("tasks-for", "成都")),
    ("gazetteer/nonunit_places.yaml", "deleted", ("place", "天府新区")),
    ("source/plan-article-2021-12-31.txt", "deleted", ("tasks",)),
    ("reference/airports.csv", "deleted", EXPORT),
    ("reference/expressways_tm.geojson", "deleted", EXPORT),
]


def _damaged_copy(base: Path, relative: str, how: str) -> tuple[Path, str]:
    """A fresh copy of data/ under ``base`` with one fault; (the copy, the file the message names)."""
    copy = base / "data"
    shutil.copytree(DATA, copy)
    path = copy / relative
    DAMAGES[how](path)
    named = (
        f"data/{relative}" if how != "stray-copy" else f"data/{Path(relative).parent}/{path.stem}-copy.yaml"
    )
    return copy, named


def _data_dir_setting(base: Path, how: str) -> str:
    """PLANMAP_DATA_DIR naming no usable directory."""
    if how == "missing":
        return str(base / "no-such-dir")
    if how == "empty":
        (base / "empty").mkdir()
        return str(base / "empty")
    (base / "a-file").write_text("not a directory\n", encoding="utf-8")
    return str(base / "a-file")


def test_there_are_at_least_thirty_two_data_faults():
    assert len(FILE_FAULTS) + len(DIR_FAULTS) >= 32


def _run_cli(data_setting: str, command: tuple[str, ...], base: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        datafiles.DATA_DIR_ENV: data_setting,
        "PLANMAP_DATABASE_URL": f"sqlite:///{base / 'ledger.sqlite'}",
    }
    args = [part.format(out=base / "out.csv") for part in command]
    return run_python(["-m", "geo", *args], cwd=ROOT, env=env, timeout=CHILD_TIMEOUT_S, text=True)


DIR_FAULTS = [("missing", ("tasks",)), ("empty", ("check",)), ("file", ("search", "机场"))]


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory) -> dict:
    """Every fault's command run once, as many at a time as there are cores (each is a new
    process: what fails at start-up must show too): key → (run, the text the line must name,
    a path the operator set that the line may show: the data directory or the ledger's file)."""
    jobs = {}
    for relative, how, command in FILE_FAULTS:
        base = tmp_path_factory.mktemp("fault")
        copy, named = _damaged_copy(base, relative, how)
        jobs[(relative, how)] = (str(copy), command, base, named, str(base / "ledger.sqlite"))
    for how, command in DIR_FAULTS:
        base = tmp_path_factory.mktemp("dir-fault")
        setting = _data_dir_setting(base, how)
        jobs[("data dir", how)] = (setting, command, base, f"{datafiles.DATA_DIR_ENV}={setting}: ", setting)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            key: pool.submit(_run_cli, setting, command, base)
            for key, (setting, command, base, _, _) in jobs.items()
        }
        return {key: (futures[key].result(), jobs[key][3], jobs[key][4]) for key in jobs}


def _assert_one_line(run: subprocess.CompletedProcess, named: str, allowed_path: str) -> None:
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0], run.stderr[-2000:]
    text = run.stdout + run.stderr
    if allowed_path:
        text = text.replace(allowed_path, "<set by the operator>")
    assert "Traceback" not in text and str(ROOT) not in text and "/tmp" not in text, text


@pytest.mark.parametrize(
    ("relative", "how", "command"), FILE_FAULTS, ids=[f"{r}-{h}" for r, h, _ in FILE_FAULTS]
)
def test_the_command_line_says_one_line_for_each_data_fault(cli_runs, relative, how, command):
    _assert_one_line(*cli_runs[(relative, how)])


@pytest.mark.parametrize(("how", "command"), DIR_FAULTS, ids=[h for h, _ in DIR_FAULTS])
def test_an_unusable_data_dir_is_one_line_naming_the_setting(cli_runs, how, command):
    # The directory is what the operator wrote: the line names it, and no other path.
    _assert_one_line(*cli_runs[("data dir", how)])


def test_the_catalogue_reads_each_layer_file_once(tmp_path):
    """An intact copy: every layer's file read, each entry once, in layer order."""
    from geo.catalogue import layer_file, load_catalogue

    entries = load_catalogue.__wrapped__(DATA / "catalogue")
    assert len({e.id for e in entries}) == len(entries)
    assert {e.layer for e in entries} == set(LAYER_IDS)
    assert sum(len(read_catalogue_file(layer_file(layer))) for layer in LAYER_IDS) == len(entries)


# One damaged copy per class of fault, every page of the app run against it in one child.
PAGE_FAULTS = [
    ("vocabularies.yaml", "deleted"),
    ("vocabularies.yaml", "garbled"),
    ("progress/phases.yaml", "deleted"),
    ("status_groups.yaml", "deleted"),
    ("catalogue/aviation.yaml", "deleted"),
    ("catalogue/highway.yaml", "emptied"),
    ("catalogue/zone.yaml", "stray-copy"),
    ("data dir", "missing"),
    ("data dir", "file"),
]
# Pages that must show the message: they read the damaged file to draw anything at all.
MUST_SHOW = {
    "vocabularies.yaml": {"map", "export", "data"},
    "progress/phases.yaml": {"progress"},  # the map reads it only when coloured by progress
    "status_groups.yaml": {"map", "export"},
    "catalogue": {"map", "export", "data", "progress"},
    "data dir": {page.url_path for page in PAGES},
}


def _run_pages(data_setting: str, ledger: Path) -> dict:
    """Every page against ``data_setting``, with a new ledger (its first events come from the data)."""
    child = run_python(
        ["-c", APP_UNDER_DAMAGE],
        cwd=ROOT,
        env={**_child_env(Path(data_setting)), "PLANMAP_DATABASE_URL": f"sqlite:///{ledger}"},
        timeout=CHILD_TIMEOUT_S,
    )
    assert child.returncode == 0, child.stderr.decode()[-2000:]
    return json.loads(child.stdout)


@pytest.fixture(scope="module")
def page_reports(tmp_path_factory) -> dict:
    """Each class of fault's pages, two children at a time: key → (report, the name the message
    gives, the directory the damaged copy is in)."""
    jobs = {}
    for relative, how in PAGE_FAULTS:
        base = tmp_path_factory.mktemp("pages")
        if relative == "data dir":
            jobs[(relative, how)] = (_data_dir_setting(base, how), datafiles.DATA_DIR_ENV, base)
        else:
            copy, named = _damaged_copy(base, relative, how)
            jobs[(relative, how)] = (str(copy), named, base)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            key: pool.submit(_run_pages, setting, base / "ledger.sqlite")
            for key, (setting, _, base) in jobs.items()
        }
        return {key: (futures[key].result(), jobs[key][1], jobs[key][2]) for key in jobs}


@pytest.mark.parametrize(("relative", "how"), PAGE_FAULTS, ids=[f"{r}-{h}" for r, h in PAGE_FAULTS])
def test_every_page_shows_the_one_message_for_each_class_of_fault(page_reports, relative, how):
    report, named, base = page_reports[(relative, how)]
    must_show = MUST_SHOW[relative.split("/")[0] if relative.startswith("catalogue/") else relative]
    assert set(report) == {page.url_path for page in PAGES}
    for page, seen in report.items():
        assert seen["exceptions"] == [], (page, seen["exceptions"])
        assert len(seen["errors"]) <= 1, (page, seen["errors"])
        if page in must_show:
            assert len(seen["errors"]) == 1, (page, seen["texts"])
        for error in seen["errors"]:
            assert named in error and "python -m geo check" in error, (page, error)
        shown = " ".join(seen["texts"])
        assert str(base) not in shown and str(ROOT) not in shown and "Traceback" not in shown
    if relative == "progress/phases.yaml":
        # A new ledger cannot be given its first events without the phases: the map, which reads
        # the ledger before anything needs the phases, says the seeding failed.
        assert any("新数据库无法写入初始进展记录" in text for text in report["map"]["texts"]), report["map"]
