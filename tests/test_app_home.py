"""总览 Overview page, run headless with Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.features import catalogue_frame
from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "home.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


@pytest.fixture(scope="module")
def home() -> AppTest:
    return _run()


def test_overview_runs_without_exception(home):
    assert not home.exception, home.exception


def test_plan_title_and_size_are_stated(home):
    text = " ".join(m.value for m in home.markdown) + " ".join(c.value for c in home.caption)
    assert "联合实施方案" in text
    assert "47" in text and "10" in text


def test_headline_metrics_count_the_catalogue(home):
    metrics = {m.label: m.value for m in home.metric}
    assert metrics["规划项目"] == str(len(catalogue_frame()))
    railway = next(value for label, value in metrics.items() if label.endswith("铁路"))
    assert int(railway) == int((catalogue_frame()["layer"] == "railway").sum()) > 0


def test_status_metrics_add_up_to_the_catalogue(home):
    from geo.catalogue import STATUSES

    metrics = {m.label: int(m.value) for m in home.metric if m.label in STATUSES}
    assert list(metrics) == list(STATUSES)
    assert sum(metrics.values()) == len(catalogue_frame())
    assert metrics["开工建设"] == int((catalogue_frame()["status"] == "开工建设").sum())


def test_charts_and_links_to_every_page(home):
    assert len(home.get("vega_lite_chart")) == 3  # layers × status, Sichuan, Chongqing
    html = " ".join(m.value for m in home.markdown)
    for path in ("/map", "/city", "/tasks", "/export", "/data"):
        assert f'href="{path}"' in html


def test_english_switch_translates_the_interface():
    at = _run(lang="en")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Features" in labels
    assert any(label.endswith("Railways") for label in labels)
    html = " ".join(m.value for m in at.markdown)
    assert 'href="/tasks?lang=en"' in html
