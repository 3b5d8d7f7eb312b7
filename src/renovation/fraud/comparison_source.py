"""The registry rows the comparison reads: by person within the snapshots it has seen, or one
snapshot whole. Reads only: the rows are written by `renovation registry import`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from renovation.registry.store import Entry, RegistryStore

IN_CHUNK = 500


class StoreSource:
    """The registry tables of the store a projector reads its events from.

    Connections are returned to the database after each page (`release`): a projector may live
    as long as the server, and the registries are read only when a page brings new persons or
    a new snapshot.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._store: RegistryStore | None = None

    @property
    def store(self) -> RegistryStore:
        if self._store is None:
            self._store = RegistryStore(self.url)
        return self._store

    def entries_of_persons(self, snapshots: Sequence[tuple[str, str]],
                           person_refs: Sequence[str]) -> list[Entry]:
        """The rows of these snapshots (id, kind) naming these persons."""
        if not snapshots or not person_refs:
            return []
        t = self.store.entries
        found: list[Entry] = []
        with self.store.engine.connect() as conn:
            for snapshot, kind in snapshots:
                for start in range(0, len(person_refs), IN_CHUNK):
                    query = select(t).where(
                        t.c.kind == kind, t.c.snapshot_id == snapshot,
                        t.c.person_ref.in_(person_refs[start:start + IN_CHUNK]))
                    found += [_entry(row) for row in conn.execute(query)]
        return found

    def entries_of_households(self, snapshots: Sequence[str],
                              household_refs: Sequence[str]) -> list[Entry]:
        """The household-registration rows of these snapshots (ids) in these households."""
        if not snapshots or not household_refs:
            return []
        t = self.store.entries
        found: list[Entry] = []
        with self.store.engine.connect() as conn:
            for start in range(0, len(household_refs), IN_CHUNK):
                query = select(t).where(
                    t.c.kind == "household_registration", t.c.snapshot_id.in_(snapshots),
                    t.c.household_ref.in_(household_refs[start:start + IN_CHUNK]))
                found += [_entry(row) for row in conn.execute(query)]
        return found

    def iter_snapshot(self, snapshot_id: str, batch: int = 1000) -> Iterator[list[Entry]]:
        """Every row of one snapshot, in row order, `batch` at a time."""
        t, after = self.store.entries, 0
        while True:
            query = (select(t).where(t.c.snapshot_id == snapshot_id, t.c.row_no > after)
                     .order_by(t.c.row_no).limit(batch))
            with self.store.engine.connect() as conn:
                found = [_entry(row) for row in conn.execute(query)]
            if not found:
                return
            yield found
            after = found[-1].row_no

    def release(self) -> None:
        if self._store is not None:
            self._store.engine.dispose()


def _entry(row: Any) -> Entry:
    return Entry(row.snapshot_id, row.kind, row.row_no, row.person_ref, row.masked_id,
                 row.household_ref, dict(row.attrs))
