"""Raw rows for the verifier: plain SQL over the events and chain tables, read in one snapshot.

Nothing here goes through the eventsourcing library: the verifier trusts no decoding but its own.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain as chained
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import psycopg

from renovation.application.persistence import store_env
from renovation.audit.tables import CHAIN_TABLE, META_TABLE, PostgresTables, SQLiteTables

APP_NAME = "renovation"  # RenovationApp.name: the PostgreSQL events table is named after it
PAGE = 10_000

Rows = Iterator[tuple[Any, ...]]


@dataclass
class Snapshot:
    """One consistent view of a store, rows in notification-id order.

    `rows`: every event with its chain row, if any (id, originator_id, originator_version, topic,
    state, chain id, leaf_hash, chain_hash); `orphans`: chain rows without an event;
    `by_aggregate`: (originator_id, originator_version, id) of every event, aggregate by
    aggregate, versions ascending — so versions are checked holding one aggregate at a time.
    """

    has_chain: bool
    meta: dict[str, str]
    rows: Rows
    orphans: Rows
    by_aggregate: Rows = field(default_factory=lambda: iter(()))
    head: int = 0  # the last notification id: where `rows` ends, for progress


def _paged(cursor: Any) -> Rows:
    return chained.from_iterable(iter(partial(cursor.fetchmany, PAGE), []))


@contextmanager
def open_snapshot(db_url: str) -> Iterator[Snapshot]:
    """Read-only access to the store at `db_url` (the RENOVATION_DB form)."""
    scheme = urlsplit(db_url).scheme
    if scheme == "sqlite":
        with _sqlite(db_url) as snapshot:
            yield snapshot
    elif scheme.startswith("postgres"):
        with _postgres(db_url) as snapshot:
            yield snapshot
    else:
        raise ValueError(f"unsupported store URL scheme {scheme!r}")


@contextmanager
def _sqlite(db_url: str) -> Iterator[Snapshot]:
    raw = urlsplit(db_url).path
    path = Path(unquote(raw[1:] if raw.startswith("/") else raw))
    if not path.is_file():
        raise FileNotFoundError(f"no SQLite store at {path}")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        conn.execute("BEGIN")  # one read snapshot for every query below
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        tables = SQLiteTables()
        has_chain = {CHAIN_TABLE, META_TABLE} <= names
        if not has_chain:
            yield Snapshot(False, {}, iter(()), iter(()))
            return
        events = tables.events in names
        yield Snapshot(
            has_chain=True,
            meta=dict(conn.execute(tables.meta).fetchall()),
            rows=_paged(conn.execute(tables.joined)) if events else iter(()),
            orphans=_paged(conn.execute(tables.orphans if events else tables.chain_only)),
            by_aggregate=_paged(conn.execute(tables.by_aggregate)) if events else iter(()),
            head=conn.execute(tables.last_event).fetchone()[0] if events else 0,
        )
    finally:
        conn.close()


@contextmanager
def _postgres(db_url: str) -> Iterator[Snapshot]:
    env = store_env(db_url)
    schema, events = env["POSTGRES_SCHEMA"], f"{APP_NAME}_events"
    conn = psycopg.connect(
        dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], autocommit=False,
    )
    snapshot: Snapshot | None = None
    try:
        # A read-only REPEATABLE READ transaction: one snapshot for every query below, while
        # writers go on appending.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        names = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,))}
        tables = PostgresTables(schema, events, _uuid_ids(conn, schema, events))
        if not {CHAIN_TABLE, META_TABLE} <= names:
            yield Snapshot(False, {}, iter(()), iter(()))
            return
        present = events in names
        snapshot = Snapshot(
            has_chain=True,
            meta=dict(conn.execute(tables.meta).fetchall()),
            rows=_server_rows(conn, "audit_rows", tables.joined) if present else iter(()),
            orphans=_server_rows(conn, "audit_orphans",
                                 tables.orphans if present else tables.chain_only),
            by_aggregate=(_server_rows(conn, "audit_versions", tables.by_aggregate)
                          if present else iter(())),
            head=conn.execute(tables.last_event).fetchone()[0] if present else 0,
        )
        yield snapshot
    finally:
        for rows in (snapshot.rows, snapshot.orphans, snapshot.by_aggregate) if snapshot else ():
            getattr(rows, "close", lambda: None)()  # stops a prefetching thread
        conn.close()


def _uuid_ids(conn: psycopg.Connection[Any], schema: str, table: str) -> bool:
    row = conn.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = %s"
        " AND table_name = %s AND column_name = 'originator_id'", (schema, table)).fetchone()
    return row is None or row[0] == "uuid"


def _server_rows(conn: psycopg.Connection[Any], name: str, query: Any) -> Rows:
    cursor = conn.cursor(name=name, binary=True)
    cursor.execute(query)
    return _prefetched(cursor)


def _prefetched(cursor: Any) -> Generator[tuple[Any, ...], None, None]:
    """Pages fetched by a thread while the caller hashes the previous ones.

    psycopg releases the GIL while it waits for the server, so the server's reading and the
    network overlap the hashing (about 1.4 times the rate on two cores; SQLite gains nothing).
    """
    pages: queue.Queue[Any] = queue.Queue(maxsize=3)
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                page = cursor.fetchmany(PAGE)
                _put(pages, page, stop)
                if not page:
                    return
        except BaseException as error:  # handed to the caller, raised there
            _put(pages, error, stop)

    reader = threading.Thread(target=read, name="audit-prefetch", daemon=True)
    reader.start()
    try:
        while (page := pages.get()) != []:
            if isinstance(page, BaseException):
                raise page
            yield from page
    finally:
        stop.set()
        reader.join()


def _put(pages: queue.Queue[Any], item: Any, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            pages.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


def reporting(rows: Rows, head: int, on_progress: Callable[[int, int], None] | None) -> Rows:
    """`rows` as they are, calling `on_progress(position, head)` once a page and at the end."""
    return rows if on_progress is None else _reported(rows, head, on_progress)


def _reported(rows: Rows, head: int, on_progress: Callable[[int, int], None]) -> Rows:
    for n, row in enumerate(rows, 1):
        yield row
        if n % PAGE == 0:
            on_progress(row[0], head)
    on_progress(head, head)
