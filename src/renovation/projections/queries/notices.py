"""公示 — the public notices up now (or on a given date), per level, with masked data only.

What a notice board shows: the case, the village, the head of household's masked name and ID
number, household size, category and mode, and for the county notice the approved subsidy.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from renovation.kernel.vocabulary import NoticeLevel
from renovation.projections.database import ViewsDatabase
from renovation.projections.notices import OPEN
from renovation.projections.queries.common import iso, tables, within

LEVELS = tuple(level.value for level in NoticeLevel)


def open_notices(
    db: ViewsDatabase, level: str | None = None, inside: str | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Notices open now (`as_of` None) or on `as_of`, by level, posting date and number."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"notice levels are {', '.join(LEVELS)}, not {level!r}")
    t = tables(db)
    n, c = t["rv_notices"], t["rv_cases"]
    query = (
        select(n.c.level, n.c.notice_no, n.c.location, n.c.posted_on, n.c.planned_days,
               n.c.due_on, c.c.case_ref, c.c.programme, c.c.county, c.c.township, c.c.village,
               c.c.head_name, c.c.head_id, c.c.household_size, c.c.category, c.c.mode,
               c.c.subsidy_yuan)
        .join_from(n, c, n.c.case_id == c.c.case_id)
        .where(*within(c, inside), *([n.c.level == level] if level else []), *_open(n, as_of))
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    notices = sorted((_notice(row) for row in rows),
                     key=lambda x: (LEVELS.index(x["level"]), x["posted_on"], x["notice_no"],
                                    x["case_ref"]))
    counts = Counter(x["level"] for x in notices)
    return {"as_of": iso(as_of), "within": inside,
            "levels": {lvl: counts[lvl] for lvl in LEVELS if level in (None, lvl)},
            "notices": notices}


def _open(n: Any, as_of: date | None) -> list[Any]:
    if as_of is None:
        return [n.c.status == OPEN]
    return [n.c.posted_on <= as_of,
            or_(n.c.closed_on.is_(None), n.c.closed_on > as_of),
            or_(n.c.ended_on.is_(None), n.c.ended_on > as_of)]


def _notice(row: Any) -> dict[str, Any]:
    county_level = row.level == NoticeLevel.COUNTY.value
    return {
        "level": row.level, "notice_no": row.notice_no, "location": row.location,
        "posted_on": iso(row.posted_on), "planned_days": row.planned_days,
        "due_on": iso(row.due_on), "case_ref": row.case_ref, "programme": row.programme,
        "county": row.county, "township": row.township, "village": row.village,
        "head_name": row.head_name, "head_id": row.head_id,
        "household_size": row.household_size, "category": row.category, "mode": row.mode,
        "subsidy_yuan": row.subsidy_yuan if county_level else None,
    }
