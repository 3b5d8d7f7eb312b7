"""公示异议 — objections lodged on the public notice page, per case and notice.

What officials and inspectors see of them: when, against which notice, on what ground, and the
receipt quoted to the objector. The statement and contact stay sealed in the log; this table
holds neither (not even masked), so reading them is an act monitoring records.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Column, Date, DateTime, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.objection import NoticeObjection, receipt_of
from renovation.kernel.jurisdiction import Level, at_level
from renovation.projections.base import Applied, Projection, Rows, TableSpec

OBJECTIONS = TableSpec(
    "rv_objections",
    lambda: [
        Column("objection_id", String(36), primary_key=True),
        Column("receipt", String(20), nullable=False),
        Column("case_ref", String(64), nullable=False),
        Column("level", String(12), nullable=False),
        Column("notice_no", String(64), nullable=False),
        Column("county", String(12), nullable=False),
        Column("village", String(12), nullable=False),
        Column("ground", String(32), nullable=False),
        Column("lodged_on", Date, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
    ],
    unique=(("receipt",),),
    indexes=(("case_ref",), ("village",)),
)


class Objections(Projection):
    """One row per objection lodged."""

    name = "objections"
    version = 1
    specs = (OBJECTIONS,)

    @property
    def topics(self) -> tuple[str, ...]:
        return (NoticeObjection.ObjectionLodged.TOPIC,)

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        rows = Rows(conn, tables[OBJECTIONS.name], ("objection_id",))
        for _, e in events:
            rows.put({"objection_id": str(e.originator_id), "receipt": receipt_of(e.originator_id),
                      "case_ref": e.case_ref, "level": e.level.value, "notice_no": e.notice_no,
                      "county": at_level(e.village, Level.COUNTY), "village": e.village,
                      "ground": e.ground.value, "lodged_on": e.occurred_on,
                      "recorded_at": e.timestamp})
        rows.flush()
