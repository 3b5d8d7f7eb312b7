"""The aggregates one or more commands read and changed, saved together in one atomic write."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import Recording

from renovation.aggregates.base import Aggregate
from renovation.application.app import RenovationApp
from renovation.identity import HouseholdSealer

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    """Reads go through it (so later commands see earlier ones' effects); `commit` writes.

    Aggregates are decided on in memory: a refused command must leave every aggregate it
    touched exactly as it was, which `mark`/`check_untouched` verify.
    """

    def __init__(self, app: RenovationApp) -> None:
        self.app = app
        self._aggregates: dict[UUID, Aggregate | None] = {}
        self._sealers: list[HouseholdSealer] = []

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        if aggregate_id not in self._aggregates:
            self._aggregates[aggregate_id] = self.app.find(aggregate_id, cls)
        found = self._aggregates[aggregate_id]
        assert found is None or isinstance(found, cls)
        return found

    def holds(self, aggregate_id: UUID) -> bool:
        """Whether the aggregate was created or read in this unit of work (no store access)."""
        return self._aggregates.get(aggregate_id) is not None

    def add(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._aggregates[aggregate.id] = aggregate

    def keep_key(self, sealer: HouseholdSealer | None) -> None:
        """A household key sealed with must be persisted before the events that use it."""
        if sealer is not None and sealer.is_new_key:
            self._sealers.append(sealer)

    def mark(self) -> dict[UUID, int]:
        return {i: len(a.pending_events) for i, a in self._aggregates.items() if a is not None}

    def check_untouched(self, marks: dict[UUID, int]) -> None:
        """A refused command changed nothing: a broken 'guard, then record' is a bug, not data."""
        for aggregate_id, aggregate in self._aggregates.items():
            if aggregate is not None:
                assert len(aggregate.pending_events) == marks.get(aggregate_id, 0), (
                    f"a refused command left events pending on {aggregate_id}"
                )

    def commit(self) -> list[Recording[Any]]:
        for sealer in self._sealers:
            sealer.commit()
        changed = [a for a in self._aggregates.values() if a is not None and a.pending_events]
        recordings = self.app.save(*changed) if changed else []
        self._aggregates.clear()
        self._sealers.clear()
        return recordings
