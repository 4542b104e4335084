"""Abbreviations and named groupings of administrative units, read from ``data/gazetteer/``.

- ``abbreviations.yaml``: one-character abbreviations (渝, 蓉, 川 …) and the compound tokens
  the plan uses (成渝, 成德眉资, 万达开, 内自泸, 渝遂 …), each read character by character.
- ``groupings.yaml``: named groupings with their members (重庆中心城区, 渝东北, 川南,
  成都平原经济区, 重庆都市圈 …); a member may itself be a grouping.

:func:`expand` turns any of these, or a plain unit name, into the units it stands for; the
catalogue resolver uses it for ``area`` specs and the mention finder for its dictionary.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo import datafiles
from geo.datafiles import GAZETTEER_DIR
from geo.errors import AmbiguousPlaceError, GeoError, UnknownPlaceError

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer, Unit

ABBREVIATIONS_PATH = GAZETTEER_DIR / "abbreviations.yaml"
GROUPINGS_PATH = GAZETTEER_DIR / "groupings.yaml"


@dataclass(frozen=True)
class Compound:
    """A compound abbreviation: one part (a gazetteer name, or None) per character."""

    token: str
    parts: tuple[str | None, ...]
    note: str = ""

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(part for part in self.parts if part)


@dataclass(frozen=True)
class Abbreviations:
    """Single-character and compound abbreviations, each with the units it stands for."""

    single: dict[str, tuple[str, ...]]
    compounds: dict[str, Compound]


@dataclass(frozen=True)
class Grouping:
    """A named group of units (e.g. a metropolitan area) with its members and source."""

    name: str
    members: tuple[str, ...]
    source: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def parse_abbreviations(data: dict, *, origin: str = "abbreviations") -> Abbreviations:
    """Validate the YAML structure of the abbreviation table."""
    single: dict[str, tuple[str, ...]] = {}
    for char, meanings in (data.get("single") or {}).items():
        if len(str(char)) != 1:
            raise GeoError(f"{origin}: single abbreviation {char!r} is not one character")
        if isinstance(meanings, str):
            meanings = [meanings]
        if not meanings:
            raise GeoError(f"{origin}: single abbreviation {char} has no meaning")
        single[str(char)] = tuple(str(m) for m in meanings)
    compounds: dict[str, Compound] = {}
    for token, spec in (data.get("compounds") or {}).items():
        token = str(token)
        if len(token) < 2:
            raise GeoError(f"{origin}: compound {token!r} must have at least two characters")
        parts = spec.get("parts") if isinstance(spec, dict) else spec
        if not isinstance(parts, list) or len(parts) != len(token):
            raise GeoError(f"{origin}: compound {token} needs one part per character ({len(token)})")
        if not any(parts):
            raise GeoError(f"{origin}: compound {token} names no unit")
        note = str(spec.get("note", "")) if isinstance(spec, dict) else ""
        compounds[token] = Compound(token, tuple(str(p) if p else None for p in parts), note)
    return Abbreviations(single=single, compounds=compounds)


def parse_groupings(data: dict, *, origin: str = "groupings") -> dict[str, Grouping]:
    """Validate the YAML structure of the grouping table; keys are names and aliases."""
    by_name: dict[str, Grouping] = {}
    for name, spec in (data.get("groupings") or {}).items():
        if not isinstance(spec, dict) or not spec.get("members"):
            raise GeoError(f"{origin}: grouping {name} has no members")
        if not spec.get("source"):
            raise GeoError(f"{origin}: grouping {name} has no source")
        grouping = Grouping(
            name=str(name),
            members=tuple(str(m) for m in spec["members"]),
            source=str(spec["source"]),
            aliases=tuple(str(a) for a in spec.get("aliases") or ()),
        )
        for key in grouping.names:
            if key in by_name:
                raise GeoError(f"{origin}: {key} is defined twice")
            by_name[key] = grouping
    return by_name


@functools.cache
def load_abbreviations(path: Path = ABBREVIATIONS_PATH) -> Abbreviations:
    """The shipped abbreviations (``abbreviations.yaml``)."""
    return parse_abbreviations(datafiles.read_yaml_mapping(path), origin=path.name)


@functools.cache
def load_groupings(path: Path = GROUPINGS_PATH) -> dict[str, Grouping]:
    """Groupings keyed by name and by alias (an alias maps to the same :class:`Grouping`)."""
    return parse_groupings(datafiles.read_yaml_mapping(path), origin=path.name)


def _default_gazetteer() -> Gazetteer:
    from geo.gazetteer import load_gazetteer

    return load_gazetteer()


def expand(
    name: str,
    gazetteer: Gazetteer | None = None,
    *,
    groupings: dict[str, Grouping] | None = None,
    abbreviations: Abbreviations | None = None,
) -> list[Unit]:
    """The units a name stands for, in order, without repeats.

    A grouping (重庆中心城区) or compound abbreviation (成德眉资) gives its members, a unit name
    (遂宁, 遂宁市, 贵州/赤水) gives that unit, and a one-character abbreviation with a single
    meaning (蓉) gives that meaning. Raises UnknownPlaceError / AmbiguousPlaceError.
    """
    gazetteer = gazetteer or _default_gazetteer()
    groupings = load_groupings() if groupings is None else groupings
    abbreviations = load_abbreviations() if abbreviations is None else abbreviations
    units: list[Unit] = []
    seen: set = set()

    def add(unit: Unit) -> None:
        if unit.adcode not in seen:
            seen.add(unit.adcode)
            units.append(unit)

    def walk(current: str, path: tuple[str, ...]) -> None:
        current = current.strip()
        if current in path:
            raise GeoError(f"grouping cycle: {' → '.join((*path, current))}")
        if current in groupings:
            for member in groupings[current].members:
                walk(member, (*path, current))
            return
        if current in abbreviations.compounds:
            for member in abbreviations.compounds[current].members:
                walk(member, (*path, current))
            return
        try:
            add(gazetteer.resolve(current).unit)
            return
        except UnknownPlaceError:
            meanings = abbreviations.single.get(current)
            if not meanings:
                if path:
                    raise UnknownPlaceError(current, context=path[-1]) from None
                raise
        if len(meanings) > 1:
            raise AmbiguousPlaceError(current, list(meanings))
        walk(meanings[0], (*path, current))

    walk(name, ())
    return units
