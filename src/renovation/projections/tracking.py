"""跟踪 — how far each projection has read the log, written in the same transaction as its rows.

`rv_tracking` holds one row per projection and upstream application: the id of the last
notification the projection has applied. The guarded update (`notification_id < new`) lets a
position only move forward, so a page applied twice, or by two runners at once, fails with the
library's IntegrityError and its transaction, rows included, rolls back: exactly once.
`rv_projections` holds each projection's code version and table generation (see `rebuild`).
"""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from renovation.projections.database import ViewsDatabase

TRACKING = "rv_tracking"
PROJECTIONS = "rv_projections"


def machinery_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The tracking and projection-state tables (defined once per metadata)."""
    return (
        _table(metadata, TRACKING,
               Column("projection", String(64), primary_key=True),
               Column("application_name", String(64), primary_key=True),
               Column("notification_id", BigInteger, nullable=False)),
        _table(metadata, PROJECTIONS,
               Column("projection", String(64), primary_key=True),
               Column("version", Integer, nullable=False),
               Column("generation", Integer, nullable=False)),
    )


def _table(metadata: MetaData, name: str, *columns: Column[object]) -> Table:
    key = f"{metadata.schema}.{name}" if metadata.schema else name
    existing = metadata.tables.get(key)
    return existing if existing is not None else Table(name, metadata, *columns)


def create_machinery(db: ViewsDatabase) -> tuple[Table, Table]:
    tables = machinery_tables(db.metadata)
    try:
        db.metadata.create_all(db.writer, tables=list(tables))
    except sa_exc.DBAPIError:
        # Two processes may race to create the tables; the loser finds them there.
        db.metadata.create_all(db.writer, tables=list(tables))
    return tables


def record(conn: Connection, table: Table, projection: str, tracking: Tracking) -> None:
    """Move the position forward to `tracking`, or raise IntegrityError (never backwards)."""
    c = table.c
    moved = conn.execute(
        update(table)
        .where(c.projection == projection, c.application_name == tracking.application_name,
               c.notification_id < tracking.notification_id)
        .values(notification_id=tracking.notification_id)
    )
    if moved.rowcount == 1:
        return
    try:
        conn.execute(insert(table).values(
            projection=projection, application_name=tracking.application_name,
            notification_id=tracking.notification_id,
        ))
    except sa_exc.IntegrityError as error:
        raise IntegrityError(
            f"{projection} has already applied notification {tracking.notification_id}"
            f" of {tracking.application_name}"
        ) from error


def position(
    conn: Connection, table: Table, projection: str, application_name: str, lock: bool = False
) -> int | None:
    """The last applied notification id; `lock` holds the row until the transaction ends."""
    c = table.c
    query = select(c.notification_id).where(
        c.projection == projection, c.application_name == application_name
    )
    if lock:
        query = query.with_for_update()  # PostgreSQL; SQLite's BEGIN IMMEDIATE already holds it
    return conn.execute(query).scalar_one_or_none()


def positions(
    conn: Connection, table: Table, application_name: str, projections: list[str],
    lock: bool = False,
) -> dict[str, int]:
    """The positions of several projections at once; `lock` as for `position`."""
    c = table.c
    query = select(c.projection, c.notification_id).where(
        c.application_name == application_name, c.projection.in_(projections)
    )
    if lock:
        query = query.with_for_update()
    return {row.projection: row.notification_id for row in conn.execute(query)}


def reset(conn: Connection, table: Table, projection: str, tracking: Tracking) -> None:
    """Set the position unguarded: only when the projection's tables are replaced with it."""
    c = table.c
    moved = conn.execute(
        update(table)
        .where(c.projection == projection, c.application_name == tracking.application_name)
        .values(notification_id=tracking.notification_id)
    )
    if moved.rowcount == 0:
        record(conn, table, projection, tracking)


class ViewTrackingRecorder(TrackingRecorder):
    """The library's TrackingRecorder contract, for one projection of the read-model database."""

    def __init__(self, db: ViewsDatabase, projection: str) -> None:
        self.db, self.projection = db, projection
        self.table, _ = create_machinery(db)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.db.writer.begin() as conn:
            record(conn, self.table, self.projection, tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.db.engine.connect() as conn:
            return position(conn, self.table, self.projection, application_name)
