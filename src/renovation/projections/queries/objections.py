"""公示异议 — the objections lodged against a case's notices, or in an area, newest first."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from renovation.kernel.jurisdiction import prefix
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, tables


def objections(
    db: ViewsDatabase, case_ref: str | None = None, inside: str | None = None,
    since: date | None = None, limit: int = 500,
) -> list[dict[str, Any]]:
    """Objections of one case, or of the villages inside `inside`, lodged on or after `since`."""
    o = tables(db)["rv_objections"]
    where = []
    if case_ref is not None:
        where.append(o.c.case_ref == case_ref)
    if inside is not None:
        where.append(o.c.village.startswith(prefix(inside)))
    if since is not None:
        where.append(o.c.lodged_on >= since)
    query = (select(o.c.receipt, o.c.case_ref, o.c.level, o.c.notice_no, o.c.village, o.c.ground,
                    o.c.lodged_on, o.c.recorded_at)
             .where(*where).order_by(o.c.recorded_at.desc(), o.c.receipt).limit(limit))
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [{"receipt": r.receipt, "case_ref": r.case_ref, "level": r.level,
             "notice_no": r.notice_no, "village": r.village, "ground": r.ground,
             "lodged_on": iso(r.lodged_on), "recorded_at": r.recorded_at.isoformat()}
            for r in rows]
