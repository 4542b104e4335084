"""File names that say what a file holds: the selection, the CRS and the day.

``chengyu-plan_<layers or all>_<statuses or all>_<crs>_<YYYYMMDD>.<ext>`` — ASCII only (Chinese
values in pinyin), at most :data:`MAX_NAME` characters. The app's download and the command
line's default ``--out`` are the same name, so the same request gives the same file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pypinyin import lazy_pinyin

from geo.formats.core import DEFAULT_STEM, SUFFIXES
from geo.formats.crs import CRS_FILE_LABELS

MAX_NAME = 80
ALL = "all"
# The day in a name: ``_YYYYMMDD`` before the suffix (``.gpkg``, ``.README.txt``, ``.shp.zip``).
_DAY_STAMP = re.compile(r"_\d{8}(?=\.[^_]*$)")


def ascii_slug(text: str) -> str:
    """``加快建设`` → ``jiakuaijianshe``; ``start construction`` → ``start-construction``."""
    words = lazy_pinyin(str(text))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(words).lower())
    return slug.strip("-")


def _part(values: Sequence[str]) -> str:
    slugs = [s for s in dict.fromkeys(ascii_slug(v) for v in values) if s]
    return "-".join(slugs) or ALL


def selection_filename(
    fmt: str,
    crs: str,
    *,
    layers: Sequence[str] = (),
    statuses: Sequence[str] = (),
    exported: date,
    stem: str = DEFAULT_STEM,
) -> str:
    """``chengyu-plan_railway-aviation_jiancheng_cgcs2000_20260102.gpkg``.

    When the full list of layers or statuses would make the name longer than :data:`MAX_NAME`,
    that part becomes a count (``5-layers``); the README inside the file lists the selection.
    """
    suffix = SUFFIXES[fmt][0]
    tail = f"{CRS_FILE_LABELS[crs]}_{exported:%Y%m%d}{suffix}"
    layer_part, status_part = _part(layers), _part(statuses)

    def name() -> str:
        return f"{stem}_{layer_part}_{status_part}_{tail}"

    if len(name()) > MAX_NAME:
        status_part = f"{len(statuses)}-statuses"
    if len(name()) > MAX_NAME:
        layer_part = f"{len(layers)}-layers"
    return name()


def undated(name: str) -> str:
    """The file name without the day it was made (``…_cgcs2000_20260102.README.txt`` →
    ``…_cgcs2000.README.txt``): the same export made on another day has the same one."""
    return _DAY_STAMP.sub("", name, count=1)
