"""The map page's "warnings" colouring: the rules of ``data/progress/warnings.yaml`` evaluated as
of the page's day, the features recoloured and the legend counting each class.

A ledger that cannot be read (its one-line message already shown) or a damaged rules file (the
app's data-file message) gives None, and the page draws its layer colours instead.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.errors import DataError
from geo.progress import Event
from geo.progress.warnings import ItemWarning, evaluate, load_rules
from layers.progress_warnings import warning_features, warning_legend_html, warnings_by_item
from ui.common import lang, show_data_error


def warnings_as_of(
    gdf_all: pd.DataFrame, events: list[Event] | None, as_of: date
) -> list[ItemWarning] | None:
    """Every warning on ``as_of`` for the catalogue's items; None when they cannot be known."""
    if events is None:
        return None
    try:
        rules = load_rules()
    except DataError as exc:
        show_data_error(exc)
        return None
    return evaluate(rules, dict(zip(gdf_all["id"], gdf_all["status"], strict=True)), events, as_of)


@st.cache_resource(show_spinner=False, max_entries=8)
def _coloured(language: str, datum: str, found_key: tuple, _features: dict, _found: list) -> dict[str, str]:
    return warning_features(_features, warnings_by_item(_found), lang=language)


def coloured_by_warnings(features: dict[str, str], found: list[ItemWarning], datum: str) -> dict[str, str]:
    """The features recoloured by warnings, once per language, datum and set of warnings."""
    key = tuple((w.rule, w.item_id, w.message_zh, w.message_en) for w in found)
    return _coloured(lang(), datum, key, features, found)


def legend_html(shown: pd.DataFrame, found: list[ItemWarning]) -> str:
    """The key, counting the shown items with and without a warning."""
    warned = {w.item_id for w in found}
    flagged = int(shown["id"].isin(warned).sum())
    return warning_legend_html(flagged, len(shown) - flagged, lang())
