"""Measures that say what they measure.

The catalogue frame carries ``length_km`` for every line and ``area_km2`` for every polygon. In a
file handed to an analyst those would read as measured facts, so an export keeps them only where
they are: ``length_km`` for a real alignment (precision ``route``) or a real river section
(``river``). Any other line — a schematic line through the named places — carries the length of
what is drawn as ``straight_km``, and wherever such a figure is shown it is called a straight-line
distance (直线距离), never a length. A polygon standing in for an item the plan does not bound (an
``area``: the union of whole administrative units) keeps ``area_km2`` of what is drawn, with
``area_is`` saying so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.datafiles import LoadedTuple
from geo.vocabulary import PRECISIONS

# Precision classes whose line is the thing itself (a real alignment or river section): the
# classes the vocabulary marks measured.
LENGTH_PRECISIONS: LoadedTuple = LoadedTuple(lambda: tuple(p.id for p in PRECISIONS.terms() if p.measured))
# What a polygon of a class the vocabulary does not know is.
AREA_IS_DEFAULT = "drawn shape"


def is_real_length(precision: str) -> bool:
    """True when a line of this precision class is the thing itself, so its length is a length."""
    return precision in PRECISIONS and PRECISIONS[precision].measured


def length_wording(length_km: float, precision: str) -> tuple[str, str]:
    """(Chinese, English) words for a line's kilometres: ``长度 315 km`` for a real alignment or
    river section, ``直线距离约 844 km`` for any other line (straight legs between named places)."""
    km = f"{float(length_km):,.0f} km"
    if is_real_length(precision):
        return f"长度 {km}", f"length {km}"
    return f"直线距离约 {km}", f"straight-line distance ≈ {km}"


def honest_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """``length_km`` only for ``route``/``river`` lines, ``straight_km`` for other lines, and
    ``area_is`` beside ``area_km2`` (``"whole units"`` for area stand-ins). Frames without the
    catalogue's measures are returned as they are."""
    if "precision" not in frame or "length_km" not in frame:
        return frame
    frame = frame.copy()
    precision = frame["precision"].astype(str)
    length = pd.to_numeric(frame["length_km"], errors="coerce")
    is_real = precision.map(is_real_length).to_numpy(dtype=bool)
    columns = list(frame.columns)
    frame["length_km"] = np.where(is_real, length, np.nan)
    frame["straight_km"] = np.where(is_real, np.nan, length)
    columns.insert(columns.index("length_km") + 1, "straight_km")
    if "area_km2" in frame:
        has_area = pd.to_numeric(frame["area_km2"], errors="coerce").notna().to_numpy()
        area_is = precision.map(lambda p: PRECISIONS[p].area_is if p in PRECISIONS else AREA_IS_DEFAULT)
        frame["area_is"] = np.where(has_area, area_is, "")
        columns.insert(columns.index("area_km2") + 1, "area_is")
    return frame[columns]
