"""Event recorders that extend the audit chain (审计链) in the same transaction as the events.

Chosen through the library's `APPLICATION_RECORDER_TOPIC` (see `application.persistence`).
A store that already held events when it was first opened with these recorders has those
events chained once, at that moment ("adopted"); `audit_meta` records up to which id.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import PersistenceError, ProgrammingError, StoredEvent
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresProcessRecorder,
)
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteProcessRecorder,
)
from psycopg.sql import SQL, Identifier, Literal

from renovation.audit.chain import GENESIS, ChainRow, EventRow, link, originator_text
from renovation.audit.heads import SIGNED_HEAD, HeadSigner, SignedHead
from renovation.audit.tables import (
    ADOPTED_THROUGH,
    ORIGIN,
    PostgresTables,
    SQLiteTables,
    new_origin,
)
from renovation.audit.witness import Witness
from renovation.logging import get_logger
from renovation.store_schema import check_name, create_schema

PAGE = 5_000
_IN_CHUNK = 500  # ids per `IN (...)` query, well under SQLite's limit on bound parameters
_log = get_logger("renovation.audit")


class AuditChainError(PersistenceError):
    """The chain cannot be extended consistently; nothing was written."""


def _pair(
    ids: Sequence[int], stored: Sequence[StoredEvent], id_text: Callable[[Any], str]
) -> list[EventRow]:
    # Ids are issued in the order the rows are inserted; sorting pairs them with the events even
    # if a database returned them in another order.
    if len(ids) != len(stored):
        raise AuditChainError(f"audit chain: {len(ids)} ids for {len(stored)} events")
    return [
        EventRow(i, id_text(s.originator_id), s.originator_version, s.topic, s.state)
        for i, s in zip(sorted(ids), stored, strict=True)
    ]


def _head(c: Any, tables: SQLiteTables | PostgresTables) -> tuple[int, bytes]:
    c.execute(tables.head)
    row = c.fetchone()
    return (row["notification_id"], bytes(row["chain_hash"])) if row else (0, GENESIS)


def extend_chain(
    c: Any, tables: SQLiteTables | PostgresTables, events: list[EventRow]
) -> ChainRow:
    """Append chain rows for `events` after the current head, with the caller's cursor; the
    new head."""
    head_id, head = _head(c, tables)
    if events[0].notification_id <= head_id:
        raise AuditChainError(
            f"audit chain: notification id {events[0].notification_id} is not after the chain"
            f" head {head_id}; the store was altered (run `renovation audit verify`)"
        )
    rows = link(head, events)
    c.executemany(tables.insert_chain, rows)
    return rows[-1]


class HeadSigning:
    """Signs each commit's new chain head in its transaction and, once it committed, offers it
    to the witness. Both are set by the application's wiring; a recorder without a signer
    writes unsigned heads, which `audit verify` reports when it pins the head key."""

    head_signer: HeadSigner | None = None
    witness: Witness | None = None
    audit_tables: SQLiteTables | PostgresTables
    _origin: str | None = None
    _local: threading.local

    datastore: Any

    def sign_heads(self, signer: HeadSigner, witness: Witness | None) -> None:
        """Sign every commit's head from now on, and offer it to `witness`. The store's origin
        is read here, in a transaction of its own: inside a PostgreSQL write (pipeline mode)
        a read after the chain rows' executemany does not reliably return its rows."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.audit_tables.meta)
            origin = {r["name"]: r["value"] for r in c.fetchall()}.get(ORIGIN)
        if origin is None:
            raise AuditChainError("audit chain: the store has no origin to sign heads for")
        self._origin, self.head_signer, self.witness = origin, signer, witness

    def _sign_head(self, c: Any, head: ChainRow) -> None:
        signer, origin = self.head_signer, self._origin
        if signer is None or origin is None:
            return
        signed = signer.sign(origin, head.notification_id, head.chain_hash)
        c.execute(self.audit_tables.put_meta, (SIGNED_HEAD, signed.to_meta()))
        self._local.head = signed

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        local = self._local
        local.head = None
        result: Sequence[int] | None = super().insert_events(  # type: ignore[misc]
            stored_events, **kwargs)  # raises when the transaction did not commit
        head: SignedHead | None = local.head
        local.head = None
        if head is not None and self.witness is not None:
            self.witness.offer(head)
        return result


def adopt(c: Any, tables: SQLiteTables | PostgresTables) -> None:
    """Fix the store's origin and chain any events already stored, once per store.

    The caller holds the write lock; nothing happens when the store already has an origin.
    """
    origin = new_origin()
    c.execute(tables.claim_origin, (origin,))
    if c.fetchone() is None:
        return
    last = 0
    while True:
        c.execute(tables.events_after, (_head(c, tables)[0], PAGE))
        rows = [EventRow(r["notification_id"], r["originator_id"], r["originator_version"],
                         r["topic"], bytes(r["state"])) for r in c.fetchall()]
        if not rows:
            break
        extend_chain(c, tables, rows)
        last = rows[-1].notification_id
    c.execute(tables.put_meta, (ADOPTED_THROUGH, str(last)))
    if last:
        _log.warning("audit.chain_started_on_existing_events", origin=origin, adopted_through=last)


