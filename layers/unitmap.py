"""The city page's choropleth as /map draws its features: outlines from a static file, colours
from a small table, and a click answered in the browser.

The outlines of a level (adcode, name, geometry) are written once per process to a file whose
name carries its content hash, so the browser fetches them once and may keep them. A script run
sends only the class table (adcode → class, task count) and the chosen unit's id; the browser
outlines a clicked unit and names it in a card on the map at once, and the page's script receives
the unit's id, not its outline.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from layers.assets import write_static_json
from layers.legends import COUNT_BREAKS, COUNT_COLOURS
from layers.maps import WGS84, _geojson, safe_json, to_datum

_OUTLINE_URLS: dict[tuple[str, str], str] = {}
_OUTLINE_LOCK = threading.Lock()


def unit_outlines_url(units: gpd.GeoDataFrame, level: str, *, datum: str = WGS84) -> str:
    """URL of the static file of the units' outlines (properties ``adcode`` and ``name``)."""
    key = (level, datum)
    with _OUTLINE_LOCK:
        if key not in _OUTLINE_URLS:
            shown = to_datum(units, datum).copy()
            shown["adcode"] = shown["adcode"].astype(str)
            data = _geojson(shown, ["adcode", "name"])
            _OUTLINE_URLS[key] = write_static_json(f"units-{level}-{datum.lower()}", data)
        return _OUTLINE_URLS[key]


def count_class(count: int) -> int:
    """Index in :data:`layers.legends.COUNT_COLOURS` of a unit named by ``count`` tasks."""
    return sum(1 for edge in COUNT_BREAKS if count >= edge)


def choropleth_spec(url: str, counts: Mapping[str, int], *, lang: str = "zh") -> dict:
    """What the browser needs to colour the outlines at ``url``: palette and adcode → [class, count]."""
    en = lang == "en"
    return {
        "url": url,
        "palette": list(COUNT_COLOURS),
        "units": {str(code): [count_class(int(n)), int(n)] for code, n in sorted(counts.items())},
        "word": "tasks" if en else "项任务",
        "loading": "Listing the tasks that name it…" if en else "正在列出提及该地的任务…",
    }


class UnitChoropleth(MacroElement):
    """The units coloured by the class table, clickable, drawn from the static outline file."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.units({{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "UnitChoropleth"
        self.spec_json = safe_json(spec)


class SelectUnit(MacroElement):
    """The chosen unit (by adcode, or none) outlined and named on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PlanMap.selectUnit({{ this._parent._parent.get_name() }}, {{ this.adcode_json }});
        {% endmacro %}
        """
    )

    def __init__(self, adcode: str | None):
        super().__init__()
        self._name = "SelectUnit"
        self.adcode_json = safe_json(adcode)
