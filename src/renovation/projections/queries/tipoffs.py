"""举报投诉 — the tip-offs of an area, one tip-off, overdue judged on the day asked about.

Overdue (逾期): not handed over after its hand-over deadline, or not concluded after its
conclusion deadline; the deadlines are those the tip-off was given when lodged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select

from renovation.kernel.jurisdiction import prefix
from renovation.kernel.vocabulary.tipoffs import TipOffStatus
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, tables

_LODGED, _CONCLUDED = TipOffStatus.LODGED.value, TipOffStatus.CONCLUDED.value
_RECEIPT = re.compile(r"^JB-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$")
_ID_START = re.compile(r"^[0-9a-f-]{8,36}$")


def _overdue(t: Table, as_of: date) -> ColumnElement[bool]:
    return or_(and_(t.c.status == _LODGED, t.c.hand_over_by < as_of),
               and_(t.c.status != _CONCLUDED, t.c.conclude_by < as_of))


def list_tipoffs(
    db: ViewsDatabase, as_of: date, within: str | None = None, status: str | None = None,
    overdue: bool = False, assignee: str | None = None, limit: int = 500,
) -> dict[str, Any]:
    """Tip-offs about areas inside `within`, newest first, with counts by status."""
    t = tables(db)["rv_tipoffs"]
    where: list[ColumnElement[bool]] = []
    if within:
        where.append(t.c.jurisdiction.startswith(prefix(within)))
    if assignee:
        where.append(t.c.assignee == assignee)
    chosen = list(where)
    if status:
        chosen.append(t.c.status == status)
    if overdue:
        chosen.append(_overdue(t, as_of))
    query = select(t).where(*chosen).order_by(t.c.lodged_on.desc(), t.c.receipt).limit(limit)
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
        counts = dict(conn.execute(select(t.c.status, func.count(t.c.tipoff_id))
                                   .where(*where).group_by(t.c.status)).all())
        late = conn.execute(select(func.count(t.c.tipoff_id))
                            .where(*where, _overdue(t, as_of))).scalar_one()
    return {"as_of": as_of.isoformat(), "within": within,
            "counts": {**{s.value: counts.get(s.value, 0) for s in TipOffStatus},
                       "overdue": late},
            "tipoffs": [item(row, as_of) for row in rows]}


def show_tipoff(db: ViewsDatabase, key: str, as_of: date) -> dict[str, Any] | None:
    """One tip-off by id, receipt (JB-…) or the first 8 or more characters of its id."""
    t = tables(db)["rv_tipoffs"]
    key = key.strip()
    if _RECEIPT.match(key.upper()):
        condition = t.c.receipt == key.upper()
    elif _ID_START.match(key.lower()):
        condition = t.c.tipoff_id.startswith(key.lower())
    else:
        return None
    with db.engine.connect() as conn:
        rows = conn.execute(select(t).where(condition).limit(2)).all()
    return item(rows[0], as_of) if len(rows) == 1 else None


def objection_by_receipt(db: ViewsDatabase, receipt: str) -> dict[str, Any] | None:
    """The objection a receipt (YY-…) names: its id, case and village."""
    o = tables(db)["rv_objections"]
    with db.engine.connect() as conn:
        row = conn.execute(select(o.c.objection_id, o.c.case_ref, o.c.village)
                           .where(o.c.receipt == receipt.strip().upper())).first()
    return None if row is None else {"objection_id": row.objection_id,
                                     "case_ref": row.case_ref, "village": row.village}


def item(row: Any, as_of: date) -> dict[str, Any]:
    """A row in JSON form, with what is overdue on `as_of`."""
    r = row._mapping
    open_ = r["status"] != _CONCLUDED
    hand_over_late = r["status"] == _LODGED and as_of > r["hand_over_by"]
    conclude_late = open_ and as_of > r["conclude_by"]
    return {
        "tipoff_id": r["tipoff_id"], "receipt": r["receipt"], "channel": r["channel"],
        "jurisdiction": r["jurisdiction"], "county": r["county"], "subject": r["subject"],
        "case_refs": _split(r["case_refs"]), "finding_ids": _split(r["finding_ids"]),
        "objection_id": r["objection_id"], "lodged_by": r["lodged_by"],
        "anonymous": r["anonymous"], "statement": r["statement"],
        "lodged_on": iso(r["lodged_on"]), "status": r["status"],
        "assignee": r["assignee"], "assignee_office": r["assignee_office"],
        "handed_over_on": iso(r["handed_over_on"]),
        "investigation_started_on": iso(r["investigation_started_on"]),
        "concluded_on": iso(r["concluded_on"]), "outcome": r["outcome"],
        "confirmed_findings": _split(r["confirmed_findings"]), "conclusion": r["conclusion"],
        "deadlines": {"hand_over_by": iso(r["hand_over_by"]),
                      "conclude_by": iso(r["conclude_by"]), "policy": r["deadlines"]},
        "overdue": {"hand_over": hand_over_late, "conclude": conclude_late,
                    "any": hand_over_late or conclude_late},
        "version": r["version"],
    }


def _split(text: str) -> list[str]:
    return text.split(",") if text else []
