"""One search over the catalogue, for the map page and ``python -m geo search``.

An item is found by its plan name, its aliases (the names planners use: 成达万高铁, 渝西高铁,
天府机场), its English name, its id, or the pinyin of its name and aliases (full, ``tianfujichang``,
or initials, ``tfjc``). Results are ranked: an exact name beats a prefix, a prefix beats a
substring, which beats the query's characters found in order (成达万 in 成都至达州至万州铁路); the
name and aliases beat English, which beats pinyin and the id.

The map page also matches the places a query names (:func:`query_places`): 遂宁 finds every item
in or connecting 遂宁, a grouping any member, a compound abbreviation every member.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, replace

import geopandas as gpd
from pypinyin import Style, lazy_pinyin

from geo.catalogue import Entry, load_catalogue
from geo.errors import GeoError
from geo.features import Selection, filter_frame

# How much a field counts: the names people type first, then English, then the machine forms.
FIELD_WEIGHT = {"name": 1.0, "alias": 0.98, "english": 0.9, "pinyin": 0.8, "initials": 0.75, "id": 0.7}
EXACT, PREFIX, SUBSTRING, IN_ORDER = 100.0, 80.0, 60.0, 40.0


@dataclass(frozen=True)
class SearchResult:
    """A catalogue item found by a search, its score and the field that matched."""

    entry: Entry
    score: float
    field: str
    matched: str

    def to_dict(self) -> dict:
        entry = self.entry
        return {
            "id": entry.id,
            "name": entry.name,
            "name_en": entry.name_en,
            "aliases": list(entry.aliases),
            "layer": entry.layer,
            "status": entry.status,
            "tasks": list(entry.tasks),
            "matched": self.matched,
            "field": self.field,
            "score": round(self.score, 1),
        }


def _fold(text: str) -> str:
    """Lowercase without blanks, hyphens or apostrophes: Ya'an, ya an and yaan are one."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@functools.cache
def search_index() -> tuple[tuple[Entry, tuple[tuple[str, str, str], ...]], ...]:
    """Per entry: (field, folded form, shown form) of every name it may be found by."""
    index = []
    for entry in load_catalogue():
        forms: list[tuple[str, str, str]] = [("name", _fold(entry.name), entry.name)]
        forms += [("alias", _fold(alias), alias) for alias in entry.aliases]
        if entry.name_en:
            forms.append(("english", _fold(entry.name_en), entry.name_en))
        for name in (entry.name, *entry.aliases):
            forms.append(("pinyin", _fold("".join(lazy_pinyin(name))), name))
            initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
            forms.append(("initials", _fold(initials), name))
        forms.append(("id", _fold(entry.id), entry.id))
        index.append((entry, tuple(forms)))
    return tuple(index)


def _in_order(needle: str, text: str) -> bool:
    position = 0
    for char in needle:
        position = text.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def _score(query: str, target: str, field: str) -> float:
    if not target:
        return 0.0
    if target == query:
        base = EXACT
    elif target.startswith(query):
        base = PREFIX
    elif query in target:
        base = SUBSTRING
    elif field in ("name", "alias") and len(query) >= 3 and _is_cjk(query) and _in_order(query, target):
        base = IN_ORDER
    else:
        return 0.0
    # A closer fit (less left over) ranks higher within a kind of match.
    closeness = len(query) / len(target)
    return (base + 10.0 * closeness) * FIELD_WEIGHT[field]


def search(query: str, *, limit: int | None = 10) -> list[SearchResult]:
    """Catalogue entries matching the query, best first (ties in catalogue order)."""
    folded = _fold(query)
    if not folded:
        return []
    # Initials only for short ASCII queries: "tf" should not match every t…f… of a long name.
    results = []
    for order, (entry, forms) in enumerate(search_index()):
        best: tuple[float, str, str] | None = None
        for field, target, shown in forms:
            if field == "initials" and (_is_cjk(folded) or len(folded) < 2):
                continue
            score = _score(folded, target, field)
            if score and (best is None or score > best[0]):
                best = (score, field, shown)
        if best is not None:
            results.append((-best[0], order, SearchResult(entry, best[0], best[1], best[2])))
    results.sort(key=lambda item: item[:2])
    found = [result for _, _, result in results]
    return found if limit is None else found[:limit]


def matching_ids(query: str) -> frozenset[str]:
    """Ids of every entry the query finds (the map page's text match)."""
    return frozenset(result.entry.id for result in search(query, limit=None))


def suggestions(query: str, n: int = 5) -> list[str]:
    """Names and aliases that look like an unmatched query."""
    names = [name for entry in load_catalogue() for name in (entry.name, *entry.aliases)]
    close = difflib.get_close_matches(query, names, n=n, cutoff=0.4)
    if len(close) < n and _is_cjk(query):
        chars = set(query)
        ranked = sorted(names, key=lambda name: -len(chars & set(name)))
        close += [name for name in ranked if chars & set(name) and name not in close][: n - len(close)]
    return close


def autocomplete_options() -> list[str]:
    """Every name and alias, plan names first: the choices of the app's search box."""
    names = [entry.name for entry in load_catalogue()]
    aliases = [alias for entry in load_catalogue() for alias in entry.aliases]
    return list(dict.fromkeys([*names, *aliases]))


# -- the map page's search: text and places ------------------------------------------------------
@functools.lru_cache(maxsize=256)
def query_places(query: str) -> tuple[frozenset[str], ...]:
    """The places a search stands for, as groups of unit names a feature must name one of each:
    a unit (遂宁) or a grouping (渝西) is one group (any member); a compound abbreviation
    (成德眉资, 万达开) is one group per member (every member). Empty if the query is no place."""
    from geo.gazetteer import load_gazetteer
    from geo.groupings import expand, load_abbreviations

    gazetteer = load_gazetteer()
    try:
        compound = load_abbreviations().compounds.get(query)
        if compound is not None:
            return tuple(frozenset({gazetteer.resolve(member).unit.name}) for member in compound.members)
        return (frozenset(unit.name for unit in expand(query, gazetteer)),)
    except GeoError:
        return ()


def search_frame(gdf: gpd.GeoDataFrame, selection: Selection) -> gpd.GeoDataFrame:
    """:func:`~geo.features.filter_frame`, with the search matching names, aliases, pinyin and
    English (ranked search above, plus the features' search text) or the places the query names
    (units, groupings, abbreviations)."""
    query = selection.query.strip()
    if not query:
        return filter_frame(gdf, selection)
    rest = filter_frame(gdf, replace(selection, query=""))
    by_text = rest.index.isin(filter_frame(rest, Selection(query=query)).index)
    by_text |= rest["id"].isin(matching_ids(query)).to_numpy(dtype=bool)
    groups = query_places(query)
    if not groups:
        return rest[by_text]
    by_place = rest["places"].apply(lambda places: all(group & set(places) for group in groups))
    return rest[by_text | by_place.to_numpy(dtype=bool)]
