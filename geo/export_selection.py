"""A selection of the catalogue, ready for :mod:`geo.export`: the one path the app and the CLI share.

The app's export page and ``python -m geo export`` both call :func:`selection_bundle`, so the same
selection gives the same files.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd

from geo.clock import plan_today
from geo.errors import ExportError, GeoError
from geo.export import (
    DEFAULT_CRS,
    ExportBundle,
    LayerLook,
    check_crs,
    check_format,
    export_bytes,
    selection_filename,
)
from geo.features import (
    Selection,
    catalogue_frame,
    selection_from_params,
    selection_link_params,
)
from geo.formats.names import undated
from geo.plan import load_plan
from geo.progress.frames import with_progress as with_progress_columns
from geo.progress.ledger import Event, parse_as_of
from geo.search import search_frame
from geo.vocabulary import LAYERS, PROVINCE_SCOPES, STATUSES

# Administrative units written into the GeoPackage, coarsest first.
ADMIN_LEVELS: tuple[str, ...] = ("province", "prefecture", "county")


def tasks_table() -> pd.DataFrame:
    """The plan's 47 tasks: number, chapter, title, text (joins to ``tasks`` of every feature)."""
    rows = [
        {"number": t.number, "chapter": t.chapter, "title": t.title, "text": t.text}
        for t in load_plan().tasks
    ]
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


def describe_selection(selection: Selection, place_name: str | None = None, lang: str = "en") -> str:
    """The selection in words: English for an export's README, or the app's language (``zh``/``en``)."""
    zh = lang == "zh"
    join = "、".join if zh else ", ".join
    layers = [LAYERS[v].label(lang) if v in LAYERS else v for v in selection.layers]
    statuses = [STATUSES.label(v, lang) for v in selection.statuses]
    provinces = [PROVINCE_SCOPES.label(v, lang) for v in selection.provinces]
    parts = []
    if layers:
        parts.append(("图层 " if zh else "layers ") + join(layers))
    if statuses:
        parts.append(("状态 " if zh else "status ") + join(statuses))
    if provinces:
        parts.append(("省份 " if zh else "province ") + join(provinces))
    if selection.chapters:
        parts.append(("方面 " if zh else "chapters ") + join(map(str, selection.chapters)))
    if selection.tasks:
        parts.append(("任务 " if zh else "tasks ") + join(map(str, selection.tasks)))
    query = selection.query.strip()
    if query:
        parts.append(f"搜索“{query}”" if zh else f"search “{query}”")
    if selection.place:
        name = place_name or selection.place
        parts.append(
            f"位于或经过 {name}({selection.place})" if zh else f"in or touching {name} ({selection.place})"
        )
    if not parts:
        return "全部要素" if zh else "the whole catalogue"
    return ";".join(parts) if zh else "; ".join(parts)


def selection_bundle(selection: Selection, *, place_name: str | None = None) -> ExportBundle:
    """The features a selection matches, with layer styles and the reference tables.

    Raises :class:`~geo.errors.ExportError` for a value no feature can have or an empty result.
    """
    bad = selection.unknown_values()
    if bad:
        raise ExportError(f"unknown {', '.join(bad)}")
    features = selected_features(selection)
    if features.empty:
        raise ExportError(f"the selection ({describe_selection(selection, place_name)}) matches no feature")
    tables, admin = _reference()
    return ExportBundle(
        features=features,
        selection=describe_selection(selection, place_name),
        layer_looks={
            layer.id: LayerLook(layer.id, layer.zh, layer.en, layer.colour, layer.legend.zh, layer.legend.en)
            for layer in LAYERS.terms()
        },
        tables=tables,
        admin_units=admin,
    )


def resolve_place(place: str) -> tuple[str, str]:
    """(adcode, full name) of a place given by name (达州, 万州区) or by its 6-digit code."""
    from geo.gazetteer import load_gazetteer

    unit = load_gazetteer().resolve(place).unit
    return unit.adcode, unit.name


def catalogue_bundle(
    *,
    layers: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    tasks: tuple[int, ...] = (),
    place: str | None = None,
) -> ExportBundle:
    """:func:`selection_bundle` from command-line values; ``place`` is a name (达州, 万州区)."""
    adcode, name = resolve_place(place) if place else (None, None)
    selection = Selection(layers=tuple(layers), statuses=tuple(statuses), tasks=tuple(tasks), place=adcode)
    return selection_bundle(selection, place_name=name)


