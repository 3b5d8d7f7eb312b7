"""CommandRecord — the first outcome of a command id, so the same command never applies twice.

Saved in the same atomic write as the command's effects; its id derives from the command id,
so a concurrent duplicate collides on the store's unique key.
"""

from __future__ import annotations

from datetime import date
from hashlib import sha1
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from eventsourcing.utils import get_topic
from pydantic import JsonValue

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent

COMMAND_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:command")
_NAMESPACE_BYTES = COMMAND_NAMESPACE.bytes


def command_record_id(command_id: str) -> UUID:
    """`uuid5(COMMAND_NAMESPACE, command_id)`, spelled out: one is derived per command, and
    `uuid5` derives the namespace's bytes again on each call."""
    return UUID(bytes=sha1(_NAMESPACE_BYTES + command_id.encode()).digest()[:16], version=5)


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

    @classmethod
    def handled(
        cls, record_id: UUID, command_id: str, command_type: str, fingerprint: str,
        case_ref: str, outcome: dict[str, JsonValue], actor: Actor, occurred_on: date,
    ) -> CommandRecord:
        """As `CommandRecord(...)`, with the id the caller already derived from the command id.

        One is created per command, so it skips what the library's generic creation checks
        each time (argument matching, the id, the topic) for the same created event.
        """
        created = CommandHandled(
            originator_topic=_TOPIC, originator_id=record_id,
            originator_version=cls.INITIAL_VERSION, timestamp=CommandHandled.create_timestamp(),
            command_id=command_id, command_type=command_type, fingerprint=fingerprint,
            case_ref=case_ref, outcome=outcome, actor=actor, occurred_on=occurred_on,
        )
        record = created.mutate(None)
        assert isinstance(record, cls)
        record.pending_events.append(created)
        return record

    @event(CommandHandled)
    def __init__(
        self, command_id: str, command_type: str, fingerprint: str, case_ref: str,
        outcome: dict[str, JsonValue], actor: Actor, occurred_on: date,
    ) -> None:
        self.command_id, self.command_type = command_id, command_type
        self.fingerprint, self.case_ref, self.outcome = fingerprint, case_ref, outcome


_TOPIC = get_topic(CommandRecord)
