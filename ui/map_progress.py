"""The map page's "as of" control: the day whose progress colours the map and fills the details.

Kept beside app_pages/map.py so the map page needs only a few calls: its URL parameter
(:data:`AS_OF`, ``?as_of=YYYY-MM-DD``, default today), the control, the restyled features.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.clock import plan_today
from geo.progress import Event, latest_as_of
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.progress import ledger_events, phase_features, phase_label, phase_legend_html
from ui.common import lang, plain_text, source_markdown, tr
from ui.ledger import MAP_WITHOUT, read_ledger
from ui.page_state import day

AS_OF_KEY = "map_as_of"
EARLIEST = date(2000, 1, 1)
# ``?as_of=``: a malformed or future day warns in one line and falls back to today.
AS_OF = day("as_of", AS_OF_KEY, earliest=EARLIEST)


def current_as_of() -> date:
    return st.session_state.get(AS_OF_KEY) or plan_today()


def as_of_control(key: str = AS_OF_KEY, help_text: str | None = None) -> date:
    """The day picker (the map's, or another page's ``key``), from :data:`EARLIEST` to today."""
    st.date_input(
        tr("进展截至", "Progress as of"),
        key=key,
        min_value=EARLIEST,
        max_value=plan_today(),
        format="YYYY-MM-DD",
        help=help_text
        or tr(
            "按此日期的最新进展着色(着色依据选“进展”),详情中显示此日期的最新事件及来源。",
            "Colours by the latest phase on this day (colour by “progress”); the details show the latest event and its source.",
        ),
    )
    return st.session_state.get(key) or plan_today()


def map_events() -> list[Event] | None:
    """The ledger's events for this run; None after its one warning when it cannot be read."""
    return read_ledger(ledger_events, *MAP_WITHOUT)


def latest_events(as_of: date, events: list[Event] | None) -> dict[str, Event]:
    """Item id → latest event on ``as_of`` (none when the ledger could not be read)."""
    return latest_as_of(events or [], as_of)


@st.cache_resource(show_spinner=False, max_entries=8)
def _coloured(language: str, datum: str, latest_key: tuple, _features: dict, _latest: dict) -> dict[str, str]:
    return phase_features(_features, _latest, lang=language)


def coloured_by_phase(features: dict[str, str], latest: dict[str, Event], datum: str) -> dict[str, str]:
    """The features recoloured by phase, once per language, datum and set of latest events."""
    key = tuple(sorted((item_id, event.id) for item_id, event in latest.items()))
    return _coloured(lang(), datum, key, features, latest)


def legend_html() -> str:
    return phase_legend_html(lang())


def latest_event_markdown(event: Event | None, as_of: date, plan_status: str) -> str:
    """One line for a details panel: the latest event as of the day with its source, as text
    (the source a link only when it is a plain http(s) URL)."""
    language = lang()
    day = as_of.isoformat()
    if event is None:
        plan = plain_text(STATUS_TERMS.label(plan_status, language))
        return tr(
            f"**截至 {day} 的进展:** 无记录,按规划为 {plan}",
            f"**Progress as of {day}:** no event recorded; the plan says {plan}",
        )
    label = tr(f"**截至 {day} 的进展:**", f"**Progress as of {day}:**")
    phase = plain_text(phase_label(event.phase, language))
    source = source_markdown(event.source)
    return f"{label} {phase} · {plain_text(event.date_text)}  \n<small>{tr('来源：', 'source: ')}{source}</small>"


def details_line(row: pd.Series, latest: dict[str, Event], as_of: date) -> None:
    st.markdown(latest_event_markdown(latest.get(row["id"]), as_of, row["status"]), unsafe_allow_html=True)
