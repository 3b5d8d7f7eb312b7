"""The tracking of the read models honours the library's own TrackingRecorder contract.

`ViewTrackingRecorder` is an eventsourcing `TrackingRecorder`, so the library's test case runs
against it unchanged, on SQLite and on PostgreSQL: positions only move forward, a position
recorded twice (or a gap filled in afterwards) raises IntegrityError, `wait` works.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.tests.persistence import TrackingRecorderTestCase

from renovation.projections import ViewTrackingRecorder, open_database
from tests.support import postgres


class TestSQLiteViewTracking(TrackingRecorderTestCase):
    def setUp(self) -> None:
        self.stack = ExitStack()
        folder = Path(self.stack.enter_context(tempfile.TemporaryDirectory()))
        self.db = open_database(f"sqlite:///{folder}/views.db")
        self.stack.callback(self.db.dispose)

    def tearDown(self) -> None:
        self.stack.close()

    def create_recorder(self) -> TrackingRecorder:
        return ViewTrackingRecorder(self.db, "contract")


@pytest.mark.postgres
class TestPostgresViewTracking(TrackingRecorderTestCase):
    def setUp(self) -> None:
        self.stack = ExitStack()
        schema = self.stack.enter_context(postgres.fresh_schema())
        self.db = open_database(postgres.url_with_schema(schema))
        self.stack.callback(self.db.dispose)

    def tearDown(self) -> None:
        self.stack.close()

    def create_recorder(self) -> TrackingRecorder:
        return ViewTrackingRecorder(self.db, "contract")


def test_each_projection_has_its_own_position(tmp_path: Path) -> None:
    """Unlike the library's SQLite recorder, two projections in one file never share a row."""
    db = open_database(f"sqlite:///{tmp_path}/views.db")
    first, second = ViewTrackingRecorder(db, "first"), ViewTrackingRecorder(db, "second")
    first.insert_tracking(Tracking("renovation", 7))
    assert first.max_tracking_id("renovation") == 7
    assert second.max_tracking_id("renovation") is None
    second.insert_tracking(Tracking("renovation", 3))
    assert (first.max_tracking_id("renovation"), second.max_tracking_id("renovation")) == (7, 3)
    db.dispose()
