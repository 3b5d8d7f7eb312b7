"""CommandRecord — the first outcome of a command id, so the same command never applies twice.

Saved in the same atomic write as the command's effects; its id derives from the command id,
so a concurrent duplicate collides on the store's unique key.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import JsonValue

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent

COMMAND_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:command")


def command_record_id(command_id: str) -> UUID:
    return uuid5(COMMAND_NAMESPACE, command_id)


class CommandRecordEvent(AggregateEvent):
    """Base of the command record's events."""


class CommandHandled(CommandRecordEvent, CanInitAggregate[UUID]):
    """A command was applied; `fingerprint` is the SHA-256 of its canonical content."""

    TOPIC: ClassVar[str] = "renovation.command:CommandHandled"
    originator_topic: str
    command_id: str
    command_type: str
    fingerprint: str
    case_ref: str
    outcome: dict[str, JsonValue]


class CommandRecord(Aggregate):
    """命令记录 — what a command id did the first time."""

    TOPIC = "renovation.command:CommandRecord"
    Event = CommandRecordEvent
    CommandHandled = CommandHandled

    @staticmethod
    def create_id(command_id: str) -> UUID:
        return command_record_id(command_id)

    @event(CommandHandled)
    def __init__(
        self, command_id: str, command_type: str, fingerprint: str, case_ref: str,
        outcome: dict[str, JsonValue], actor: Actor, occurred_on: date,
    ) -> None:
        self.command_id, self.command_type = command_id, command_type
        self.fingerprint, self.case_ref, self.outcome = fingerprint, case_ref, outcome
