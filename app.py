"""成渝双城经济圈规划地图 — the server: the pages (``navigation.py``) and the app's HTTP routes.

``streamlit run app.py`` finds ``app`` below and serves it: Streamlit's pages, with the routes of
``web/`` (the OGC API – Features service at ``/ogc``) on the same port. The lifespan warms the
catalogue and gazetteer before the first visitor.
"""

import streamlit as st

import web

app = st.App("navigation.py", routes=web.routes(), lifespan=web.lifespan)
