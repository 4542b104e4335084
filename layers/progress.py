"""Progress on the maps and pages: the ledger's events as of a day, colours, summaries.

Kept apart from :mod:`layers.maps` on purpose: a map page asks for its usual features and then
restyles them by phase with :func:`phase_features`, so the drawing code need not know about the
ledger.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from datetime import date

import geopandas as gpd
import pandas as pd

from geo.progress import (
    Event,
    NewEvent,
    add_event,
    latest_as_of,
    list_events,
    load_phases,
    open_ledger,
)
from geo.progress.frames import with_phase_columns
from geo.progress.ledger import effective_events
from geo.progress.phases import phases_by_id
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.maps import safe_json

NO_EVENT_COLOUR = "#bdbdbd"


def ledger_events(database: str | None = None) -> list[Event]:
    """Every event of the configured ledger (superseded ones too; filters decide)."""
    return list_events(open_ledger(database))


def record_event(event: NewEvent, database: str | None = None) -> Event:
    return add_event(open_ledger(database), event)


def phase_colour(phase: str | None) -> str:
    phase_obj = phases_by_id().get(phase or "")
    return phase_obj.colour if phase_obj else NO_EVENT_COLOUR


def phase_label(phase: str | None, lang: str = "zh") -> str:
    phase_obj = phases_by_id().get(phase or "")
    return phase_obj.label(lang) if phase_obj else (phase or "")


def recoloured_style(style: dict, colour: str) -> dict:
    """A feature's style with its line (and fill, when it has one) in ``colour``."""
    style = dict(style)
    if "fillColor" in style:
        style["fillColor"] = colour
    style["color"] = colour
    return style


def restyle_feature(feature: dict, latest: Mapping[str, Event], *, lang: str = "zh") -> dict:
    """A drawn GeoJSON feature (``properties``: id, status, style, tooltip) coloured by its latest phase.

    Items without an event are grey, and their tooltip gives the plan's status.
    """
    props = feature["properties"]
    event = latest.get(props["id"])
    props["style"] = recoloured_style(props.get("style") or {}, phase_colour(event.phase if event else None))
    if event:
        line = f"{phase_label(event.phase, lang)} · {event.date_text}"
    else:
        plan = STATUS_TERMS.label(props.get("status", ""), lang)
        line = f"No event recorded (plan: {plan})" if lang == "en" else f"无进展记录(规划:{plan})"
    props["tooltip"] = f"{props.get('tooltip', '')}<br>{html.escape(line)}"
    props["phase"] = event.phase if event else ""
    return feature


def phase_features(
    features: Mapping[str, str], latest: Mapping[str, Event], *, lang: str = "zh"
) -> dict[str, str]:
    """Ready-to-draw features (id → JSON, as ``layers.map_themes.map_features`` gives) coloured by phase."""
    return {
        item_id: safe_json(restyle_feature(json.loads(text), latest, lang=lang))
        for item_id, text in features.items()
    }


def phase_legend_html(lang: str = "zh") -> str:
    """The colour key of the phases, and grey for items with no event as of the day."""
    chips = [(p.colour, p.label(lang)) for p in load_phases()]
    chips.append((NO_EVENT_COLOUR, "no event (plan's status)" if lang == "en" else "无进展记录(按规划)"))
    return chips_legend_html("Phase" if lang == "en" else "进展阶段", chips, "plan-phase-legend")


def chips_legend_html(title: str, chips: Iterable[tuple[str, str]], css_class: str) -> str:
    """A one-line colour key above a map: ``title`` and a (colour, label) chip each."""
    spans = "".join(
        '<span style="display:inline-flex;align-items:center;gap:4px;margin:0 14px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:18px;height:6px;background:{html.escape(colour)}"></span>'
        f"{html.escape(label)}</span>"
        for colour, label in chips
    )
    return (
        f'<div class="{html.escape(css_class)}" style="font-size:0.85rem;line-height:1.6;display:flex;flex-wrap:wrap;'
        f'align-items:center;margin-bottom:0.75rem"><b style="margin-right:10px">{html.escape(title)}</b>{spans}</div>'
    )


def since_plan_counts(gdf: gpd.GeoDataFrame, events: Iterable[Event], as_of: date) -> pd.DataFrame:
    """Items per layer (rows) and latest phase as of ``as_of`` (columns, vocabulary order, then none)."""
    framed = with_phase_columns(gdf, latest_as_of(events, as_of))
    phases = [p.id for p in load_phases()]
    framed["phase"] = framed["phase"].fillna("")
    table = pd.crosstab(framed["layer"], framed["phase"])
    columns = [p for p in phases if p in table.columns] + ([""] if "" in table.columns else [])
    return table.reindex(columns=columns, fill_value=0)


def timeline_rows(events: Iterable[Event]) -> list[dict]:
    """An item's events in date order, each marked whether an admin withdrew it (``withdrawn``) or
    a later correction that stands replaced it (``superseded``)."""
    events = sorted(events, key=lambda e: (e.event_date, e.id))
    live = {e.id for e in effective_events(events)}
    return [
        {**e.to_dict(), "withdrawn": e.withdrawn(), "superseded": not e.withdrawn() and e.id not in live}
        for e in events
    ]
