"""What a projection is: a name, a version, the topics it reads, its tables, and `apply`.

A projection applies one page of decoded events inside the transaction the runner opened, and
touches each row once per page: `Rows` loads the rows a page needs, the handlers change them in
memory, and `flush` writes the changed ones back with one multi-row upsert.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Column, Index, MetaData, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from renovation.projections.batch import execute_rows

Row = dict[str, Any]
Applied = Sequence[tuple[int, Any]]
"""A page of (notification id, domain event), in log order."""


class ProjectionGapError(RuntimeError):
    """A projection met an event out of sequence: one was skipped or would apply twice."""


@dataclass(frozen=True)
class TableSpec:
    """A read-model table, buildable under its live name or a shadow name (see `rebuild`)."""

    name: str
    columns: Callable[[], list[Column[Any]]]
    indexes: tuple[tuple[str, ...], ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    def define(self, metadata: MetaData, physical: str, generation: int) -> Table:
        """The table named `physical`; index names carry the generation so shadows never clash."""
        key = f"{metadata.schema}.{physical}" if metadata.schema else physical
        if key in metadata.tables:
            return metadata.tables[key]
        table = Table(physical, metadata, *self.columns())
        for n, names in enumerate((*self.indexes, *self.unique)):
            Index(f"ix_{self.name}_{n}_g{generation}", *(table.c[c] for c in names),
                  unique=n >= len(self.indexes))
        return table


class Projection(ABC):
    """A read model fed from the log. Subclasses declare `name`, `version`, `specs`, `topics`."""

    name: ClassVar[str]
    version: ClassVar[int]
    specs: ClassVar[tuple[TableSpec, ...]]

    @property
    @abstractmethod
    def topics(self) -> tuple[str, ...]:
        """The event topics this projection reads (the query filters on them)."""

    @abstractmethod
    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        """Apply a page of events to `tables` (live or shadow) within the open transaction."""

    def attach(self, app: Any) -> None:  # noqa: B027 - most projections read events alone
        """Called by the projector with the application whose log it reads."""


def dispatch(
    handlers: Mapping[type, Callable[..., None]], event: Any, *args: Any
) -> None:
    """Call the handler of the event's class (bound event classes are subclasses)."""
    handler = handlers.get(type(event))
    if handler is not None:
        handler(*args, event)


def upsert(conn: Connection, table: Table, rows: Sequence[Row], keys: Sequence[str]) -> None:
    """Insert the rows, or update them where their key exists; one statement per page."""
    if not rows:
        return

    def build() -> Any:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table)
        changes = {c.name: statement.excluded[c.name] for c in table.columns
                   if c.name not in keys}
        return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)

    execute_rows(conn, table, ("upsert", tuple(keys)), build, rows)


class Rows:
    """The rows of one table that a page touches: loaded once, changed in memory, written once."""

    def __init__(self, conn: Connection, table: Table, keys: Sequence[str]) -> None:
        self.conn, self.table, self.keys = conn, table, tuple(keys)
        self.rows: dict[tuple[Any, ...], Row] = {}
        self.dirty: set[tuple[Any, ...]] = set()

    def load(self, column: str, values: Iterable[Any], *where: Any) -> None:
        """Fetch the rows whose `column` is among `values` (and match `where`)."""
        wanted = sorted(set(values))
        for start in range(0, len(wanted), 500):
            query = select(self.table).where(
                self.table.c[column].in_(wanted[start : start + 500]), *where
            )
            for found in self.conn.execute(query).mappings():
                row = dict(found)
                self.rows[self.key(row)] = row

    def key(self, row: Row) -> tuple[Any, ...]:
        return tuple(row[k] for k in self.keys)

    def get(self, *key: Any) -> Row | None:
        return self.rows.get(key)

    def put(self, row: Row) -> Row:
        key = self.key(row)
        self.rows[key] = row
        self.dirty.add(key)
        return row

    def changed(self, row: Row) -> None:
        self.dirty.add(self.key(row))

    def touched(self, *key: Any) -> None:
        """Mark the row under `key` as changed (cheaper than `changed` in hot loops)."""
        self.dirty.add(key)

    def flush(self) -> None:
        upsert(self.conn, self.table, [self.rows[k] for k in sorted(self.dirty)], self.keys)
        self.dirty.clear()
