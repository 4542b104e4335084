"""The curated catalogue of named items (``data/catalogue/*.yaml``) and its schema.

An entry ties one named item of the plan to its task, sentence and verbatim quote, and carries a
geometry *spec* (resolved by :mod:`geo.resolve`). See ``data/catalogue/README.md``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo import datafiles, vocabulary
from geo.datafiles import DATA_DIR, LoadedMapping, LoadedTuple
from geo.errors import CatalogueError, UndescribedDataFile
from geo.plan import Plan, load_plan

CATALOGUE_DIR = DATA_DIR / "catalogue"
# libyaml's safe loader is several times faster than the pure-Python one; same semantics.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Layer and status ids in the vocabulary's order (data/vocabularies.yaml), read on first use; their
# labels, colours and how they are drawn are the terms' (geo.vocabulary).
LAYER_IDS: LoadedTuple = LoadedTuple(lambda: vocabulary.LAYERS.ids)
STATUSES: LoadedTuple = LoadedTuple(lambda: vocabulary.STATUSES.ids)
STATUS_EN: LoadedMapping = LoadedMapping(lambda: {s.id: s.en for s in vocabulary.STATUSES.terms()})

STATUS_GROUPS_PATH = vocabulary.STATUS_GROUPS_PATH
STATUS_NOTE_ZH = "状态是规划(2021年12月)对该项目提出的要求,不是此后的实际进展。"
STATUS_NOTE_EN = "Status is what the plan asked for (December 2021), not progress since."
# A planners' phase (新建/在建 …) of several statuses: a term of the vocabulary.
StatusGroup = vocabulary.Phase


def load_status_groups() -> tuple[StatusGroup, ...]:
    """The phases of ``data/status_groups.yaml``; DataError naming the file when it is missing or
    malformed, when a status is in none or in two of them, or a group names an unknown status."""
    return vocabulary.PHASES.terms()


def status_group(status: str) -> StatusGroup | None:
    """The phase a normalised status belongs to."""
    return vocabulary.phase_of(status)


def status_group_named(name: str) -> StatusGroup | None:
    """The phase a link or filter names (在建, 新建/在建, under construction …), any case."""
    return vocabulary.phase_named(name)


# The kinds of a geometry spec: the catalogue's schema (data/catalogue/README.md), not precision
# classes, though a spec's kind often names the class it resolves to.
GEOMETRY_KINDS = ("airport", "seat", "seats", "area", "river", "via", "site", "route", "expressway")
_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_REQUIRED = ("id", "name", "layer", "status", "tasks", "sentence", "quote", "geometry")
_OPTIONAL = (
    "name_en", "aliases", "kind", "verb", "note", "note_zh", "official_area_km2", "official_area_source",
    "provinces", "site_ref", "stand_in",
)  # fmt: skip
# Specs drawn as lines: their entries declare the provinces the real route crosses (`provinces`).
LINE_KINDS = ("via", "route", "expressway", "river")


@dataclass(frozen=True)
class Entry:
    """One catalogue item as curated: name, layer, status, task, quote and how to place it."""

    id: str
    name: str
    layer: str
    status: str
    tasks: tuple[int, ...]
    sentence: int
    quote: str
    geometry: dict
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    verb: str | None = None
    note: str | None = None
    # The note in Chinese, for the Chinese interface; required wherever ``note`` is given.
    note_zh: str | None = None
    # The area the plan or an official source publishes (km²), where one is published.
    official_area_km2: float | None = None
    # Who published that area, in which document and year (required with ``official_area_km2``).
    official_area_source: str | None = None
    # A site's citation of the shipped point that places this very item ("OpenStreetMap node N").
    site_ref: str | None = None
    # The named places a seat stands for (果园港 drawn at the seat of 江北区), in spec order.
    stand_in: tuple[str, ...] = ()
    # The provinces the item's real route crosses (short names: 四川, 重庆, 陕西 …); lines only.
    provinces: tuple[str, ...] = ()
    file: str = field(default="", compare=False)

    @property
    def geometry_kind(self) -> str:
        kinds = [key for key in GEOMETRY_KINDS if key in self.geometry]
        return kinds[0] if len(kinds) == 1 else "invalid"


def entry_from_mapping(raw: dict, *, file: str = "") -> Entry:
    """Build an :class:`Entry` from one YAML mapping; raises CatalogueError on a schema problem."""
    if not isinstance(raw, dict):
        raise CatalogueError(f"{file}: an entry is not a mapping: {raw!r}")
    ident = raw.get("id", "<no id>")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise CatalogueError(f"{ident}: missing field(s) {', '.join(missing)} ({file})")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise CatalogueError(f"{ident}: unknown field(s) {', '.join(unknown)} ({file})")
    tasks = raw["tasks"]
    if isinstance(tasks, int):
        tasks = [tasks]
    if not isinstance(tasks, list) or not tasks or not all(isinstance(t, int) for t in tasks):
        raise CatalogueError(f"{ident}: tasks must be a non-empty list of task numbers ({file})")
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str) or not isinstance(aliases, list):
        raise CatalogueError(f"{ident}: aliases must be a list of names ({file})")
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise CatalogueError(f"{ident}: every alias must be a non-empty name ({file})")
    if not isinstance(raw["geometry"], dict):
        raise CatalogueError(f"{ident}: geometry must be a mapping ({file})")
    for key in ("note", "note_zh"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise CatalogueError(f"{ident}: {key} must be text ({file})")
    for key in ("official_area_source", "site_ref"):
        if raw.get(key) is not None and not (isinstance(raw[key], str) and raw[key].strip()):
            raise CatalogueError(f"{ident}: {key} must be text ({file})")
    stand_in = raw.get("stand_in") or []
    if isinstance(stand_in, str):
        stand_in = [stand_in]
    if not isinstance(stand_in, list) or not all(isinstance(p, str) and p.strip() for p in stand_in):
        raise CatalogueError(f"{ident}: stand_in must name the place (or places) a seat stands for ({file})")
    provinces = raw.get("provinces") or []
    if not isinstance(provinces, list) or not all(isinstance(p, str) and p.strip() for p in provinces):
        raise CatalogueError(f"{ident}: provinces must be a list of province names ({file})")
    return Entry(
        id=str(raw["id"]),
        name=str(raw["name"]),
        layer=str(raw["layer"]),
        status=str(raw["status"]),
        tasks=tuple(tasks),
        sentence=int(raw["sentence"]),
        quote=str(raw["quote"]),
        geometry=dict(raw["geometry"]),
        name_en=raw.get("name_en"),
        aliases=tuple(a.strip() for a in aliases),
        kind=raw.get("kind"),
        verb=raw.get("verb"),
        note=raw.get("note"),
        note_zh=raw.get("note_zh"),
        official_area_km2=None if raw.get("official_area_km2") is None else float(raw["official_area_km2"]),
        official_area_source=raw.get("official_area_source"),
        site_ref=raw.get("site_ref"),
        stand_in=tuple(p.strip() for p in stand_in),
        provinces=tuple(p.strip() for p in provinces),
        file=file,
    )


def read_catalogue_file(path: Path) -> list[Entry]:
    """The entries of one catalogue YAML file; CatalogueError naming the file when it is malformed."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
    except yaml.YAMLError as exc:
        raise datafiles.data_error(path, f"not valid YAML: {exc}".splitlines()[0]) from None
    except (OSError, UnicodeError) as exc:
        with datafiles.reading(path):
            raise exc from None
    if not isinstance(raw, list):
        raise CatalogueError(f"{path.name}: the file must hold a list of entries")
    return [entry_from_mapping(item, file=path.name) for item in raw]


