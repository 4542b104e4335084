"""ui.page_state on a page of its own: a link sets the widgets, a bad value is one line and the rest
of the link still applies, defaults stay out of the URL, and a forgotten widget comes back from it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _page():
    from datetime import date

    import streamlit as st

    from ui.page_state import PageState, checked, choice, day, flag, text

    def size(value: str) -> int:
        number = int(value)
        if not 0 < number < 10:
            raise ValueError(value)
        return number

    state = PageState(
        "demo",
        (
            choice("colour", "demo_colour", lambda: ("red", "blue"), "red", lambda: "red"),
            checked("size", "demo_size", size, 5, lambda: "5"),
            flag("labels", "demo_labels"),
            day("as_of", "demo_as_of", earliest=date(2000, 1, 1)),
            text("q", "demo_q"),
        ),
    )
    state.load()
    st.radio("colour", ["red", "blue"], key="demo_colour")
    st.toggle("labels", key="demo_labels")
    st.text_input("q", key="demo_q")
    state.save()
    st.write(state.link("colour", "as_of", "q"))


def _run(**params) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_a_link_sets_the_widgets_and_reads_back_the_same():
    at = _run(colour="blue", size="7", labels="0", as_of="2024-06-30", q=" 天府 ")
    assert not at.exception and not at.warning
    assert at.radio[0].value == "blue" and at.session_state["demo_size"] == 7
    assert at.toggle[0].value is False and at.text_input[0].value == "天府"
    assert at.session_state["demo_as_of"].isoformat() == "2024-06-30"
    assert dict(at.query_params) == {
        "colour": "blue",
        "size": "7",
        "labels": "0",
        "as_of": "2024-06-30",
        "q": "天府",
    }


def test_each_bad_value_is_one_line_and_the_rest_of_the_link_applies():
    at = _run(colour="green", size="99", as_of="2024-13-01", q="天府")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 3
    assert all("\n" not in w for w in warnings)
    assert any("colour=green" in w for w in warnings) and any("size=99" in w for w in warnings)
    assert any("as_of=2024-13-01" in w for w in warnings)
    assert at.radio[0].value == "red" and at.text_input[0].value == "天府"
    assert dict(at.query_params) == {"q": "天府"}  # defaults are left out


def test_a_value_forgotten_while_its_page_was_away_comes_back_from_the_url():
    at = _run(colour="blue", size="7")
    del at.session_state["demo_size"]  # as Streamlit forgets the state of a page not shown
    at.run()
    assert not at.exception and not at.warning
    assert at.session_state["demo_size"] == 7 and at.radio[0].value == "blue"
    assert at.query_params["size"] == "7"


def test_the_link_carries_only_what_differs_from_the_defaults():
    at = _run(colour="blue", as_of="2024-06-30")
    assert json.loads(at.json[0].value) == {"colour": "blue", "as_of": "2024-06-30"}
