"""The server listens on this machine only unless told otherwise; the load test stays bounded."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_server_binds_to_localhost_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert "--server.address 0.0.0.0" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_load_script_refuses_unbounded_runs():
    for sessions in ("0", "1000"):
        run = subprocess.run(
            [sys.executable, "benchmarks/load.py", "--sessions", sessions],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 2 and "--sessions: between 1 and" in run.stderr
