"""Rules over the catalogue as a whole, against the plan's own words.

- coverage: every designation word of the plan (…示范区, …基地, …铁路, …港) lies inside a catalogue
  entry's quote or name, an unlocated item, or a named-but-not-placeable item;
- task lists: an entry lists every task whose text names it (by name or alias);
- province crossing: a schematic line stays in the provinces its ends and via points lie in,
  unless its note says the real route crosses another one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import shapely

from geo.catalogue import Entry, Unlocated
from geo.gazetteer import Gazetteer
from geo.plan import Plan
from geo.resolve import Feature, metric

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


# A straight leg between two seats may cut a salient of a winding border for a few km without
# misplacing the item; a longer run through another province is a wrong route.
PROVINCE_GRAZE_KM = 12.0
# The words a note uses to say the real route does cross another province.
CROSSING_NOTE = "real route crosses"
OUTSIDE = "a province outside Sichuan and Chongqing"


def province_crossings(features: Iterable[Feature], gazetteer: Gazetteer) -> list[str]:
    """Schematic lines through a province that neither their ends nor via points lie in.

    The shipped boundaries are those of Sichuan and Chongqing, so each leg between two points is
    checked against them: a leg between two points in the region must stay in their provinces; a
    leg from a point outside must not enter the region province neither end lies in.
    """
    frame = gazetteer.boundaries("province")
    provinces = dict(zip(frame["short_name"], frame.geometry, strict=True))
    for shape in provinces.values():
        shapely.prepare(shape)
    region = shapely.union_all(list(provinces.values()))
    problems = []
    for feature in features:
        if feature.precision != "schematic" or CROSSING_NOTE in (feature.entry.note or ""):
            continue
        coords = shapely.get_coordinates(feature.geometry)
        crossed: dict[str, float] = {}
        for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
            leg = shapely.LineString([(x0, y0), (x1, y1)])
            ends = {_province_of(provinces, x0, y0), _province_of(provinces, x1, y1)}
            for name, shape in provinces.items():
                if name not in ends:
                    crossed[name] = crossed.get(name, 0.0) + _length_km(leg.intersection(shape))
            if None not in ends:
                crossed[OUTSIDE] = crossed.get(OUTSIDE, 0.0) + _length_km(leg.difference(region))
        for name, km in crossed.items():
            if km > PROVINCE_GRAZE_KM:
                problems.append(
                    f"{feature.entry.id}: schematic line runs {km:.0f} km through {name}, where neither its "
                    "ends nor its via points lie; add via points, or say in the note that the real route crosses it"
                )
    return problems


def _province_of(provinces: dict, x: float, y: float) -> str | None:
    point = shapely.Point(x, y)
    for name, shape in provinces.items():
        if shapely.dwithin(shape, point, 0.01):  # a seat on the border counts as inside
            return name
    return None


def _length_km(geometry) -> float:
    if geometry.is_empty:
        return 0.0
    return metric(geometry).length / 1000.0


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
        if feature.precision in ("site", "route") and not (entry.note and feature.source):
            problems.append(f"{entry.id}: a {feature.precision} needs a note and a cited source")
        if entry.official_area_km2 is not None:
            if feature.precision != "area":
                problems.append(f"{entry.id}: official_area_km2 is only for items drawn as areas")
            elif entry.official_area_km2 > metric(feature.geometry).area / 1e6 * 1.01:
                problems.append(
                    f"{entry.id}: official area {entry.official_area_km2:g} km² exceeds the whole units drawn"
                )
    return problems
