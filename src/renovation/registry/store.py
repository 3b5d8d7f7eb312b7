"""参照数据存储 — registry snapshots and their rows, in the store database beside the events.

Two tables, created when missing, on SQLite (the store's own file) and PostgreSQL (the schema the
URL names): `registry_snapshots`, one row per loaded snapshot, and `registry_entries`, one row
per accepted row of its file, with the person and the household as blind indexes, the ID number
masked, and the other attributes as JSON. A snapshot and all its rows are written in one
transaction. Readers ask for the snapshot *in force* on a date: the latest of its kind dated on
or before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from renovation.aggregates.registry import RegistryKind
from renovation.identity.keystore import engine_url
from renovation.store_schema import ensure_schema

IN_CHUNK = 500
"""Refs per `IN (…)` query: well under SQLite's bound-parameter limit."""


@dataclass(frozen=True)
class Snapshot:
    """参照数据快照 — one loaded snapshot of a kind of registry."""

    snapshot_id: str
    kind: str
    department: str
    as_of: date
    source_name: str
    rows: int


@dataclass(frozen=True)
class Entry:
    """One row of a snapshot: the person's blind index and masked ID, the household's blind
    index (household_registration), and the other attributes (dates ISO, choices by id)."""

    snapshot_id: str
    kind: str
    row_no: int
    person_ref: str
    masked_id: str
    household_ref: str | None
    attrs: dict[str, Any]


@dataclass(frozen=True)
class SnapshotRecord:
    """A snapshot as listed: what was loaded, from which file, by whom, and how it went."""

    snapshot: Snapshot
    sha256: str
    rejected: int
    entries_sha256: str
    imported_at: datetime
    imported_by: str

    def to_dict(self) -> dict[str, Any]:
        s = self.snapshot
        return {"snapshot_id": s.snapshot_id, "kind": s.kind, "as_of": s.as_of.isoformat(),
                "department": s.department, "rows": s.rows, "rejected": self.rejected,
                "imported_at": self.imported_at.isoformat(), "imported_by": self.imported_by,
                "source_name": s.source_name, "sha256": self.sha256,
                "entries_sha256": self.entries_sha256}


def _split(url: str) -> tuple[str, str | None]:
    base, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    schema = next((value for key, value in pairs if key == "schema"), None)
    rest = urlencode([(key, value) for key, value in pairs if key != "schema"])
    return (f"{base}?{rest}" if rest else base), schema


