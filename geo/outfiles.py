"""Where an export may write, and the scratch it leaves while writing.

Rules a careful operator expects of a command that writes files:

- an existing file is never replaced unless asked (``--force``); a side file (the README beside a
  CSV) counts as a target too, so it is never silently replaced either;
- nothing is ever written inside the project's own ``data/`` (nor the data directory in use):
  an export there would replace the shipped data the library reads;
- the final move into place does not clobber a file that appeared meanwhile (a hard link, which
  fails if the name exists, then the scratch name is removed);
- scratch directories (``.export-*``) are removed on SIGTERM, and ones older than an hour —
  left by a SIGKILL or a power cut — are removed by the next export into the same directory.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geo import datafiles
from geo.errors import ExportError, Terminated

SCRATCH_PREFIX = ".export-"
STALE_SCRATCH_S = 3600


def check_out_argument(value: str) -> str:
    """The ``--out`` value unchanged; ExportError when it is empty."""
    if not value.strip():
        raise ExportError("--out is empty: give a file name or an existing directory")
    return value


def check_place_argument(value: str | None) -> str | None:
    """The ``--place`` value unchanged; ExportError when it is given but empty."""
    if value is not None and not value.strip():
        raise ExportError("--place is empty: give a place name such as 达州, or leave --place out")
    return value


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except (ValueError, OSError):
        return False
    return True


def refuse_data_dir(path: Path) -> None:
    """The project's data (and the data directory in use) are read by the library: never export there."""
    for directory in {datafiles.PROJECT_DATA_DIR, datafiles.data_dir()}:
        if _inside(Path(path), directory):
            raise ExportError(
                f"{path}: refusing to write inside the project's data directory; choose another place"
            )


def check_writable(path: Path) -> None:
    """ExportError unless ``path`` can be created: its directory exists and is writable, and it
    is not a directory itself."""
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: the directory {parent} is not writable")
    if path.exists() and path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory")


def check_targets(paths: Iterable[Path], *, force: bool) -> None:
    """Every file an export would write: not in data/, not existing unless ``force``."""
    for path in paths:
        refuse_data_dir(path)
        if path.is_dir():
            raise ExportError(f"cannot write {path}: it is a directory")
        if not force and (path.exists() or path.is_symlink()):
            raise ExportError(f"{path} already exists; add --force to replace it")


def move_into_place(source: Path, target: Path, *, overwrite: bool) -> None:
    """Move a finished file to ``target``; without ``overwrite`` an existing file is never replaced."""
    if overwrite:
        os.replace(source, target)
        return
    try:
        os.link(source, target)  # fails with EEXIST instead of replacing
    except FileExistsError:
        raise ExportError(f"{target} already exists; add --force to replace it") from None
    except OSError:
        # A file system without hard links: the check before writing has to do.
        if target.exists():
            raise ExportError(f"{target} already exists; add --force to replace it") from None
        os.replace(source, target)
        return
    source.unlink()


def write_file(out: str, data: bytes, *, force: bool) -> Path:
    """Write ``data`` to the file ``out`` names, by the rules above; returns the path written.

    For a command writing one file of its own making (``progress export``): the same checks,
    scratch file and final move as every ``geo export``, and the same one-line ExportErrors.
    """
    path = Path(check_out_argument(out)).expanduser()
    check_writable(path)
    check_targets([path], force=force)
    with scratch_dir(path.parent) as scratch:
        try:
            (scratch / path.name).write_bytes(data)
            move_into_place(scratch / path.name, path, overwrite=force)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def remove_stale_scratch(directory: Path, *, older_than_s: float = STALE_SCRATCH_S) -> list[Path]:
    """Remove ``.export-*`` directories older than ``older_than_s`` (a killed export's leftovers)."""
    removed = []
    limit = time.time() - older_than_s
    try:
        candidates = list(Path(directory).glob(SCRATCH_PREFIX + "*"))
    except OSError:
        return removed
    for path in candidates:
        try:
            if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        except OSError:
            continue
    return removed


@contextmanager
def scratch_dir(directory: Path) -> Iterator[Path]:
    """A fresh ``.export-*`` directory in ``directory`` (same file system, so renames are atomic),
    removed when the block ends however it ends (error, Ctrl-C, SIGTERM)."""
    remove_stale_scratch(directory)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=directory))
    except OSError as exc:
        raise ExportError(f"cannot write in {directory}: {exc.strerror}") from None
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


def terminate_like_interrupt() -> None:
    """Make SIGTERM unwind the stack (and so clean scratch) instead of killing the process."""
    signal.signal(signal.SIGTERM, _raise_terminated)
