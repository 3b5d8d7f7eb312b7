"""The application service: one door for every command, whichever door it came through.

For each command, as the authenticated principal: parse, load the case, check the acting
official against the staff directory and the principal's right to enter the act, authorise
(role × action × jurisdiction), let the aggregate decide, then save the case, the claims it
moved and the command record in ONE atomic write. `execute_many` decides several commands
against one unit of work and saves them together; a refused command among them is reported and
writes nothing, the others still apply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import orjson
from eventsourcing.persistence import IntegrityError

from renovation.aggregates.base import Actor, recorded_today, recording_clock
from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.case.values import StaffRef
from renovation.aggregates.command_record import CommandRecord, command_record_id
from renovation.application.app import RenovationApp
from renovation.application.commands import Command, parse_command
from renovation.application.commands.selection import (
    CloseNotice,
    PostNotice,
    RejectCase,
    SubmitApplication,
)
from renovation.application.directory import Principal, StaffDirectory
from renovation.application.handlers import Handlers, ListLookup, case_id_of
from renovation.application.outcome import CommandOutcome
from renovation.application.programmes import ProgrammeCatalog
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import BlindIndexer, KeyConflictError, PiiProtector
from renovation.kernel.errors import RuleViolation
from renovation.logging import get_logger

MAX_ATTEMPTS = 3
RawCommand = Command | Mapping[str, Any] | str | bytes
Result = CommandOutcome | RuleViolation


class UnknownCaseError(RuleViolation):
    """The command names a case that does not exist."""


class CommandIdReusedError(RuleViolation):
    """A command id was sent again with different content."""


class ConcurrentUpdateError(RuleViolation):
    """Other writers kept changing the case; the command was not applied."""


class CaseService:
    """Executes commands against the store."""

    def __init__(
        self,
        app: RenovationApp,
        protector: PiiProtector,
        indexer: BlindIndexer,
        directory: StaffDirectory,
        programmes: ProgrammeCatalog | None = None,
        clock: Callable[[], datetime] | None = None,
        stamp: Callable[[Command], datetime] | None = None,
        lists: ListLookup | None = None,
    ) -> None:
        """`stamp`, for simulations only, gives each command its own recording time; `lists`
        checks a household against its certifying list where the policy requires it."""
        self.app = app
        self.stamp = stamp
        self.indexer = indexer
        self.directory = directory
        self.programmes = programmes or ProgrammeCatalog(app)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.handlers = Handlers(protector, lists) if lists else Handlers(protector)
        self._log = get_logger("renovation.commands")

    def execute(self, command: RawCommand, principal: Principal) -> CommandOutcome:
        """Apply one command; raise its RuleViolation (having written nothing) if refused."""
        [result] = self.execute_many([command], principal)
        if isinstance(result, RuleViolation):
            raise result
        return result

    def execute_many(
        self, commands: Iterable[RawCommand], principal: Principal
    ) -> list[Result]:
        """Decide each command in order, then save all accepted ones in one atomic write."""
        commands = list(commands)
        with recording_clock(self.clock):
            for _ in range(MAX_ATTEMPTS):
                started = time.perf_counter()
                uow = UnitOfWork(self.app)
                if len(commands) > 1:
                    self.handlers.read_ahead(
                        uow, [c for c in commands if isinstance(c, SubmitApplication)]
                    )
                decided = [self._decide_one(command, uow, principal) for command in commands]
                try:
                    recordings = uow.commit()
                except (IntegrityError, KeyConflictError):
                    if len(commands) > 1:  # one of them collided: find out which, one by one
                        return [self._execute_alone(c, principal) for c in commands]
                    cmd = decided[0][0]
                    assert cmd is not None  # only parsed commands reach the store
                    recorded = self._first_outcome_or(None, cmd, UnitOfWork(self.app))
                    if recorded is not None:  # the same command was applied meanwhile
                        return self._finish([(cmd, recorded)], None, started, principal)
                    continue  # another writer changed the case: decide again on fresh state
                position = recordings[-1].notification.id if recordings else None
                return self._finish(decided, position, started, principal)
        return [self._concurrent(decided[0][0])]

    def load_case(self, case_ref: str) -> RenovationCase:
        case = self.app.find(case_id(case_ref), RenovationCase)
        if case is None:
            raise UnknownCaseError(
                "case.exists", "case_ref", case_ref, f"there is no case {case_ref}"
            )
        return case

    def _execute_alone(self, command: RawCommand, principal: Principal) -> Result:
        try:
            return self.execute(command, principal)
        except RuleViolation as error:
            return error

    def _decide_one(
        self, command: RawCommand, uow: UnitOfWork, principal: Principal
    ) -> tuple[Command | None, Result]:
        uow.begin()
        cmd: Command | None = None
        try:
            cmd = command if isinstance(command, Command) else parse_command(command)
            if self.stamp is None:
                return cmd, self._decide(cmd, uow, principal)
            with recording_clock(partial(self.stamp, cmd)):
                return cmd, self._decide(cmd, uow, principal)
        except RuleViolation as error:
            uow.check_untouched()
            return cmd, (error if cmd is None else self._first_outcome_or(error, cmd, uow) or error)

    def _decide(self, cmd: Command, uow: UnitOfWork, principal: Principal) -> CommandOutcome:
        """Let the aggregates decide and keep the command's record. Nothing is written here."""
        record_id = command_record_id(cmd.command_id)
        if uow.holds(record_id):
            raise _AlreadyApplied(cmd)
        if isinstance(cmd, SubmitApplication):
            # Its id may be taken already: answer before a new household's key is made, which
            # the commit would store before the save failed on the record.
            earlier = self._first_outcome_or(None, cmd, uow)
            if isinstance(earlier, RuleViolation):
                raise earlier
            if earlier is not None:
                return earlier
            policy = self.programmes.policy_for(cmd.payload.programme_id)
            actor = self._official(cmd, principal, cmd.payload.village_code)
            case = self.handlers.submit(uow, cmd, actor, policy)
            events = case.pending_events
        else:
            case = uow.find(case_id_of(cmd.case_ref), RenovationCase)
            if case is None:
                raise UnknownCaseError(
                    "case.exists", "case_ref", cmd.case_ref, f"there is no case {cmd.case_ref}"
                )
            actor = self._official(cmd, principal, case.village_code)
            policy = self.programmes.policy_for(case.programme_id) if cmd.needs_policy else None
            before = len(case.pending_events)
            self.handlers.apply(uow, case, cmd, actor, policy,
                                partial(self._staff, case.village_code, cmd.occurred_on))
            events = case.pending_events[before:]
        outcome = CommandOutcome(
            command_id=cmd.command_id, command_type=cmd.type, case_id=case.id,
            case_ref=case.case_ref, version=case.version,
            events=tuple(type(e).__name__ for e in events), stage=case.stage.value,
        )
        uow.add(CommandRecord.handled(
            record_id, command_id=cmd.command_id, command_type=cmd.type,
            fingerprint=self._fingerprint(cmd),
            case_ref=case.case_ref, outcome=outcome.to_record(), actor=actor,
            occurred_on=cmd.occurred_on,
        ))
        return outcome

    def _first_outcome_or(
        self, error: RuleViolation | None, cmd: Command, uow: UnitOfWork
    ) -> Result | None:
        """A refused command may repeat one already applied: then answer as the first time.

        The command record is written with the effects, so the common path reads nothing
        extra: a repeat either breaks a rule (its act was done) or meets its own record.
        """
        record = uow.find(command_record_id(cmd.command_id), CommandRecord)
        if record is None:
            return error
        if record.fingerprint != self._fingerprint(cmd):
            return CommandIdReusedError(
                "command.id_reused", "command_id", cmd.command_id,
                f"command id {cmd.command_id} was already used for a different"
                f" {record.command_type} command",
            )
        return CommandOutcome.from_record(record.command_id, record.command_type, record.outcome)

    def _finish(
        self, decided: list[tuple[Command | None, Result]], position: int | None, started: float,
        principal: Principal,
    ) -> list[Result]:
        ms = round((time.perf_counter() - started) * 1000 / max(1, len(decided)), 2)
        finished = []
        logged = _info_enabled(self._log)
        for cmd, result in decided:
            if isinstance(result, CommandOutcome) and not result.duplicate:
                result = result.recorded_at(position)
            if logged:
                self._log_result(cmd, result, ms, principal)
            finished.append(result)
        return finished

    def _log_result(
        self, cmd: Command | None, result: Result, ms: float, principal: Principal
    ) -> None:
        fields: dict[str, Any] = {"ms": ms, "recorder": principal.staff_id}
        if cmd is not None:
            fields |= {"command_id": cmd.command_id, "type": cmd.type, "case_ref": cmd.case_ref}
            if cmd.actor is not None:
                fields |= {"actor": cmd.actor.id, "role": cmd.actor.role.value}
        if isinstance(result, RuleViolation):
            self._log.info("command.rejected", outcome="rejected", rule=result.rule,
                           field=result.field, **fields)
        else:
            self._log.info("command.applied", case_id=str(result.case_id), version=result.version,
                           outcome="duplicate" if result.duplicate else "applied", **fields)

    def _concurrent(self, cmd: Command | None) -> ConcurrentUpdateError:
        ref = cmd.case_ref if cmd is not None else "?"
        return ConcurrentUpdateError(
            "store.concurrent_update", "case_ref", ref,
            f"case {ref} kept changing under concurrent writers; retry the command",
        )

    def _fingerprint(self, cmd: Command) -> str:
        canonical = orjson.dumps(cmd.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return self.indexer.ref("command", canonical.decode())

    def _official(self, cmd: Command, principal: Principal, village_code: str) -> Actor:
        """The acting official, checked against the directory; the principal may enter it."""
        action = cmd.type
        if isinstance(cmd, PostNotice | CloseNotice | RejectCase):
            action = f"{cmd.type}:{cmd.payload.level.value}"
        return self.directory.official(cmd.actor, principal, action, village_code,
                                       cmd.occurred_on, recorded_today())

    def _staff(self, village_code: str, on: date, named: StaffRef, field: str) -> StaffRef:
        return self.directory.staff_ref(named, village_code, on, field)


def _info_enabled(log: Any) -> bool:
    """Whether info lines are kept: the fields of a line the level filters out cost as much to
    build as a small command. A logger that cannot tell is asked to log."""
    enabled = getattr(log, "is_enabled_for", None)
    return enabled is None or bool(enabled(logging.INFO))


class _AlreadyApplied(RuleViolation):
    """Internal: the command's record was created earlier in this unit of work."""

    def __init__(self, command: Command) -> None:
        super().__init__("command.applied_once", "command_id", command.command_id,
                         f"command {command.command_id} was already applied")
