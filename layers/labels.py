"""Place names on the maps: where each unit's label goes, and a layer that draws them as text."""

from __future__ import annotations

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template


def label_points(gdf: gpd.GeoDataFrame, lang: str = "zh") -> list[list]:
    """[lat, lon, short name] at a point inside each unit.

    Chongqing's 38 districts and counties would crowd a regional map: they get one label, 重庆,
    at the seat of the municipality, and each prefecture of Sichuan gets its own.
    """
    points = []
    if {"level", "parent"} <= set(gdf.columns):
        districts = gdf[(gdf["level"] == "county") & gdf["parent"].notna()]
        gdf = gdf.drop(districts.index)
        for parent, group in districts.groupby("parent"):
            point = _seat_of(str(parent)) or group.geometry.union_all().representative_point()
            points.append([round(point.y, 4), round(point.x, 4), _short_name_of(str(parent), lang)])
    return points + unit_label_points(gdf, lang)


def unit_label_points(gdf: gpd.GeoDataFrame, lang: str = "zh") -> list[list]:
    """[lat, lon, name] of every unit (short name, or English), at a point inside it."""
    column = "name_en" if lang == "en" and "name_en" in gdf.columns else "short_name"
    names = gdf[column] if column in gdf.columns else gdf["name"]
    points = []
    for name, geometry in zip(names, gdf.geometry, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        point = geometry.representative_point()
        points.append([round(point.y, 4), round(point.x, 4), str(name)])
    return points


def _seat_of(adcode: str):
    from shapely.geometry import Point

    from geo.errors import GeoError
    from geo.gazetteer import load_gazetteer

    try:
        unit = load_gazetteer().unit(adcode)
    except GeoError:
        return None
    return Point(unit.lon, unit.lat)


def _short_name_of(adcode: str, lang: str = "zh") -> str:
    from geo.errors import GeoError
    from geo.gazetteer import load_gazetteer

    try:
        unit = load_gazetteer().unit(adcode)
        return unit.name_en if lang == "en" and unit.name_en else unit.short_name
    except GeoError:
        return adcode


class LabelLayer(MacroElement):
    """Place names as plain text on the map (not clickable); names are set as text, never HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        PlanMap.labels({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.points|tojson }}, 0, "plan-label",
                       null, 60);
        {% endmacro %}
        """
    )

    def __init__(self, points):
        super().__init__()
        self._name = "LabelLayer"
        self.points = [list(p) for p in points]
