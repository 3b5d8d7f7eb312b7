"""Programmes: opening one under a policy, recording its task and fund plan, finding its policy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from renovation.aggregates.base import Actor, recording_clock
from renovation.aggregates.programme import Allocation, Programme, programme_id
from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.policy import Policy, load_policy


class ProgrammeExistsError(RuleViolation):
    """A programme with this id was already opened under another policy."""


class ProgrammeCatalog:
    """The policy each opened programme applies (a programme never changes its policy)."""

    def __init__(self, app: RenovationApp) -> None:
        self.app = app
        self._policies: dict[str, Policy] = {}

    def programme(self, programme: str) -> Programme:
        found = self.app.find(programme_id(programme), Programme)
        if found is None:
            raise InvalidInputError(
                "programme.known", "payload.programme_id", programme,
                f"no programme {programme!r} has been opened",
            )
        return found

    def policy_for(self, programme: str) -> Policy:
        if programme not in self._policies:
            self._policies[programme] = load_policy(self.programme(programme).policy_id)
        return self._policies[programme]


class ProgrammeService:
    """Managers' commands on programmes (年度计划): open one, then set the plan rows."""

    def __init__(
        self, app: RenovationApp, authorizer: Authorizer | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.authorizer = authorizer or Authorizer()
        self.clock = clock or (lambda: datetime.now(UTC))

    def open(
        self, programme: str, policy_id: str, actor: Actor, occurred_on: date,
        title: str | None = None,
    ) -> Programme:
        """Open a programme; opening it again under the same policy changes nothing."""
        policy = load_policy(policy_id)
        self.authorizer.authorize(actor.role, actor.jurisdiction, "open_programme",
                                  policy.jurisdiction)
        existing = self.app.find(programme_id(programme), Programme)
        if existing is not None:
            if existing.policy_id == policy_id:
                return existing
            raise ProgrammeExistsError(
                "programme.opened_once", "programme", programme,
                f"programme {programme} is already open under policy {existing.policy_id}",
            )
        with recording_clock(self.clock):
            opened = Programme(
                programme=programme, title=title or policy.title,
                jurisdiction=policy.jurisdiction, year=policy.year, policy_id=policy.id,
                policy_version=policy.version, actor=actor, occurred_on=occurred_on,
            )
        self.app.save(opened)
        return opened

    def allocate(
        self, programme: str, rows: Iterable[Allocation], actor: Actor, occurred_on: date
    ) -> int:
        """Record the plan rows that changed; returns how many were recorded."""
        found = ProgrammeCatalog(self.app).programme(programme)
        self.authorizer.authorize(actor.role, actor.jurisdiction, "allocate_programme",
                                  found.jurisdiction)
        with recording_clock(self.clock):
            changed = sum(found.allocate(row, actor, occurred_on) for row in rows)
        if changed:
            self.app.save(found)
        return changed
