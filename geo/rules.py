"""Rules over the catalogue as a whole, against the plan's own words.

- coverage: every designation word of the plan (…示范区, …基地, …铁路, …港) lies inside a catalogue
  entry's quote or name, an unlocated item, or a named-but-not-placeable item;
- task lists: an entry lists every task whose text names it (by name or alias);
- province crossing: a line runs only through the provinces it declares (``provinces``, checked
  against the shipped province polygons, 2 km tolerance);
- sites: a ``site`` cites the shipped point that places the item itself (``site_ref``) and lies
  within 2 km of it;
- stand-ins: a seat drawn for a named place that is no unit (果园港 at the seat of 江北区) says so
  (``stand_in``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
from shapely.geometry import Point

from geo.catalogue import Entry, Unlocated
from geo.gazetteer import Gazetteer
from geo.plan import Plan
from geo.provinces import PROVINCE_TOLERANCE_KM, km_by_province, load_provinces
from geo.resolve import SITE_UNIT_MAX_KM, Feature, distance_km, metric
from geo.vocabulary import PRECISIONS

DESIGNATION_SUFFIXES: tuple[str, ...] = (
    "示范区", "试验区", "先行区", "示范带", "示范城市", "新区", "基地", "枢纽",
    "铁路", "高速公路", "高速", "机场", "港", "航道", "管道",
)  # fmt: skip
# 港 as a word of its own: not 香港, 港澳 or the generic 港口 (a port of any kind).
DESIGNATION = re.compile(
    "|".join(
        s if s != "港" else "(?<!香)港(?![澳口])" for s in sorted(DESIGNATION_SUFFIXES, key=len, reverse=True)
    )
)
# "A、B、C等铁路": the word closes a list whose items carry their own entries.
LIST_TAIL = "等"


def _spans(text: str, fragment: str) -> Iterable[tuple[int, int]]:
    start = text.find(fragment)
    while start != -1 and fragment:
        yield start, start + len(fragment)
        start = text.find(fragment, start + 1)


def uncovered_designations(
    plan: Plan,
    entries: Sequence[Entry],
    unlocated: Sequence[Unlocated],
    unplaceable: Sequence[Unlocated],
) -> list[str]:
    """One line per designation word of the plan that no entry or list accounts for."""
    fragments: dict[int, list[str]] = {}
    everywhere: list[str] = []
    for entry in entries:
        fragments.setdefault(entry.tasks[0], []).append(entry.quote)
        everywhere.extend([entry.name, *entry.aliases])
    for item in (*unlocated, *unplaceable):
        fragments.setdefault(item.task, []).extend([item.quote, item.name])
    problems = []
    for task in plan.tasks:
        spans = [
            span
            for fragment in (*fragments.get(task.number, []), *everywhere)
            for span in _spans(task.text, fragment)
        ]
        for match in DESIGNATION.finditer(task.text):
            if task.text[max(0, match.start() - 1) : match.start()] == LIST_TAIL:
                continue
            if any(a <= match.start() and match.end() <= b for a, b in spans):
                continue
            context = task.text[max(0, match.start() - 14) : match.end()]
            problems.append(
                f"task {task.number}: named item not catalogued, unlocated or listed as not placeable: …{context}"
            )
    return problems


def missing_task_numbers(plan: Plan, entries: Sequence[Entry]) -> list[str]:
    """An entry whose name or alias occurs in a task it does not list."""
    problems = []
    for entry in entries:
        names = [n for n in (entry.name, *entry.aliases) if n]
        naming = [task.number for task in plan.tasks if any(n in task.text for n in names)]
        missing = [n for n in naming if n not in entry.tasks]
        if missing:
            problems.append(f"{entry.id}: {entry.name} is named in task(s) {missing} but does not list them")
    return problems


def province_crossings(features: Iterable[Feature]) -> list[str]:
    """Lines through a province they do not declare, or declaring one they never enter.

    Every line (schematic, route, river) declares the provinces its real route crosses; the drawn
    line is measured against the shipped province polygons, with a tolerance of
    PROVINCE_TOLERANCE_KM. A note cannot excuse a crossing: the declaration is the data.
    """
    known = set(load_provinces())
    problems = []
    for feature in features:
        if feature.geometry.geom_type not in ("LineString", "MultiLineString"):
            continue
        entry = feature.entry
        declared = set(entry.provinces)
        unknown = sorted(declared - known)
        if unknown:
            problems.append(
                f"{entry.id}: provinces {'、'.join(unknown)} have no polygon in the province rule"
            )
        crossed = km_by_province(feature.geometry)
        for name, km in crossed.items():
            if km <= PROVINCE_TOLERANCE_KM or name in declared:
                continue
            where = name or "a province without a shipped polygon"
            problems.append(
                f"{entry.id}: line runs {km:.1f} km through {where}, which its provinces "
                f"({'、'.join(entry.provinces) or 'none'}) do not list"
            )
        for name in sorted(declared & known):
            if crossed.get(name, 0.0) == 0.0:
                problems.append(f"{entry.id}: declares {name} but the line never enters it")
    return problems


# 建成 before a designation (建成…示范区) states a target, not a project that is completed.
TARGET_SUFFIXES = ("示范区", "先行区", "试验区", "示范带", "示范城市", "城市", "新区", "圈")


def status_problems(entries: Sequence[Entry]) -> list[str]:
    """Catalogue items marked 建成 whose name is a target (an aim, not a finished thing)."""
    return [
        f"{entry.id}: status 建成 on a target ({entry.name}); 建成…{entry.name[-3:]} is an aim, use 推进"
        for entry in entries
        if entry.status == "建成" and entry.name.endswith(TARGET_SUFFIXES)
    ]


def precision_problems(features: Iterable[Feature], precisions: Sequence[str]) -> list[str]:
    """Each precision class keeps its promise: a known class; a site or route names its source in
    the note; a published area never exceeds the whole units drawn for it."""
    problems = []
    for feature in features:
        entry = feature.entry
        if feature.precision not in precisions:
            problems.append(f"{entry.id}: unknown precision {feature.precision!r}")
        if (
            feature.precision in PRECISIONS
            and PRECISIONS[feature.precision].cited
            and not (entry.note and feature.source)
        ):
            problems.append(f"{entry.id}: a {feature.precision} needs a note and a cited source")
        if entry.official_area_km2 is not None:
            if feature.precision != "area":
                problems.append(f"{entry.id}: official_area_km2 is only for items drawn as areas")
            elif entry.official_area_km2 > metric(feature.geometry).area / 1e6 * 1.01:
                problems.append(
                    f"{entry.id}: official area {entry.official_area_km2:g} km² exceeds the whole units drawn"
                )
    return problems


def site_reference(source: str) -> str:
    """The citation of a shipped site point: its source up to the first bracket.

    >>> site_reference("OpenStreetMap node 6544756475 (兴隆湖): 兴隆湖 station at 兴隆湖")
    'OpenStreetMap node 6544756475'
    """
    return source.split(" (", 1)[0].strip()


def site_problems(features: Iterable[Feature], sites: pd.DataFrame) -> list[str]:
    """Sites that do not keep the class's promise (a known site of the item, within 2 km).

    A ``site`` item cites, in ``site_ref``, the shipped point (``data/reference/sites.csv``) that
    places the item itself; the drawn point must lie within SITE_UNIT_MAX_KM of it. An item whose
    own site no shipped source places is drawn at a seat, which says what it is.
    """
    points = {
        site_reference(str(source)): Point(float(lon), float(lat))
        for source, lon, lat in zip(sites["source"], sites["lon"], sites["lat"], strict=True)
    }
    problems = []
    for feature in features:
        if feature.precision != "site":
            continue
        entry = feature.entry
        if not entry.site_ref:
            problems.append(
                f"{entry.id}: a site cites no shipped point of its own (site_ref); without one, draw it at a seat"
            )
            continue
        point = points.get(entry.site_ref.strip())
        if point is None:
            problems.append(
                f"{entry.id}: site_ref {entry.site_ref!r} is no point of data/reference/sites.csv"
            )
            continue
        km = distance_km(feature.geometry, point)
        if km > SITE_UNIT_MAX_KM:
            problems.append(
                f"{entry.id}: drawn {km:.1f} km from its cited site ({entry.site_ref}); a site is within "
                f"{SITE_UNIT_MAX_KM:g} km"
            )
    return problems


def stand_in_places(entry: Entry, gazetteer: Gazetteer, site_names: Iterable[str]) -> list[str]:
    """The named places of a seat spec that are no unit and are drawn at their unit's seat."""
    spec = entry.geometry
    key = "seat" if "seat" in spec else "seats" if "seats" in spec else None
    if key is None:
        return []
    names = spec[key] if isinstance(spec[key], list) else [spec[key]]
    with_site = set(site_names) if key == "seats" else set()
    return [
        str(name)
        for name in names
        if str(name) not in with_site and gazetteer.resolve(str(name)).how == "nonunit"
    ]


def stand_in_problems(entries: Iterable[Entry], gazetteer: Gazetteer, site_names: Iterable[str]) -> list[str]:
    """A seat drawn for a place that is no unit lists that place in ``stand_in`` (and only such places)."""
    site_names = list(site_names)
    problems = []
    for entry in entries:
        expected = stand_in_places(entry, gazetteer, site_names)
        if list(entry.stand_in) != expected:
            problems.append(
                f"{entry.id}: stand_in lists {'、'.join(entry.stand_in) or 'nothing'} but the seat stands "
                f"for {'、'.join(expected) or 'no named place'}"
            )
    return problems
