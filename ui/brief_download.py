"""The city brief on /city: a day to report as of, and a download link to the brief's PDF.

The link is the stable download route ``/api/brief`` (:mod:`web.brief_route`): the PDF is made by
the server when the link is followed (a few seconds of drawing), not on every run of the page, by
whichever replica answers, and the link can be bookmarked or scripted.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from geo.brief.pages import find_cjk_font
from geo.clock import plan_today
from geo.errors import BriefError
from geo.gazetteer import load_gazetteer
from ui.common import esc, lang, shown, tr

AS_OF_KEY = "city_brief_as_of"
EARLIEST = date(2000, 1, 1)
ROUTE = "/api/brief"
LINK_CSS = """<style>
a.brief-download { display: inline-block; padding: 0.4rem 0.9rem; border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.5rem; text-decoration: none; color: inherit; margin-top: 0.2rem; }
a.brief-download:hover { border-color: #ff4b4b; color: #ff4b4b; }
</style>"""


def brief_link(adcode: str, as_of: date, language: str) -> str:
    """The brief's address on the download route."""
    return f"{ROUTE}?" + urlencode({"place": adcode, "as_of": as_of.isoformat(), "lang": language})


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
    day_column, link_column = st.columns([1, 2], vertical_alignment="bottom")
    with day_column:
        as_of = st.date_input(
            tr("进展截至", "Progress as of"),
            value=plan_today(),
            min_value=EARLIEST,
            max_value=plan_today(),
            format="YYYY-MM-DD",
            key=AS_OF_KEY,
        )
    name = unit.name if language == "zh" else (unit.name_en or unit.name)
    file_name = f"{name}-{as_of.isoformat()}-{language}.pdf"
    label = tr("下载城市简报 PDF", "Download city brief (PDF)")
    with link_column:
        st.markdown(
            LINK_CSS + f'<a class="brief-download" href="{esc(brief_link(adcode, as_of, language))}" '
            f'download="{esc(file_name)}">📄 {esc(label)}</a>',
            unsafe_allow_html=True,
        )
    st.caption(
        tr(
            "A4 PDF:本地绘制的地图(图例、比例尺、指北针、数据来源)、提及或承接此地的任务及原文、位于此地的规划要素及截至所选日期的进展与预警。该链接可收藏或用于脚本。",
            "A4 PDF: a map drawn without web tiles (legend, scale bar, north arrow, credits), the tasks naming or reaching it with their sentences, and the plan items in it with their phase and warnings as of the chosen day. The link can be bookmarked or scripted.",
        )
    )
