"""Fixtures shared by every test layer."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.projections import ViewsDatabase, open_database
from renovation.simulation.demo import SimulatedClock
from tests.support import postgres

KEK = base64.b64encode(b"k" * 32).decode()
INDEX_KEY = base64.b64encode(b"i" * 32).decode()


@pytest.fixture(autouse=True)
def default_logging() -> Iterator[None]:
    """Doors configure structlog for the process; each test starts from the defaults."""
    yield
    structlog.reset_defaults()


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    """(server URL, schema) of a fresh PostgreSQL schema."""
    with postgres.fresh_schema() as schema:
        yield postgres.PG_URL, schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The event store URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/renovation.db"
        return
    with postgres.fresh_schema() as schema:
        yield postgres.url_with_schema(schema)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock()


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return Settings(db=store_url, kek=KEK, index_key=INDEX_KEY, secrets_dir=tmp_path / "secrets")


@pytest.fixture
def runtime(settings: Settings, clock: SimulatedClock) -> Iterator[Runtime]:
    with build(settings, clock=clock) as rt:
        yield rt


@pytest.fixture
def views(runtime: Runtime) -> Iterator[ViewsDatabase]:
    """The read-model database the runtime's settings name."""
    db = open_database(runtime.settings.views_url())
    try:
        yield db
    finally:
        db.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if postgres.skipped:
        terminalreporter.write_line(
            f"NOTE: {len(postgres.skipped)} PostgreSQL tests were SKIPPED — {postgres.skipped[0]}."
            " Start PostgreSQL (or set RENOVATION_TEST_PG_URL) to run them;"
            " RENOVATION_REQUIRE_POSTGRES=1 turns the skip into a failure.",
            yellow=True,
            bold=True,
        )
