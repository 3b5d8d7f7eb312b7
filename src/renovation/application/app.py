"""The eventsourcing Application holding every aggregate in one ordered log."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import BaseAggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import Recording

# Importing these registers their event topics, so any stored event decodes in any process.
from renovation.aggregates import (  # noqa: F401
    access,
    erasure,
    finding,
    objection,
    spotcheck,
    staff,
    token,
)
from renovation.aggregates.base import Aggregate
from renovation.application.persistence import store_env

A = TypeVar("A", bound=Aggregate)


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply events in order. The library's default projector also asserts a runtime Protocol
    on every event, which on Python 3.11 costs more than applying a pydantic event."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class RenovationApp(Application[UUID]):
    """All cases, claims and command records share one application, hence one global order."""

    name = "renovation"

    def __init__(self, db_url: str, env: dict[str, str] | None = None) -> None:
        # Prefixed keys win over any unprefixed ones the library might find in os.environ.
        settings = {f"RENOVATION_{k}": v for k, v in store_env(db_url).items()}
        super().__init__(env={**settings, **(env or {})})
        self.db_url = db_url

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """The library's `save`, but an aggregate is recognised by its class: the library asks
        two runtime Protocols of each, which on Python 3.11 costs more than encoding its event."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            else:
                processing.collect_events(obj)
        processing.collect_events(**kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # the library's deprecated hook, called as it does
        return recordings

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate, or None when it was never saved."""
        try:
            found: Any = self.repository.get(aggregate_id, projector_func=replay)
        except AggregateNotFoundError:
            return None
        assert isinstance(found, cls), f"{aggregate_id} is a {type(found).__name__}"
        return found

    def stored_ids(self, aggregate_ids: Collection[UUID]) -> set[UUID]:
        """Which of the aggregates were ever saved, asked in one query where the recorder can."""
        lookup = getattr(self.recorder, "stored_originators", None)
        if lookup is None:
            return {i for i in aggregate_ids if self.recorder.select_events(i, limit=1)}
        found: set[UUID] = lookup(list(aggregate_ids))
        return found
