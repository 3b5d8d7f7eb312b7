"""One case's stored records, as the chain hashed them, with their notification positions.

Read through the application's own recorder connection, by plain SQL on the events table's
primary key (originator_id, originator_version) joined to `audit_chain` on its primary key: the
cost grows with the case's events, never with the store (SQLite `sqlite_autoindex_stored_events_1`
then the chain's rowid; PostgreSQL `<app>_events_pkey` then `audit_chain_pkey`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from renovation.application.app import RenovationApp
from renovation.audit.chain import leaf_hash, originator_text
from renovation.audit.tables import PostgresTables, SQLiteTables

PAGE = 10_000


@dataclass(frozen=True)
class StoredRecord:
    """One stored event exactly as recorded: what the chain's leaf is computed from."""

    position: int
    originator_id: str
    version: int
    topic: str
    state: bytes
    chained_leaf: bytes | None  # the leaf in audit_chain, None when the chain lacks the row

    @property
    def leaf(self) -> bytes:
        """The leaf recomputed from the stored bytes."""
        return leaf_hash(self.position, self.originator_id, self.version, self.topic, self.state)

    def stored_event(self) -> StoredEvent:
        return StoredEvent(originator_id=UUID(self.originator_id),
                           originator_version=self.version, topic=self.topic, state=self.state)


def _tables(app: RenovationApp) -> SQLiteTables | PostgresTables:
    tables = getattr(app.recorder, "audit_tables", None)
    if tables is None:
        raise RuntimeError("the store is not recorded with the audit chain")
    return tables


def _key(app: RenovationApp, aggregate_id: UUID) -> Any:
    tables = _tables(app)
    return aggregate_id if isinstance(tables, PostgresTables) and tables.uuid_ids \
        else originator_text(aggregate_id)


def _record(row: Any) -> StoredRecord:
    leaf = row["leaf_hash"]
    return StoredRecord(
        position=row["notification_id"], originator_id=originator_text(row["originator_id"]),
        version=row["originator_version"], topic=row["topic"], state=bytes(row["state"]),
        chained_leaf=bytes(leaf) if leaf is not None else None,
    )


def read_records(app: RenovationApp, aggregate_id: UUID) -> list[StoredRecord]:
    """Every stored record of one aggregate, in version order (empty when none)."""
    datastore: Any = app.recorder.datastore  # type: ignore[attr-defined]
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(_tables(app).case_events, (_key(app, aggregate_id),))
        return [_record(row) for row in cursor.fetchall()]


@contextmanager
def chain_leaves(app: RenovationApp, through: int) -> Iterator[Iterator[tuple[int, bytes]]]:
    """Every chain row's (notification id, leaf) up to `through`, in order, streamed."""
    datastore: Any = app.recorder.datastore  # type: ignore[attr-defined]
    tables = _tables(app)
    with datastore.transaction(commit=False) as cursor:
        if isinstance(tables, PostgresTables):
            # A server-side cursor: the chain of a large store does not fit in memory.
            cursor = cursor.connection.cursor(name="dossier_leaves")
        else:
            cursor = cursor.sqlite_cursor  # the library's wrapper does not page
        cursor.execute(tables.leaves_through, (through,))
        yield _pages(cursor)


def _pages(cursor: Any) -> Iterator[tuple[int, bytes]]:
    while rows := cursor.fetchmany(PAGE):
        for row in rows:
            if isinstance(row, dict):
                yield row["notification_id"], bytes(row["leaf_hash"])
            else:
                yield row[0], bytes(row[1])
