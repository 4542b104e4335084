"""Fixtures shared by the test modules: the parsed plan is read once per session; the progress
ledger lives in a scratch SQLite file (never the user's data directory) and the app's editor key
is a known test value."""

import os

import pytest

from geo.plan import load_plan

TEST_EDITOR_KEY = "test-editor-key"


@pytest.fixture(scope="session")
def plan():
    return load_plan()


@pytest.fixture(scope="session", autouse=True)
def scratch_progress_database(tmp_path_factory):
    """PLANMAP_DATABASE_URL for everything the tests run, including the app servers they start."""
    path = tmp_path_factory.mktemp("progress") / "progress.sqlite"
    saved = {name: os.environ.get(name) for name in ("PLANMAP_DATABASE_URL", "PLANMAP_EDITOR_KEY")}
    os.environ["PLANMAP_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["PLANMAP_EDITOR_KEY"] = TEST_EDITOR_KEY
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
