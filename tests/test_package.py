"""The project installs as a package: a wheel built offline, with the dependencies requirements.txt
pins, that works in a fresh virtual environment from a directory that knows nothing of the checkout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No index, no build isolation, no cache: the build uses only what the checkout holds.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--no-cache-dir", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


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
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert {f"geo/{path}" for path in shipped} <= names
    assert "geo/progress/migrations/env.py" in names and "deploy/nginx.conf.template" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.split("/")[0] in {"tests", "app_pages", "static"}]
    # RECORD names every file once, itself without a hash.
    recorded = [line.split(",")[0] for line in record.splitlines()]
    assert sorted(recorded) == sorted(names)


def test_the_installed_package_works_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    # The dependencies are already in this interpreter's environment; the venv sees them but takes
    # geo and the rest only from the wheel.
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", str(wheel)],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
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
    assert Path(answer["geo"]).is_relative_to(venv) and Path(answer["data"]).is_relative_to(venv)
    assert answer["unit"] == ["500118", "永川区"]
    assert answer["version"] == _metadata(wheel)["Version"]
    # The command line too, from the same place.
    place = subprocess.run(
        [str(python), "-m", "geo", "place", "永川"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert place.returncode == 0 and "500118" in place.stdout, place.stderr
