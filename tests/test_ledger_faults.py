"""A progress ledger that cannot be used: one message on the pages that read it, and the rest works.

A damaged SQLite file, a path that cannot be made, a PostgreSQL server that is not running and a
URL that names no database: /map draws without the progress colouring, /export shows its counts and
says the download is unavailable (the download route answers 503), /progress says it needs the
database. Never a traceback, a password or a server directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_script

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "s3cret-pw"


def _corrupt(tmp_path: Path) -> str:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"this is not a database\x00" * 400)
    return f"sqlite:///{path}"


def _blocked_path(tmp_path: Path) -> str:
    (tmp_path / "a-file").write_text("in the way\n", encoding="utf-8")
    return f"sqlite:///{tmp_path / 'a-file' / 'ledger.sqlite'}"


def _postgres_down(_tmp_path: Path) -> str:
    return f"postgresql://planner:{PASSWORD}@127.0.0.1:1/ledger"  # nothing listens on port 1


def _no_such_backend(_tmp_path: Path) -> str:
    return "garbage://x"


FAULTS = {
    "corrupt-sqlite": _corrupt,
    "unusable-path": _blocked_path,
    "postgresql-down": _postgres_down,
    "unknown-url": _no_such_backend,
}


def _page(name: str) -> str:
    return str(ROOT / "app_pages" / f"{name}.py")


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [w.value for w in at.warning] + [m.value for m in at.markdown]
    parts += [c.value for c in at.caption]
    return "\n".join(parts)


def _assert_one_ledger_message(at: AppTest, tmp_path: Path, *, kind: str, lang: str) -> str:
    assert not at.exception, [e.value for e in at.exception]
    messages = [m.value for m in [*at.error, *at.warning] if "PLANMAP_DATABASE_URL" in m.value]
    assert len(messages) == 1, [m.value for m in [*at.error, *at.warning]]
    expected = "The progress database cannot be used" if lang == "en" else "进展数据库无法使用"
    assert expected in messages[0]
    shown = _texts(at)
    assert str(tmp_path) not in shown and str(ROOT) not in shown and PASSWORD not in shown
    assert "Traceback" not in shown
    assert kind in ("error", "warning")
    assert len(getattr(at, kind)) >= 1
    return messages[0]


@pytest.fixture(params=sorted(FAULTS))
def broken_ledger(request, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMAP_DATABASE_URL", FAULTS[request.param](tmp_path))
    return tmp_path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_draws_without_the_progress_colouring(broken_ledger, lang):
    params = {"lang": "en"} if lang == "en" else {}
    at = run_script(_page("map"), feature="air-dazhou", **params)
    _assert_one_ledger_message(at, broken_ledger, kind="warning", lang=lang)
    assert len(at.get("component_instance")) == 1  # the map itself


def test_the_progress_page_says_it_needs_the_database(broken_ledger):
    at = run_script(_page("progress"))
    message = _assert_one_ledger_message(at, broken_ledger, kind="error", lang="zh")
    assert "本页需要进展数据库" in message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_export_says_the_download_is_unavailable_before_a_click(broken_ledger, lang):
    params = {"lang": "en"} if lang == "en" else {}
    at = run_script(_page("export"), layers="aviation", format="csv", **params)
    message = _assert_one_ledger_message(at, broken_ledger, kind="warning", lang=lang)
    assert "503" in message
    assert ("Downloads are unavailable" if lang == "en" else "暂时无法下载") in message
    assert not any("/api/export" in m.value for m in at.markdown)  # no link that would answer 503
    counted = "features selected" if lang == "en" else "已选"
    assert any(counted in m.value for m in at.markdown) and at.dataframe  # the counts are still shown


def test_visitors_never_see_error_details():
    """Anything unforeseen shows a generic message; Streamlit accepts the value as it is written."""
    import tomllib

    from streamlit.config import ShowErrorDetailsConfigOptions

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value
