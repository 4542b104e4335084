"""Validation of the whole shipped catalogue: what ``python -m geo check`` reports.

Each problem is one readable line naming the entry, so a curator can fix the YAML directly.
"""

from __future__ import annotations

import shapely

from geo.catalogue import catalogue_problems, load_catalogue, load_unlocated, load_unplaceable
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.plan import load_plan
from geo.resolve import PRECISIONS, Feature, Resolver, resolve_all
from geo.rules import (
    missing_task_numbers,
    precision_problems,
    province_crossings,
    status_problems,
    uncovered_designations,
)

# Features may reach a little beyond the two provinces (a seat on the border, a river bank).
REGION_MARGIN_DEG = 0.1


def _spec_places(feature: Feature) -> list[str]:
    spec = feature.entry.geometry
    names: list[str] = []
    for key in ("seat", "seats", "area", "via", "from", "to", "city", "in"):
        value = spec.get(key)
        if value is None:
            continue
        names.extend(value if isinstance(value, list) else [value])
    return [str(name) for name in names]


def region_problems(features: list[Feature], gazetteer: Gazetteer) -> list[str]:
    """Features lying wholly outside Sichuan and Chongqing although every place they name is inside."""
    provinces = gazetteer.boundaries("province")
    region = shapely.union_all(provinces.geometry.values).buffer(REGION_MARGIN_DEG)
    problems = []
    for feature in features:
        if feature.geometry.intersects(region):
            continue
        names = _spec_places(feature)
        outside = [n for n in names if not gazetteer.resolve(n).unit.in_region]
        if not outside:
            problems.append(
                f"{feature.entry.id}: lies outside Sichuan and Chongqing but names only places inside"
            )
    return problems


def check_catalogue() -> tuple[int, list[str]]:
    """(number of entries, problems) for the shipped catalogue."""
    entries = load_catalogue()
    plan = load_plan()
    problems = catalogue_problems(entries, plan)
    gazetteer = load_gazetteer()
    features, resolve_problems = resolve_all(entries, Resolver(gazetteer))
    problems.extend(resolve_problems)
    problems.extend(region_problems(features, gazetteer))
    problems.extend(uncovered_designations(plan, entries, load_unlocated(), load_unplaceable()))
    problems.extend(missing_task_numbers(plan, entries))
    problems.extend(province_crossings(features, gazetteer))
    problems.extend(status_problems(entries))
    problems.extend(precision_problems(features, PRECISIONS))
    return len(entries), problems
