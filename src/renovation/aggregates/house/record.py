"""HouseRecord — 农房安全动态监测: one dwelling, from the village's first look to its 销号.

A house is on the village's books (`HouseRecorded`) before anything is found; observations then
arrive by the four routes of seed 003 §四(一) — self-report, monthly patrol, data comparison and
disaster report — and a formal grading. A C/D observation opens a ledger entry; the village head
signs it to the township (报送); it is resolved (销号) when the household moves to a safe house,
the old house is demolished, an ordinary household repairs it at its own cost, a grading finds it
safe, or — seen by the ledger projection — the linked renovation case is accepted. The aggregate
keeps only what its rules need; the ledgers are projections of these events.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from renovation.aggregates.base import Actor, Aggregate
from renovation.aggregates.house.events import (
    UNSAFE,
    DisasterDamageReported,
    HouseAssessed,
    HouseEvent,
    HouseFlaggedByComparison,
    HousePatrolled,
    HouseRecorded,
    HouseResolved,
    HouseRuleError,
    OccupancyRecorded,
    RenovationCaseLinked,
    SelfRepairOrdered,
    UnsafeHouseReportedToTownship,
    UnsafeHouseSelfReported,
    house_id,
)
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.vocabulary import Category, Grade, GradingMethod
from renovation.kernel.vocabulary.monitoring import (
    DisasterKind,
    LedgerGroup,
    PatrolMethod,
    Resolution,
)

RESOLVED_BY_COMMAND = frozenset({Resolution.MOVED_TO_SAFE_HOUSE, Resolution.OLD_HOUSE_DEMOLISHED,
                                 Resolution.SELF_REPAIRED})


class HouseRecord(Aggregate):
    """农房档案 — one dwelling's monitoring record."""

    TOPIC = "renovation.house:HouseRecord"
    Event = HouseEvent
    HouseRecorded = HouseRecorded
    UnsafeHouseSelfReported = UnsafeHouseSelfReported
    HousePatrolled = HousePatrolled
    HouseFlaggedByComparison = HouseFlaggedByComparison
    DisasterDamageReported = DisasterDamageReported
    HouseAssessed = HouseAssessed
    UnsafeHouseReportedToTownship = UnsafeHouseReportedToTownship
    OccupancyRecorded = OccupancyRecorded
    RenovationCaseLinked = RenovationCaseLinked
    SelfRepairOrdered = SelfRepairOrdered
    HouseResolved = HouseResolved

    @staticmethod
    def create_id(village: str, household_ref: str, house_no: str, **_: object) -> UUID:
        return house_id(village, household_ref, house_no)

    @event(HouseRecorded)
    def __init__(
        self, village: str, household_ref: str, house_no: str, head_name: ProtectedValue,
        group: LedgerGroup, category: Category | None, built_year: int | None,
        seismic_measures: bool | None, sole_dwelling: bool, actor: Actor, occurred_on: date,
    ) -> None:
        self.village, self.household_ref, self.house_no = village, household_ref, house_no
        self.group, self.recorded_on = group, occurred_on
        self.open_since: date | None = None
        self.reported = False
        self.case_ref: str | None = None
        self.self_repair_ordered = False
        self.elderly_open = False

    # -- guards -------------------------------------------------------------------------------

    def _dated(self, occurred_on: date, today: date) -> None:
        if occurred_on > today:
            raise HouseRuleError("house.date_not_future", "occurred_on", occurred_on.isoformat(),
                                 f"{occurred_on} is after today ({today})")
        if occurred_on < self.recorded_on:
            raise HouseRuleError("house.date_after_recorded", "occurred_on",
                                 occurred_on.isoformat(),
                                 f"the house was recorded on {self.recorded_on}")

    def _open(self, act: str) -> None:
        if self.open_since is None:
            raise HouseRuleError("house.entry_open", "house_id", str(self.id),
                                 f"{act} needs an open ledger entry (a C/D finding not yet"
                                 " resolved) on this house")

    @staticmethod
    def _unsafe(grade: Grade) -> None:
        if grade not in UNSAFE:
            raise HouseRuleError("house.suspected_unsafe", "suspected_grade", grade.value,
                                 "a report of danger suspects grade C or D")

    # -- commands -----------------------------------------------------------------------------

    def self_report(self, grade: Grade, actor: Actor, occurred_on: date, today: date) -> None:
        self._dated(occurred_on, today)
        self._unsafe(grade)
        self._self_reported(suspected_grade=grade, actor=actor, occurred_on=occurred_on)

    def patrol(self, method: PatrolMethod, grade: Grade | None, photos: tuple[str, ...],
               actor: Actor, occurred_on: date, today: date) -> None:
        self._dated(occurred_on, today)
        self._patrolled(method=method, suspected_grade=grade, photos=photos, actor=actor,
                        occurred_on=occurred_on)

    def flag(self, grade: Grade, source: str, actor: Actor, occurred_on: date,
             today: date) -> None:
        self._dated(occurred_on, today)
        self._unsafe(grade)
        self._flagged(suspected_grade=grade, source=source, actor=actor, occurred_on=occurred_on)

    def disaster(self, kind: DisasterKind, grade: Grade, actor: Actor, occurred_on: date,
                 today: date) -> None:
        self._dated(occurred_on, today)
        self._unsafe(grade)
        self._disaster(disaster=kind, suspected_grade=grade, actor=actor, occurred_on=occurred_on)

    def assess(self, grade: Grade, method: GradingMethod, report: str | None, actor: Actor,
               occurred_on: date, today: date) -> None:
        self._dated(occurred_on, today)
        self._assessed(grade=grade, method=method, report=report, actor=actor,
                       occurred_on=occurred_on)

    def report_to_township(self, actor: Actor, occurred_on: date, today: date) -> None:
        self._dated(occurred_on, today)
        self._open("reporting to the township")
        if self.reported:
            raise HouseRuleError("house.reported_once", "house_id", str(self.id),
                                 "this entry was already reported to the township")
        self._reported(actor=actor, occurred_on=occurred_on)

    def occupancy(self, elderly: bool, two_homes: bool, actor: Actor, occurred_on: date,
                  today: date) -> None:
        self._dated(occurred_on, today)
        self._occupancy(elderly_in_unsafe_house=elderly, two_homes=two_homes, actor=actor,
                        occurred_on=occurred_on)

    def link_case(self, case_ref: str, fallback: bool, actor: Actor, occurred_on: date,
                  today: date) -> None:
        self._dated(occurred_on, today)
        self._open("opening a renovation case")
        if self.case_ref is not None:
            raise HouseRuleError("house.case_linked_once", "case_ref", case_ref,
                                 f"this entry is already handled by case {self.case_ref}")
        if fallback and self.group is not LedgerGroup.ORDINARY:
            raise HouseRuleError("house.fallback_ordinary", "fallback", "true",
                                 "兜底 is for an ordinary household unable to fix its house;"
                                 " a key-group household is supported by the programme itself")
        self._case_linked(case_ref=case_ref, fallback=fallback, actor=actor,
                          occurred_on=occurred_on)

    def order_self_repair(self, actor: Actor, occurred_on: date, today: date) -> None:
        self._dated(occurred_on, today)
        self._open("ordering a self-repair")
        if self.group is not LedgerGroup.ORDINARY or self.case_ref is not None:
            raise HouseRuleError("house.self_repair_ordinary", "house_id", str(self.id),
                                 "only an ordinary household's house not taken into a renovation"
                                 " case is repaired at its own cost")
        self._self_repair_ordered(actor=actor, occurred_on=occurred_on)

    def resolve(self, resolution: Resolution, actor: Actor, occurred_on: date,
                today: date) -> None:
        self._dated(occurred_on, today)
        if resolution not in RESOLVED_BY_COMMAND:
            raise HouseRuleError("house.resolution_recorded", "resolution", resolution.value,
                                 "renovation is resolved by the case's acceptance and"
                                 " graded_safe by an assessment, not recorded by hand")
        if self.open_since is None and not (self.elderly_open and resolution in (
                Resolution.MOVED_TO_SAFE_HOUSE, Resolution.OLD_HOUSE_DEMOLISHED)):
            self._open("a resolution")
        if resolution is Resolution.SELF_REPAIRED and not self.self_repair_ordered:
            raise HouseRuleError("house.self_repair_ordered", "resolution", resolution.value,
                                 "record the order to repair before the repair")
        self._resolved(resolution=resolution, actor=actor, occurred_on=occurred_on)

    # -- state --------------------------------------------------------------------------------

    def _found(self, grade: Grade | None, occurred_on: date) -> None:
        if grade in UNSAFE and self.open_since is None:
            self.open_since, self.reported = occurred_on, False
            self.case_ref, self.self_repair_ordered = None, False

    def _close(self) -> None:
        self.open_since = None

    @event(UnsafeHouseSelfReported)
    def _self_reported(self, suspected_grade: Grade, actor: Actor, occurred_on: date) -> None:
        self._found(suspected_grade, occurred_on)

    @event(HousePatrolled)
    def _patrolled(self, method: PatrolMethod, suspected_grade: Grade | None,
                   photos: tuple[str, ...], actor: Actor, occurred_on: date) -> None:
        self._found(suspected_grade, occurred_on)

    @event(HouseFlaggedByComparison)
    def _flagged(self, suspected_grade: Grade, source: str, actor: Actor,
                 occurred_on: date) -> None:
        self._found(suspected_grade, occurred_on)

    @event(DisasterDamageReported)
    def _disaster(self, disaster: DisasterKind, suspected_grade: Grade, actor: Actor,
                  occurred_on: date) -> None:
        self._found(suspected_grade, occurred_on)

    @event(HouseAssessed)
    def _assessed(self, grade: Grade, method: GradingMethod, report: str | None, actor: Actor,
                  occurred_on: date) -> None:
        if grade in UNSAFE:
            self._found(grade, occurred_on)
        elif self.case_ref is None:
            self._close()

    @event(UnsafeHouseReportedToTownship)
    def _reported(self, actor: Actor, occurred_on: date) -> None:
        self.reported = True

    @event(OccupancyRecorded)
    def _occupancy(self, elderly_in_unsafe_house: bool, two_homes: bool, actor: Actor,
                   occurred_on: date) -> None:
        self.elderly_open = elderly_in_unsafe_house or two_homes

    @event(RenovationCaseLinked)
    def _case_linked(self, case_ref: str, fallback: bool, actor: Actor,
                     occurred_on: date) -> None:
        self.case_ref = case_ref

    @event(SelfRepairOrdered)
    def _self_repair_ordered(self, actor: Actor, occurred_on: date) -> None:
        self.self_repair_ordered = True

    @event(HouseResolved)
    def _resolved(self, resolution: Resolution, actor: Actor, occurred_on: date) -> None:
        if resolution in (Resolution.MOVED_TO_SAFE_HOUSE, Resolution.OLD_HOUSE_DEMOLISHED):
            self.elderly_open = False
        self._close()
