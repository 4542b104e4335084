"""导出 Export: choose layers, filters and a format, then download the features."""

import streamlit as st

from pages.ui import tr

st.title(tr("导出", "Export"))
st.info(
    tr(
        "在此选择图层、筛选条件和格式(GeoJSON 等),下载规划要素数据(WGS 84)。",
        "Choose layers, filters and a format (GeoJSON and others) and download the plan's features (WGS 84).",
    )
)
