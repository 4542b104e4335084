"""Where the shipped data live, and one guard that turns any failure to read them into DataError.

``PLANMAP_DATA_DIR`` points the library at another copy of ``data/`` (a damaged copy in a test,
a staged update before it is put in place); it is read when the process starts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import DataError

DATA_DIR_ENV = "PLANMAP_DATA_DIR"
PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The data directory in use: ``$PLANMAP_DATA_DIR`` if set, else the project's ``data/``."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).resolve() if value else PROJECT_DATA_DIR


DATA_DIR = data_dir()
GAZETTEER_DIR = DATA_DIR / "gazetteer"


def shown_path(path: Path) -> str:
    """``data/gazetteer/units.csv``: a data file as a user may see it, without the server's path."""
    path = Path(path)
    for root in {DATA_DIR, data_dir(), PROJECT_DATA_DIR}:
        try:
            return "data/" + path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
    return path.name


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/[^\s'\":,;)]+")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file is missing"
    if isinstance(exc, IsADirectoryError | NotADirectoryError):
        return "expected a file"
    if isinstance(exc, PermissionError):
        return "the file cannot be read (permission denied)"
    if isinstance(exc, UnicodeError):
        return "the file is not UTF-8 text"
    if isinstance(exc, KeyError):
        return f"a required field is missing ({exc})"
    text = " ".join(str(exc).split()) or type(exc).__name__
    # Library messages quote absolute paths; a user sees only the file's name.
    text = _ABSOLUTE_PATH.sub(lambda m: m.group(0).rsplit("/", 1)[-1], text)
    return "cannot be read: " + (text if len(text) <= 160 else text[:159] + "…")


def read_yaml_mapping(path: Path, *, empty_ok: bool = False) -> dict:
    """A YAML file whose top level is a mapping; DataError naming the file otherwise.

    ``empty_ok``: an empty file reads as an empty mapping instead of being an error.
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        with reading(path):
            raise exc from None
    if empty_ok and not data:
        data = {}
    if not isinstance(data, dict):
        raise DataError(shown_path(path), "expected a mapping at the top level")
    return data


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Run a loader's body; any failure becomes one :class:`DataError` naming ``path``.

    A loader is the boundary between the shipped files and the rest of the code: a file that is
    missing, truncated, mis-encoded or malformed can fail in any of a dozen library calls, and
    every one of them means the same thing to a user.
    """
    try:
        yield
    except DataError:
        raise
    except Exception as exc:
        raise DataError(shown_path(path), _describe(exc)) from exc
