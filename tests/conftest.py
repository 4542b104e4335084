"""Fixtures shared by the test modules: the parsed plan is read once per session."""

import pytest

from geo.plan import load_plan


@pytest.fixture(scope="session")
def plan():
    return load_plan()
