"""The catalogue as GeoDataFrames: one for everything, one per layer, and filters over them.

Geometry is WGS 84 (EPSG:4326) at full shipped detail; lengths and areas are measured in UTM 48N
(EPSG:32648), which covers Sichuan and Chongqing with small distortion. The app draws simplified
copies (``layers.frames.display_frame``); exports use these frames as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pypinyin import lazy_pinyin

from geo import vocabulary
from geo.catalogue import LAYER_IDS, STATUS_EN, STATUSES, status_group, status_group_named
from geo.datafiles import LoadedMapping, LoadedTuple
from geo.gazetteer import load_gazetteer
from geo.plan import load_plan
from geo.resolve import Feature, resolve_catalogue

METRIC_CRS = "EPSG:32648"
# Province scopes and the plan's numbering are vocabulary terms (data/vocabularies.yaml), read on first use.
PROVINCE_SCOPES: LoadedTuple = LoadedTuple(lambda: vocabulary.PROVINCE_SCOPES.ids)
PROVINCE_SCOPE_EN: LoadedMapping = LoadedMapping(
    lambda: {p.id: p.en for p in vocabulary.PROVINCE_SCOPES.terms()}
)


def chapter_numbers() -> range:
    """The plan's chapter numbers."""
    return vocabulary.NUMBERING["chapters"].numbers


def task_numbers() -> range:
    """The plan's task numbers."""
    return vocabulary.NUMBERING["tasks"].numbers


COLUMNS = (
    "id", "name", "name_en", "aliases", "layer", "kind", "status", "status_en", "plan_phase", "verb", "tasks", "task",
    "chapter", "sentence", "quote", "sentence_text", "precision", "source", "places",
    "province_scope", "note", "note_zh", "length_km", "area_km2", "official_area_km2",
    "official_area_source", "whole_units", "stand_in", "stand_in_note", "search_text",
)  # fmt: skip


def _province_scope(geometry, provinces: gpd.GeoDataFrame) -> str:
    touched = {
        name
        for name, shape in zip(provinces["short_name"], provinces.geometry, strict=True)
        if shape.intersects(geometry)
    }
    sides = [scope.id for scope in vocabulary.PROVINCE_SCOPES.terms() if not scope.crossing]
    inside = [side for side in sides if side in touched]
    if len(inside) == 1:
        return inside[0]
    # In both provinces, or wholly outside both: the crossing scope.
    return next(scope.id for scope in vocabulary.PROVINCE_SCOPES.terms() if scope.crossing)


def _search_text(feature: Feature) -> str:
    entry = feature.entry
    words = [entry.id, entry.name, *entry.aliases, entry.name_en or "", *feature.places]
    pinyin = ["".join(lazy_pinyin(name)) for name in (entry.name, *entry.aliases)]
    return " ".join([*words, *pinyin]).lower()


def stand_in_text(places: Iterable[str] | str, lang: str = "zh") -> str:
    """Which unit's seat stands for which named place, in one language (empty for none).

    >>> stand_in_text("果园港", "en")
    'the seat of 江北区 stands for 果园港'
    """
    if isinstance(places, str):
        places = [p for p in places.split("、") if p]
    gazetteer = load_gazetteer()
    pairs = [(gazetteer.resolve(place).unit.name, place) for place in places]
    if lang == "en":
        return "; ".join(f"the seat of {unit} stands for {place}" for unit, place in pairs)
    return "；".join(f"以{unit}驻地代表{place}" for unit, place in pairs)


def stand_in_note(places: Iterable[str]) -> str:
    """The stand-in sentence for exports, Chinese then English.

    >>> stand_in_note(["果园港"])
    '以江北区驻地代表果园港 / the seat of 江北区 stands for 果园港'
    """
    places = list(places)
    return f"{stand_in_text(places)} / {stand_in_text(places, 'en')}" if places else ""