def export_name(selection: Selection, fmt: str, crs: str, exported: date | None = None) -> str:
    """The file name of an export of the selection (layers and statuses in the app's order), as
    the app offers it and as the command line writes it by default."""
    layers = sorted(selection.layers, key=LAYERS.index)
    statuses = sorted(selection.statuses, key=STATUSES.index)
    exported = exported or plan_today()
    return selection_filename(fmt, crs, layers=layers, statuses=statuses, exported=exported)


def export_files(
    selection: Selection,
    *,
    fmt: str,
    crs: str = DEFAULT_CRS,
    place_name: str | None = None,
    exported: date | None = None,
    as_of: date | str | None = None,
    events: Iterable[Event] | None = None,
    with_progress: bool = True,
) -> dict[str, bytes]:
    """``{file name: bytes}`` of an export of the selection: what the app offers for download.

    Like the command line, the features carry the progress ledger's phase as of ``as_of``
    (a day or ``YYYY-MM-DD``, default today), from ``events`` when the caller has read them, else from the
    ledger read here. ``with_progress=False`` (the ledger cannot be read): no phase columns and no
    events table, and the files' README says so.
    """
    from geo.progress.exporting import progress_bundle

    exported = exported or plan_today()
    bundle = selection_bundle(selection, place_name=place_name)
    if not with_progress:
        bundle = replace(
            bundle, selection=f"{bundle.selection}; without progress (the ledger could not be read)"
        )
    elif events is None:
        bundle = progress_bundle(bundle, as_of.isoformat() if isinstance(as_of, date) else as_of)
    else:
        day = as_of if isinstance(as_of, date) else parse_as_of(as_of)
        bundle = with_progress_columns(bundle, day, events)
    return export_bytes(
        bundle,
        fmt=fmt,
        crs=crs,
        exported=exported,
        name=lambda fmt, crs: export_name(selection, fmt, crs, exported),
    )


def file_of_export(files: Mapping[str, bytes], name: str) -> str | None:
    """The file of an export that ``name`` asks for: that name, or the name the same file had on
    another day. The names carry the day the export is made, so a link to a CSV's README drawn
    before midnight still finds the README made after it; None when no file is meant."""
    if name in files:
        return name
    same = [file for file in files if undated(file) == undated(name)]
    return same[0] if len(same) == 1 else None


# -- the export page's link: the map page's parameters plus place, format and crs ------------------
@dataclass(frozen=True)
class ExportRequest:
    """What an export link asks for: a selection, a format and a CRS, plus the values not understood."""

    selection: Selection
    fmt: str
    crs: str
    place_name: str | None
    bad: tuple[tuple[str, str], ...]


def request_from_params(params: Mapping[str, str]) -> ExportRequest:
    """Read ``?layers=railway,aviation&status=开工建设&task=10&q=…&place=…&format=gpkg&crs=EPSG:4490``.

    The names and values are the map page's (so its link opens the same selection here). Unknown
    values are returned in ``bad`` (name, value) and left out, never guessed.
    """
    selection, bad = selection_from_params(params)
    fmt = str(params.get("format") or "geojson").strip().lower()
    try:
        fmt = check_format(fmt)
    except ExportError:
        bad.append(("format", fmt))
        fmt = "geojson"
    try:
        crs = check_crs(str(params.get("crs") or DEFAULT_CRS))
    except ExportError:
        bad.append(("crs", str(params.get("crs"))))
        crs = DEFAULT_CRS
    adcode = place_name = None
    place = str(params.get("place") or "").strip()
    if place:
        try:
            adcode, place_name = resolve_place(place)
        except GeoError:
            bad.append(("place", place))
    selection = replace(selection, place=adcode)
    return ExportRequest(selection, fmt, crs, place_name, tuple(bad))


def export_query(
    selection: Selection,
    *,
    fmt: str,
    crs: str,
    place_name: str | None = None,
    as_of: date | None = None,
    file: str | None = None,
) -> str:
    """The query of a link to an export (what :func:`request_from_params` and the download route
    read): the selection, ``place`` by name, the format and CRS, the day of the phases (left out for
    "today", so the link stays current) and a side file of the export by name."""
    params = selection_link_params(selection)
    params |= {"place": place_name or "", "format": fmt, "crs": crs}
    params |= {"as_of": as_of.isoformat() if as_of else "", "file": file or ""}
    return urlencode({name: value for name, value in params.items() if value}, safe=",:")


def selected_features(selection: Selection) -> gpd.GeoDataFrame:
    """The catalogue rows a selection matches, searched as the map page searches (unknown values
    are the caller's to report)."""
    return search_frame(catalogue_frame(), selection)
