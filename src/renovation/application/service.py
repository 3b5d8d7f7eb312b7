"""The application service: one door for every command, whichever door it came through.

For each command: parse, authorise (role × jurisdiction), return the first outcome if the command
id was seen before, load the case, let the aggregate decide, then save the case, the claims it
moved and the command record in ONE atomic write. A rejected command writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from eventsourcing.persistence import IntegrityError

from renovation.aggregates.base import Actor, recording_clock
from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.command_record import CommandRecord, command_record_id
from renovation.application import handlers
from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.application.commands import Command, parse_command
from renovation.application.commands.base import ActorInput
from renovation.application.commands.selection import (
    CloseNotice,
    PostNotice,
    RejectCase,
    SubmitApplication,
)
from renovation.application.outcome import CommandOutcome
from renovation.application.programmes import ProgrammeCatalog
from renovation.identity import BlindIndexer, KeyConflictError, PiiProtector, validate_id_number
from renovation.kernel.errors import RuleViolation
from renovation.logging import get_logger

MAX_ATTEMPTS = 3


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
        authorizer: Authorizer | None = None,
        programmes: ProgrammeCatalog | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.indexer = indexer
        self.authorizer = authorizer or Authorizer()
        self.programmes = programmes or ProgrammeCatalog()
        self.clock = clock or (lambda: datetime.now(UTC))
        self._ctx = handlers.Context(app, protector, self.programmes)
        self._log = get_logger("renovation.commands")

    def execute(self, command: Command | Mapping[str, Any] | str | bytes) -> CommandOutcome:
        """Apply a command once; raise a RuleViolation (and write nothing) if it is refused."""
        started = time.perf_counter()
        log = self._log
        try:
            cmd = command if isinstance(command, Command) else parse_command(command)
            log = log.bind(
                command_id=cmd.command_id, type=cmd.type, case_ref=cmd.case_ref,
                actor=cmd.actor.id, role=cmd.actor.role.value,
            )
            with recording_clock(self.clock):
                outcome = self._execute(cmd)
        except RuleViolation as error:
            log.info(
                "command.rejected", outcome="rejected", rule=error.rule, field=error.field,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
            raise
        log.info(
            "command.applied", outcome="duplicate" if outcome.duplicate else "applied",
            case_id=str(outcome.case_id), version=outcome.version,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return outcome

    def load_case(self, case_ref: str) -> RenovationCase:
        case = self.app.find(case_id(case_ref), RenovationCase)
        if case is None:
            raise UnknownCaseError(
                "case.exists", "case_ref", case_ref, f"there is no case {case_ref}"
            )
        return case

    def _execute(self, cmd: Command) -> CommandOutcome:
        actor = self._actor(cmd.actor)
        canonical = orjson.dumps(cmd.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        fingerprint = self.indexer.ref("command", canonical.decode())
        # The command record is written atomically with the effects, so the common path needs
        # no lookup: a repeated command either breaks a rule or collides on the record's key,
        # and only then is the first outcome looked up.
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._attempt(cmd, actor, fingerprint)
            except RuleViolation:
                previous = self._previous_outcome(cmd, fingerprint)
                if previous is None:
                    raise
                return previous
            except (IntegrityError, KeyConflictError):
                previous = self._previous_outcome(cmd, fingerprint)
                if previous is not None:
                    return previous
        raise ConcurrentUpdateError(
            "store.concurrent_update", "case_ref", cmd.case_ref,
            f"case {cmd.case_ref} kept changing under concurrent writers; retry the command",
        )

    def _attempt(self, cmd: Command, actor: Actor, fingerprint: str) -> CommandOutcome:
        if isinstance(cmd, SubmitApplication):
            policy = self.programmes.policy_for(cmd.payload.programme_id)
            self._authorize(cmd, actor, cmd.payload.village_code)
            change = handlers.submit(self._ctx, cmd, actor, policy)
        else:
            case = self.load_case(cmd.case_ref)
            self._authorize(cmd, actor, case.village_code)
            policy = self.programmes.policy_for(case.programme_id) if cmd.needs_policy else None
            change = handlers.apply(self._ctx, case, cmd, actor, policy)
        case = change.case
        events = tuple(type(e).__name__ for e in case.pending_events)
        outcome = CommandOutcome(
            command_id=cmd.command_id, command_type=cmd.type, case_id=case.id,
            case_ref=case.case_ref, version=case.version, events=events, stage=case.stage.value,
        )
        record = CommandRecord(
            command_id=cmd.command_id, command_type=cmd.type, fingerprint=fingerprint,
            case_ref=case.case_ref, outcome=outcome.to_record(), actor=actor,
            occurred_on=cmd.occurred_on,
        )
        if change.sealer is not None:
            change.sealer.commit()
        recordings = self.app.save(case, *change.others, record)
        return outcome.recorded_at(recordings[-1].notification.id)

    def _previous_outcome(self, cmd: Command, fingerprint: str) -> CommandOutcome | None:
        record = self.app.find(command_record_id(cmd.command_id), CommandRecord)
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            raise CommandIdReusedError(
                "command.id_reused", "command_id", cmd.command_id,
                f"command id {cmd.command_id} was already used for a different"
                f" {record.command_type} command",
            )
        return CommandOutcome.from_record(record.command_id, record.command_type, record.outcome)

    def _actor(self, given: ActorInput) -> Actor:
        person_ref = None
        if given.id_number is not None:
            number = validate_id_number(given.id_number, "actor.id_number")
            person_ref = self.indexer.ref("id_number", number)
        return Actor(
            id=given.id, role=given.role, jurisdiction=given.jurisdiction, person_ref=person_ref
        )

    def _authorize(self, cmd: Command, actor: Actor, village_code: str) -> None:
        action = cmd.type
        if isinstance(cmd, PostNotice | CloseNotice | RejectCase):
            action = f"{cmd.type}:{cmd.payload.level.value}"
        self.authorizer.authorize(actor.role, actor.jurisdiction, action, village_code)