class RegistryStore:
    """The registry tables of one store; `url` is the store's SQLAlchemy URL (a `?schema=`
    in it, or `schema`, selects the PostgreSQL schema)."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        bare, named = _split(url)
        self.schema = schema or named
        self._url = bare
        parsed = engine_url(bare)
        connect = {"timeout": 30} if parsed.get_backend_name() == "sqlite" else {}
        self.engine: Engine = create_engine(
            parsed, connect_args=connect, pool_pre_ping=True,
            json_serializer=lambda value: orjson.dumps(value).decode(),
            json_deserializer=orjson.loads)
        json = JSON().with_variant(JSONB(), "postgresql")
        metadata = MetaData(schema=self.schema)
        self.snapshots = Table(
            "registry_snapshots", metadata,
            Column("snapshot_id", String(36), primary_key=True),
            Column("kind", String(32), nullable=False),
            Column("as_of", Date, nullable=False),
            Column("department", String(100), nullable=False),
            Column("source_name", String(255), nullable=False),
            Column("sha256", String(64), nullable=False),
            Column("rows", Integer, nullable=False),
            Column("rejected", Integer, nullable=False),
            Column("entries_sha256", String(64), nullable=False),
            Column("imported_at", DateTime(timezone=True), nullable=False),
            Column("imported_by", String(64), nullable=False),
            UniqueConstraint("kind", "as_of", name="registry_snapshots_kind_as_of"),
        )
        self.entries = Table(
            "registry_entries", metadata,
            Column("snapshot_id", String(36), nullable=False),
            Column("row_no", Integer, nullable=False),
            Column("kind", String(32), nullable=False),
            Column("person_ref", String(64), nullable=False),
            Column("masked_id", String(18), nullable=False),
            Column("household_ref", String(64), nullable=True),
            Column("attrs", json, nullable=False),
            PrimaryKeyConstraint("snapshot_id", "row_no", name="registry_entries_pk"),
            Index("registry_entries_person", "kind", "person_ref"),
            Index("registry_entries_household", "kind", "household_ref"),
        )
        self._metadata = metadata
        self._ready = False
        self._insert = _driver_insert(self.engine, self.entries)

    def close(self) -> None:
        self.engine.dispose()

    def ensure_tables(self) -> None:
        """Create the tables when missing (once per process)."""
        if self._ready:
            return
        ensure_schema(self._url, schema=self.schema)
        try:
            self._metadata.create_all(self.engine)
        except DBAPIError:  # two processes racing to create them: the loser finds them there
            if not inspect(self.engine).has_table("registry_entries", schema=self.schema):
                raise
        self._ready = True

    # -- writing ------------------------------------------------------------------------------

    def write(self, record: SnapshotRecord, batches: Iterable[list[dict[str, Any]]]) -> None:
        """The snapshot and every row of it, in ONE transaction: all of them or none."""
        self.ensure_tables()
        s = record.snapshot
        with self.engine.begin() as conn:
            conn.execute(insert(self.snapshots).values(
                snapshot_id=s.snapshot_id, kind=s.kind, as_of=s.as_of,
                department=s.department, source_name=s.source_name, sha256=record.sha256,
                rows=s.rows, rejected=record.rejected, entries_sha256=record.entries_sha256,
                imported_at=record.imported_at, imported_by=record.imported_by))
            for batch in batches:
                if batch:
                    self.insert_entries(conn, s, batch)

    def insert_entries(self, conn: Connection, snapshot: Snapshot,
                       rows: list[dict[str, Any]]) -> None:
        """One batch of a snapshot's rows, inside its transaction: the driver's executemany
        (SQLAlchemy's per-row processing was most of a million-row import)."""
        sid, kind = snapshot.snapshot_id, snapshot.kind
        conn.exec_driver_sql(self._insert, [
            (sid, r["row_no"], kind, r["person_ref"], r["masked_id"], r["household_ref"],
             orjson.dumps(r["attrs"]).decode()) for r in rows])

    # -- reading ------------------------------------------------------------------------------

    def find(self, kind: str, as_of: date) -> SnapshotRecord | None:
        """The snapshot of `kind` dated exactly `as_of`, if one was loaded."""
        self.ensure_tables()
        t = self.snapshots
        query = select(t).where(t.c.kind == _kind(kind), t.c.as_of == as_of)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row)

    def list_snapshots(self, kind: str | None = None) -> list[SnapshotRecord]:
        """Every snapshot (of `kind`), by kind then date."""
        self.ensure_tables()
        t = self.snapshots
        query = select(t).order_by(t.c.kind, t.c.as_of)
        if kind is not None:
            query = query.where(t.c.kind == _kind(kind))
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def snapshot_in_force(self, kind: str, as_of: date) -> Snapshot | None:
        """The latest snapshot of `kind` dated on or before `as_of`."""
        self.ensure_tables()
        t = self.snapshots
        query = (select(t).where(t.c.kind == _kind(kind), t.c.as_of <= as_of)
                 .order_by(t.c.as_of.desc()).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row).snapshot

    def entries_for(self, kind: str, person_refs: Iterable[str], as_of: date) -> list[Entry]:
        """The rows of the snapshot in force for these persons, in row order."""
        return self._matching(_kind(kind), "person_ref", person_refs, as_of)

    def entries_by_household(self, household_refs: Iterable[str], as_of: date) -> list[Entry]:
        """The household_registration rows in force of these households, in row order."""
        return self._matching(RegistryKind.HOUSEHOLD_REGISTRATION.value, "household_ref",
                              household_refs, as_of)

    def iter_entries(self, kind: str, as_of: date, batch: int = 1000) -> Iterator[list[Entry]]:
        """Every row of the snapshot in force, `batch` rows at a time, in row order."""
        if batch < 1:
            raise ValueError("batch must be at least 1")
        snapshot = self.snapshot_in_force(kind, as_of)
        if snapshot is None:
            return
        t, after = self.entries, 0
        while True:
            query = (select(t).where(t.c.snapshot_id == snapshot.snapshot_id, t.c.row_no > after)
                     .order_by(t.c.row_no).limit(batch))
            with self.engine.connect() as conn:
                found = [_entry(row) for row in conn.execute(query)]
            if not found:
                return
            yield found
            after = found[-1].row_no

    def _matching(self, kind: str, column: str, refs: Iterable[str], as_of: date) -> list[Entry]:
        wanted = list(dict.fromkeys(refs))
        snapshot = self.snapshot_in_force(kind, as_of) if wanted else None
        if snapshot is None:
            return []
        t = self.entries
        found: list[Entry] = []
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), IN_CHUNK):
                chunk = wanted[start:start + IN_CHUNK]
                query = select(t).where(t.c.kind == kind, t.c[column].in_(chunk),
                                        t.c.snapshot_id == snapshot.snapshot_id)
                found.extend(_entry(row) for row in conn.execute(query))
        return sorted(found, key=lambda entry: entry.row_no)


def _driver_insert(engine: Engine, table: Table) -> str:
    """`INSERT` of an entry row in the driver's own parameter style (JSON given as text)."""
    name = engine.dialect.identifier_preparer.format_table(table)
    columns = ", ".join(("snapshot_id", "row_no", "kind", "person_ref", "masked_id",
                         "household_ref", "attrs"))
    if engine.dialect.name == "sqlite":
        return f"INSERT INTO {name} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    return f"INSERT INTO {name} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb)"


def _kind(kind: str) -> str:
    try:
        return RegistryKind(kind).value
    except ValueError:
        raise ValueError(f"unknown registry kind {kind!r}") from None


def _record(row: Any) -> SnapshotRecord:
    imported_at = row.imported_at
    if imported_at.tzinfo is None:  # SQLite keeps no offset: the store writes UTC
        imported_at = imported_at.replace(tzinfo=UTC)
    return SnapshotRecord(
        Snapshot(row.snapshot_id, row.kind, row.department, row.as_of, row.source_name,
                 row.rows),
        row.sha256, row.rejected, row.entries_sha256, imported_at, row.imported_by)


def _entry(row: Any) -> Entry:
    return Entry(row.snapshot_id, row.kind, row.row_no, row.person_ref, row.masked_id,
                 row.household_ref, dict(row.attrs))
