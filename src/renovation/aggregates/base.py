"""Foundations shared by every aggregate: pydantic events carrying the actor and two clocks.

Every event records who acted (`actor`), the business date the act happened (`occurred_on`) and,
in `timestamp`, when the system recorded it. The recording clock is supplied by the application
(`recording_clock`), never read by aggregates on their own, so tests and simulations control it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID, uuid4

from eventsourcing.domain import BaseAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict

from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.protected import BlindIndex
from renovation.kernel.staff import identity_keys
from renovation.kernel.types import Reference
from renovation.kernel.vocabulary import Role

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def _utc_now() -> datetime:
    return datetime.now(UTC)


_clock: ContextVar[Callable[[], datetime]] = ContextVar("recording_clock", default=_utc_now)


@contextmanager
def recording_clock(now: Callable[[], datetime]) -> Iterator[None]:
    """Within this block events are stamped, and 'today' is judged, by `now`."""
    token = _clock.set(now)
    try:
        yield
    finally:
        _clock.reset(token)


def recorded_now() -> datetime:
    return _clock.get()()


def recorded_today() -> date:
    """Today's business date in China, by the recording clock."""
    return recorded_now().astimezone(CHINA_STANDARD_TIME).date()


class Actor(BaseModel):
    """Who acted: a staff id, the role acted in, the 12-digit jurisdiction acted for.

    `person_ref` is the blind index of the actor's own ID-card number when the staff directory
    knows it; it lets the case refuse an actor who belongs to the applicant's household, and
    tells two accounts of one person apart from two people. `recorded_by` is the authenticated
    principal who entered the act (the acting official on paper may be someone else); events
    recorded before the staff directory existed have none.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Reference
    role: Role
    jurisdiction: DivisionCode
    person_ref: BlindIndex | None = None
    recorded_by: Reference | None = None

    @property
    def identity(self) -> frozenset[str]:
        """The keys that identify the person who acted (see `kernel.staff.identity_keys`)."""
        return identity_keys(self.id, self.person_ref)


class DomainEvent(BaseModel):
    """An immutable pydantic event; `timestamp` is the recorded time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime

    @staticmethod
    def create_timestamp() -> datetime:
        return recorded_now().astimezone(UTC)


class AggregateEvent(DomainEvent, CanMutateAggregate[UUID]):
    """Base of every aggregate event: the actor and the business date."""

    actor: Actor
    occurred_on: date


class Aggregate(BaseAggregate[UUID]):
    """Base of the project's aggregates (ids are UUIDs, usually uuid5 of a business key)."""

    @staticmethod
    def create_id(*_: object, **__: object) -> UUID:
        return uuid4()
