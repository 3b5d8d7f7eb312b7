"""The library's own recorder contract, run on the chained recorders, on SQLite and PostgreSQL.

After every contract test the chain it left behind is verified from the raw rows: the library's
concurrent writers must never leave an event unchained or the chain out of order. (Its tests
number versions from 0, so version findings are not counted here.)
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from unittest import TestCase
from uuid import uuid4

import pytest
from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as contract
from eventsourcing.utils import resolve_topic

from renovation.application.app import RenovationApp
from renovation.application.persistence import store_env
from renovation.audit import recorders
from renovation.audit import report as kinds
from renovation.audit.recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedPostgresProcessRecorder,
    ChainedSQLiteApplicationRecorder,
    ChainedSQLiteProcessRecorder,
)
from renovation.audit.source import APP_NAME
from renovation.audit.verify import verify_store
from tests.support import postgres

EVENTS = f"{APP_NAME}_events"
VERSION_KINDS = {kinds.VERSION_GAP, kinds.VERSION_DUPLICATE}


class _Chained(TestCase):
    """Each test gets a fresh store, whose chain is verified when the test ends."""

    url: str

    def setUp(self) -> None:
        super().setUp()
        self.threads_before = set(threading.enumerate())

    def tearDown(self) -> None:
        # The library's concurrency test signals its reader threads to stop but does not wait
        # for them; closing the datastore under a reader still querying crashed the process.
        # (Connection pools' workers are daemon threads that live until the pool closes.)
        for thread in set(threading.enumerate()) - self.threads_before:
            if not thread.daemon:
                thread.join(timeout=30)
        self.close()
        report = verify_store(self.url)
        found = [p for p in report.problems if p.kind not in VERSION_KINDS]
        assert not found, found[:3]
        assert report.events == report.chain_rows
        super().tearDown()

    def close(self) -> None:
        raise NotImplementedError


class _SQLite(_Chained):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        path = Path(self.tmp.name) / "events.db"
        self.url = f"sqlite:///{path}"
        self.datastore = SQLiteDatastore(db_name=str(path))

    def close(self) -> None:
        self.datastore.close()

    def tearDown(self) -> None:
        try:
            super().tearDown()
        finally:
            self.tmp.cleanup()


@pytest.mark.postgres
class _Postgres(_Chained):
    def setUp(self) -> None:
        super().setUp()
        self.schema_context: AbstractContextManager[str] = postgres.fresh_schema()
        schema = self.schema_context.__enter__()
        self.url = postgres.url_with_schema(schema)
        env = store_env(self.url)
        self.datastore = PostgresDatastore(
            env["POSTGRES_DBNAME"], env["POSTGRES_HOST"], env["POSTGRES_PORT"],
            env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], schema=schema, pool_size=4,
            max_overflow=12,
        )

    def close(self) -> None:
        self.datastore.close()

    def tearDown(self) -> None:
        try:
            super().tearDown()
        finally:
            self.schema_context.__exit__(None, None, None)


class TestSQLiteApplicationRecorder(_SQLite, contract.ApplicationRecorderTestCase[Any]):
    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        recorder = ChainedSQLiteApplicationRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestSQLiteNonInterleaving(_SQLite, contract.NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        recorder = ChainedSQLiteApplicationRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestSQLiteProcessRecorder(_SQLite, contract.ProcessRecorderTestCase):
    def create_recorder(self) -> ChainedSQLiteProcessRecorder:
        recorder = ChainedSQLiteProcessRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestPostgresApplicationRecorder(_Postgres, contract.ApplicationRecorderTestCase[Any]):
    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder


class TestPostgresNonInterleaving(_Postgres, contract.NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder


class TestPostgresProcessRecorder(_Postgres, contract.ProcessRecorderTestCase):
    def create_recorder(self) -> ChainedPostgresProcessRecorder:
        recorder = ChainedPostgresProcessRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder


def test_the_application_records_through_the_chained_recorder(store_url: str) -> None:
    app = RenovationApp(store_url)
    try:
        topic = store_env(store_url)["APPLICATION_RECORDER_TOPIC"]
        assert type(app.recorder) is resolve_topic(topic)
        assert isinstance(app.recorder, ChainedSQLiteApplicationRecorder
                          | ChainedPostgresApplicationRecorder)
    finally:
        app.close()


@pytest.mark.postgres
def test_the_database_insert_function_is_refused(pg_schema: tuple[str, str]) -> None:
    _, schema = pg_schema
    env = store_env(postgres.url_with_schema(schema))
    datastore = PostgresDatastore(
        env["POSTGRES_DBNAME"], env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_USER"],
        env["POSTGRES_PASSWORD"], schema=schema, enable_db_functions=True)
    try:
        with pytest.raises(ProgrammingError, match="ENABLE_DB_FUNCTIONS"):
            ChainedPostgresApplicationRecorder(datastore, events_table_name=EVENTS)
    finally:
        datastore.close()


def _library_recorder(store_url: str) -> str:
    if store_url.startswith("sqlite"):
        return "eventsourcing.sqlite:SQLiteApplicationRecorder"
    return "eventsourcing.postgres:PostgresApplicationRecorder"


def _events(n: int) -> list[StoredEvent]:
    originator = uuid4()
    return [StoredEvent(originator_id=originator, originator_version=v, topic="test:e",
                        state=b"{}") for v in range(1, n + 1)]


def test_a_store_written_before_the_chain_is_adopted_once(store_url: str) -> None:
    unchained = RenovationApp(
        store_url, env={"RENOVATION_APPLICATION_RECORDER_TOPIC": _library_recorder(store_url)})
    unchained.recorder.insert_events(_events(3))
    unchained.close()
    for _ in range(2):
        app = RenovationApp(store_url)
        app.recorder.insert_events(_events(2))
        app.close()
    report = verify_store(store_url)
    assert report.ok and (report.events, report.chain_rows) == (7, 7), report.problems
    assert report.adopted_through == 3
    assert any("through notification 3 were chained when" in w for w in report.warnings)


def test_a_failure_while_chaining_writes_no_events(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = RenovationApp(store_url)
    try:
        app.recorder.insert_events(_events(2))

        def broken(*_: object) -> None:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(recorders, "link", broken)
        with pytest.raises(Exception, match="disk on fire"):
            app.recorder.insert_events(_events(3))
        assert app.recorder.max_notification_id() == 2
    finally:
        app.close()
    report = verify_store(store_url)
    assert report.ok and report.events == 2


def test_a_new_id_not_after_the_chain_head_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/r.db"
    app = RenovationApp(url)
    try:
        app.recorder.insert_events(_events(3))
        with contextlib.closing(sqlite3.connect(tmp_path / "r.db")) as conn, conn:
            conn.execute("DELETE FROM stored_events WHERE rowid = 3")  # SQLite reuses rowid 3
        with pytest.raises(recorders.AuditChainError, match="not after the chain head 3"):
            app.recorder.insert_events(_events(1))
        assert app.recorder.max_notification_id() == 2
    finally:
        app.close()
