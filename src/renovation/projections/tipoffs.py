"""举报投诉 — one row per tip-off: where it stands, who handles it, its deadlines.

What inspectors list and filter. Words stay sealed in the log: the row holds the statement's
and the conclusion's masked forms (their length) and whether a contact was left, never a
contact's digits. The deadlines are the ones the tip-off was given when lodged; whether it is
overdue depends on the day asked about, so the queries judge it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table, Text
from sqlalchemy.engine import Connection

from renovation.aggregates.tipoff import TipOff, receipt_of
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.vocabulary.tipoffs import TipOffStatus
from renovation.projections.base import (
    Applied,
    Projection,
    ProjectionGapError,
    Row,
    Rows,
    TableSpec,
    dispatch,
)

TIPOFFS = TableSpec(
    "rv_tipoffs",
    lambda: [
        Column("tipoff_id", String(36), primary_key=True),
        Column("receipt", String(20), nullable=False),
        Column("channel", String(16), nullable=False),
        Column("jurisdiction", String(12), nullable=False),
        Column("county", String(12), nullable=False),
        Column("subject", String(32), nullable=False),
        Column("case_refs", Text, nullable=False),  # comma-separated, sorted
        Column("finding_ids", Text, nullable=False),
        Column("objection_id", String(36)),
        Column("lodged_by", String(64), nullable=False),  # a staff id, or "public"
        Column("anonymous", Boolean, nullable=False),
        Column("statement", String(64), nullable=False),  # masked
        Column("lodged_on", Date, nullable=False),
        Column("hand_over_by", Date, nullable=False),
        Column("conclude_by", Date, nullable=False),
        Column("deadlines", String(48), nullable=False),
        Column("status", String(16), nullable=False),
        Column("assignee", String(64)),
        Column("assignee_office", String(12)),
        Column("handed_over_on", Date),
        Column("investigation_started_on", Date),
        Column("concluded_on", Date),
        Column("outcome", String(16)),
        Column("confirmed_findings", Text, nullable=False),
        Column("conclusion", String(64)),  # masked
        Column("version", Integer, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
    ],
    unique=(("receipt",),),
    indexes=(("county", "status"), ("assignee",), ("objection_id",)),
)


def _joined(values: Any) -> str:
    return ",".join(str(v) for v in values)


def _lodged(e: Any) -> Row:
    return {
        "tipoff_id": str(e.originator_id), "receipt": receipt_of(e.originator_id),
        "channel": e.channel.value, "jurisdiction": e.jurisdiction,
        "county": at_level(e.jurisdiction, Level.COUNTY), "subject": e.subject.value,
        "case_refs": _joined(e.case_refs), "finding_ids": _joined(e.finding_ids),
        "objection_id": str(e.objection_id) if e.objection_id else None,
        "lodged_by": e.actor.id, "anonymous": e.contact is None,
        "statement": e.statement.masked, "lodged_on": e.occurred_on,
        "hand_over_by": e.hand_over_by, "conclude_by": e.conclude_by,
        "deadlines": e.deadlines, "status": TipOffStatus.LODGED.value, "assignee": None,
        "assignee_office": None, "handed_over_on": None, "investigation_started_on": None,
        "concluded_on": None, "outcome": None, "confirmed_findings": "", "conclusion": None,
        "version": 1, "recorded_at": e.timestamp,
    }


def _handed_over(row: Row, e: Any) -> None:
    row.update(status=TipOffStatus.HANDED_OVER.value, assignee=e.assignee.id,
               assignee_office=e.assignee.jurisdiction, handed_over_on=e.occurred_on)


def _reassigned(row: Row, e: Any) -> None:
    row.update(assignee=e.assignee.id, assignee_office=e.assignee.jurisdiction)


def _investigating(row: Row, e: Any) -> None:
    row.update(status=TipOffStatus.INVESTIGATING.value, investigation_started_on=e.occurred_on)


def _concluded(row: Row, e: Any) -> None:
    row.update(status=TipOffStatus.CONCLUDED.value, concluded_on=e.occurred_on,
               outcome=e.outcome.value, confirmed_findings=_joined(e.confirmed_findings),
               conclusion=e.conclusion.masked)


HANDLERS: dict[type, Callable[[Row, Any], None]] = {
    TipOff.TipOffHandedOver: _handed_over,
    TipOff.TipOffReassigned: _reassigned,
    TipOff.TipOffInvestigationStarted: _investigating,
    TipOff.TipOffConcluded: _concluded,
}


class TipOffs(Projection):
    """One row per tip-off, kept at the version of the last event applied."""

    name = "tipoffs"
    version = 1
    specs = (TIPOFFS,)

    @property
    def topics(self) -> tuple[str, ...]:
        return (TipOff.TipOffLodged.TOPIC, *(cls.TOPIC for cls in HANDLERS))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        rows = Rows(conn, tables[TIPOFFS.name], ("tipoff_id",))
        rows.load("tipoff_id", {str(e.originator_id) for _, e in events
                                if not isinstance(e, TipOff.TipOffLodged)})
        for _, e in events:
            if isinstance(e, TipOff.TipOffLodged):
                rows.put(_lodged(e))
                continue
            row = rows.get(str(e.originator_id))
            expected = None if row is None else row["version"] + 1
            if row is None or e.originator_version != expected:
                raise ProjectionGapError(
                    f"tip-off {e.originator_id}: {type(e).__name__} has version"
                    f" {e.originator_version}; the read model expected version {expected}")
            dispatch(HANDLERS, e, row)
            row["version"] = e.originator_version
            rows.changed(row)
        rows.flush()