def layer_file(layer_id: str, directory: Path = CATALOGUE_DIR) -> Path:
    """The one catalogue file of a layer: ``data/catalogue/<layer>.yaml``."""
    return directory / f"{layer_id}.yaml"


def undescribed_files(directory: Path = CATALOGUE_DIR) -> list[Path]:
    """YAML files in the catalogue directory that are no layer's file."""
    expected = {layer_file(layer_id, directory).name for layer_id in LAYER_IDS}
    try:
        found = sorted(directory.iterdir())
    except OSError:
        return []  # no directory: the first layer file read says so
    return [path for path in found if path.suffix in (".yaml", ".yml") and path.name not in expected]


@functools.cache
def load_catalogue(directory: Path = CATALOGUE_DIR) -> tuple[Entry, ...]:
    """Every entry of every layer's file, in layer order then file order.

    The files read are the layers' (:func:`layer_file`), not whatever the directory holds: a
    missing or empty layer file is a DataError naming it (its items would silently vanish from
    every page), and so is any other YAML file there (a stray copy would be loaded as duplicates;
    a new layer's file that is not yet registered would be left out without a word).

    Parameters
    ----------
    directory : Path, optional
        The catalogue directory; the shipped ``data/catalogue/`` by default.

    Returns
    -------
    tuple of Entry
        The curated items as written (id, layer, status, quote, geometry spec, …), not yet
        resolved to geometries (:mod:`geo.resolve` does that).

    Raises
    ------
    DataError
        A layer file is missing, empty, not valid YAML, or the directory holds a file of no layer.
    CatalogueError
        An entry breaks the catalogue's schema (names the entry's id).
    """
    stray = undescribed_files(directory)
    if stray:
        raise UndescribedDataFile(datafiles.shown_path(stray[0]))
    entries: list[Entry] = []
    for layer_id in LAYER_IDS:
        path = layer_file(layer_id, directory)
        found = read_catalogue_file(path)
        if not found:
            raise datafiles.data_error(path, "the file is empty: the layer has no entries")
        entries.extend(found)
    order = {layer: i for i, layer in enumerate(LAYER_IDS)}
    return tuple(sorted(entries, key=lambda e: order.get(e.layer, len(order))))


