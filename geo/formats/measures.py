"""Measures that say what they measure.

The catalogue frame carries ``length_km`` for every line and ``area_km2`` for every polygon. In a
file handed to an analyst those would read as measured facts, so an export keeps them only where
they are: ``length_km`` for a real alignment (precision ``route``) or a real river section
(``river``). Any other line — a schematic line through the named places — carries the length of
what is drawn as ``straight_km``. A polygon standing in for an item the plan does not bound (an
``area``: the union of whole administrative units) keeps ``area_km2`` of what is drawn, with
``area_is`` saying so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Precision classes whose line is the thing itself (a real alignment or river section).
LENGTH_PRECISIONS: frozenset[str] = frozenset({"route", "river"})
# What a polygon of each precision class is; other classes are the shape drawn.
AREA_IS: dict[str, str] = {"area": "whole units"}
AREA_IS_DEFAULT = "drawn shape"


def honest_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """``length_km`` only for ``route``/``river`` lines, ``straight_km`` for other lines, and
    ``area_is`` beside ``area_km2`` (``"whole units"`` for area stand-ins). Frames without the
    catalogue's measures are returned as they are."""
    if "precision" not in frame or "length_km" not in frame:
        return frame
    frame = frame.copy()
    precision = frame["precision"].astype(str)
    length = pd.to_numeric(frame["length_km"], errors="coerce")
    is_real = precision.isin(LENGTH_PRECISIONS).to_numpy()
    columns = list(frame.columns)
    frame["length_km"] = np.where(is_real, length, np.nan)
    frame["straight_km"] = np.where(is_real, np.nan, length)
    columns.insert(columns.index("length_km") + 1, "straight_km")
    if "area_km2" in frame:
        has_area = pd.to_numeric(frame["area_km2"], errors="coerce").notna().to_numpy()
        area_is = precision.map(lambda p: AREA_IS.get(p, AREA_IS_DEFAULT))
        frame["area_is"] = np.where(has_area, area_is, "")
        columns.insert(columns.index("area_km2") + 1, "area_is")
    return frame[columns]
