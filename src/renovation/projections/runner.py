"""Catching up and following the log: a page of notifications at a time, one transaction each.

The runner polls `select_notifications` from the projections' tracked positions, filtered by
the topics they read, `inclusive_of_start=False`, a page (5,000 by default) at a time. A page is
decoded once, with the application's mapper, and offered to every projection behind it; each
applies its share and records the page's last id, all in ONE transaction, so the read models
are always at one position together and a crash leaves the page wholly unapplied.

Why "last applied id" is enough, gaps and all: on PostgreSQL notification ids come from a
sequence, so rolled-back saves leave holes, but the library takes an EXCLUSIVE lock on the
events table for each insert, so ids are committed in the order they are issued. Once a reader
sees id N, every smaller id that will ever exist is already visible. The same holds for
SQLite's single writer. So the runner never waits for, or skips over, a hole.

Following polls on both backends (every 0.2 s by default) rather than using the library's
LISTEN/NOTIFY subscription on PostgreSQL: the subscription delivers one event at a time, while
catch-up and following share this single page-at-a-time path (the one the tests exercise), and
an indexed poll a few times a second costs the database next to nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from eventsourcing import persistence as es
from eventsourcing.persistence import Notification, Tracking
from sqlalchemy import Table, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from renovation.application.app import RenovationApp
from renovation.gc_tuning import fewer_collections
from renovation.logging import get_logger
from renovation.projections import tracking
from renovation.projections.base import Projection
from renovation.projections.database import ViewsDatabase
from renovation.projections.rebuild import Progress, rebuild_projection, rebuild_projections
from renovation.projections.registry import projections as registered
from renovation.projections.status import projection_status
from renovation.projections.verify import Verification, verify_projections

PAGE_SIZE = 5000
# A follower's few new events are applied without touching the process-wide collector settings,
# which a server's request threads share; only a real backlog is worth the bulk tuning.
BULK_BACKLOG = 2000
"""Notifications per page (and transaction). Catching up a 10,000-case store took 10 % less
time at 5,000 than at 1,000 (fewer commits, each group judged once per page); 10,000 and
20,000 were no faster. Following reads what arrived since the last poll, usually far less."""
TRANSIENT = (sa_exc.OperationalError, sa_exc.InterfaceError, es.OperationalError,
             es.InterfaceError)
"""Errors of a lost or refused connection: following retries them."""
_log = get_logger("renovation.projections")


@dataclass
class CatchUpReport:
    """What a catch-up did: notifications read, events applied per projection, time taken."""

    notifications: int = 0
    pages: int = 0
    applied: dict[str, int] = field(default_factory=dict)
    rebuilt: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"notifications": self.notifications, "pages": self.pages,
                "applied": dict(self.applied), "rebuilt": list(self.rebuilt),
                "seconds": round(self.seconds, 3)}


class _PositionMovedBackError(Exception):
    """A stored position went back: a rebuild swapped in new tables with their own position."""


class Decoded:
    """The domain events of one page, each decoded once whichever projections read it."""

    def __init__(self, decode: Callable[[Notification], Any]) -> None:
        self._decode = decode
        self._events: dict[int, Any] = {}

    def __call__(self, notification: Notification) -> Any:
        found = self._events.get(notification.id)
        if found is None:
            found = self._events[notification.id] = self._decode(notification)
        return found


class Projector:
    """Keeps the registered projections of one application's log up to date."""

    def __init__(
        self, app: RenovationApp, db: ViewsDatabase,
        projections: Sequence[Projection] | None = None, page_size: int = PAGE_SIZE,
    ) -> None:
        self.app, self.db, self.page_size = app, db, page_size
        self.projections = list(projections if projections is not None else registered())
        for projection in self.projections:
            projection.attach(app)
        self.tracking, self.state = tracking.create_machinery(db)
        self._topics = {p.name: frozenset(p.topics) for p in self.projections}
        self._prepared = False

    def live_tables(self, projection: Projection) -> dict[str, Table]:
        return {spec.name: spec.define(self.db.metadata, spec.name, 0)
                for spec in projection.specs}

    def prepare(self) -> list[str]:
        """Create missing tables; rebuild each projection whose stored version is not the code's."""
        with self._exclusive():
            stale = [p for p in self.projections if self._create_or_check(p)]
            if stale:
                rebuild_projections(self, stale)
        self._prepared = True
        return [p.name for p in stale]

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One process at a time creates or rebuilds tables (SQLite: the write lock suffices)."""
        if self.db.is_sqlite:
            yield
            return
        key = {"key": f"renovation-projections/{self.db.schema}"}
        with self.db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), key)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), key)
                conn.commit()

    def _create_or_check(self, projection: Projection) -> bool:
        """True when the tables exist but were built by another version of the projection."""
        with self.db.writer.begin() as conn:
            stored = self._stored_version(conn, projection, lock=True)
            if stored is not None:
                return stored != projection.version
            for table in self.live_tables(projection).values():
                if inspect(conn).has_table(table.name, schema=self.db.schema):
                    table.drop(conn)
                table.create(conn)
            conn.execute(self.state.insert().values(
                projection=projection.name, version=projection.version, generation=0))
            tracking.record(conn, self.tracking, projection.name, Tracking(self.app.name, 0))
        return False

    def _stored_version(
        self, conn: Connection, projection: Projection, lock: bool = False
    ) -> int | None:
        query = select(self.state.c.version).where(self.state.c.projection == projection.name)
        return conn.execute(query.with_for_update() if lock else query).scalar_one_or_none()

    def rebuild_one(self, projection: Projection) -> int:
        """Rebuild into shadow tables and swap them in (see `rebuild`); returns events applied."""
        return rebuild_projection(self, projection)

    def rebuild(self, names: Sequence[str] | None = None,
                on_progress: Progress | None = None) -> dict[str, int]:
        """Rebuild the named projections (all by default); returns the events each applied.
        `on_progress(position, head)` is called after each page of the log."""
        if not self._prepared:
            self.prepare()
        chosen = [p for p in self.projections if names is None or p.name in names]
        with self._exclusive():
            return rebuild_projections(self, chosen, on_progress) if chosen else {}

    def verify(self, names: Sequence[str] | None = None) -> list[Verification]:
        """Compare the named read models (all by default) with a replay of the log."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        return verify_projections(self, chosen)

    def positions(self) -> dict[str, int]:
        with self.db.engine.connect() as conn:
            return self._positions(conn)

    def _positions(self, conn: Connection, lock: bool = False) -> dict[str, int]:
        found = tracking.positions(conn, self.tracking, self.app.name,
                                   [p.name for p in self.projections], lock=lock)
        return {p.name: found.get(p.name, 0) for p in self.projections}

    def catch_up(self, max_pages: int | None = None,
                 on_progress: Progress | None = None) -> CatchUpReport:
        """Apply everything recorded so far (or `max_pages` pages of it); `on_progress(position,
        head)` is called after each page."""
        started = time.perf_counter()
        report = CatchUpReport(applied={p.name: 0 for p in self.projections})
        if not self._prepared:
            report.rebuilt = self.prepare()
        with fewer_collections() if self._backlog() >= BULK_BACKLOG else nullcontext():
            while True:
                try:
                    self._pass(report, max_pages, on_progress)
                    break
                except _PositionMovedBackError:
                    continue  # a rebuild elsewhere replaced tables and position: start again
        report.seconds = time.perf_counter() - started
        return report

    def _backlog(self) -> int:
        """Events recorded that the furthest-behind projection has not applied."""
        head = self.app.recorder.max_notification_id() or 0
        return head - min(self.positions().values(), default=0)

    def _pass(self, report: CatchUpReport, max_pages: int | None,
              on_progress: Progress | None) -> None:
        head = self.app.recorder.max_notification_id() or 0
        positions = self.positions()
        topics = sorted({t for p in self.projections for t in p.topics})
        with ThreadPoolExecutor(1, thread_name_prefix="projections-read") as reader:
            ahead = reader.submit(self._page, topics, min(positions.values(), default=0))
            while max_pages is None or report.pages < max_pages:
                page = ahead.result()
                if not page:
                    self._settle(head, positions)
                    if on_progress:
                        on_progress(head, head)
                    return
                # The next page is read while this one is decoded and applied.
                ahead = reader.submit(self._page, topics, page[-1].id)
                self._apply(page, positions, report)
                report.pages += 1
                report.notifications += len(page)
                if on_progress:
                    on_progress(page[-1].id, head)

    def _page(self, topics: list[str], after: int) -> Sequence[Notification]:
        return self.app.recorder.select_notifications(
            after, self.page_size, topics=topics, inclusive_of_start=False
        )

    def _apply(
        self, page: Sequence[Notification], positions: dict[str, int], report: CatchUpReport
    ) -> None:
        """Apply the page to every projection behind it, all in one transaction."""
        last = page[-1].id
        if all(positions[p.name] >= last for p in self.projections):
            return
        decoded = Decoded(self.app.mapper.to_domain_event)
        applied: dict[str, int] = {}
        with self.db.writer.begin() as conn:
            # Locked: a second runner waits here, then finds the page applied and skips it.
            done = self._locked(conn, positions)
            for projection in self.projections:
                if done[projection.name] >= last:
                    continue
                topics = self._topics[projection.name]
                events = [(n.id, decoded(n)) for n in page
                          if n.id > done[projection.name] and n.topic in topics]
                if events:
                    projection.apply(conn, self.live_tables(projection), events)
                tracking.record(conn, self.tracking, projection.name,
                                Tracking(self.app.name, last))
                applied[projection.name] = len(events)
        for name, count in applied.items():
            report.applied[name] += count
        positions.update({name: max(done[name], last) for name in positions})

    def _locked(self, conn: Connection, positions: dict[str, int]) -> dict[str, int]:
        """The stored positions, locked; never behind what this pass has seen."""
        done = self._positions(conn, lock=True)
        if any(done[name] < at for name, at in positions.items()):
            raise _PositionMovedBackError
        return done

    def _settle(self, head: int, positions: dict[str, int]) -> None:
        """Nothing left up to `head` (read before the last, empty, page): move positions there.

        Ids commit in order, so an empty page after `head` was read proves that no event a
        projection reads lies at or below it; positions then show no lag at rest.
        """
        if all(positions[p.name] >= head for p in self.projections):
            return
        with self.db.writer.begin() as conn:
            done = self._locked(conn, positions)
            for name, at in done.items():
                if at < head:
                    tracking.record(conn, self.tracking, name, Tracking(self.app.name, head))
        positions.update({name: max(at, head) for name, at in done.items()})

    def run(self, stop: threading.Event | None = None, interval: float = 0.2,
            on_report: Callable[[CatchUpReport], None] | None = None) -> None:
        """Catch up, then follow the log until `stop` is set.

        A lost connection is retried after a pause; any other error (a ProjectionGapError, a
        bug in a projection) stops the runner, which resumes from its position when restarted.
        """
        stop = stop or threading.Event()
        pause = interval
        while True:
            try:
                report = self.catch_up()
                pause = interval
            except TRANSIENT as error:
                _log.warning("projections.retrying", error=str(error).splitlines()[0])
                pause = min(max(pause * 2, 1.0), 30.0)
            else:
                if on_report and report.notifications:
                    on_report(report)
            if stop.wait(pause):
                return

    def status(self) -> list[dict[str, Any]]:
        """Per projection: versions, position, the log's head and the lag between them."""
        return projection_status(self)
