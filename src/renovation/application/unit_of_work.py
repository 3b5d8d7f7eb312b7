"""The aggregates one or more commands read and changed, saved together in one atomic write."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import Recording

from renovation.aggregates.base import Aggregate
from renovation.application.app import RenovationApp
from renovation.identity import HouseholdSealer
from renovation.identity.protector import commit_sealers

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    """Reads go through it (so later commands see earlier ones' effects); `commit` writes.

    Aggregates are decided on in memory: a refused command must leave every aggregate it
    read exactly as it was, which `begin`/`check_untouched` verify.
    """

    def __init__(self, app: RenovationApp) -> None:
        self.app = app
        self._aggregates: dict[UUID, Aggregate | None] = {}
        self._sealers: dict[str, HouseholdSealer] = {}  # new household keys, by household
        self._seen: dict[UUID, int] = {}  # pending events of each aggregate the command read
        self.keys: dict[str, bytes | None] = {}  # stored household keys read ahead, by household

    def read_ahead(self, aggregate_ids: list[UUID]) -> None:
        """Ask the store once which of many aggregates exist; the missing are not asked again.
        A writer creating one meanwhile makes the commit collide, as a read one by one would."""
        wanted = [i for i in dict.fromkeys(aggregate_ids) if i not in self._aggregates]
        if wanted:
            stored = self.app.stored_ids(wanted)
            self._aggregates.update((i, None) for i in wanted if i not in stored)

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        if aggregate_id not in self._aggregates:
            self._aggregates[aggregate_id] = self.app.find(aggregate_id, cls)
        found = self._aggregates[aggregate_id]
        assert found is None or isinstance(found, cls)
        if found is not None:
            self._seen.setdefault(aggregate_id, len(found.pending_events))
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
            self._sealers[sealer.key_id] = sealer

    def new_key(self, household_ref: str) -> HouseholdSealer | None:
        """The key an earlier command of this unit of work created for the household, if any:
        later commands must seal with it, not with a second new key."""
        return self._sealers.get(household_ref)

    def begin(self) -> None:
        """A new command starts: remember what it reads, to prove a refusal changed nothing."""
        self._seen = {}

    def check_untouched(self) -> None:
        """A refused command changed nothing: a broken 'guard, then record' is a bug, not data."""
        for aggregate_id, count in self._seen.items():
            aggregate = self._aggregates[aggregate_id]
            assert aggregate is not None and len(aggregate.pending_events) == count, (
                f"a refused command left events pending on {aggregate_id}"
            )

    def commit(self) -> list[Recording[Any]]:
        commit_sealers(list(self._sealers.values()))  # one write for all new keys
        changed = [a for a in self._aggregates.values() if a is not None and a.pending_events]
        recordings = self.app.save(*changed) if changed else []
        self._aggregates.clear()
        self._sealers.clear()
        return recordings
