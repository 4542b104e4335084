"""The project installs as a package: a wheel built offline by setuptools, with the dependencies
requirements.txt pins, that works in a fresh virtual environment from a directory that knows nothing
of the checkout; an editable install that reads the checkout; an sdist with the sources and the data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo", "layers", "ui", "web", "deploy")


def _requirement(line: str) -> str:
    """A requirement as ``name[extras]==version`` with the name normalised, markers dropped."""
    spec = line.split(";")[0].strip().replace(" ", "")
    name, rest = re.match(r"([A-Za-z0-9._-]+)(.*)", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower() + rest


def _pinned_requirements() -> set[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return {_requirement(line) for line in lines if line.strip() and not line.startswith("#")}


# Not copied into the tree the build reads: setuptools writes build/ and *.egg-info beside the
# sources, and a build/ left by an earlier build would still hold modules deleted since.
# (static/ and out/ hold what the app serves and writes, not sources.)
TOP_LEVEL_SKIPPED = {".git", "build", "out", "static", ".pytest_cache", ".ruff_cache"}


def _skipped(directory: str, names: list[str]) -> list[str]:
    top = Path(directory) == ROOT
    return [
        n
        for n in names
        if (top and n in TOP_LEVEL_SKIPPED) or n == "__pycache__" or n.endswith((".egg-info", ".pyc"))
    ]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of the checkout without build scratch, so building leaves the checkout as it was."""
    copy = tmp_path_factory.mktemp("source") / "chengyu-plan-map"
    shutil.copytree(ROOT, copy, ignore=_skipped)
    return copy


def _pip(python: Path | str, *args: str) -> None:
    # No index, no build isolation, no cache: the build uses setuptools as installed and the sources.
    subprocess.run(
        [str(python), "-m", "pip", *args, "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--no-cache-dir", "--quiet"],
        check=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _pip(sys.executable, "wheel", "--wheel-dir", str(out), str(source))
    (built,) = out.glob("*.whl")
    return built


def _checkout_files(directory: Path) -> set[str]:
    """The files under a directory of the checkout, relative to it, without byte code."""
    return {
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def _venv(tmp_path: Path) -> Path:
    """A fresh venv that sees this interpreter's packages (the dependencies) and nothing of ours.

    Without a pip of its own: ensurepip would also put its bundled setuptools in the venv, older
    than the one pyproject.toml asks for, in front of it. pip and setuptools come from outside.
    """
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
        timeout=120,
    )
    return venv / "bin" / "python"


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(archive.read(name).decode("utf-8"))


def test_the_wheel_requires_exactly_what_requirements_txt_pins(wheel):
    metadata = _metadata(wheel)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metadata["Name"] == project["name"] and metadata["Version"] == project["version"]
    assert metadata["Requires-Python"] == ">=3.11"
    required = metadata.get_all("Requires-Dist")
    assert {_requirement(r) for r in required} == _pinned_requirements()
    # The library's own needs are unconditional; only the app's and the web routes' are extras.
    unconditional = {_requirement(r) for r in required if "extra ==" not in r}
    assert {"geopandas==1.2.0", "sqlalchemy==2.1.9", "psycopg[binary]==3.3.9"} <= unconditional
    assert not {r for r in unconditional if r.startswith(("streamlit", "folium", "pygeoapi"))}
    assert set(metadata.get_all("Provides-Extra")) == {"app", "web"}


def test_the_wheel_carries_the_packages_their_type_marker_and_the_data(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        record = archive.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names and f"{package}/py.typed" in names
    assert "geo/progress/migrations/env.py" in names and "deploy/nginx.conf.template" in names
    # Every file of the five packages, and data/ as geo/data/, and nothing else: a subpackage or a
    # non-Python file missing here wants its line in [tool.setuptools] of pyproject.toml.
    expected = {f"{package}/{path}" for package in PACKAGES for path in _checkout_files(ROOT / package)}
    expected |= {f"geo/data/{path}" for path in _checkout_files(ROOT / "data")}
    assert {n for n in names if ".dist-info/" not in n} == expected
    # RECORD names every file once, itself without a hash.
    recorded = [line.split(",")[0] for line in record.splitlines()]
    assert sorted(recorded) == sorted(names)


def test_the_sdist_carries_the_sources_the_data_and_the_project_files(source, tmp_path):
    out = tmp_path / "sdist"
    build = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    made = subprocess.run(
        [sys.executable, "-c", build, str(out)], cwd=source, capture_output=True, text=True, timeout=300
    )
    assert made.returncode == 0, made.stderr
    with tarfile.open(out / made.stdout.split()[-1]) as archive:
        top, *rest = {n.split("/", 1)[0] for n in archive.getnames()}
        assert not rest and top == "chengyu_plan_map-0.1.0"
        names = {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}
    expected = {f"{package}/{path}" for package in PACKAGES for path in _checkout_files(ROOT / package)}
    expected |= {f"data/{path}" for path in _checkout_files(ROOT / "data")}
    expected |= {"pyproject.toml", "README.md", "requirements.txt", "MANIFEST.in", "PKG-INFO"}
    assert expected <= names
    # Beyond those, only setuptools' own metadata: no tests, app pages or static files.
    assert {n.split("/")[0] for n in names - expected} <= {"chengyu_plan_map.egg-info", "setup.cfg"}


def _geo_seen_from(python: Path, elsewhere: Path) -> dict:
    """Where ``python`` finds geo and its data from a directory outside any checkout, and what it reads."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PLANMAP_DATA_DIR"}}
    script = (
        "import json, geo, geo.datafiles, geo.brief.content as brief\n"
        "from geo.gazetteer import load_gazetteer\n"
        "unit = load_gazetteer().resolve('永川').unit\n"
        "print(json.dumps({'geo': geo.__file__, 'data': str(geo.datafiles.DATA_DIR),\n"
        "    'unit': [unit.adcode, unit.name], 'version': brief.product_version()}))\n"
    )
    shown = subprocess.run(
        [str(python), "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
    )
    assert shown.returncode == 0, shown.stderr
    answer = json.loads(shown.stdout)
    # The command line too, from the same place.
    place = subprocess.run(
        [str(python), "-m", "geo", "place", "永川"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert place.returncode == 0 and "500118" in place.stdout, place.stderr
    return answer


def test_the_installed_package_works_outside_the_checkout(wheel, tmp_path):
    python = _venv(tmp_path)
    venv = python.parent.parent
    _pip(python, "install", str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answer = _geo_seen_from(python, elsewhere)
    assert Path(answer["geo"]).is_relative_to(venv) and Path(answer["data"]).is_relative_to(venv)
    assert answer["unit"] == ["500118", "永川区"]
    assert answer["version"] == _metadata(wheel)["Version"]


def test_an_editable_install_reads_the_checkout(source, tmp_path):
    python = _venv(tmp_path)
    _pip(python, "install", "--editable", str(source))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answer = _geo_seen_from(python, elsewhere)
    # The modules and data/ of the checkout itself, not copies in the venv.
    assert Path(answer["geo"]) == source / "geo" / "__init__.py"
    assert Path(answer["data"]) == source / "data"
    assert answer["unit"] == ["500118", "永川区"]
