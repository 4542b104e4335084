"""The city brief on /city: a day to report as of, and a button that makes the PDF when clicked.

The PDF (:func:`geo.brief.make_brief`, a few seconds of drawing) is made only on a click, on
Streamlit's download thread, so choosing units on the map stays quick; the same unit, day and
language is made once (cached).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.brief import BriefError, make_brief
from geo.brief.pages import find_cjk_font
from geo.errors import GeoError
from geo.gazetteer import load_gazetteer
from layers.progress import ledger_events
from ui.common import lang, shown, tr

AS_OF_KEY = "city_brief_as_of"
EARLIEST = date(2000, 1, 1)


@st.cache_data(show_spinner=False, max_entries=16, ttl=300)
def _brief_pdf(adcode: str, as_of: date, language: str, _events: tuple, events_key: tuple) -> bytes:
    return make_brief(adcode, as_of, language, _events)


def brief_download(adcode: str) -> None:
    """The "download city brief" section for the unit ``adcode``."""
    language = lang()
    unit = load_gazetteer().unit(adcode)
    st.markdown(f"**{tr('城市简报', 'City brief')}**")
    try:
        find_cjk_font()
    except BriefError as exc:
        st.warning(tr(f"无法生成简报:{shown(exc)}", f"The brief cannot be made: {shown(exc)}"))
        return
    try:
        events = tuple(ledger_events())
    except GeoError as exc:
        st.warning(
            tr(
                f"进展数据库无法打开,简报不含进展:{shown(exc, 200)}",
                f"The progress database cannot be opened; the brief shows no progress: {shown(exc, 200)}",
            )
        )
        events = ()
    day_column, button_column = st.columns([1, 2], vertical_alignment="bottom")
    with day_column:
        as_of = st.date_input(
            tr("进展截至", "Progress as of"),
            value=date.today(),
            min_value=EARLIEST,
            max_value=date.today(),
            format="YYYY-MM-DD",
            key=AS_OF_KEY,
        )
    name = unit.name if language == "zh" else (unit.name_en or unit.name)
    key = tuple((e.id, e.recorded_at.isoformat()) for e in events)
    with button_column:
        st.download_button(
            tr("下载城市简报 PDF", "Download city brief (PDF)"),
            data=lambda: _brief_pdf(adcode, as_of, language, events, key),
            file_name=f"{name}-{as_of.isoformat()}-{language}.pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key=f"city_brief_{adcode}",
        )
    st.caption(
        tr(
            "A4 PDF:本地绘制的地图(图例、比例尺、指北针、数据来源)、提及或承接此地的任务及原文、位于此地的规划要素及截至所选日期的进展。",
            "A4 PDF: a map drawn without web tiles (legend, scale bar, north arrow, credits), the tasks naming or reaching it with their sentences, and the plan items in it with their phase as of the chosen day.",
        )
    )
