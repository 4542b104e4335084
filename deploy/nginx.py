"""nginx in front of the replicas: the configuration rendered from nginx.conf.template, and the
server run as a child process of ``deploy up`` (Debian's ``nginx`` binary, as the current user)."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from deploy import processes

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEBIAN_PACKAGE = "nginx"
MARK = re.compile(r"@([a-z_]+)@")


def nginx_binary() -> str | None:
    """``$NGINX_BIN`` when set; else nginx on the PATH, or Debian's (/usr/sbin is not on a user's PATH)."""
    override = os.environ.get("NGINX_BIN")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)


def missing_nginx() -> str | None:
    """One line naming the Debian package to install when nginx is missing."""
    if nginx_binary() is None:
        return f"nginx not found (apt-get install {DEBIAN_PACKAGE})"
    return None


def _user_line() -> str:
    # Started as root, nginx would switch its workers to `nobody`, who cannot write the run
    # directory: keep them as the user who started the deployment. Otherwise the directive is
    # meaningless (nginx warns about it), so it is left out.
    if os.geteuid() != 0:
        return "# (not root: the workers run as the current user)"
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return f"user {user} {group};"


def _auth(users_file: Path | None) -> tuple[str, str]:
    """The sign-in lines and the user header's value. Without a users file no one signs in and the
    header is sent empty (nginx then leaves it out): ``$remote_user`` is whatever name a client
    puts in its own Authorization header until auth_basic has checked the password."""
    if users_file is None:
        return "        auth_basic off;", '""'
    return (
        f'        auth_basic "planmap";\n        auth_basic_user_file "{users_file}";',
        "$remote_user",
    )


def render_conf(
    run_dir: Path,
    listen: str,
    upstreams: Sequence[str],
    *,
    users_file: Path | None = None,
    fail_timeout_s: int = 10,
    max_fails: int = 3,
) -> str:
    """The configuration for nginx listening on ``listen`` in front of ``upstreams`` (host:port),
    asking for a user of ``users_file`` (htpasswd) when one is given."""
    servers = "\n".join(
        f"        server {address} max_fails={max_fails} fail_timeout={fail_timeout_s}s;"
        for address in upstreams
    )
    auth, proxy_user = _auth(users_file)
    values = {
        "user_line": _user_line(),
        "run_dir": str(run_dir),
        "listen": listen,
        "servers": servers,
        "auth": auth,
        "proxy_user": proxy_user,
    }
    return MARK.sub(lambda m: values[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def write_conf(run_dir: Path, listen: str, upstreams: Sequence[str], users_file: Path | None = None) -> Path:
    """Render the configuration into ``run_dir`` (with the temp directories it names)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(render_conf(run_dir, listen, upstreams, users_file=users_file), encoding="utf-8")
    return conf


def command(conf: Path, *extra: str) -> list[str]:
    run_dir = conf.parent
    return [
        nginx_binary() or "nginx",
        "-c",
        str(conf),
        "-p",
        str(run_dir),
        "-e",
        str(run_dir / "error.log"),
        *extra,
    ]


def check_conf(conf: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on the configuration: returncode 0 when nginx accepts it."""
    return subprocess.run(command(conf, "-t"), capture_output=True, text=True, timeout=30)


def start(conf: Path, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(command(conf), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM: nginx's fast stop. (A graceful SIGQUIT would wait for every open websocket.)"""
    processes.stop(process, signal.SIGTERM)
