"""Where the shipped data live, and one guard that turns any failure to read them into DataError.

``PLANMAP_DATA_DIR`` points the library at another copy of ``data/`` (a damaged copy in a test,
a staged update before it is put in place); it is read when the process starts. A setting that
names no usable directory is one :class:`~geo.errors.DataDirError` naming the setting, not a
missing-file error for whichever file happened to be read first.

Nothing is read when a module is imported: tables that modules expose as constants
(:class:`LoadedMapping`, :class:`LoadedTuple`) read their file on first use, inside the same
guard as every other loader, so a damaged file is one message and never an import-time traceback.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.errors import DataDirError, DataError

DATA_DIR_ENV = "PLANMAP_DATA_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent
# A checkout keeps data/ beside geo/; an installed wheel carries it inside the package (geo/data/).
PROJECT_DATA_DIR = _PACKAGE_DIR / "data" if (_PACKAGE_DIR / "data").is_dir() else _PACKAGE_DIR.parent / "data"


def data_dir() -> Path:
    """The data directory in use: ``$PLANMAP_DATA_DIR`` if set, else the project's ``data/``."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).resolve() if value else PROJECT_DATA_DIR


DATA_DIR = data_dir()
GAZETTEER_DIR = DATA_DIR / "gazetteer"


def data_dir_problem() -> DataDirError | None:
    """What is wrong with the directory ``$PLANMAP_DATA_DIR`` names (None when it is unset or usable).

    Asked only once a file could not be read, so a sound setup pays nothing for it.
    """
    setting = os.environ.get(DATA_DIR_ENV, "").strip()
    if not setting:
        return None
    directory = Path(setting)
    if not directory.exists():
        return DataDirError(setting, "the directory does not exist")
    if not directory.is_dir():
        return DataDirError(setting, "it names a file, not a directory")
    try:
        empty = next(directory.iterdir(), None) is None
    except OSError:
        return DataDirError(setting, "the directory cannot be read")
    if empty:
        return DataDirError(setting, "the directory is empty")
    return None


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


def without_server_paths(text: str) -> str:
    """``text`` with every absolute path cut to its last part (library messages quote them)."""
    return _ABSOLUTE_PATH.sub(lambda m: m.group(0).rsplit("/", 1)[-1], text)


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
    mark = getattr(exc, "problem_mark", None)  # a YAML parser's complaint: where, and what
    if mark is not None:
        return (
            f"not valid YAML (line {mark.line + 1}, column {mark.column + 1}: {getattr(exc, 'problem', '')})"
        )
    text = " ".join(str(exc).split()) or type(exc).__name__
    # Library messages quote absolute paths; a user sees only the file's name.
    text = without_server_paths(text)
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
        raise data_error(path, "the file is empty" if data is None else "expected a mapping at the top level")
    return data


def read_yaml_list(path: Path) -> list:
    """A YAML file whose top level is a non-empty list; DataError naming the file otherwise."""
    import yaml

    try:
        data = yaml.load(
            path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        with reading(path):
            raise exc from None
    if not data:
        raise data_error(path, "the file is empty (no entries)")
    if not isinstance(data, list):
        raise data_error(path, "expected a list of entries at the top level")
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
        raise data_error(path, _describe(exc)) from exc


def data_error(path: Path, problem: str) -> DataError:
    """The DataError for ``path``, or the one for ``$PLANMAP_DATA_DIR`` when that is the cause."""
    return data_dir_problem() or DataError(shown_path(path), problem)


class _Loaded:
    """A value built from the data files on first use and kept; a failed build is tried again."""

    def __init__(self, build: Callable[[], Any]):
        self._build = build
        self._value: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value


class LoadedMapping(_Loaded, Mapping):
    """A read-only mapping (a vocabulary table, labels derived from it) read on first use."""

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


class LoadedTuple(_Loaded, Sequence):
    """A tuple (ids in their file's order) read on first use; equal to the tuple it holds."""

    def __getitem__(self, index):
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self):
        return iter(self._get())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LoadedTuple):
            other = other._get()
        return self._get() == other

    def __hash__(self) -> int:
        return hash(self._get())

    def __add__(self, other):
        return self._get() + tuple(other)

    def __repr__(self) -> str:
        return repr(self._get())
