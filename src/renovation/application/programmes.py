"""Programmes: opening one under a policy, recording its task and fund plan, finding its policy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from renovation.aggregates.programme import Allocation, Programme, programme_id
from renovation.application.app import RenovationApp
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.unit_of_work import UnitOfWork
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

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline, self.app = pipeline, pipeline.app

    def open(
        self, principal: Principal, programme: str, policy_id: str, occurred_on: date,
        title: str | None = None,
    ) -> Programme:
        """Open a programme; opening it again under the same policy changes nothing."""
        policy = load_policy(policy_id)
        actor = self.pipeline.acting(principal, "open_programme", policy.jurisdiction,
                                     occurred_on)

        def decide(uow: UnitOfWork) -> Programme:
            existing = uow.find(programme_id(programme), Programme)
            if existing is not None:
                if existing.policy_id == policy_id:
                    return existing
                raise ProgrammeExistsError(
                    "programme.opened_once", "programme", programme,
                    f"programme {programme} is already open under policy {existing.policy_id}",
                )
            opened = Programme(
                programme=programme, title=title or policy.title,
                jurisdiction=policy.jurisdiction, year=policy.year, policy_id=policy.id,
                policy_version=policy.version, actor=actor, occurred_on=occurred_on,
            )
            uow.add(opened)
            return opened

        return self.pipeline.record("programme.opened", decide).value

    def allocate(
        self, principal: Principal, programme: str, rows: Iterable[Allocation],
        occurred_on: date,
    ) -> int:
        """Record the plan rows that changed; returns how many were recorded."""
        found = ProgrammeCatalog(self.app).programme(programme)
        actor = self.pipeline.acting(principal, "allocate_programme", found.jurisdiction,
                                     occurred_on)
        rows = list(rows)

        def decide(uow: UnitOfWork) -> int:
            current = uow.find(programme_id(programme), Programme)
            assert current is not None
            return sum(current.allocate(row, actor, occurred_on) for row in rows)

        return self.pipeline.record("programme.allocated", decide).value
