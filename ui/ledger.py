"""One message for a progress ledger that cannot be used, on every page that reads it.

A damaged SQLite file, a path that cannot be written, a PostgreSQL server that is down: the map,
the progress page and the export page each say so in the same words (naming the database by its
kind and name, never its password or the server's directories) and go on without progress where
they can: the map without the progress colouring, the export page with its counts but no download
(the download route answers 503 until the ledger can be read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from geo.datafiles import without_server_paths
from geo.errors import LedgerUnavailable
from geo.progress.settings import ENV_VAR, database_name
from ui.common import shown, tr

T = TypeVar("T")


def _reason(exc: LedgerUnavailable) -> str:
    """The fault in one line, file paths cut to their last part."""
    text = str(exc.problem).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    return without_server_paths(text)


def _database() -> tuple[str, str]:
    name = database_name()
    label = shown(f"{name.kind} {name.name}".strip())
    if name.configured:
        return f"{ENV_VAR} 所设的数据库 {label}", f"the database {ENV_VAR} names ({label})"
    return f"默认的 {label} 数据库", f"the default {label} database"


def show_ledger_fault(
    exc: LedgerUnavailable, without_zh: str, without_en: str, *, stop: bool = False
) -> None:
    """Say that the ledger cannot be used, what the page does without it and what the operator can do."""
    zh_db, en_db = _database()
    reason = shown(_reason(exc), 400)
    if exc.stage == "seed":  # a new ledger whose shipped first events could not be written
        reason = tr(
            f"新数据库无法写入初始进展记录(data/progress/seed-events.csv),未写入任何内容:{reason}",
            f"the new database could not be given its first events (data/progress/seed-events.csv), "
            f"so nothing was written: {reason}",
        )
    message = tr(
        f"进展数据库无法使用:{zh_db}。原因:{reason}。{without_zh}"
        f"请运维人员检查 `{ENV_VAR}` 所指的数据库(文件完好且可写、服务器在运行);"
        "`python -m geo progress list` 会给出详细说明。",
        f"The progress database cannot be used: {en_db}. Reason: {reason}. {without_en}"
        f"The operator can {shown(exc.hint, 300)} (`{ENV_VAR}`); `python -m geo progress list` says more.",
    )
    if stop:
        st.error(message, icon=":material/database:")
        st.stop()
    st.warning(message, icon=":material/database:")


def read_ledger(read: Callable[[], T], without_zh: str, without_en: str, *, stop: bool = False) -> T | None:
    """``read()``, or None after :func:`show_ledger_fault` when the ledger cannot be used."""
    try:
        return read()
    except LedgerUnavailable as exc:  # the library's one exception for a ledger that cannot be used
        show_ledger_fault(exc, without_zh, without_en, stop=stop)
        return None


MAP_WITHOUT = (
    "地图照常显示,但不按进展着色,详情中没有进展记录。",
    "The map is shown without the progress colouring and the details without events. ",
)
PROGRESS_WITHOUT = ("本页需要进展数据库,暂时无法显示。", "This page needs the progress database. ")
EXPORT_WITHOUT = (
    "暂时无法下载(下载地址在数据库恢复前回答 503),以下要素统计照常显示。",
    "Downloads are unavailable until it can be read (the download address answers 503); the feature "
    "counts below are still shown. ",
)
