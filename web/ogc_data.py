"""What the feature service serves, as frames: the export's own features, the places, the ledger.

The thematic collections are the GeoPackage export's feature rows: the whole catalogue prepared by
:func:`geo.formats.crs.prepare_frame` (export columns, 5-decimal grid, right-hand rings), with the
ledger's ``phase``/``phase_date``/``phase_source`` as of a day from the same functions
``python -m geo export --as-of`` uses, and list columns written as the GeoPackage writes them
(``"9;11"``). So a file and the service give the same values for the same day.

The prepared catalogue is cached (it changes only with the data files); the ledger is read on every
request, so an event recorded a moment ago shows in the next response.
"""

from __future__ import annotations

import functools
import threading
from datetime import date

import geopandas as gpd
import pandas as pd

from geo.export_selection import selection_bundle
from geo.features import Selection
from geo.formats.core import LIST_COLUMNS, as_text
from geo.formats.crs import DEFAULT_CRS, prepare_frame
from geo.formats.fields import typed_phase_dates
from geo.progress.frames import events_frame, with_phase_columns
from geo.progress.ledger import latest_as_of, list_events
from geo.progress.store import open_ledger
from geo.vocabulary import LAYERS

PLACES = "places"
EVENTS = "progress_events"
# The places collection: the prefecture-level map of the city page (Sichuan's prefectures and
# Chongqing's districts and counties), with the tasks reaching each unit.
PLACES_LEVEL = "prefecture"
_lock = threading.Lock()


def collection_ids() -> list[str]:
    """Every collection: one per thematic layer (the registry's order), then places and events."""
    return [*LAYERS, PLACES, EVENTS]


def _lists_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """List columns as one text cell each, as the GeoPackage holds them (``9;11``)."""
    frame = frame.copy()
    for column in LIST_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map(as_text)
    return frame


@functools.cache
def _prepared_catalogue() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    # The export's selection of everything, prepared as every export format prepares it, lists
    # as the GeoPackage writes them; and the same rows per layer.
    frame = _lists_as_text(prepare_frame(selection_bundle(Selection()).features, DEFAULT_CRS))
    by_layer = {str(layer): rows.reset_index(drop=True) for layer, rows in frame.groupby("layer", sort=False)}
    return frame, by_layer


def prepared_catalogue(layer: str | None = None) -> gpd.GeoDataFrame:
    """The catalogue (or one layer of it) as the exports write it, without the ledger's columns."""
    with _lock:  # several worker threads may ask at once on a fresh server
        frame, by_layer = _prepared_catalogue()
    if layer is None:
        return frame
    return by_layer.get(layer, frame.iloc[0:0])


def features_as_of(as_of: date, layer: str | None = None, *, database: str | None = None) -> gpd.GeoDataFrame:
    """The catalogue's features (or one layer's) with their phase as of ``as_of``, from the ledger
    as it is now: the export's ``with_phase_columns`` and ``latest_as_of``."""
    latest = latest_as_of(list_events(open_ledger(database)), as_of)
    # The last step of the export's preparation: phase_date as a date, with its precision.
    return typed_phase_dates(with_phase_columns(prepared_catalogue(layer), latest))


def events_table(*, database: str | None = None) -> pd.DataFrame:
    """The ledger's events for the catalogue's items: the GeoPackage's ``progress_events`` table."""
    events = list_events(open_ledger(database))
    return events_frame(events, prepared_catalogue()["id"])


@functools.cache
def _places() -> gpd.GeoDataFrame:
    from geo.gazetteer import load_gazetteer
    from layers.summaries import tasks_per_unit

    boundaries = load_gazetteer().boundaries(PLACES_LEVEL)[["adcode", "geometry"]]
    reaching = tasks_per_unit(PLACES_LEVEL, inherited=True)
    named = tasks_per_unit(PLACES_LEVEL, inherited=False)[["adcode", "tasks", "task_list"]]
    named = named.rename(columns={"tasks": "tasks_named", "task_list": "task_list_named"})
    table = reaching.merge(named, on="adcode", how="left")
    for column in ("task_list", "task_list_named"):
        table[column] = table[column].map(as_text)
    table = table.rename(columns={"adcode": "id"})
    frame = boundaries.rename(columns={"adcode": "id"}).merge(table, on="id", how="inner")
    frame = frame.sort_values("id", ignore_index=True)
    return prepare_frame(gpd.GeoDataFrame(frame, geometry="geometry", crs=4326), DEFAULT_CRS)


def places() -> gpd.GeoDataFrame:
    """The units of the city page's map with the tasks reaching them (``tasks``, ``task_list``,
    received ones included) and naming them (``tasks_named``, ``task_list_named``)."""
    with _lock:
        return _places()
