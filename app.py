"""成渝双城经济圈规划地图 — entry point: page config and navigation."""

import streamlit as st

st.set_page_config(page_title="成渝双城经济圈规划地图", page_icon="🗺️", layout="wide")
st.title("成渝双城经济圈规划地图")
st.write(
    "《重庆四川两省市贯彻落实〈成渝地区双城经济圈建设规划纲要〉联合实施方案》(2021年12月)"
    "的地理空间浏览器:10个方面、47项任务,逐项落图。"
)
st.caption("Chengdu–Chongqing Plan Map: the 2021 joint implementation plan, mapped task by task.")
