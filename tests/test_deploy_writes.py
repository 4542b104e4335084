"""No write without the proxy's user, by plain HTTP: ``python -m deploy up --users FILE`` runs for
real (nginx, a replica, PostgreSQL), and every route the app serves is sent POST, PUT, PATCH and
DELETE — through nginx without signing in, through nginx signed in as a user who is no editor,
and straight to the replica with a forged user header naming an admin. Every answer is a 4xx (the
app's own routes: one JSON line), and the ledger's events, withdrawals and editors are unchanged.
(A forged websocket message is another matter: the pages check the user on every run.)"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa

from deploy.replicas import USER_HEADER
from geo.progress import open_ledger
from geo.progress.schema import editors, events, withdrawals
from tests.e2e.deploy_run import deploy_up, require_servers, run_module, write_users

ADMIN, VIEWER = "chief", "visitor"
PASSWORD = "a long sign-in password"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# The app's own routes (web/): they answer a write with 405 and one JSON line.
APP_ROUTES = (
    "/api/export?layers=railway&format=gpkg&crs=EPSG:4490",
    "/api/brief?unit=510100",
    "/ogc",
    "/ogc/",
    "/ogc/openapi",
    "/ogc/conformance",
    "/ogc/collections",
    "/ogc/collections/progress_events",
    "/ogc/collections/progress_events/queryables",
    "/ogc/collections/progress_events/schema",
    "/ogc/collections/progress_events/items",
    "/ogc/collections/progress_events/items/1",
)
# Streamlit's routes and the pages: its own 4xx (405, or 403 for an upload without the session's
# XSRF token).
STREAMLIT_ROUTES = (
    "/",
    "/progress?item=air-leshan&phase=%E5%BC%80%E5%B7%A5&source=x",
    "/_stcore/health",
    "/_stcore/host-config",
    "/_stcore/stream",
    "/_stcore/upload_file/forged-session/forged-file",
    "/media/forged.csv",
    "/component/forged/index.html",
    "/app/static/forged.geojson",
)


def _rows(database: str) -> dict[str, int]:
    with open_ledger(database).engine.connect() as connection:
        return {
            name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in (("events", events), ("withdrawals", withdrawals), ("editors", editors))
        }


def _send(url: str, method: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    body = json.dumps(
        {"item_id": "air-leshan", "date": "2024-01", "phase": "开工", "source": "forged", "author": ADMIN}
    ).encode()
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _basic(name: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """(nginx's address, the replica's address, the ledger's URL) of a running ``deploy up``."""
    require_servers()
    users_file = write_users(tmp_path_factory.mktemp("users") / "users", (ADMIN, VIEWER), PASSWORD)
    with deploy_up("--replicas", "1", "--users", str(users_file)) as run:
        (replica,) = run.replica_urls
        run_module(
            "geo", "progress", "--database", run.database_url, "editors", "add", ADMIN, "--role", "admin"
        )
        yield run.base, replica, run.database_url


def _refused_everywhere(base: str, headers: dict[str, str], app_answer: int | None) -> list[str]:
    """Every write to every route; returns what was not refused as expected (empty: all were).

    ``app_answer``: the status the app's own routes give (None: the same 405 JSON line as a replica).
    """
    wrong = []
    for path in APP_ROUTES + STREAMLIT_ROUTES:
        for method in WRITES:
            status, kind, body = _send(f"{base}{path}", method, headers)
            if not 400 <= status < 500:
                wrong.append(f"{method} {path}: {status}")
            elif path in APP_ROUTES and app_answer is None:
                if status != 405 or kind != "application/json" or list(json.loads(body)) != ["error"]:
                    wrong.append(f"{method} {path}: {status} {kind} {body[:80]!r}")
            elif path in APP_ROUTES and status != app_answer:
                wrong.append(f"{method} {path}: {status}, not {app_answer}")
    return wrong


def test_no_write_reaches_the_ledger_by_plain_http(deployment):
    proxy, replica, database = deployment
    before = _rows(database)
    assert before["editors"] == 1

    # Through nginx without signing in: 401 for all (health checks: Streamlit's 405).
    assert _refused_everywhere(proxy, {USER_HEADER: ADMIN}, app_answer=401) == []
    # Signed in as a user who is no editor, claiming by header to be the admin.
    assert _refused_everywhere(proxy, {"Authorization": _basic(VIEWER), USER_HEADER: ADMIN}, None) == []
    # Signed in as the admin: still nothing writes by plain HTTP.
    assert _refused_everywhere(proxy, {"Authorization": _basic(ADMIN)}, None) == []
    # Straight to the replica (it listens on loopback only), with a forged header naming the admin.
    assert _refused_everywhere(replica, {USER_HEADER: ADMIN}, None) == []

    assert _rows(database) == before
    # The routes still read: the refusals above were not a server that answers nothing.
    status, kind, _ = _send(f"{proxy}/ogc/collections", "GET", {"Authorization": _basic(VIEWER)})
    assert status == 200 and "json" in kind
