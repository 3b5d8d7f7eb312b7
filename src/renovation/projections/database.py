"""The read-model database: a SQLite file beside the store, or the store's PostgreSQL schema.

Read-model tables are prefixed `rv_` so they never clash with the library's tables (or the key
store's) when they share a PostgreSQL schema. On SQLite every write transaction starts with
BEGIN IMMEDIATE, so two writers serialise on the database lock instead of failing half-way when
a read lock cannot be upgraded; readers use plain BEGIN and see one WAL snapshot per query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from sqlalchemy import Engine, MetaData, Table, create_engine, event
from sqlalchemy.engine import Connection, make_url

from renovation.store_schema import ensure_schema

PREFIX = "rv_"


def split_url(url: str) -> tuple[str, str | None]:
    """A SQLAlchemy URL without its `schema=` parameter, and that schema (None if absent)."""
    base, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    schema = next((value for key, value in pairs if key == "schema"), None)
    rest = urlencode([(key, value) for key, value in pairs if key != "schema"])
    return (f"{base}?{rest}" if rest else base), schema


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


JSON_CODEC: dict[str, Any] = {"json_serializer": _dumps, "json_deserializer": orjson.loads}
"""JSON columns (case funds, the findings' facts and evidence) through orjson: the standard
library's encoder was a visible share of catch-up."""


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the installed driver; the bare name would ask SQLAlchemy for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **JSON_CODEC)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        raise ValueError("the read models need a SQLite file: sqlite:///var/renovation-views.db")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30},
                           **JSON_CODEC)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # The read models can always be rebuilt from the log; NORMAL keeps WAL commits consistent.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Under NORMAL only checkpoints sync to disk; catch-up writes tens of MB per minute, and
    # checkpointing every 4 MB (the default) made syncing a quarter of a rebuild's time.
    cursor.execute("PRAGMA wal_autocheckpoint=16384")  # pages: 64 MB
    cursor.execute("PRAGMA journal_size_limit=67108864")  # truncate the WAL back after it
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class ViewsDatabase:
    """The engine of the read models, their schema, and the live tables defined so far."""

    url: str
    schema: str | None
    engine: Engine
    metadata: MetaData

    @property
    def writer(self) -> Engine:
        """Writes go through here: BEGIN IMMEDIATE on SQLite."""
        return self.engine.execution_options(immediate=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def live(self, name: str) -> Table:
        """A live table by name (defined by the projection that owns it)."""
        return self.metadata.tables[self.qualified(name)]

    def qualified(self, name: str) -> str:
        return f"{self.schema}.{name}" if self.schema else name

    def quote(self, name: str) -> str:
        preparer = self.engine.dialect.identifier_preparer
        quoted = preparer.quote(name)
        return f"{preparer.quote_schema(self.schema)}.{quoted}" if self.schema else quoted

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> ViewsDatabase:
    """The read-model database at a SQLAlchemy URL (`?schema=` selects a PostgreSQL schema)."""
    ensure_schema(url, "RENOVATION_VIEWS")
    bare, schema = split_url(url)
    engine = _engine(bare)
    return ViewsDatabase(bare, schema, engine, MetaData(schema=schema))
