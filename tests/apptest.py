"""Running one page (or the whole app) headless with Streamlit's AppTest, as a link would open it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# The first run of a page in a process loads the catalogue, gazetteer and mentions.
TIMEOUT_S = 180


def run_script(script: str | Path, **params: str) -> AppTest:
    """Run ``script`` once with ``params`` as its URL query parameters."""
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()
