"""台账 — the villages' housing-safety ledgers, projected from house records and their cases.

A C/D observation on a house with no open entry opens a ledger entry (found by that route); a
formal grading refines it; 报送, the linked case, the order to self-repair and the 销号 are
recorded on it. An entry handled by a renovation case is resolved when the case's county
acceptance passes, so the case events that matter (application, approval, acceptance) are read
here too, keyed by the case's id: a link may come before or after them. Each entry's 报送
deadline is fixed when it opens, from the monitoring rules of its village (policy data).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.house import UNSAFE, HouseRecord
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.vocabulary.monitoring import Discovery, Resolution
from renovation.policy.monitoring import monitoring_rules
from renovation.projections.base import Applied, Projection, Row, Rows, dispatch
from renovation.projections.ledger_tables import CASE_LINKS, ENTRIES, HOUSES

H = HouseRecord
C = RenovationCase
FOUND_BY: dict[type, Discovery] = {
    H.UnsafeHouseSelfReported: Discovery.SELF_REPORT, H.HousePatrolled: Discovery.PATROL,
    H.HouseFlaggedByComparison: Discovery.DATA_COMPARISON,
    H.DisasterDamageReported: Discovery.DISASTER, H.HouseAssessed: Discovery.ASSESSMENT,
}
CASE_TOPICS = (C.ApplicationSubmitted, C.CountyApprovalGranted, C.CountyAcceptanceRecorded)


class Ledger(Projection):
    """农房安全台账 — houses, ledger entries, and the cases that handle them."""

    name = "ledger"
    version = 1
    specs = (HOUSES, ENTRIES, CASE_LINKS)

    @property
    def topics(self) -> tuple[str, ...]:
        house = [cls.TOPIC for cls in (H.HouseRecorded, *FOUND_BY, H.UnsafeHouseReportedToTownship,
                                       H.OccupancyRecorded, H.RenovationCaseLinked,
                                       H.SelfRepairOrdered, H.HouseResolved)]
        return (*house, *(cls.TOPIC for cls in CASE_TOPICS))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        page = _Page(conn, tables)
        page.load(events)
        for position, e in events:
            if isinstance(e, H.Event):
                page.house_event(position, e)
            else:
                page.case_event(e)
        page.flush()


class _Page:
    """The rows one page of events touches, loaded together and written once."""

    def __init__(self, conn: Connection, tables: Mapping[str, Table]) -> None:
        self.houses = Rows(conn, tables[HOUSES.name], ("house_id",))
        self.entries = Rows(conn, tables[ENTRIES.name], ("house_id", "entry_no"))
        self.cases = Rows(conn, tables[CASE_LINKS.name], ("case_id",))

    def load(self, events: Applied) -> None:
        house_ids = {str(e.originator_id) for _, e in events if isinstance(e, H.Event)}
        self.houses.load("house_id", house_ids)
        self.entries.load("house_id", house_ids)
        case_ids = {str(e.originator_id) for _, e in events if not isinstance(e, H.Event)}
        case_ids |= {str(case_id(e.case_ref)) for _, e in events
                     if isinstance(e, H.RenovationCaseLinked)}
        self.cases.load("case_id", case_ids)

    def flush(self) -> None:
        self.houses.flush()
        self.entries.flush()
        self.cases.flush()

    # -- house events ---------------------------------------------------------------------------

    def house_event(self, position: int, e: Any) -> None:
        if isinstance(e, H.HouseRecorded):
            self._recorded(position, e)
            return
        house = self.houses.get(str(e.originator_id))
        assert house is not None, "a house event before the house was recorded"
        house["position"] = position
        self.houses.changed(house)
        if type(e) in FOUND_BY:
            self._observed(house, position, e)
        else:
            dispatch(HANDLERS, e, self, house, position)

    def _recorded(self, position: int, e: Any) -> None:
        self.houses.put({
            "house_id": str(e.originator_id), "village": e.village,
            "township": at_level(e.village, Level.TOWNSHIP),
            "county": at_level(e.village, Level.COUNTY), "house_no": e.house_no,
            "head_masked": e.head_name.masked, "household_ref": e.household_ref,
            "ledger": e.group.value, "category": e.category.value if e.category else None,
            "built_year": e.built_year, "seismic_measures": e.seismic_measures,
            "sole_dwelling": e.sole_dwelling, "recorded_on": e.occurred_on,
            "last_patrol_on": None, "last_assessed_on": None, "last_grade": None,
            "elderly_since": None, "entries": 0, "entry_open": False, "renovated_on": None,
            "position": position})

    def _observed(self, house: Row, position: int, e: Any) -> None:
        grade = e.grade if isinstance(e, H.HouseAssessed) else e.suspected_grade
        if isinstance(e, H.HousePatrolled):
            house["last_patrol_on"] = _later(house["last_patrol_on"], e.occurred_on)
        if isinstance(e, H.HouseAssessed):
            house["last_assessed_on"] = _later(house["last_assessed_on"], e.occurred_on)
        if grade is not None:
            house["last_grade"] = grade.value
        entry = self.open_entry(house)
        if entry is None and grade in UNSAFE:
            self._open(house, position, e, grade.value)
        elif entry is not None and isinstance(e, H.HouseAssessed):
            entry["grade"], entry["position"] = grade.value, position
            self.entries.changed(entry)
            if grade not in UNSAFE and entry["case_ref"] is None:
                self.resolve(house, entry, e.occurred_on, Resolution.GRADED_SAFE)

    def _open(self, house: Row, position: int, e: Any, grade: str) -> None:
        house["entries"] += 1
        house["entry_open"] = True
        self.entries.put({
            "house_id": house["house_id"], "entry_no": house["entries"],
            "village": house["village"], "township": house["township"],
            "county": house["county"], "ledger": house["ledger"], "found_on": e.occurred_on,
            "found_by": FOUND_BY[type(e)].value, "suspected_grade": grade,
            "grade": grade if isinstance(e, H.HouseAssessed) else None,
            "report_due": monitoring_rules(house["village"]).report_due(
                e.occurred_on, disaster=isinstance(e, H.DisasterDamageReported)),
            "reported_on": None,
            "case_ref": None, "fallback": False, "self_repair_ordered_on": None,
            "resolved_on": None, "resolution": None, "position": position})

    def open_entry(self, house: Row) -> Row | None:
        if not house["entry_open"]:
            return None
        return self.entries.get(house["house_id"], house["entries"])

    def resolve(self, house: Row, entry: Row, on: date, resolution: Resolution) -> None:
        entry["resolved_on"], entry["resolution"] = on, resolution.value
        self.entries.changed(entry)
        house["entry_open"] = False
        if resolution is Resolution.RENOVATED:
            house["renovated_on"] = on

    # -- case events ------------------------------------------------------------------------------

    def case_event(self, e: Any) -> None:
        key = str(e.originator_id)
        row = self.cases.get(key) or self.cases.put(_case_row(key))
        if isinstance(e, C.ApplicationSubmitted):
            row["case_ref"], row["village"] = e.case_ref, e.village_code
        elif isinstance(e, C.CountyApprovalGranted):
            row["approved_on"] = e.occurred_on
        elif e.result.passed and row["accepted_on"] is None:
            row["accepted_on"] = e.occurred_on
            self._renovated(row)
        self.cases.changed(row)

    def _renovated(self, case: Row) -> None:
        if case["house_id"] is None or case["accepted_on"] is None:
            return
        house = self.houses.get(case["house_id"])
        if house is None:
            self.houses.load("house_id", [case["house_id"]])
            self.entries.load("house_id", [case["house_id"]])
            house = self.houses.get(case["house_id"])
        assert house is not None
        entry = self.entries.get(case["house_id"], case["entry_no"])
        if entry is not None and entry["resolved_on"] is None:
            self.resolve(house, entry, case["accepted_on"], Resolution.RENOVATED)
            self.houses.changed(house)


def _case_row(key: str) -> Row:
    return {"case_id": key, "case_ref": None, "village": None, "house_id": None,
            "entry_no": None, "found_on": None, "linked_on": None, "approved_on": None,
            "accepted_on": None}


def _later(current: date | None, new: date) -> date:
    return new if current is None or new > current else current


def _reported(page: _Page, house: Row, position: int, e: Any) -> None:
    entry = page.open_entry(house)
    if entry is not None:
        entry["reported_on"], entry["position"] = e.occurred_on, position
        page.entries.changed(entry)


def _occupancy(page: _Page, house: Row, position: int, e: Any) -> None:
    open_now = e.elderly_in_unsafe_house or e.two_homes
    house["elderly_since"] = (house["elderly_since"] or e.occurred_on) if open_now else None


def _linked(page: _Page, house: Row, position: int, e: Any) -> None:
    entry = page.open_entry(house)
    if entry is None:
        return
    entry["case_ref"], entry["fallback"], entry["position"] = e.case_ref, e.fallback, position
    page.entries.changed(entry)
    key = str(case_id(e.case_ref))
    case = page.cases.get(key) or page.cases.put(_case_row(key))
    case.update(case_ref=e.case_ref, house_id=house["house_id"], entry_no=entry["entry_no"],
                found_on=entry["found_on"], linked_on=e.occurred_on)
    page.cases.changed(case)
    page._renovated(case)


def _self_repair(page: _Page, house: Row, position: int, e: Any) -> None:
    entry = page.open_entry(house)
    if entry is not None:
        entry["self_repair_ordered_on"], entry["position"] = e.occurred_on, position
        page.entries.changed(entry)


def _resolved(page: _Page, house: Row, position: int, e: Any) -> None:
    if e.resolution in (Resolution.MOVED_TO_SAFE_HOUSE, Resolution.OLD_HOUSE_DEMOLISHED):
        house["elderly_since"] = None
    entry = page.open_entry(house)
    if entry is not None:
        entry["position"] = position
        page.resolve(house, entry, e.occurred_on, e.resolution)


HANDLERS = {
    H.UnsafeHouseReportedToTownship: _reported, H.OccupancyRecorded: _occupancy,
    H.RenovationCaseLinked: _linked, H.SelfRepairOrdered: _self_repair,
    H.HouseResolved: _resolved,
}
