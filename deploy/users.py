"""Who may sign in through nginx: an htpasswd file of ``name:hash`` lines (``auth_basic_user_file``).

Passwords are hashed with SHA-512 crypt (``$6$``, by ``openssl passwd -6``), which nginx checks
through the system's crypt(). nginx reads the file on every request, so a user added while the
deployment runs can sign in at once. The name that signs in is the name the app sees
(``st.user``) and the name ``python -m geo progress editors add`` must list.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from geo.controlchars import first_control

MAX_NAME = 80  # the ledger's width for an editor's name and an event's author
MIN_PASSWORD = 12


class UsersError(Exception):
    """A user or users file that cannot be used; one line."""


def check_name(name: str) -> str:
    if not name or len(name) > MAX_NAME:
        raise UsersError(f"a user name has 1 to {MAX_NAME} characters")
    if first_control(name) is not None or ":" in name or name != name.strip():
        raise UsersError("a user name has no colon, no control character and no leading or trailing space")
    return name


def hash_password(password: str) -> str:
    """The SHA-512 crypt hash of ``password`` (a fresh salt each time)."""
    if len(password) < MIN_PASSWORD:
        raise UsersError(f"a password has at least {MIN_PASSWORD} characters")
    if "\n" in password or "\r" in password:
        raise UsersError("a password is one line")
    openssl = shutil.which("openssl")
    if openssl is None:
        raise UsersError("openssl not found (apt-get install openssl)")
    done = subprocess.run(
        [openssl, "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True, timeout=30
    )
    hashed = done.stdout.strip()
    if done.returncode != 0 or not hashed.startswith("$6$"):
        raise UsersError(f"openssl could not hash the password: {done.stderr.strip()[:200]}")
    return hashed


def set_user(path: Path, name: str, password: str) -> bool:
    """Add ``name`` to the file at ``path`` (created, mode 0600), or change their password.
    True when the user is new."""
    check_name(name)
    line = f"{name}:{hash_password(password)}"
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    kept = [existing for existing in lines if existing.split(":", 1)[0] != name]
    new = len(kept) == len(lines)
    scratch = path.with_name(f".{path.name}.new")
    try:
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join([*kept, line]) + "\n")
        os.replace(scratch, path)
    except OSError as exc:
        raise UsersError(f"cannot write {path}: {exc.strerror or exc}") from None
    return new


def check_file(path: Path) -> Path:
    """The absolute path of a readable users file with at least one user."""
    path = path.expanduser().resolve()
    try:
        names = [
            line.split(":", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if ":" in line
        ]
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersError(f"cannot read --users {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if not names:
        raise UsersError(f"--users {path} has no user (add one with `python -m deploy adduser`)")
    return path
