"""Running one page (or the whole app) headless with Streamlit's AppTest, as a link would open it,
and reading what the page shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# The first run of a page in a process loads the catalogue, gazetteer and mentions.
TIMEOUT_S = 180


def page_script(name: str) -> str:
    """The file of the page ``name`` (``progress`` → app_pages/progress.py)."""
    return str(ROOT / "app_pages" / f"{name}.py")


def run_script(script: str | Path, *, user: dict[str, str] | None = None, **params: str) -> AppTest:
    """Run ``script`` once with ``params`` as its URL query parameters (and ``user`` as the
    signed-in user's fields, as a sign-in proxy's header gives them)."""
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    for name, value in params.items():
        at.query_params[name] = value
    if user is not None:
        at.user = user
    return at.run()


def run_as(script: str | Path, user: str | None, **params: str) -> AppTest:
    """Run ``script`` for ``user`` as the sign-in proxy names them (None: the proxy names no one)."""
    from ui.editor_key import PROXY_USER_KEY

    return run_script(script, user=None if user is None else {PROXY_USER_KEY: user}, **params)


def scratch_ledger(directory: Path, monkeypatch) -> str:
    """A new SQLite ledger in ``directory`` as the app's database for one test; its URL."""
    url = f"sqlite:///{directory / 'page.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    return url


def record_buttons(at: AppTest) -> list:
    """The progress form's 记录 / Record buttons (none when the page is read-only)."""
    return [b for b in at.button if b.label in ("记录", "Record")]


def shown_text(at: AppTest) -> str:
    """Everything the page says in text: markdown, captions, notices, tables (as CSV)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [df.value.to_csv() for df in at.dataframe] + [e.value for e in at.error]
    parts += [w.value for w in at.warning]
    return "\n".join(parts)
