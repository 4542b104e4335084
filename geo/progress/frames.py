"""Progress beside the catalogue: phase columns for a features frame, the events table for exports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

import geopandas as gpd
import pandas as pd

from geo.progress.csvfile import EXPORT_COLUMNS
from geo.progress.ledger import Event, latest_as_of

PHASE_COLUMNS = ("phase", "phase_date", "phase_source")
EVENTS_TABLE = "progress_events"


def with_phase_columns(gdf: gpd.GeoDataFrame, latest: Mapping[str, Event]) -> gpd.GeoDataFrame:
    """``gdf`` with ``phase``, ``phase_date`` and ``phase_source`` from each item's latest event.

    Items without an event get empty values: their status is still the plan's verb (``status``).
    """
    out = gdf.copy()
    found = [latest.get(item_id) for item_id in out["id"]]
    out["phase"] = [e.phase if e else None for e in found]
    out["phase_date"] = [e.date_text if e else None for e in found]
    out["phase_source"] = [e.source if e else None for e in found]
    return out


def events_frame(events: Iterable[Event], item_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Every event (superseded ones too, with ``supersedes``) as a table, optionally for some items."""
    wanted = set(item_ids) if item_ids is not None else None
    rows = [e.to_dict() for e in events if wanted is None or e.item_id in wanted]
    frame = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))
    frame["supersedes"] = frame["supersedes"].astype("Int64")
    frame["id"] = frame["id"].astype("Int64")
    return frame


def with_progress(bundle, as_of: date, events: Iterable[Event]):
    """An export bundle whose features carry the phase as of ``as_of``, plus the events table."""
    events = list(events)
    features = with_phase_columns(bundle.features, latest_as_of(events, as_of))
    table = events_frame(events, features["id"])
    return dataclasses.replace(
        bundle,
        features=features,
        selection=f"{bundle.selection}; progress as of {as_of.isoformat()}",
        tables={**bundle.tables, EVENTS_TABLE: table},
    )
