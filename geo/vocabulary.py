"""The closed vocabularies of the plan explorer, read once from ``data/`` into typed, frozen terms.

Layers, statuses and their planners' phases, precision classes, the ways a task names a unit
("how"), export coordinate systems and formats, basemaps, province scopes and the plan's numbering
are data (``data/vocabularies.yaml``, ``data/status_groups.yaml``, ``data/progress/phases.yaml``). Every consumer — map, legends,
QGIS styles, measures, metadata, exports, pages — asks a term for an attribute (its colour, how it
is drawn, whether it is measured, its file suffix) and never lists ids itself, so adding or
changing a term is an edit of the data file alone. ``tests/test_vocabulary_rule.py`` keeps it so.

Nothing is read on import: each vocabulary reads its file on first use inside the data guard, so a
missing or damaged file is one :class:`~geo.errors.DataError` naming it.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from geo.datafiles import DATA_DIR, data_error, read_yaml_list, read_yaml_mapping, reading

VOCABULARIES_PATH = DATA_DIR / "vocabularies.yaml"
STATUS_GROUPS_PATH = DATA_DIR / "status_groups.yaml"
PROGRESS_PHASES_PATH = DATA_DIR / "progress" / "phases.yaml"
# Exports default to the datum of GPS and of the app's map; the vocabulary lists it first.
DEFAULT_CRS = "EPSG:4326"


# -- terms -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A text in both languages; ``label(lang)`` picks one (Chinese unless ``lang`` is "en")."""

    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Term(Text):
    """A term of a closed vocabulary: its id and its label in both languages."""

    id: str


@dataclass(frozen=True)
class Layer(Term):
    """A thematic layer: its colour on the map and in exported styles, icon and legend text."""

    colour: str
    icon: str
    legend: Text
    corridor: bool = False


@dataclass(frozen=True)
class Status(Term):
    """A normalised verb of the plan."""

    colour: str


@dataclass(frozen=True)
class Phase(Term):
    """A planners' phase (新建/在建 …): several statuses; ``aliases`` also name it in a link;
    ``headline``: the phase the Overview counts in its key figures (one phase, so the Overview and
    a map filtered by that phase count the same features)."""

    aliases: tuple[str, ...]
    statuses: tuple[str, ...]
    headline: bool = False

    @property
    def key(self) -> str:
        return self.id

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.zh, self.en, *self.aliases)


@dataclass(frozen=True)
class ProgressPhase(Term):
    """A phase of the progress ledger (开工, 建成 …): its Chinese name is its id; colour and meaning."""

    colour: str
    meaning: str

    def to_dict(self) -> dict:
        return {"id": self.id, "en": self.en, "colour": self.colour, "meaning": self.meaning}


PRECISION_DRAWINGS = ("filled point", "hollow point", "area", "line", "dashed line")


@dataclass(frozen=True)
class Precision(Term):
    """How a feature's position was obtained, and so how it is drawn and whether it is measured."""

    explanation: Text
    export: str
    drawn: str
    line_weight: float = 3.0
    measured: bool = False
    osm: bool = False
    area_is: str = "drawn shape"
    cited: bool = False
    # A point of the class that stands for a named place elsewhere (a seat for a port): its
    # legend row and the dash of its outline on the map.
    stand_in: Text | None = None
    stand_in_dash: str = ""

    @property
    def point(self) -> bool:
        return self.drawn.endswith("point")

    @property
    def hollow(self) -> bool:
        return self.drawn == "hollow point"

    @property
    def area(self) -> bool:
        return self.drawn == "area"

    @property
    def dashed(self) -> bool:
        return self.drawn == "dashed line"


@dataclass(frozen=True)
class How(Term):
    """How a task names a unit; ``hover`` is the label on a highlighted place ("" for none);
    ``received``: the task reaches the unit without naming it, so the unit receives the task."""

    colour: str
    hover: str = ""
    received: bool = False
    names_a_group: bool = False


@dataclass(frozen=True)
class Crs(Term):
    """An export coordinate system: name part, title and note in files, the page's hint."""

    file_label: str
    title: str
    note: str
    hint: Text | None = None


@dataclass(frozen=True)
class ExportFormat(Term):
    """An export format: what it is good for, file suffixes, media type and its writer."""

    hint: Text
    suffixes: tuple[str, ...]
    media_type: str
    writer: str
    declares_gcj02: bool = True

    @property
    def suffix(self) -> str:
        """The suffix of a default file name."""
        return self.suffixes[0]


