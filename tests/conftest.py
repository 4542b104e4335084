"""Fixtures shared by the test modules: the parsed plan is read once per session; the progress
ledger lives in a scratch SQLite file (never the user's data directory) and the app's editor key
is a known test value."""

import os

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.gazetteer import Gazetteer, Unit
from geo.plan import load_plan

TEST_EDITOR_KEY = "test-editor-key-long-enough"


@pytest.fixture(scope="session")
def plan():
    return load_plan()


@pytest.fixture(scope="session", autouse=True)
def scratch_progress_database(tmp_path_factory):
    """PLANMAP_DATABASE_URL for everything the tests run, including the app servers they start."""
    path = tmp_path_factory.mktemp("progress") / "progress.sqlite"
    saved = {name: os.environ.get(name) for name in ("PLANMAP_DATABASE_URL", "PLANMAP_EDITOR_KEY")}
    os.environ["PLANMAP_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["PLANMAP_EDITOR_KEY"] = TEST_EDITOR_KEY
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def row_of_squares(tmp_path_factory) -> Gazetteer:
    """Three 1°×1° counties west to east (甲, 乙, 丙) and a fourth (丁) north of 乙."""
    squares = {
        "510101": ("甲县", box(100, 30, 101, 31)),
        "510102": ("乙县", box(101, 30, 102, 31)),
        "510103": ("丙县", box(102, 30, 103, 31)),
        "510104": ("丁县", box(101, 31, 102, 32)),
    }
    units = [
        Unit("510000", "四川省", "四川", "province", None, "四川省", 101.0, 30.0, "Sichuan"),
        Unit("510100", "某市", "某市", "prefecture", "510000", "四川省", 101.5, 30.5, "Moushi"),
    ]
    for adcode, (name, square) in squares.items():
        units.append(
            Unit(adcode, name, name, "county", "510100", "四川省", square.centroid.x, square.centroid.y, name)
        )
    path = tmp_path_factory.mktemp("gaz") / "boundaries.parquet"
    gpd.GeoDataFrame(
        {"adcode": list(squares)}, geometry=[s for _, s in squares.values()], crs="EPSG:4326"
    ).to_parquet(path)
    return Gazetteer(units, [], path)


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the session's ledger tests, stopped after them."""
    from geo.progress.store import close_all
    from tests.postgres import throwaway_cluster

    with throwaway_cluster() as url:
        yield url
        close_all()  # every engine on the cluster, before the server stops


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A URL of a new, empty ledger database on each backend."""
    import uuid

    from tests.postgres import create_database

    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    cluster = request.getfixturevalue("postgres_cluster")
    return create_database(cluster, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def proxy_header():
    """The server takes the user from the proxy's header, as ``deploy up`` configures the replicas."""
    from streamlit import config

    from ui.editor_key import PROXY_USER_KEY

    before = config.get_option("server.trustedUserHeaders")
    config.set_option("server.trustedUserHeaders", {"X-Planmap-User": PROXY_USER_KEY})
    yield
    config.set_option("server.trustedUserHeaders", before)
