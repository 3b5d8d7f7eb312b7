"""The events of a house record (农房档案): each is a fact the village recorded."""


from __future__ import annotations

from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate
from pydantic import Field, StringConstraints

from renovation.aggregates.base import AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.protected import BlindIndex, ProtectedValue
from renovation.kernel.types import Reference, Sha256Hex
from renovation.kernel.vocabulary import Category, Grade, GradingMethod
from renovation.kernel.vocabulary.monitoring import (
    DisasterKind,
    LedgerGroup,
    PatrolMethod,
    Resolution,
)

HOUSE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:house-record")
HouseNo = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{1,20}$")]
Photos = Annotated[tuple[Sha256Hex, ...], Field(max_length=20)]
UNSAFE = frozenset({Grade.C, Grade.D})


def house_id(village: str, household_ref: str, house_no: str) -> UUID:
    return uuid5(HOUSE_NAMESPACE, f"{village}|{household_ref}|{house_no}")


class HouseRuleError(RuleViolation):
    """The act does not fit the house's record."""


class HouseEvent(AggregateEvent):
    """Base of a house record's events."""


class HouseRecorded(HouseEvent, CanInitAggregate[UUID]):
    """建档 — the dwelling is on the village's books."""

    TOPIC: ClassVar[str] = "renovation.house:HouseRecorded"
    originator_topic: str
    village: DivisionCode
    household_ref: BlindIndex
    house_no: HouseNo
    head_name: ProtectedValue
    group: LedgerGroup
    category: Category | None
    built_year: int | None
    seismic_measures: bool | None
    sole_dwelling: bool


class UnsafeHouseSelfReported(HouseEvent):
    """农户主动申报 — the household reported signs of danger."""

    TOPIC: ClassVar[str] = "renovation.house:UnsafeHouseSelfReported"
    suspected_grade: Grade


class HousePatrolled(HouseEvent):
    """日常巡查 — a cadre looked at the house; `suspected_grade` is None when nothing was seen."""

    TOPIC: ClassVar[str] = "renovation.house:HousePatrolled"
    method: PatrolMethod
    suspected_grade: Grade | None
    photos: Photos = ()


class HouseFlaggedByComparison(HouseEvent):
    """定期比对筛查 — cross-department data comparison flagged the house."""

    TOPIC: ClassVar[str] = "renovation.house:HouseFlaggedByComparison"
    suspected_grade: Grade
    source: Reference


class DisasterDamageReported(HouseEvent):
    """灾害新增危房 — damaged by a disaster; to be reported at once."""

    TOPIC: ClassVar[str] = "renovation.house:DisasterDamageReported"
    disaster: DisasterKind
    suspected_grade: Grade


class HouseAssessed(HouseEvent):
    """鉴定 — a formal grading (also the yearly re-assessment of old houses)."""

    TOPIC: ClassVar[str] = "renovation.house:HouseAssessed"
    grade: Grade
    method: GradingMethod
    report: Sha256Hex | None = None


class UnsafeHouseReportedToTownship(HouseEvent):
    """报送 — the village head signed the entry and it reached the township."""

    TOPIC: ClassVar[str] = "renovation.house:UnsafeHouseReportedToTownship"


class OccupancyRecorded(HouseEvent):
    """老人住危房 / 两头住 — who lives in the house."""

    TOPIC: ClassVar[str] = "renovation.house:OccupancyRecorded"
    elderly_in_unsafe_house: bool
    two_homes: bool


class RenovationCaseLinked(HouseEvent):
    """纳入改造 — a renovation case was opened for this entry (兜底 for an ordinary household
    unable to fix the house itself)."""

    TOPIC: ClassVar[str] = "renovation.house:RenovationCaseLinked"
    case_ref: Reference
    fallback: bool


class SelfRepairOrdered(HouseEvent):
    """督促自行排险 — an ordinary household able to fix the house is told to, under supervision."""

    TOPIC: ClassVar[str] = "renovation.house:SelfRepairOrdered"


class HouseResolved(HouseEvent):
    """销号 — the danger is gone by `resolution` (not by renovation: see the ledger)."""

    TOPIC: ClassVar[str] = "renovation.house:HouseResolved"
    resolution: Resolution
