"""Processes that start together on a new PostgreSQL schema all come up, and share one store."""

from __future__ import annotations

import threading

import pytest

from renovation.application.app import RenovationApp
from renovation.audit.verify import verify_store
from tests.support import postgres

STARTING = 6


@pytest.mark.postgres
def test_applications_created_at_the_same_moment_on_a_new_schema_all_start() -> None:
    with postgres.fresh_schema() as schema:
        url = postgres.url_with_schema(schema)
        barrier = threading.Barrier(STARTING)
        started: list[RenovationApp] = []
        failures: list[BaseException] = []

        def start() -> None:
            barrier.wait()
            try:
                started.append(RenovationApp(url))
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=start) for _ in range(STARTING)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            assert failures == []
            assert len(started) == STARTING
        finally:
            for app in started:
                app.close()
        report = verify_store(url)
        assert report.ok and report.events == report.chain_rows == 0
