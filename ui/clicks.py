"""What a click on a map's feature says, read the same way on every page.

streamlit-folium sends a map's value only when it differs from the last one it sent. With the
clicked feature alone, a second click on the same feature (after another was chosen in a list or
table, or after a click that never reached the server on a dropped connection) sends nothing and
is lost; with the click counter beside it, every click is a new value and runs the page once.
"""

from __future__ import annotations

import streamlit as st

# What the pages' clickable maps return to the app (passed as st_folium's ``returned_objects``).
CLICK_OBJECTS = ["last_active_drawing", "last_object_clicked", "last_object_clicked_count"]


def clicked_properties(key: str) -> dict:
    """Properties of the feature last clicked on the map stored under ``key`` ({} if none).

    Called from the map's ``on_change``, which runs once per click: the counter in
    :data:`CLICK_OBJECTS` changes with every click, so the same feature clicked again counts too.
    """
    value = st.session_state.get(key) or {}
    return (value.get("last_active_drawing") or {}).get("properties") or {}


def clicked_point(key: str) -> tuple[float, float] | None:
    """(lon, lat) of the last click on a feature of the map stored under ``key``, if any."""
    value = st.session_state.get(key) or {}
    point = value.get("last_object_clicked") or {}
    if point.get("lat") is None or point.get("lng") is None:
        return None
    return float(point["lng"]), float(point["lat"])