def frame_from_features(features: Iterable[Feature]) -> gpd.GeoDataFrame:
    """A catalogue GeoDataFrame (EPSG:4326) from resolved features, with measures in km and km²."""
    plan = load_plan()
    provinces = load_gazetteer().boundaries("province")
    rows = []
    for feature in features:
        entry = feature.entry
        task = plan.task(entry.tasks[0])
        rows.append(
            {
                "id": entry.id,
                "name": entry.name,
                "name_en": entry.name_en or "",
                "aliases": list(entry.aliases),
                "layer": entry.layer,
                "kind": entry.kind or "",
                "status": entry.status,
                "status_en": STATUS_EN[entry.status],
                "plan_phase": status_group(entry.status).key if status_group(entry.status) else "",
                "verb": entry.verb or "",
                "tasks": list(entry.tasks),
                "task": entry.tasks[0],
                "chapter": task.chapter,
                "sentence": entry.sentence,
                "quote": entry.quote,
                "sentence_text": task.sentences[entry.sentence],
                "precision": feature.precision,
                "source": feature.source,
                "places": list(feature.places),
                "province_scope": _province_scope(feature.geometry, provinces),
                "note": entry.note or "",
                "note_zh": entry.note_zh or "",
                # An area is the union of whole administrative units: it overstates an item that
                # covers only parts of them; official_area_km2 gives the published figure.
                "whole_units": feature.precision == "area",
                "official_area_km2": entry.official_area_km2,
                "official_area_source": entry.official_area_source or "",
                # A seat drawn for a named place that is no unit (果园港 at the seat of 江北区).
                "stand_in": "、".join(entry.stand_in),
                "stand_in_note": stand_in_note(entry.stand_in),
                "search_text": _search_text(feature),
                "geometry": feature.geometry,
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    if gdf.empty:
        gdf = gpd.GeoDataFrame(
            {column: [] for column in COLUMNS}, geometry=gpd.GeoSeries([], crs="EPSG:4326")
        )
        return gdf
    gdf_utm = gdf.to_crs(METRIC_CRS)
    is_line = gdf.geom_type.isin(["LineString", "MultiLineString"])
    is_area = gdf.geom_type.isin(["Polygon", "MultiPolygon"])
    gdf["length_km"] = (gdf_utm.length / 1000.0).where(is_line).round(1)
    gdf["area_km2"] = (gdf_utm.area / 1e6).where(is_area).round(0)
    return gdf[[*COLUMNS, "geometry"]]


@functools.cache
def _catalogue_frame() -> gpd.GeoDataFrame:
    return frame_from_features(resolve_catalogue())


def catalogue_frame() -> gpd.GeoDataFrame:
    """The whole catalogue (a copy: callers may modify it)."""
    return _catalogue_frame().copy()


def layer_frame(layer_id: str) -> gpd.GeoDataFrame:
    """One thematic layer's features."""
    if layer_id not in LAYER_IDS:
        raise KeyError(layer_id)
    gdf = _catalogue_frame()
    return gdf[gdf["layer"] == layer_id].copy()


def layer_frames() -> dict[str, gpd.GeoDataFrame]:
    """One GeoDataFrame per layer, in display order (layers with no feature included, empty)."""
    return {layer_id: layer_frame(layer_id) for layer_id in LAYER_IDS}


@dataclass(frozen=True)
class Selection:
    """What a user filtered by; empty tuples mean no restriction."""

    layers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    chapters: tuple[int, ...] = ()
    tasks: tuple[int, ...] = ()
    query: str = ""
    place: str | None = None  # adcode: features lying in or touching that unit

    def unknown_values(self) -> list[str]:
        """Values no feature can ever have: reported to the user, never silently ignored."""
        bad = [f"layer {v}" for v in self.layers if v not in LAYER_IDS]
        bad += [f"status {v}" for v in self.statuses if v not in STATUSES]
        bad += [f"province {v}" for v in self.provinces if v not in PROVINCE_SCOPES]
        bad += [f"chapter {v}" for v in self.chapters if v not in chapter_numbers()]
        bad += [f"task {v}" for v in self.tasks if v not in task_numbers()]
        return bad


# -- a selection from a link's parameters (the map and export pages and their links share these) ------
def _status_value(text: str) -> str | None:
    return vocabulary.status_named(text)


def _province_value(text: str) -> str | None:
    wanted = text.lower()
    return next(
        (p.id for p in vocabulary.PROVINCE_SCOPES.terms() if wanted in {p.id, p.en.lower(), *p.aliases}), None
    )


def _number_in(numbers: Callable[[], range]) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        try:
            value = int(text)
        except ValueError:
            return None
        return value if value in numbers() else None

    return parse


_LIST_PARAMS: dict[str, Callable[[str], object]] = {
    "layers": lambda v: v if v in LAYER_IDS else None,
    "status": _status_value,
    "province": _province_value,
    "chapter": _number_in(chapter_numbers),
    "task": _number_in(task_numbers),
}


def param_items(value: object) -> list[str]:
    """A comma-separated link parameter as its items (either comma, blanks dropped)."""
    text = "" if value is None else str(value)
    return [item.strip() for item in text.replace(",", ",").split(",") if item.strip()]


def selection_from_params(params: Mapping[str, object]) -> tuple[Selection, list[tuple[str, str]]]:
    """The selection a link asks for (``?layers=railway,aviation&status=开工建设,在建&province=四川
    &chapter=2&task=10&q=…``) and the (name, value) pairs that mean nothing, which are left out.

    Statuses and provinces may be given in English (``status=start construction``,
    ``province=Sichuan``); a status may be a phase (``在建``, ``under construction``: see
    ``data/status_groups.yaml``), which stands for its statuses; repeated values count once. ``place`` is not read here: resolving a
    place name needs the gazetteer's judgement and its own message.
    """
    bad: list[tuple[str, str]] = []
    values: dict[str, tuple] = {}
    for name, parse in _LIST_PARAMS.items():
        good: list = []
        for item in param_items(params.get(name)):
            value = parse(item)
            # A phase (?status=在建) stands for its statuses; a status of the same name wins.
            group = status_group_named(item) if name == "status" and value is None else None
            for one in group.statuses if group else [value]:
                if one is None:
                    bad.append((name, item))
                elif one not in good:
                    good.append(one)
        values[name] = tuple(good)
    selection = Selection(
        layers=values["layers"],
        statuses=values["status"],
        provinces=values["province"],
        chapters=values["chapter"],
        tasks=values["task"],
        query=str(params.get("q") or "").strip(),
    )
    return selection, bad


SELECTION_PARAMS = ("layers", "status", "province", "chapter", "task", "q")


def selection_link_params(selection: Selection) -> dict[str, str]:
    """The link parameters of a selection, as :func:`selection_from_params` reads them back (lists
    joined with commas); all layers chosen is written as none, which means the same, and empty
    values are left out. ``place`` is the caller's: a link names it, the selection holds its code."""
    layers = () if set(selection.layers) == set(LAYER_IDS) else selection.layers
    params = {
        "layers": ",".join(layers),
        "status": ",".join(selection.statuses),
        "province": ",".join(selection.provinces),
        "chapter": ",".join(map(str, selection.chapters)),
        "task": ",".join(map(str, selection.tasks)),
        "q": selection.query.strip(),
    }
    return {name: value for name, value in params.items() if value}


def features_in_unit(gdf: gpd.GeoDataFrame, adcode: str) -> gpd.GeoDataFrame:
    """Features that lie in or touch an administrative unit's boundary (or name it as a place)."""
    gazetteer = load_gazetteer()
    unit = gazetteer.unit(adcode)
    boundary = gazetteer.boundary(adcode)
    named = gdf["places"].apply(lambda places: unit.name in places)
    if boundary is None:
        return gdf[named]
    touches = gdf.geometry.intersects(boundary)
    return gdf[touches | named]


def filter_frame(gdf: gpd.GeoDataFrame, selection: Selection) -> gpd.GeoDataFrame:
    """The rows of a catalogue frame that match every restriction of ``selection``."""
    mask = pd.Series(True, index=gdf.index)
    if selection.layers:
        mask &= gdf["layer"].isin(selection.layers)
    if selection.statuses:
        mask &= gdf["status"].isin(selection.statuses)
    if selection.provinces:
        mask &= gdf["province_scope"].isin(selection.provinces)
    if selection.chapters:
        mask &= gdf["chapter"].isin(selection.chapters)
    if selection.tasks:
        wanted = set(selection.tasks)
        mask &= gdf["tasks"].apply(lambda tasks: bool(wanted.intersection(tasks)))
    if selection.query.strip():
        needle = selection.query.strip().lower()
        mask &= gdf["search_text"].str.contains(needle, regex=False)
    result = gdf[mask]
    if selection.place:
        result = features_in_unit(result, selection.place)
    return result
