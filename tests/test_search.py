"""The one catalogue search (geo.search): aliases, pinyin, English, ranking, the map's place match."""

import pytest

from geo.catalogue import entry_from_mapping, load_catalogue, load_status_groups, status_group_named
from geo.errors import CatalogueError
from geo.features import Selection, catalogue_frame, selection_from_params
from geo.search import autocomplete_options, search, search_frame, suggestions


def first(query):
    return search(query)[0].entry.id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("成达万", "rail-chengdu-dazhou-wanzhou"),
        ("成达万高铁", "rail-chengdu-dazhou-wanzhou"),
        ("西渝高铁", "rail-chongqing-xian"),
        ("天府机场", "air-tianfu"),
        ("tianfujichang", "air-tianfu"),
        ("TFJC", "air-tianfu"),
        ("两江新区", "zone-liangjiang-new-area"),
        ("Chongqing–Kunming", "rail-chongqing-kunming"),
        ("chongqing kunming", "rail-chongqing-kunming"),
        ("air-wanzhou", "air-wanzhou"),
        ("渝昆高铁", "rail-chongqing-kunming"),
        ("chengdawan", "rail-chengdu-dazhou-wanzhou"),
        ("Wanzhou Wuqiao", "air-wanzhou"),
    ],
)
def test_ranked_first(query, expected):
    assert first(query) == expected


def test_exact_name_beats_prefix_beats_substring():
    results = search("成都地铁")
    assert results[0].entry.id == "rail-chengdu-metro" and results[0].field == "alias"
    names = search("重庆至")
    assert all(r.field in ("name", "alias") for r in names)
    assert [r.score for r in names] == sorted((r.score for r in names), reverse=True)


def test_in_order_match_only_for_names_of_three_characters_or_more():
    assert not search("成万")  # two characters in order would match far too much
    assert search("成达万")[0].field == "alias"  # the alias 成达万高铁 beats the in-order match
    in_order = [r for r in search("成万利", limit=None) if r.score < 60]
    assert not in_order
    assert not search("")


def test_suggestions_for_an_unknown_query():
    assert suggestions("渝西高速")  # close to 渝西高铁
    assert "渝西高铁" in suggestions("渝西高速")


def test_autocomplete_lists_names_and_aliases_once():
    options = autocomplete_options()
    assert "成都至达州至万州铁路" in options and "成达万高铁" in options
    assert len(options) == len(set(options))


def test_map_search_matches_aliases_and_places():
    gdf = catalogue_frame()
    ids = set(search_frame(gdf, Selection(query="渝西高铁"))["id"])
    assert "rail-chongqing-xian" in ids
    ids = set(search_frame(gdf, Selection(query="成达万"))["id"])
    assert "rail-chengdu-dazhou-wanzhou" in ids
    suining = search_frame(gdf, Selection(query="遂宁"))
    assert suining["places"].apply(lambda places: "遂宁市" in places or "射洪市" in places).any()


# -- aliases in the schema --------------------------------------------------------------------
def test_every_entry_has_an_english_name_and_aliases_are_unique():
    entries = load_catalogue()
    assert all(entry.name_en for entry in entries)
    owners = {}
    for entry in entries:
        for alias in entry.aliases:
            assert alias != entry.name
            assert owners.setdefault(alias, entry.id) == entry.id, alias
    assert len(owners) >= 60


def test_aliases_must_be_a_list_of_names():
    base = {
        "id": "air-x", "name": "某机场", "layer": "aviation", "status": "建成", "tasks": [9],
        "sentence": 1, "quote": "q", "geometry": {"seat": "乐山"},
    }  # fmt: skip
    with pytest.raises(CatalogueError, match="aliases must be a list"):
        entry_from_mapping({**base, "aliases": "天府机场"})
    with pytest.raises(CatalogueError, match="non-empty"):
        entry_from_mapping({**base, "aliases": ["", "x"]})
    assert entry_from_mapping({**base, "aliases": ["某某"]}).aliases == ("某某",)


# -- status groups ----------------------------------------------------------------------------
def test_status_groups_cover_every_status_once():
    groups = load_status_groups()
    assert [g.key for g in groups][:4] == ["前期", "在建", "改造", "建成"]
    assert status_group_named("在建").statuses == ("开工建设", "加快建设", "迁建")
    assert status_group_named("Under Construction").key == "在建"
    assert status_group_named("新建/在建").key == "在建"
    assert status_group_named("造") is None


def test_a_link_may_name_a_phase():
    selection, bad = selection_from_params({"status": "在建"})
    assert not bad
    assert set(selection.statuses) == {"开工建设", "加快建设", "迁建"}
    selection, bad = selection_from_params({"status": "研究/前期,建成,不是状态"})
    assert bad == [("status", "不是状态")]
    assert set(selection.statuses) == {"规划研究", "前期工作", "规划建设", "建成"}