@dataclass(frozen=True)
class Basemap(Term):
    """A map background: tile URL ("" for the offline outlines), attribution and datum."""

    datum: str
    tiles: str = ""
    attribution: str = ""
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True)
class Network(Term):
    """A network the reach analysis times: the layers whose lines make it up."""

    layers: tuple[str, ...]


@dataclass(frozen=True)
class ProvinceScope(Term):
    """Which side of the provincial border a feature lies on; ``crossing``: both sides (or neither)."""

    crossing: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Numbering:
    """The plan's chapters or tasks run from ``first`` to ``last``."""

    id: str
    first: int
    last: int

    @property
    def numbers(self) -> range:
        return range(self.first, self.last + 1)


# -- reading ---------------------------------------------------------------------------------------
TermT = TypeVar("TermT")


def _term(cls: type, table: str, key: str, raw: object):
    """One term of ``cls`` from its mapping; DataError naming the table, term and missing field."""
    if not isinstance(raw, Mapping):
        raise data_error(VOCABULARIES_PATH, f"{table} {key}: expected a mapping of fields")
    hints = typing.get_type_hints(cls)
    values: dict[str, object] = {"id": key}
    for field in dataclasses.fields(cls):
        if field.name == "id":
            continue
        kind = hints[field.name]
        optional = field.default is not dataclasses.MISSING
        if kind in (Text, Text | None):
            pair = (raw.get(f"{field.name}_zh"), raw.get(f"{field.name}_en"))
            if pair == (None, None) and optional:
                continue
            if None in pair:
                raise data_error(VOCABULARIES_PATH, f"{table} {key}: {field.name}_zh and _en are both needed")
            values[field.name] = Text(str(pair[0]), str(pair[1]))
            continue
        if field.name not in raw or raw[field.name] is None:
            if optional:
                continue
            raise data_error(VOCABULARIES_PATH, f"{table} {key}: the field {field.name} is missing")
        value = raw[field.name]
        if kind == tuple[str, ...]:
            value = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
        elif kind is bool:
            value = bool(value)
        elif kind in (int, float):
            value = kind(value)
        else:
            value = str(value)
        values[field.name] = value
    return cls(**values)


@functools.cache
def _tables() -> dict[str, dict]:
    data = read_yaml_mapping(VOCABULARIES_PATH)
    with reading(VOCABULARIES_PATH):
        return {str(name): dict(table) for name, table in data.items()}


def _read(table: str, cls: type) -> dict:
    raw = _tables()
    with reading(VOCABULARIES_PATH):
        entries = raw[table]
    if not entries:
        raise data_error(VOCABULARIES_PATH, f"the table {table} is empty")
    terms = {str(key): _term(cls, table, str(key), value) for key, value in entries.items()}
    _check(table, terms)
    return terms


def _read_phases() -> dict:
    raw = read_yaml_list(STATUS_GROUPS_PATH)
    with reading(STATUS_GROUPS_PATH):
        phases = {
            str(item["key"]): Phase(
                id=str(item["key"]),
                zh=str(item["label"]),
                en=str(item["label_en"]),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                statuses=tuple(str(s) for s in item["statuses"]),
                headline=bool(item.get("headline", False)),
            )
            for item in raw
        }
    listed = [status for phase in phases.values() for status in phase.statuses]
    unknown = sorted(set(listed) - set(STATUSES))
    if unknown:
        raise data_error(STATUS_GROUPS_PATH, f"unknown status(es) {', '.join(unknown)}")
    twice = sorted({s for s in listed if listed.count(s) > 1})
    missing = [s for s in STATUSES if s not in listed]
    if twice or missing:
        raise data_error(STATUS_GROUPS_PATH, f"each status must be in exactly one group ({twice or missing})")
    if sum(phase.headline for phase in phases.values()) != 1:
        raise data_error(STATUS_GROUPS_PATH, "exactly one group must have headline: true")
    return phases


def _read_progress_phases() -> dict:
    raw = read_yaml_list(PROGRESS_PHASES_PATH)
    with reading(PROGRESS_PHASES_PATH):
        return {
            str(p["id"]): ProgressPhase(
                str(p["id"]), str(p["en"]), str(p["id"]), str(p["colour"]), str(p["meaning"])
            )
            for p in raw
        }


