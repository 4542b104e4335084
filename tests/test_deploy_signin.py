"""Sign-in through nginx as ``deploy up --users`` configures it, in front of a server that answers
with the user header it received: only a password checked by nginx names a user, and a header a
client sends itself never gets through. Plus ``deploy adduser`` and its refusals."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy import nginx, replicas
from tests.test_deploy import _deploy, _require_nginx
from ui.editor_key import PROXY_USER_KEY

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = json.dumps({"user": self.headers.get(replicas.USER_HEADER)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def _add_user(users_file: Path, name: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy", "adduser", str(users_file), name],
        cwd=ROOT,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def proxy(tmp_path, request):
    """nginx on a free port in front of the echo server; ``request.param``: with a users file or not."""
    _require_nginx()
    echo = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    users_file = None
    if request.param:
        users_file = tmp_path / "users"
        assert _add_user(users_file, "王工", PASSWORD).returncode == 0
        assert _add_user(users_file, "viewer", PASSWORD + "!").returncode == 0
    port = replicas.free_port()
    conf = nginx.write_conf(
        tmp_path / "nginx", f"127.0.0.1:{port}", [f"127.0.0.1:{echo.server_address[1]}"], users_file
    )
    server = nginx.start(conf, tmp_path / "nginx.log")
    base = f"http://127.0.0.1:{port}"
    try:
        assert replicas.wait_healthy(base, lambda: server.poll() is None, 30), "nginx did not answer"
        yield base
    finally:
        nginx.stop(server)
        echo.shutdown()


def _get(base: str, headers: dict[str, str]) -> tuple[int, str | None]:
    request = urllib.request.Request(f"{base}/progress", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["user"]
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _basic(name: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()


@pytest.mark.parametrize("proxy", [True], indirect=True)
def test_the_signed_in_user_reaches_the_app_and_a_forged_header_does_not(proxy):
    assert _get(proxy, {}) == (401, None)
    assert _get(proxy, {"Authorization": _basic("王工", "wrong password!")}) == (401, None)
    assert _get(proxy, {"X-Planmap-User": "chief"}) == (401, None)
    status, user = _get(proxy, {"Authorization": _basic("王工", PASSWORD), "X-Planmap-User": "admin"})
    # Header bytes arrive as Latin-1; the app reads them back as UTF-8 (ui.editor_key.proxy_user).
    assert status == 200 and user.encode("latin-1").decode("utf-8") == "王工"
    assert _get(proxy, {"Authorization": _basic("viewer", PASSWORD + "!"), "x-planmap-user": "chief"}) == (
        200,
        "viewer",
    )
    # Health checks go through without signing in.
    with urllib.request.urlopen(f"{proxy}{replicas.HEALTH_PATH}", timeout=30) as response:
        assert response.status == 200


@pytest.mark.parametrize("proxy", [False], indirect=True)
def test_without_a_users_file_no_one_is_named(proxy):
    assert _get(proxy, {}) == (200, None)
    assert _get(proxy, {"X-Planmap-User": "chief"}) == (200, None)
    # An Authorization header nginx did not check names no one either.
    assert _get(proxy, {"Authorization": _basic("王工", "anything")}) == (200, None)


def test_the_replicas_map_the_header_to_the_key_the_page_reads():
    command = replicas.streamlit_command(8501, "http://127.0.0.1:8080")
    mapping = json.loads(command[command.index("--server.trustedUserHeaders") + 1])
    assert mapping == {replicas.USER_HEADER: PROXY_USER_KEY}


def test_adduser_writes_a_private_file_and_changes_a_password(tmp_path):
    users_file = tmp_path / "users"
    run = _add_user(users_file, "王工", PASSWORD)
    assert run.returncode == 0 and "added 王工" in run.stdout
    (line,) = users_file.read_text(encoding="utf-8").splitlines()
    assert line.startswith("王工:$6$") and PASSWORD not in line
    assert users_file.stat().st_mode & 0o777 == 0o600
    run = _add_user(users_file, "王工", PASSWORD + "2")
    assert run.returncode == 0 and "changed the password" in run.stdout
    (changed,) = users_file.read_text(encoding="utf-8").splitlines()
    assert changed != line


@pytest.mark.parametrize(
    ("name", "password", "expected"),
    [
        ("王工", "short", "at least 12 characters"),
        ("a:b", PASSWORD, "no colon"),
        ("bad\x1bname", PASSWORD, "no control character"),
        ("x" * 81, PASSWORD, "1 to 80 characters"),
    ],
)
def test_adduser_refusals_are_one_line(tmp_path, name, password, expected):
    run = _add_user(tmp_path / "users", name, password)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and expected in run.stderr, run.stderr
    assert not (tmp_path / "users").exists()


def test_up_refuses_a_users_file_it_cannot_use(tmp_path):
    _require_nginx()
    run = _deploy("up", "--port", str(replicas.free_port()), "--users", str(tmp_path / "none"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "cannot read --users" in run.stderr
    (tmp_path / "empty").write_text("", encoding="utf-8")
    run = _deploy("up", "--port", str(replicas.free_port()), "--users", str(tmp_path / "empty"))
    assert run.returncode == 2 and "has no user" in run.stderr
    assert os.listdir(tmp_path) == ["empty"]
