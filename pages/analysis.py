"""分析 Analysis: airport reach, the units a corridor serves, one-hour circles."""

import streamlit as st

from pages.ui import page_setup, tr

page_setup()
st.title(tr("分析", "Analysis"))
