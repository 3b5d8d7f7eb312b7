"""What a command did: returned to every door and kept in the command record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from pydantic import JsonValue


@dataclass(frozen=True)
class CommandOutcome:
    command_id: str
    command_type: str
    case_id: UUID
    case_ref: str
    version: int
    events: tuple[str, ...]
    stage: str
    duplicate: bool = False
    position: int | None = None

    def to_record(self) -> dict[str, JsonValue]:
        """The part worth keeping: enough to answer a repeated command identically."""
        return {
            "case_id": str(self.case_id),
            "case_ref": self.case_ref,
            "version": self.version,
            "events": list(self.events),
            "stage": self.stage,
        }

    @classmethod
    def from_record(
        cls, command_id: str, command_type: str, record: dict[str, Any]
    ) -> CommandOutcome:
        return cls(
            command_id=command_id,
            command_type=command_type,
            case_id=UUID(record["case_id"]),
            case_ref=record["case_ref"],
            version=record["version"],
            events=tuple(record["events"]),
            stage=record["stage"],
            duplicate=True,
        )

    def recorded_at(self, position: int) -> CommandOutcome:
        # Not dataclasses.replace: this runs once per command and replace inspects the fields.
        return CommandOutcome(
            self.command_id, self.command_type, self.case_id, self.case_ref, self.version,
            self.events, self.stage, self.duplicate, position,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["case_id"] = str(self.case_id)
        data["events"] = list(self.events)
        return data
