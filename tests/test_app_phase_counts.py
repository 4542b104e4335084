"""A phase (在建 …) counts the same features on the Overview and on the map, and both pages say
which statuses it counts."""

from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from geo.features import catalogue_frame
from geo.vocabulary import PHASES, headline_phase
from layers.summaries import phase_count, phase_definition
from tests.apptest import page_script, run_script
from tests.test_app_map import _shown


@pytest.fixture(scope="module")
def home() -> AppTest:
    return run_script(page_script("home"))


def test_overview_headline_counts_the_headline_phase(home):
    assert not home.exception, home.exception
    phase = headline_phase()
    metrics = {m.label: m.value for m in home.metric}
    expected = phase_count(catalogue_frame(), phase)
    assert 0 < expected < len(catalogue_frame())
    assert int(metrics[phase.label("zh")]) == expected


def test_overview_says_what_the_headline_counts_and_links_the_map(home):
    phase = headline_phase()
    captions = " ".join(c.value for c in home.caption)
    assert phase_definition(phase) in captions
    assert f'href="/map?status={quote(phase.id)}"' in captions


def test_map_filtered_by_the_phase_shows_the_overviews_number(home):
    phase = headline_phase()
    at = run_script(page_script("map"), status=phase.id)
    assert not at.exception, at.exception
    overview = int({m.label: m.value for m in home.metric}[phase.label("zh")])
    assert _shown(at) == overview == phase_count(catalogue_frame(), phase)
    assert any(phase_definition(phase) in c.value for c in at.caption)


@pytest.mark.parametrize("phase_id", list(PHASES))
def test_picking_a_phase_on_the_map_chooses_its_statuses(phase_id):
    at = run_script(page_script("map"))
    pills = at.button_group(key="map_phase")
    pills.set_value([phase_id] if isinstance(pills.value, list) else phase_id).run()
    assert not at.exception, at.exception
    phase = PHASES[phase_id]
    assert sorted(at.multiselect(key="map_status").value) == sorted(phase.statuses)
    assert _shown(at) == phase_count(catalogue_frame(), phase)


def test_english_overview_names_the_phase_in_english():
    at = run_script(page_script("home"), lang="en")
    phase = headline_phase()
    assert phase.label("en") in [m.label for m in at.metric]
    assert any(phase_definition(phase, "en") in c.value for c in at.caption)
