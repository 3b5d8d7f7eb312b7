"""One way through for every act that is not a case command: principal → authorisation →
decision → atomic write → log.

Reviews of findings, reads recorded in a case's access log, spot-check draws, programmes and
the staff directory all pass here. `acting` turns the authenticated principal into the actor
the event records (or refuses, naming the rule); `record` runs the decision against a fresh
unit of work under the recording clock, saves whatever it changed in one write and, when a
concurrent writer took the next version first, decides again on fresh state. Case commands
take the same steps in `CaseService`, batched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from eventsourcing.persistence import IntegrityError

from renovation.aggregates.base import Actor, recorded_today, recording_clock
from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.application.principal import Principal, acting_as
from renovation.application.unit_of_work import UnitOfWork
from renovation.kernel.errors import RuleViolation
from renovation.logging import get_logger

T = TypeVar("T")
ATTEMPTS = 5


class NotRecordedError(RuleViolation):
    """The act could not be recorded: other writers kept changing the same record."""


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """What the decision returned, and the log position of the last event written (if any)."""

    value: T
    position: int | None


class Pipeline:
    """The steps every act takes; one instance per runtime, shared by the services."""

    def __init__(
        self, app: RenovationApp, authorizer: Authorizer,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app, self.authorizer = app, authorizer
        self.clock = clock or (lambda: datetime.now(UTC))
        self._log = get_logger("renovation.acts")

    def today(self) -> date:
        with recording_clock(self.clock):
            return recorded_today()

    def acting(self, principal: Principal, action: str, target: str,
               on: date | None = None) -> Actor:
        """The actor `principal` acts as for `action` on `target` (on `on`, default today)."""
        try:
            return acting_as(principal, action, target, on or self.today(), self.authorizer)
        except RuleViolation as refusal:
            self._log.info("act.refused", action=action, principal=principal.staff_id,
                              rule=refusal.rule, target=target)
            raise

    def record(
        self, act: str, decide: Callable[[UnitOfWork], T], *, attempts: int = ATTEMPTS,
        collided: Callable[[], RuleViolation] | None = None,
    ) -> Recorded[T]:
        """Decide and save atomically; a collision retries, or raises `collided()` if given."""
        with recording_clock(self.clock):
            for _ in range(attempts):
                uow = UnitOfWork(self.app)
                value = decide(uow)
                try:
                    recordings = uow.commit()
                except IntegrityError:
                    if collided is not None:
                        raise collided() from None
                    continue
                position = recordings[-1].notification.id if recordings else None
                self._log.info("act.recorded", act=act, position=position)
                return Recorded(value, position)
        raise NotRecordedError("store.concurrent_update", "act", act,
                               f"{act} could not be recorded: the record kept changing; retry")
