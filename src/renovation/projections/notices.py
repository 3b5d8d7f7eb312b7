"""公示 — every public notice posted: when, for how long, when closed, what objections came.

A notice is `open` until closed; it is `superseded` when the case replaces it (a new democratic
review voids the open village notice, a second notice at a level replaces the first) and
`cancelled` when the case is withdrawn or rejected while it was up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase
from renovation.kernel.vocabulary import NoticeLevel, ReviewDecision
from renovation.projections.base import Applied, Projection, Row, Rows, TableSpec

C = RenovationCase
OPEN, CLOSED, SUPERSEDED, CANCELLED = "open", "closed", "superseded", "cancelled"

NOTICES = TableSpec(
    "rv_notices",
    lambda: [
        Column("case_id", String(36), primary_key=True),
        Column("seq", Integer, primary_key=True),  # the version of the posting event
        Column("level", String(12), nullable=False),
        Column("notice_no", String(64), nullable=False),
        Column("location", String(500), nullable=False),
        Column("posted_on", Date, nullable=False),
        Column("planned_days", Integer, nullable=False),
        Column("due_on", Date, nullable=False),
        Column("status", String(12), nullable=False),
        Column("closed_on", Date),
        Column("ended_on", Date),
        Column("objections_received", Integer),
        Column("objections_upheld", Integer),
    ],
    # (closed_on, posted_on): "open on a date" is closed_on null or after it; nearly every
    # notice of a past year closed long before, so this finds the few without a scan.
    indexes=(("status", "level"), ("level", "posted_on"), ("closed_on", "posted_on")),
)


class Notices(Projection):
    """公示 — notices at village, township and county level, open or ended."""

    name = "notices"
    version = 2  # 2: the index on (closed_on, posted_on)
    specs = (NOTICES,)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(cls.TOPIC for cls in (
            C.PublicNoticePosted, C.PublicNoticeClosed, C.DemocraticReviewHeld,
            C.TownshipReviewed, C.CaseWithdrawn, C.CaseRejected,
        ))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        table = tables[NOTICES.name]
        notices = Rows(conn, table, ("case_id", "seq"))
        notices.load("case_id", {str(e.originator_id) for _, e in events}, table.c.status == OPEN)
        up = {(row["case_id"], row["level"]): row for row in notices.rows.values()}
        for _, e in events:
            case = str(e.originator_id)
            if isinstance(e, C.PublicNoticePosted):
                _end(notices, up, case, e, SUPERSEDED, e.level)
                up[case, e.level.value] = notices.put(_posted(case, e))
            elif isinstance(e, C.PublicNoticeClosed):
                row = up.pop((case, e.level.value))
                row.update(status=CLOSED, closed_on=e.occurred_on,
                           objections_received=e.objections_received,
                           objections_upheld=e.objections_upheld)
                notices.changed(row)
            elif _voids_village_notice(e):
                _end(notices, up, case, e, SUPERSEDED, NoticeLevel.VILLAGE)
            elif isinstance(e, C.CaseWithdrawn | C.CaseRejected):
                for level in NoticeLevel:
                    _end(notices, up, case, e, CANCELLED, level)
        notices.flush()


def _voids_village_notice(e: Any) -> bool:
    """A new democratic review, or a return to the village, takes the village notice down."""
    if isinstance(e, C.TownshipReviewed):
        return e.decision is ReviewDecision.RETURNED
    return isinstance(e, C.DemocraticReviewHeld)


Up = dict[tuple[str, str], Row]
"""The open notice of each (case, level): a case has at most one notice up per level."""


def _posted(case: str, e: Any) -> Row:
    return {
        "case_id": case, "seq": e.originator_version, "level": e.level.value,
        "notice_no": e.notice_no, "location": e.location, "posted_on": e.occurred_on,
        "planned_days": e.planned_days, "due_on": e.occurred_on + timedelta(days=e.planned_days),
        "status": OPEN, "closed_on": None, "ended_on": None, "objections_received": None,
        "objections_upheld": None,
    }


def _end(notices: Rows, up: Up, case: str, e: Any, status: str, level: NoticeLevel) -> None:
    row = up.pop((case, level.value), None)
    if row is not None:
        row["status"], row["ended_on"] = status, e.occurred_on
        notices.changed(row)
