"""The API over a store that fails: 503 with `store.unavailable`, no SQL, no values, no trace."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from renovation.api import create_app
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.simulation.demo import SimulatedClock
from tests.conftest import INDEX_KEY, KEK
from tests.support.api import token
from tests.support.app import Scenario


@pytest.fixture
def runtime(tmp_path: Path, clock: SimulatedClock) -> Iterator[Runtime]:
    """On SQLite only: the door is the same on both, and a file is easily broken."""
    settings = Settings(db=f"sqlite:///{tmp_path}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=tmp_path / "secrets")
    with build(settings, clock=clock) as rt:
        yield rt


def test_a_store_that_fails_is_a_503_naming_no_sql(
        runtime: Runtime, clock: SimulatedClock) -> None:
    scenario = Scenario(runtime, clock)
    [command] = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))[:1]
    auth = token(runtime, "pm-4503")
    path = urlsplit(runtime.settings.db).path[1:]
    app = create_app(runtime=runtime, follow=False)
    with TestClient(app, raise_server_exceptions=True) as client:
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("ALTER TABLE stored_events RENAME TO moved_away")  # a DBA's mistake
        response = client.post("/api/commands", json=command, headers=auth)
    assert response.status_code == 503, response.text
    refusal = response.json()
    assert refusal["rule"] == "store.unavailable" and response.headers["retry-after"] == "5"
    text = response.text
    assert "INSERT" not in text and "SELECT" not in text
    assert command["payload"]["household"]["head"]["id_number"] not in text
