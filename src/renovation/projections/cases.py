"""案件台账 — one row per case: where it is, who it is for (masked), what it was granted, when.

Stages follow the aggregate's own transitions. The row keeps the version of the last event it
applied, and every case event must be the next version: a skipped or repeated event stops the
projection (ProjectionGapError) instead of leaving a silently wrong row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.events import CaseEvent
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.vocabulary import ReviewDecision, Stage
from renovation.policy import load_policy
from renovation.projections.base import (
    Applied,
    Projection,
    ProjectionGapError,
    Row,
    Rows,
    TableSpec,
    dispatch,
)
from renovation.projections.progress import ROLLUPS, Tally

C = RenovationCase
DATES = (
    "applied_on", "township_approved_on", "approved_on", "agreement_on", "started_on",
    "completed_on", "accepted_on", "paid_on", "closed_on", "ended_on",
)
"""The key dates a case row keeps, in procedure order (`ended_on`: withdrawn or rejected)."""


def _columns() -> list[Column[Any]]:
    codes = [Column(level, String(12), nullable=False)
             for level in ("province", "city", "county", "township", "village")]
    return [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("policy_id", String(40), nullable=False),
        *codes,
        Column("stage", String(24), nullable=False),
        Column("category", String(24), nullable=False),
        Column("department", String(24), nullable=False),
        Column("certified", Boolean, nullable=False),
        Column("mode", String(24), nullable=False),
        Column("grade", String(1)),
        Column("head_name", String(64), nullable=False),
        Column("head_id", String(64), nullable=False),
        Column("phone", String(64)),
        Column("account", String(64)),
        Column("household_size", Integer, nullable=False),
        Column("subsidy_yuan", Integer),
        Column("paid_yuan", Integer, nullable=False),
        Column("funds", JSON, nullable=False),  # source → [approved, requested, paid] yuan
        *(Column(name, Date) for name in DATES),
        Column("agreement_deadline", Date),
        Column("version", Integer, nullable=False),
        Column("updated_on", Date, nullable=False),
    ]


CASES = TableSpec(
    "rv_cases", _columns,
    indexes=(("programme", "county", "stage"), ("county", "case_ref"), ("township", "case_ref"),
             ("village", "case_ref"), ("stage", "case_ref"), ("county", "stage", "case_ref")),
    unique=(("case_ref",),),
)


def _submitted(cases: Rows, e: Any) -> Row:
    village = e.village_code
    household = e.household
    return cases.put({
        "case_id": str(e.originator_id), "case_ref": e.case_ref, "programme": e.programme_id,
        "policy_id": e.policy_id,
        **{level.name.lower(): at_level(village, level) for level in Level},
        "stage": Stage.APPLIED.value, "category": e.category.value,
        "department": load_policy(e.policy_id).categories[e.category].value, "certified": False,
        "mode": e.planned_mode.value, "grade": None,
        "head_name": household.head.name.masked, "head_id": household.head.id_number.masked,
        "phone": household.phone.masked if household.phone else None,
        "account": household.account.number.masked if household.account else None,
        "household_size": household.size, "subsidy_yuan": None, "paid_yuan": 0,
        "funds": {},
        **dict.fromkeys(DATES), "applied_on": e.occurred_on, "agreement_deadline": None,
        "version": 0, "updated_on": e.occurred_on,
    })


def _stage(stage: Stage, date_column: str | None = None) -> Callable[[Row, Any], None]:
    def moved(row: Row, e: Any) -> None:
        row["stage"] = stage.value
        if date_column:
            row[date_column] = e.occurred_on
    return moved


def _certified(row: Row, e: Any) -> None:
    row["department"], row["certified"] = e.department.value, True


def _graded(row: Row, e: Any) -> None:
    row["grade"] = e.grade.value


def _reviewed(row: Row, e: Any) -> None:
    if e.decision is ReviewDecision.APPROVED:
        row["stage"], row["township_approved_on"] = Stage.TOWNSHIP_APPROVED.value, e.occurred_on
    else:
        row["stage"] = Stage.RETURNED.value


def _approved(row: Row, e: Any) -> None:
    row["stage"], row["approved_on"] = Stage.COUNTY_APPROVED.value, e.occurred_on
    row["mode"], row["subsidy_yuan"] = e.approved_mode.value, e.subsidy.amount_yuan
    funds = row["funds"]
    row["funds"] = {source: [amount, *funds.get(source, [0, 0, 0])[1:]]
                    for source, amount in e.subsidy.split_yuan.items()}


def _requested(row: Row, e: Any) -> None:
    _add_funds(row, e.amounts.by_source, 1)


def _add_funds(row: Row, amounts: Mapping[str, int], column: int) -> None:
    funds = {source: list(parts) for source, parts in row["funds"].items()}
    for source, amount in amounts.items():
        funds.setdefault(source, [0, 0, 0])[column] += amount
    row["funds"] = funds


def _agreed(row: Row, e: Any) -> None:
    row["stage"], row["agreement_on"] = Stage.AGREEMENT_SIGNED.value, e.occurred_on
    row["mode"], row["agreement_deadline"] = e.renovation_mode.value, e.deadline


def _accepted(row: Row, e: Any) -> None:
    if e.result.passed:
        row["stage"], row["accepted_on"] = Stage.ACCEPTED.value, e.occurred_on


def _disbursed(row: Row, e: Any) -> None:
    row["paid_yuan"] += e.amounts.total
    _add_funds(row, e.amounts.by_source, 2)
    fully = row["subsidy_yuan"] is not None and row["paid_yuan"] >= row["subsidy_yuan"]
    if fully and row["paid_on"] is None:
        row["paid_on"] = e.occurred_on


CORRECTIONS: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "household.size": lambda new: ("household_size", new),
    "household.head.name": lambda new: ("head_name", new["masked"]),
    "household.phone": lambda new: ("phone", new["masked"] if new else None),
    "household.account": lambda new: ("account", new["number"]["masked"] if new else None),
}
"""Corrections that change a column: the new value as the event carries it (masked only)."""


def _corrected(row: Row, e: Any) -> None:
    column = CORRECTIONS.get(e.field)
    if column is not None:
        name, value = column(e.new)
        row[name] = value


HANDLERS: dict[type, Callable[[Row, Any], None]] = {
    C.CategoryCertified: _certified,
    C.HouseGraded: _graded,
    C.TownshipReviewed: _reviewed,
    C.CountyApprovalGranted: _approved,
    C.CaseRejected: _stage(Stage.REJECTED, "ended_on"),
    C.CaseWithdrawn: _stage(Stage.WITHDRAWN, "ended_on"),
    C.AgreementSigned: _agreed,
    C.ConstructionStarted: _stage(Stage.UNDER_CONSTRUCTION, "started_on"),
    C.ConstructionCompleted: _stage(Stage.CONSTRUCTION_COMPLETED, "completed_on"),
    C.CountyAcceptanceRecorded: _accepted,
    C.PaymentRequested: _requested,
    C.PaymentDisbursed: _disbursed,
    C.CaseClosed: _stage(Stage.CLOSED, "closed_on"),
    C.DataCorrected: _corrected,
}


def case_event_classes() -> tuple[type, ...]:
    """Every event class of the case, handled or not: the version check needs them all."""
    found = {v for v in vars(C).values() if isinstance(v, type) and issubclass(v, CaseEvent)}
    return tuple(sorted(found - {C.Event}, key=lambda cls: cls.TOPIC))


class CaseList(Projection):
    """案件台账 — the case list and the source of progress, construction and overdue reports."""

    name = "cases"
    # 2: running progress counts; 3: milestone days; 4: money per source and its county sums;
    # 5: a county's cases by stage from one index (the list filtered by stage, and its count)
    version = 6  # 6: money per township (rv_funds)
    specs = (CASES, *(rollup.spec for rollup in ROLLUPS))

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(cls.TOPIC for cls in case_event_classes())

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        cases = Rows(conn, tables[CASES.name], ("case_id",))
        keyed = [(str(e.originator_id), e) for _, e in events]
        cases.load("case_id", (case for case, _ in keyed))
        tallies = [Tally(rollup, cases.rows.values()) for rollup in ROLLUPS]
        for case, e in keyed:
            row = cases.get(case)
            if row is None and isinstance(e, C.ApplicationSubmitted):
                row = _submitted(cases, e)
            if row is None or e.originator_version != row["version"] + 1:
                expected = 1 if row is None else row["version"] + 1
                raise ProjectionGapError(
                    f"case {e.originator_id}: {type(e).__name__} has version"
                    f" {e.originator_version}; the read model expected version {expected}"
                )
            dispatch(HANDLERS, e, row)
            row["version"], row["updated_on"] = e.originator_version, e.occurred_on
            cases.touched(case)
        touched = {case: row for (case,), row in cases.rows.items() if (case,) in cases.dirty}
        cases.flush()
        for tally in tallies:
            tally.settle(touched)
            tally.write(conn, tables[tally.rollup.spec.name])
