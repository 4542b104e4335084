"""The architecture holds: imports point one way and only pages use Streamlit."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["geo", "layers"])
def test_the_library_never_imports_streamlit(package):
    for path in (ROOT / package).rglob("*.py"):
        modules = imported_modules(path)
        assert not {"streamlit", "streamlit_folium"} & modules, path


def test_geo_never_imports_layers_or_pages():
    for path in (ROOT / "geo").rglob("*.py"):
        assert not {"layers", "pages"} & imported_modules(path), path


def test_layers_never_import_pages():
    for path in (ROOT / "layers").rglob("*.py"):
        assert "pages" not in imported_modules(path), path


def test_the_library_imports_without_streamlit_installed():
    # A child interpreter where importing streamlit fails: geo and layers must still load.
    code = (
        "import sys; sys.modules['streamlit'] = None\n"
        "import geo.cli, geo.export, geo.features, layers.maps, layers.frames, layers.summaries\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing():
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
