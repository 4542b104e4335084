"""The project's build backend (PEP 517 and PEP 660), written with the standard library alone.

``pip install .`` and ``pip wheel --no-build-isolation .`` then need no build tool, no network and
nothing installed first: setuptools before 70.1 needs the separate ``wheel`` package to make a
wheel, and a machine without it (or without a package index) could not build the project at all.

The wheel is pure Python (``py3-none-any``). It carries the packages named in
``[tool.planmap.wheel] packages`` with every file under them (modules, ``py.typed``, migrations,
templates) and the trees of ``[tool.planmap.wheel] data`` at the place in a package each names:
``data/`` becomes ``geo/data/``, which :mod:`geo.datafiles` finds when no checkout is around it.
Dependencies and extras are written from ``[project]`` as they stand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Zip entries dated at the earliest time a zip can hold, so the same tree gives the same wheel.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _dist_name(name: str) -> str:
    """The name as wheel and dist-info file names spell it (PEP 427, PEP 503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_file() and not SKIPPED_DIRS & set(relative.parts) and path.suffix not in SKIPPED_SUFFIXES:
            yield path


def _contents(config: dict) -> list[tuple[str, Path]]:
    """(path in the wheel, file on disk) for every file the wheel carries besides its metadata."""
    wheel = config["tool"]["planmap"]["wheel"]
    entries = []
    for package in wheel["packages"]:
        entries += [(path.relative_to(ROOT).as_posix(), path) for path in _files(ROOT / package)]
    for source, target in wheel.get("data", {}).items():
        entries += [
            (f"{target}/{path.relative_to(ROOT / source).as_posix()}", path) for path in _files(ROOT / source)
        ]
    return entries


def metadata(config: dict) -> str:
    """The core metadata (``METADATA`` / ``PKG-INFO``, version 2.1) of ``[project]``."""
    project = config["project"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + (ROOT / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory: str, payload: list[tuple[str, bytes]], config: dict) -> str:
    project = config["project"]
    dist = f"{_dist_name(project['name'])}-{project['version']}"
    info = f"{dist}.dist-info"
    wheel_text = "Wheel-Version: 1.0\nGenerator: planmap_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    payload = payload + [
        (f"{info}/METADATA", metadata(config).encode("utf-8")),
        (f"{info}/WHEEL", wheel_text.encode("utf-8")),
    ]
    record = [_record_line(name, data) for name, data in payload] + [f"{info}/RECORD,,"]
    payload.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    filename = f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / filename, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in payload:
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return filename


def get_requires_for_build_wheel(config_settings=None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings=None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings=None) -> list[str]:
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    config = _project()
    return _write_wheel(
        wheel_directory, [(name, path.read_bytes()) for name, path in _contents(config)], config
    )


def build_editable(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    """A wheel whose one ``.pth`` line puts this checkout on ``sys.path`` (``pip install -e .``)."""
    config = _project()
    pth = f"{_dist_name(config['project']['name'])}.pth"
    return _write_wheel(wheel_directory, [(pth, f"{ROOT}\n".encode())], config)


def build_sdist(sdist_directory, config_settings=None) -> str:
    """The packages, the data, this backend and the project files, with ``PKG-INFO`` at the top."""
    config = _project()
    project = config["project"]
    base = f"{_dist_name(project['name'])}-{project['version']}"
    wheel = config["tool"]["planmap"]["wheel"]
    trees = [*wheel["packages"], *wheel.get("data", {}), "build_backend"]
    files = [path for tree in trees for path in _files(ROOT / tree)]
    files += [
        ROOT / name for name in ("pyproject.toml", "README.md", "requirements.txt") if (ROOT / name).is_file()
    ]
    filename = f"{base}.tar.gz"
    with tarfile.open(Path(sdist_directory) / filename, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path in files:
            archive.add(path, arcname=f"{base}/{path.relative_to(ROOT).as_posix()}", recursive=False)
        info = metadata(config).encode("utf-8")
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(info)
        archive.addfile(entry, io.BytesIO(info))
    return filename