def _check(table: str, terms: dict) -> None:
    """Facts a consumer relies on beyond the fields being present."""
    if table == "crs" and next(iter(terms)) != DEFAULT_CRS:
        raise data_error(VOCABULARIES_PATH, f"the first coordinate system must be {DEFAULT_CRS}, the default")
    for key, term in terms.items():
        if isinstance(term, Precision) and term.drawn not in PRECISION_DRAWINGS:
            raise data_error(VOCABULARIES_PATH, f"precision {key}: drawn must be one of {PRECISION_DRAWINGS}")
        if isinstance(term, ExportFormat) and ":" not in term.writer:
            raise data_error(VOCABULARIES_PATH, f"format {key}: writer must be module:function")


class Vocabulary(Mapping, Generic[TermT]):
    """Id → term of one vocabulary, in the file's order, read on first use (a failed read is tried
    again). Iterating gives the ids; ``terms()`` the terms."""

    def __init__(self, name: str, build):
        self.name = name
        self._build = build

    def _terms(self) -> dict[str, TermT]:
        return _loaded(self.name, self._build)

    def __getitem__(self, key: str) -> TermT:
        return self._terms()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms())

    def __len__(self) -> int:
        return len(self._terms())

    def __repr__(self) -> str:
        return f"Vocabulary({self.name}: {', '.join(self._terms())})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._terms())

    def terms(self) -> tuple[TermT, ...]:
        return tuple(self._terms().values())

    def index(self, key: str) -> int:
        """Position of ``key`` in the vocabulary's order; one past the last for an unknown id."""
        ids = self.ids
        return ids.index(key) if key in ids else len(ids)

    @property
    def default(self) -> TermT:
        """The first term (the default CRS, format and basemap)."""
        return next(iter(self._terms().values()))

    def label(self, key: str, lang: str = "zh") -> str:
        """The label of ``key`` in ``lang``; the id itself when it is not a term."""
        term = self._terms().get(key)
        return term.label(lang) if term is not None else str(key)


_CACHE: dict[str, dict] = {}


def _loaded(name: str, build) -> dict:
    if name not in _CACHE:
        _CACHE[name] = build()
    return _CACHE[name]


LAYERS: Vocabulary[Layer] = Vocabulary("layer", lambda: _read("layer", Layer))
STATUSES: Vocabulary[Status] = Vocabulary("status", lambda: _read("status", Status))
PHASES: Vocabulary[Phase] = Vocabulary("phase", _read_phases)
PROGRESS_PHASES: Vocabulary[ProgressPhase] = Vocabulary("progress_phase", _read_progress_phases)
PRECISIONS: Vocabulary[Precision] = Vocabulary("precision", lambda: _read("precision", Precision))
HOWS: Vocabulary[How] = Vocabulary("how", lambda: _read("how", How))
CRSES: Vocabulary[Crs] = Vocabulary("crs", lambda: _read("crs", Crs))
FORMATS: Vocabulary[ExportFormat] = Vocabulary("format", lambda: _read("format", ExportFormat))
BASEMAPS: Vocabulary[Basemap] = Vocabulary("basemap", lambda: _read("basemap", Basemap))
NETWORKS: Vocabulary[Network] = Vocabulary("network", lambda: _read("network", Network))
PROVINCE_SCOPES: Vocabulary[ProvinceScope] = Vocabulary(
    "province_scope", lambda: _read("province_scope", ProvinceScope)
)
NUMBERING: Vocabulary[Numbering] = Vocabulary("numbering", lambda: _read("numbering", Numbering))

ALL: tuple[Vocabulary, ...] = (
    LAYERS,
    STATUSES,
    PHASES,
    PROGRESS_PHASES,
    PRECISIONS,
    HOWS,
    CRSES,
    FORMATS,
    BASEMAPS,
    NETWORKS,
    PROVINCE_SCOPES,
    NUMBERING,
)


def phase_of(status: str) -> Phase | None:
    """The planners' phase a normalised status belongs to."""
    return next((p for p in PHASES.terms() if status in p.statuses), None)


def headline_phase() -> Phase:
    """The phase the Overview counts among its key figures (``headline: true``, exactly one)."""
    return next(p for p in PHASES.terms() if p.headline)


def phase_named(name: str) -> Phase | None:
    """The phase a link or filter names (在建, 新建/在建, under construction …), any case."""
    wanted = name.strip().lower()
    return next((p for p in PHASES.terms() if wanted in {n.lower() for n in p.names}), None)


def status_named(text: str) -> str | None:
    """The status a link names by its Chinese word or English label (any case)."""
    if text in STATUSES:
        return text
    return next((s.id for s in STATUSES.terms() if s.en.lower() == text.lower()), None)
