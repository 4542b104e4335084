"""``python -m deploy``: nginx accepts the configuration it renders; bad input and a missing server
are one line and exit 2. (The deployment itself runs in tests/e2e/test_deploy_replicas.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import nginx

ROOT = Path(__file__).resolve().parents[1]


def _deploy(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def _require_nginx() -> None:
    reason = nginx.missing_nginx()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    _require_nginx()
    conf = nginx.write_conf(tmp_path / "nginx", "127.0.0.1:18443", ["127.0.0.1:18501", "127.0.0.1:18502"])
    check = nginx.check_conf(conf)
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr
    text = conf.read_text(encoding="utf-8")
    # Every mark filled in; both replicas in the upstream with passive health checks.
    assert "@" not in text.split("events {", 1)[1]
    assert "server 127.0.0.1:18501 max_fails=3 fail_timeout=10s;" in text
    assert "server 127.0.0.1:18502 max_fails=3 fail_timeout=10s;" in text
    assert "hash $planmap_route consistent;" in text


def test_nginx_rejects_a_broken_configuration(tmp_path):
    # The check above can fail: a configuration nginx does not accept is reported as such.
    _require_nginx()
    conf = nginx.write_conf(tmp_path / "nginx", "127.0.0.1:18443", ["127.0.0.1:18501"])
    conf.write_text(conf.read_text(encoding="utf-8").replace("hash $planmap_route consistent;", "hash;"))
    assert nginx.check_conf(conf).returncode != 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["up", "--replicas", "0", "--port", "8080"], "--replicas: must be between 1 and 16, not 0"),
        (["up", "--replicas", "2", "--port", "eighty"], "--port: must be a whole number, not 'eighty'"),
        (["up", "--replicas", "2"], "required: --port"),
        (["down"], "invalid choice: 'down'"),
        (["up", "--port", "8080", "--host", "0.0.0.0"], "--host 0.0.0.0 needs --origin"),
        (["up", "--port", "8080", "--origin", "plan.example.org"], "--origin: not an origin"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, expected):
    run = _deploy(*args)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and expected in run.stderr, run.stderr
    assert run.stdout == ""


def test_a_missing_nginx_names_the_debian_package():
    run = _deploy("up", "--port", "8080", NGINX_BIN="/nonexistent/nginx")
    assert (run.returncode, run.stderr) == (2, "error: nginx not found (apt-get install nginx)\n")


def test_missing_postgresql_names_the_debian_package():
    _require_nginx()
    run = _deploy("up", "--port", "8080", PG_BIN="/nonexistent/bin")
    assert (run.returncode, run.stderr) == (
        2,
        "error: PostgreSQL server binaries not found (apt-get install postgresql)\n",
    )