def entry_problems(entry: Entry, plan: Plan) -> list[str]:
    """Schema and provenance problems of one entry (empty when it is sound)."""
    problems = []
    if not _ID_RE.match(entry.id):
        problems.append(f"{entry.id}: id must be lowercase ASCII words joined by hyphens")
    if entry.layer not in LAYER_IDS:
        problems.append(f"{entry.id}: unknown layer {entry.layer!r}")
    if entry.status not in STATUSES:
        problems.append(f"{entry.id}: unknown status {entry.status!r}")
    if entry.geometry_kind == "invalid":
        problems.append(f"{entry.id}: geometry needs exactly one of {', '.join(GEOMETRY_KINDS)}")
    numbers = {task.number for task in plan.tasks}
    bad = [n for n in entry.tasks if n not in numbers]
    if bad:
        problems.append(f"{entry.id}: no task {bad}")
        return problems
    task = plan.task(entry.tasks[0])
    if not entry.quote or entry.quote not in task.text:
        problems.append(f"{entry.id}: quote is not verbatim in task {task.number}: {entry.quote!r}")
    elif not 0 <= entry.sentence < len(task.sentences) or entry.quote not in task.sentences[entry.sentence]:
        found = task.sentence_index(entry.quote)
        problems.append(
            f"{entry.id}: quote is not in sentence {entry.sentence} of task {task.number} (found in {found})"
        )
    if entry.name in entry.aliases or len(set(entry.aliases)) != len(entry.aliases):
        problems.append(f"{entry.id}: an alias repeats the name or another alias")
    if entry.verb and entry.verb not in task.text:
        problems.append(f"{entry.id}: verb {entry.verb!r} does not occur in task {task.number}")
    if entry.note and not (entry.note_zh or "").strip():
        problems.append(f"{entry.id}: note has no Chinese version (note_zh)")
    problems.extend(_province_field_problems(entry))
    if (entry.official_area_km2 is None) != (entry.official_area_source is None):
        problems.append(f"{entry.id}: official_area_km2 and official_area_source go together")
    if entry.site_ref and entry.geometry_kind != "site":
        problems.append(f"{entry.id}: site_ref is only for items drawn at a site")
    if entry.stand_in and entry.geometry_kind not in ("seat", "seats"):
        problems.append(f"{entry.id}: stand_in is only for items drawn at a seat")
    return problems


def _province_field_problems(entry: Entry) -> list[str]:
    """A line declares the provinces its real route crosses, each once; other items declare none."""
    if entry.geometry_kind in LINE_KINDS and not entry.provinces:
        return [f"{entry.id}: a line needs provinces (the provinces its real route crosses)"]
    if entry.provinces and entry.geometry_kind not in LINE_KINDS:
        return [f"{entry.id}: provinces is only for lines ({', '.join(LINE_KINDS)})"]
    if len(set(entry.provinces)) != len(entry.provinces):
        return [f"{entry.id}: provinces repeats a name"]
    return []


def catalogue_problems(entries: tuple[Entry, ...] | list[Entry], plan: Plan | None = None) -> list[str]:
    """Problems across the catalogue: every entry's, plus duplicate ids."""
    plan = plan or load_plan()
    problems: list[str] = []
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen:
            problems.append(f"{entry.id}: duplicate id ({seen[entry.id]} and {entry.file})")
        seen[entry.id] = entry.file
        problems.extend(entry_problems(entry, plan))
    owners: dict[str, str] = {}
    for entry in entries:
        for alias in entry.aliases:
            if alias in owners and owners[alias] != entry.id:
                problems.append(f"{entry.id}: alias {alias} is also an alias of {owners[alias]}")
            owners.setdefault(alias, entry.id)
    return problems


UNLOCATED_PATH = DATA_DIR / "unlocated.yaml"


@dataclass(frozen=True)
class Unlocated:
    """A named item of the plan left off the map, with the reason."""

    name: str
    task: int
    quote: str
    reason: str
    reason_en: str


UNPLACEABLE_PATH = DATA_DIR / "unplaceable.yaml"


@functools.cache
def load_unplaceable(path: Path = UNPLACEABLE_PATH) -> tuple[Unlocated, ...]:
    """Designations the plan names that are no one place (a city's role, a class of platforms)."""
    return load_unlocated(path)


@functools.cache
def load_unlocated(path: Path = UNLOCATED_PATH) -> tuple[Unlocated, ...]:
    """The places the plan names that the catalogue deliberately does not locate, with the reason."""
    with datafiles.reading(path):
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
        return tuple(
            Unlocated(str(r["name"]), int(r["task"]), str(r["quote"]), str(r["reason"]), str(r["reason_en"]))
            for r in raw
        )
