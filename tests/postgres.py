"""A throwaway PostgreSQL cluster for tests: initdb in a scratch directory, a unix socket, stop after.

The cluster itself is deploy/postgres.py's (the same code ``python -m deploy up`` runs). Without
Debian's server binaries the tests that need the server are skipped with the reason, and fail
under CI=true.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.postgres import Cluster, ClusterError, hand_over, missing_binaries, pg_bin

PORT = 54329  # only a socket file name: the server listens on no TCP address

__all__ = ["create_database", "pg_bin", "require_postgres", "throwaway_cluster"]


def require_postgres() -> Path:
    """The server binaries' directory, or skip (fail with CI=true) saying why."""
    reason = missing_binaries()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return pg_bin()


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yield the SQLAlchemy URL of a fresh cluster's ``postgres`` database; remove it all after."""
    binaries = require_postgres()
    scratch = Path(tempfile.mkdtemp(prefix="planmap-pg-"))
    hand_over(scratch)
    cluster = Cluster(scratch / "data", scratch, PORT, binaries)
    try:
        try:
            cluster.init()
            cluster.start(scratch / "server.log", fsync=False)
        except ClusterError as exc:
            pytest.fail(f"cannot start PostgreSQL: {exc}")
        yield cluster.url()
    finally:
        cluster.stop(fast=False)
        shutil.rmtree(scratch, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A new empty database in the cluster at ``url``; returns its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return url.replace("/postgres?", f"/{name}?", 1)
