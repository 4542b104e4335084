"""成渝双城经济圈规划地图 — the Streamlit script: page config, navigation and the menu.

``app.py`` serves this script (``st.App("navigation.py", ...)``) beside the app's HTTP routes.
The pages live in ``app_pages/``, not ``pages/``: a folder of that name beside the script puts Streamlit
in its older folder-of-pages mode until the navigation has first run, so a fresh server's first
visitors would get bare pages with file names for titles. Streamlit's own menu is hidden
(``position="hidden"``); the menu is drawn with ``st.page_link`` and the pages' own titles.
"""

import streamlit as st

from geo.errors import DataError
from layers.assets import ensure_assets
from ui.common import (
    APP_TITLE_EN,
    APP_TITLE_ZH,
    PAGES,
    html_lang,
    show_data_error,
    sidebar_menu,
    tr,
    warn_bad_lang,
)

st.set_page_config(page_title=tr(APP_TITLE_ZH, APP_TITLE_EN), page_icon="🗺️", layout="wide")
html_lang()
ensure_assets()

pages = [
    (
        spec,
        st.Page(
            spec.path, title=spec.title(), icon=spec.icon, url_path=spec.url_path, default=spec.url_path == ""
        ),
    )
    for spec in PAGES
]
navigation = st.navigation([page for _, page in pages], position="hidden")
sidebar_menu(pages)
warn_bad_lang()
try:
    navigation.run()
except DataError as exc:
    # A damaged data file: one message saying which and how to restore it, on every page.
    show_data_error(exc)
