"""A selection of the catalogue, ready for :mod:`geo.export`: the one path the app and the CLI share.

The app's export page and ``python -m geo export`` both call :func:`selection_bundle`, so the same
selection gives the same files.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import pandas as pd

from geo.errors import ExportError
from geo.export import ExportBundle
from geo.plan import load_plan
from layers.frames import Selection, catalogue_frame, filter_frame
from layers.registry import LAYERS

# Administrative units written into the GeoPackage, coarsest first.
ADMIN_LEVELS: tuple[str, ...] = ("province", "prefecture", "county")


def tasks_table() -> pd.DataFrame:
    """The plan's 47 tasks: number, chapter, title, text (joins to ``tasks`` of every feature)."""
    rows = [{"number": t.number, "chapter": t.chapter, "title": t.title, "text": t.text} for t in load_plan().tasks]
    return pd.DataFrame(rows, columns=["number", "chapter", "title", "text"])


def place_tasks_table() -> pd.DataFrame:
    """Every place each task names (from the plan's sentences): task, sentence, words, unit, how."""
    from geo.mentions import all_mentions

    rows = [
        {
            "task": mention.task,
            "sentence": mention.sentence,
            "text": mention.text,
            "adcode": unit.adcode,
            "place": unit.name,
            "how": mention.how,
        }
        for mention in all_mentions()
        for unit in mention.units
    ]
    return pd.DataFrame(rows, columns=["task", "sentence", "text", "adcode", "place", "how"])


def admin_units() -> dict[str, gpd.GeoDataFrame]:
    """``{"admin_province": …, "admin_prefecture": …, "admin_county": …}`` (EPSG:4326)."""
    from geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    return {f"admin_{level}": gazetteer.boundaries(level) for level in ADMIN_LEVELS}


@functools.cache
def _reference() -> tuple[dict[str, pd.DataFrame], dict[str, gpd.GeoDataFrame]]:
    return {"tasks": tasks_table(), "place_tasks": place_tasks_table()}, admin_units()


def describe_selection(selection: Selection, place_name: str | None = None) -> str:
    """The selection in words, for the README of an export."""
    parts = []
    if selection.layers:
        parts.append("layers " + ", ".join(selection.layers))
    if selection.statuses:
        parts.append("status " + ", ".join(selection.statuses))
    if selection.provinces:
        parts.append("province " + ", ".join(selection.provinces))
    if selection.chapters:
        parts.append("chapters " + ", ".join(map(str, selection.chapters)))
    if selection.tasks:
        parts.append("tasks " + ", ".join(map(str, selection.tasks)))
    if selection.query.strip():
        parts.append(f"search “{selection.query.strip()}”")
    if selection.place:
        parts.append(f"in or touching {place_name or selection.place} ({selection.place})")
    return "; ".join(parts) if parts else "the whole catalogue"


def selection_bundle(selection: Selection, *, place_name: str | None = None) -> ExportBundle:
    """The features a selection matches, with layer styles and the reference tables.

    Raises :class:`~geo.errors.ExportError` for a value no feature can have or an empty result.
    """
    bad = selection.unknown_values()
    if bad:
        raise ExportError(f"unknown {', '.join(bad)}")
    features = filter_frame(catalogue_frame(), selection)
    if features.empty:
        raise ExportError(f"the selection ({describe_selection(selection, place_name)}) matches no feature")
    tables, admin = _reference()
    return ExportBundle(
        features=features,
        selection=describe_selection(selection, place_name),
        layer_looks=LAYERS,
        tables=tables,
        admin_units=admin,
    )


def catalogue_bundle(
    *,
    layers: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    tasks: tuple[int, ...] = (),
    place: str | None = None,
) -> ExportBundle:
    """:func:`selection_bundle` from command-line values; ``place`` is a name (达州, 万州区)."""
    adcode = name = None
    if place:
        from geo.gazetteer import load_gazetteer

        unit = load_gazetteer().resolve(place).unit
        adcode, name = unit.adcode, unit.name
    selection = Selection(layers=tuple(layers), statuses=tuple(statuses), tasks=tuple(tasks), place=adcode)
    return selection_bundle(selection, place_name=name)
