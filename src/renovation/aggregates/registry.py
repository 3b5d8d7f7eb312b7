"""RegistrySnapshot — 参照数据: one department's registry list as of one date, as loaded.

Seed 003 §四(一) asks that house and household data be compared across departments (住建、民政、
乡村振兴 share information). The other departments supply their lists — 农村低保, 特困供养, 户籍,
机动车登记 … — as files; each load is a snapshot of one kind of registry as of a date. The rows
themselves live beside the events (`registry_entries`, blind-indexed, never plaintext); this
aggregate is the audit record of the load: who loaded which file (its SHA-256), for which date,
how many rows were kept and rejected, and a digest of exactly the rows stored. Its id derives
from the kind and the date, so a kind has one snapshot per date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import Field, StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.types import INTEGRAL, Sha256Hex

SNAPSHOT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:registry-snapshot")
Count = Annotated[int, Field(strict=True, ge=0, le=10**9), INTEGRAL]
DepartmentName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=100)]
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=255)]


class RegistryKind(StrEnum):
    """参照数据种类 — the registries other departments supply, by stable English id."""

    DIBAO = "dibao"
    TEKUN = "tekun"
    DIBAO_MARGINAL = "dibao_marginal"
    MONITORING = "monitoring"
    HOUSEHOLD_REGISTRATION = "household_registration"
    VEHICLES = "vehicles"
    COMPANIES = "companies"
    REAL_ESTATE = "real_estate"
    PUBLIC_EMPLOYEES = "public_employees"


def snapshot_id(kind: str, as_of: date) -> UUID:
    """One snapshot per kind per date: a second load of the date collides on this id."""
    return uuid5(SNAPSHOT_NAMESPACE, f"{RegistryKind(kind).value}|{as_of.isoformat()}")


class RegistryRuleError(RuleViolation):
    """The snapshot cannot be recorded: dated in the future, or another file for its date."""


class RegistrySnapshotEvent(AggregateEvent):
    """Base of a registry snapshot's events."""


class RegistrySnapshotImported(RegistrySnapshotEvent, CanInitAggregate[UUID]):
    """参照数据已导入 — the file (by its SHA-256), its date, the rows kept and rejected, and the
    SHA-256 of the stored rows (docs/registries.md says how to recompute it)."""

    TOPIC: ClassVar[str] = "renovation.registry:RegistrySnapshotImported"
    originator_topic: str
    kind: RegistryKind
    department: DepartmentName
    as_of: date
    source_name: SourceName
    sha256: Sha256Hex
    rows: Count
    rejected: Count
    entries_sha256: Sha256Hex


class RegistrySnapshot(Aggregate):
    """参照数据快照 — one kind of registry as of one date."""

    TOPIC = "renovation.registry:RegistrySnapshot"
    Event = RegistrySnapshotEvent
    RegistrySnapshotImported = RegistrySnapshotImported

    @staticmethod
    def create_id(kind: str, as_of: date, **_: object) -> UUID:
        return snapshot_id(kind, as_of)

    @classmethod
    def load(
        cls, *, kind: RegistryKind, department: str, as_of: date, source_name: str,
        sha256: str, rows: int, rejected: int, entries_sha256: str, actor: Actor, today: date,
    ) -> RegistrySnapshot:
        """Record a load; a snapshot dated after today is refused (`registry.as_of`)."""
        check_as_of(as_of, today)
        return cls(kind=kind, department=department, as_of=as_of, source_name=source_name,
                   sha256=sha256, rows=rows, rejected=rejected, entries_sha256=entries_sha256,
                   actor=actor, occurred_on=today)

    @event(RegistrySnapshotImported)
    def __init__(
        self, kind: RegistryKind, department: str, as_of: date, source_name: str, sha256: str,
        rows: int, rejected: int, entries_sha256: str, actor: Actor, occurred_on: date,
    ) -> None:
        self.kind, self.department, self.as_of = RegistryKind(kind), department, as_of
        self.source_name, self.sha256, self.entries_sha256 = source_name, sha256, entries_sha256
        self.rows, self.rejected = rows, rejected
        self.imported_by, self.imported_on = actor.id, occurred_on

    def same_content(self, sha256: str, entries_sha256: str) -> bool:
        """Whether a load of the same file gave the same rows (a re-run, not another file)."""
        return self.sha256 == sha256 and self.entries_sha256 == entries_sha256


def check_as_of(as_of: date, today: date) -> None:
    """A registry describes the past: its date may not be after today."""
    if as_of > today:
        raise RegistryRuleError("registry.as_of", "as_of", as_of.isoformat(),
                                f"a snapshot dated {as_of} is in the future (today is {today})")