class ChainedSQLiteApplicationRecorder(HeadSigning, SQLiteApplicationRecorder):
    """SQLite events plus their chain rows, in one transaction."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        self.audit_tables = SQLiteTables(events_table_name)
        self._local = threading.local()  # the head a commit signed, until it is offered
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.audit_tables.create]

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.audit_tables.meta)
            if c.fetchall():
                return
        # The claim is this transaction's first statement, a write: it takes the write lock.
        with self.datastore.transaction(commit=True) as c:
            adopt(c, self.audit_tables)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = self._insert_rows(c, stored_events)
        # SQLite has a single writer: the INSERTs above took the database's write lock, held
        # until this transaction ends, so the head read next is the latest and no other writer
        # can extend the chain before these rows commit, or roll back, with the events.
        if ids:
            head = extend_chain(c, self.audit_tables, _pair(ids, stored_events, originator_text))
            self._sign_head(c, head)
        return ids

    def _insert_rows(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[int]:
        """The library inserts row by row to learn each notification id (the rowid); one
        `executemany` is enough: a rowid is one more than the largest in the table, and no other
        writer inserts while this transaction holds the write lock, so the ids run consecutively
        up to the last one inserted."""
        if not stored_events:
            return []
        c.executemany(self.insert_events_statement, [
            (originator_text(s.originator_id), s.originator_version, s.topic, s.state)
            for s in stored_events
        ])
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        return list(range(last - len(stored_events) + 1, last + 1))

    def stored_originators(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Which of the ids have stored events, in one query per 500 ids."""
        found: set[UUID] = set()
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(originator_ids), _IN_CHUNK):
                chunk = [i.hex for i in originator_ids[start : start + _IN_CHUNK]]
                marks = ",".join("?" * len(chunk))
                c.execute(f"SELECT DISTINCT originator_id FROM {self.events_table_name}"
                          f" WHERE originator_id IN ({marks})", chunk)
                found.update(UUID(row["originator_id"]) for row in c.fetchall())
        return found


class ChainedSQLiteProcessRecorder(SQLiteProcessRecorder, ChainedSQLiteApplicationRecorder):
    """The process recorder (events plus tracking) with the chain."""


class ChainedPostgresApplicationRecorder(HeadSigning, PostgresApplicationRecorder):
    """PostgreSQL events plus their chain rows, in one transaction."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        if datastore.enable_db_functions:
            raise ProgrammingError(
                "the audit chain needs POSTGRES_ENABLE_DB_FUNCTIONS off: the insert function"
                " would write events without chain rows"
            )
        check_name(datastore.schema)  # before the library reads its types from that schema
        super().__init__(datastore, events_table_name=events_table_name)
        self._local = threading.local()  # the head a commit signed, until it is offered
        self.audit_tables = PostgresTables(
            datastore.schema, events_table_name, datastore.originator_id_type == "uuid"
        )
        self.sql_create_statements.extend(self.audit_tables.create)

    def create_table(self) -> None:
        # Processes starting together would race on the catalogue ("tuple concurrently
        # updated", duplicate types): one creates while the others wait, then find it in place.
        # The lock is taken on a connection of its own, so a pool of one connection still works.
        pool = self.datastore.pool
        with psycopg.connect(pool.conninfo, **pool.kwargs, autocommit=True) as guard:
            create_schema(guard, self.datastore.schema)  # the URL's schema, made if missing
            guard.execute("SELECT pg_advisory_lock(hashtext(%s))", (self._ddl_lock_name(),))
            self._create_tables()

    def _ddl_lock_name(self) -> str:
        return f"renovation.ddl:{self.datastore.schema}.{self.events_table_name}"

    def _create_tables(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self.audit_tables.meta)
            if curs.fetchall():
                return
        with self.datastore.transaction(commit=True) as curs:
            self._lock_table(curs)
            adopt(curs, self.audit_tables)

    def _fetch_ids_after_insert_events(
        self, curs: psycopg.Cursor[Any], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # This runs inside the insert transaction, after `_insert_stored_events` took the
        # EXCLUSIVE lock on the events table. Every writer takes that lock before inserting and
        # keeps it until commit, so writers are serialised in notification-id order: the chain
        # head read here is the one the previous writer committed, and no other writer can
        # extend the chain before these rows commit, or roll back, together with the events.
        # The library's own insert function (POSTGRES_ENABLE_DB_FUNCTIONS) bypasses this hook,
        # hence the refusal in __init__.
        try:
            ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
            head = extend_chain(curs, self.audit_tables,
                                _pair(ids or [], stored_events, self._text))
            self._sign_head(curs, head)
        except Exception as error:
            _abort(curs, error)
            raise
        return ids

    def stored_originators(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Which of the ids have stored events, in one query."""
        as_uuid = self.datastore.originator_id_type == "uuid"
        query = SQL("SELECT DISTINCT originator_id FROM {}.{} WHERE originator_id = ANY(%s)")
        query = query.format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, ([i if as_uuid else str(i) for i in originator_ids],))
            return {UUID(str(row["originator_id"])) for row in curs.fetchall()}

    def _text(self, originator_id: UUID | str) -> str:
        if self.datastore.originator_id_type == "uuid" and not isinstance(originator_id, UUID):
            originator_id = UUID(originator_id)
        return originator_text(originator_id)


class ChainedPostgresProcessRecorder(PostgresProcessRecorder, ChainedPostgresApplicationRecorder):
    """The process recorder (events plus tracking) with the chain."""


def _abort(curs: psycopg.Cursor[Any], error: Exception) -> None:
    # The library catches an error raised here and still commits on leaving its transaction
    # block, so an error the server has not seen must first fail the transaction there:
    # events must never commit without their chain rows.
    if isinstance(error, psycopg.Error) and error.sqlstate:
        return
    message = f"audit chain not extended, events not written: {error}"
    curs.execute(SQL("DO $$BEGIN RAISE EXCEPTION USING MESSAGE = {}; END$$").format(
        Literal(message)))
