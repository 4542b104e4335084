"""A naive build of the map, city and task pages: the yardstick for benchmarks/browser.py.

What a first folium + streamlit-folium version of these pages looks like: full-resolution
boundaries, one folium object (with tooltip and popup) per feature, the whole map rebuilt and
sent on every run, no page-level caching, ``st_folium`` with its default return values. It uses
the same library calls (``geo``) and the same local Leaflet files as the app, so it draws offline
and the comparison measures how the pages are built, not what they show.

Run by the benchmark as ``streamlit run benchmarks/naive/app.py`` from the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.features import catalogue_frame, features_in_unit  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.mentions import tasks_for  # noqa: E402
from geo.vocabulary import LAYERS  # noqa: E402
from layers.assets import MAP_CSS, MAP_JS  # noqa: E402

VENDOR_JS = [(name, url) for name, url in MAP_JS if "/vendor/" in url]
VENDOR_CSS = [(name, url) for name, url in MAP_CSS if "/vendor/" in url]


def _map(location=(30.0, 105.0), zoom=6) -> folium.Map:
    m = folium.Map(location=location, zoom_start=zoom, tiles=None)
    m.default_js = VENDOR_JS
    m.default_css = VENDOR_CSS
    return m


def _basemap(m: folium.Map, level: str = "prefecture") -> None:
    units = load_gazetteer().boundaries(level)
    folium.GeoJson(
        units[["adcode", "name", "geometry"]],
        style_function=lambda f: {"color": "#888", "weight": 1, "fill": False},
    ).add_to(m)


def _features(m: folium.Map, gdf) -> None:
    for _, row in gdf.iterrows():
        colour = LAYERS[row["layer"]].colour
        tooltip = folium.Tooltip(f"{row['name']} · {row['status']}")
        popup = folium.Popup(f"<b>{row['name']}</b><br>{row['sentence_text']}", max_width=320)
        geometry = row.geometry
        if geometry.geom_type == "Point":
            folium.CircleMarker(
                [geometry.y, geometry.x], radius=6, color=colour, fill=True, tooltip=tooltip, popup=popup
            ).add_to(m)
        else:
            folium.GeoJson(
                {
                    "type": "Feature",
                    "properties": {"name": row["name"]},
                    "geometry": geometry.__geo_interface__,
                },
                style_function=lambda f, c=colour: {"color": c, "weight": 3, "fillOpacity": 0.2},
                tooltip=tooltip,
                popup=popup,
            ).add_to(m)


def map_page() -> None:
    st.title("地图")
    gdf = catalogue_frame()
    layers = st.multiselect("图层", list(LAYERS), default=list(LAYERS), key="layers")
    shown = gdf[gdf["layer"].isin(layers)]
    m = _map()
    _basemap(m)
    _features(m, shown)
    result = st_folium(m, key="naive_map", height=620, use_container_width=True)
    drawing = ((result or {}).get("last_active_drawing") or {}).get("properties") or {}
    tooltip = (result or {}).get("last_object_clicked_tooltip") or ""
    name = drawing.get("name") or tooltip.split(" · ")[0].strip()
    if name:
        match = gdf[gdf["name"] == name]
        if not match.empty:
            with st.container(border=True, key="naive_details"):
                st.markdown(f"#### {match.iloc[0]['name']}")
                st.write(match.iloc[0]["sentence_text"])
    st.dataframe(shown[["name", "layer", "status", "task"]], hide_index=True)


def city_page() -> None:
    st.title("城市")
    gazetteer = load_gazetteer()
    units = gazetteer.boundaries("prefecture")
    counts = {code: len(tasks_for(gazetteer.unit(code), gazetteer)) for code in units["adcode"]}
    place = st.query_params.get("place")
    m = _map()
    for _, row in units.iterrows():
        count = counts[row["adcode"]]
        folium.GeoJson(
            {
                "type": "Feature",
                "properties": {"adcode": row["adcode"], "name": row["name"]},
                "geometry": row.geometry.__geo_interface__,
            },
            style_function=lambda f, c=count: {
                "color": "#666",
                "weight": 1,
                "fillColor": "#bd0026" if c > 8 else "#feb24c",
                "fillOpacity": 0.7,
            },
            tooltip=f"{row['name']} {count}",
        ).add_to(m)
    result = st_folium(m, key="naive_city", height=600, use_container_width=True)
    clicked = (result or {}).get("last_active_drawing") or {}
    code = (clicked.get("properties") or {}).get("adcode")
    if code is None and place:
        code = gazetteer.resolve(place).unit.adcode
    if code:
        unit = gazetteer.unit(code)
        st.markdown(f"### {unit.name}")
        for hit in tasks_for(unit, gazetteer):
            st.markdown(f"任务 {hit.task}. {hit.title}")
        st.dataframe(features_in_unit(catalogue_frame(), code)[["name", "layer", "task"]], hide_index=True)


def tasks_page() -> None:
    st.title("任务浏览")
    number = int(st.query_params.get("task", 1))
    gdf = catalogue_frame()
    features = gdf[gdf["tasks"].apply(lambda tasks: number in [int(t) for t in tasks])]
    m = _map()
    _basemap(m)
    _features(m, features)
    st_folium(m, key="naive_tasks", height=520, use_container_width=True)
    st.dataframe(features[["name", "layer", "status"]], hide_index=True)


st.set_page_config(page_title="naive", layout="wide")
page = st.navigation(
    [
        st.Page(map_page, title="地图", url_path="map"),
        st.Page(city_page, title="城市", url_path="city"),
        st.Page(tasks_page, title="任务", url_path="tasks", default=True),
    ],
    position="hidden",
)
page.run()
