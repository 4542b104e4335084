"""The warnings panel of /progress: the rules of ``data/progress/warnings.yaml`` as of a day, one
collapsible section per rule with its count and, for each item it flags, the reason and the latest
event's date and source.

The warnings are those :func:`geo.progress.warnings.evaluate` gives (the same list as
``python -m geo progress warnings``); the panel only lays them out. Stored text (item names,
sources, the rules' words) reaches the page through :func:`ui.common.plain_text` or a table cell,
never as HTML. A rules file that cannot be read is the app's one data-file message, and the rest of
the page is still shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import streamlit as st

from geo.clock import plan_today
from geo.errors import DataError
from geo.progress import Event
from geo.progress.ledger import effective_events, latest_as_of
from geo.progress.warnings import ItemWarning, Rule, evaluate, load_rules
from geo.vocabulary import STATUSES
from layers.progress import phase_label
from ui.common import lang, page_href, plain_text, show_data_error, table_cell, tr


def _words(values: Iterable[str], label) -> str:
    # " / " in English: some phase names hold a comma ("completed, in service").
    return tr("、", " / ").join(label(v, lang()) for v in values)


def rule_label(rule: Rule) -> str:
    """What the rule flags, in the interface language, from its kind and parameters (its id when
    the kind is not one the panel knows)."""
    statuses = _words(rule.statuses, STATUSES.label)
    phases = _words(rule.phases, phase_label)
    due = rule.due.isoformat() if rule.due else ""
    labels = {
        "no_phase_by": tr(
            f"规划要求{statuses}、{due} 后仍无“{phases}”记录",
            f"Plan: {statuses}; no event in {phases} after {due}",
        ),
        "no_event_by": tr(
            f"规划要求{statuses}、{due} 后仍无任何记录",
            f"Plan: {statuses}; no event at all after {due}",
        ),
        "stale": tr(
            f"最近进展为“{phases}”且已超过 {rule.months} 个月",
            f"Latest event in {phases}, older than {rule.months} months",
        ),
        "source_without_link": tr("最近进展的来源没有网址", "Latest event's source has no web address"),
    }
    return labels.get(rule.kind, rule.id)


def _names(gdf: pd.DataFrame) -> dict[str, str]:
    names = dict(zip(gdf["id"], gdf["name"], strict=True))
    if lang() == "en" and "name_en" in gdf:
        names.update(
            {i: e for i, e in zip(gdf["id"], gdf["name_en"], strict=True) if isinstance(e, str) and e}
        )
    return names


def _table(found: list[ItemWarning], names: dict[str, str], latest: dict[str, Event]) -> pd.DataFrame:
    language = lang()
    last = [latest.get(w.item_id) for w in found]
    return pd.DataFrame(
        {
            tr("要素", "Item"): [table_cell(names.get(w.item_id, w.item_id)) for w in found],
            tr("编号", "ID"): [w.item_id for w in found],
            tr("原因", "Reason"): [table_cell(w.message(language)) for w in found],
            tr("最近进展日期", "Latest event"): [e.date_text if e else "" for e in last],
            tr("来源", "Source"): [table_cell(e.source) if e else "" for e in last],
            tr("地图", "Map"): [page_href("map", feature=w.item_id) for w in found],
        }
    )


def warnings_panel(gdf: pd.DataFrame, events: list[Event], as_of: date | None = None) -> None:
    """The panel for the catalogue ``gdf`` and the ledger's ``events`` as of ``as_of`` (default today)."""
    as_of = as_of or plan_today()
    st.header(tr("预警", "Warnings"))
    try:
        rules = load_rules()
    except DataError as exc:
        show_data_error(exc)
        return
    items = dict(zip(gdf["id"], gdf["status"], strict=True))
    found = evaluate(rules, items, events, as_of)
    latest = latest_as_of([e for e in effective_events(events, as_of) if e.event_date <= as_of], as_of)
    st.caption(
        tr(
            f"截至 {as_of.isoformat()},按 data/progress/warnings.yaml 的规则共有 {len(found)} 条预警"
            "(与 `python -m geo progress warnings` 相同)。",
            f"{len(found)} warnings as of {as_of.isoformat()} by the rules of data/progress/warnings.yaml "
            "(the list `python -m geo progress warnings` gives).",
        )
    )
    names = _names(gdf)
    for rule in rules:
        flagged = [w for w in found if w.rule == rule.id]
        with st.expander(f"{plain_text(rule_label(rule))} · {len(flagged)}"):
            st.caption(tr("规则", "Rule") + f" {plain_text(rule.id)}")
            if not flagged:
                st.caption(tr("截至该日没有要素触发此规则。", "No item meets this rule on that day."))
                continue
            st.dataframe(
                _table(flagged, names, latest),
                hide_index=True,
                width="stretch",
                column_config={
                    tr("原因", "Reason"): st.column_config.TextColumn(width="large"),
                    tr("地图", "Map"): st.column_config.LinkColumn(
                        display_text=tr("在地图上查看", "show on map")
                    ),
                },
            )
