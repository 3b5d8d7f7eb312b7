"""台账 — what the housing-safety ledgers answer: the entries of an area, the houses that need
attention this month, and the 动态清零 (zeroing) count by county or township.

Everything is judged as of a date: an entry counts once found on or before it, resolved once
销号 on or before it, overdue when still open after its 报送 deadline without a report by then.
The attention flags (patrol, re-assessment, elderly occupancy, re-check) read each house's
latest record against that date's month and rules.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, func, or_, select

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import prefix
from renovation.policy.monitoring import monitoring_rules
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, tables

KINDS = ("key", "ordinary")
MAX_LIMIT = 5000


def ledger_entries(db: ViewsDatabase, as_of: date, within: str | None = None,
                   kind: str | None = None, limit: int = 1000) -> dict[str, Any]:
    """The entries found by `as_of` in the area, village by village, open ones first."""
    _check(kind, limit)
    t = tables(db)
    e, h = t["rv_ledger_entries"], t["rv_houses"]
    where = [e.c.found_on <= as_of, *_area(e, within), *_kind(e, kind)]
    query = (select(e, h.c.house_no, h.c.head_masked, h.c.category)
             .join(h, h.c.house_id == e.c.house_id).where(*where)
             .order_by(e.c.village, e.c.found_on, e.c.house_id, e.c.entry_no).limit(limit + 1))
    with db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    return {"as_of": as_of.isoformat(), "within": within, "kind": kind,
            "truncated": len(rows) > limit, "entries": [_entry(r, as_of) for r in rows[:limit]]}


def _entry(r: dict[str, Any], as_of: date) -> dict[str, Any]:
    resolved = r["resolved_on"] is not None and r["resolved_on"] <= as_of
    reported = r["reported_on"] if r["reported_on"] and r["reported_on"] <= as_of else None
    if resolved:
        status = "resolved"
    elif r["case_ref"] or r["self_repair_ordered_on"]:
        status = "rectifying"
    else:
        status = "open"
    return {
        "house_id": r["house_id"], "entry_no": r["entry_no"], "village": r["village"],
        "house_no": r["house_no"], "head": r["head_masked"], "ledger": r["ledger"],
        "category": r["category"], "found_on": iso(r["found_on"]), "found_by": r["found_by"],
        "suspected_grade": r["suspected_grade"], "grade": r["grade"],
        "report_due": iso(r["report_due"]), "reported_on": iso(reported),
        "overdue": not resolved and reported is None and r["report_due"] < as_of,
        "status": status, "case_ref": r["case_ref"], "fallback": r["fallback"],
        "resolution": r["resolution"] if resolved else None,
        "resolved_on": iso(r["resolved_on"]) if resolved else None,
    }


def attention(db: ViewsDatabase, as_of: date, within: str | None = None,
              kind: str | None = None, limit: int = 1000) -> dict[str, Any]:
    """Houses needing something this month: a patrol, the yearly re-assessment, moving the
    elderly out, or the re-check after renovation (杜绝一改了之)."""
    _check(kind, limit)
    h = tables(db)["rv_houses"]
    month = as_of.replace(day=1)
    query = (select(h).where(h.c.recorded_on <= as_of, *_area(h, within), *_kind(h, kind))
             .order_by(h.c.village, h.c.house_id))
    out: list[dict[str, Any]] = []
    with db.engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(query):
            flags = _flags(dict(row._mapping), as_of, month)
            if flags:
                out.append({"house_id": row.house_id, "village": row.village,
                            "house_no": row.house_no, "head": row.head_masked,
                            "ledger": row.ledger, "needs": flags})
                if len(out) > limit:
                    break
    return {"as_of": as_of.isoformat(), "within": within, "kind": kind,
            "truncated": len(out) > limit, "houses": out[:limit]}


def _flags(h: dict[str, Any], as_of: date, month: date) -> list[str]:
    rules = monitoring_rules(h["village"])
    patrolled = h["last_patrol_on"] is not None and month <= h["last_patrol_on"] <= as_of
    watched = (h["entry_open"] or h["elderly_since"] is not None
               or rules.needs_monthly_patrol(h["built_year"], as_of))
    flags = []
    if watched and not patrolled:
        flags.append("patrol_missing")
    assessed = h["last_assessed_on"]
    if rules.needs_reassessment(h["built_year"], h["seismic_measures"], as_of) and (
            assessed is None or assessed <= as_of - timedelta(days=365)):
        flags.append("reassessment_due")
    if h["elderly_since"] is not None and h["elderly_since"] <= as_of:
        flags.append("elderly_occupancy")
    renovated = h["renovated_on"]
    if renovated is not None and as_of >= renovated + timedelta(days=rules.recheck_after_days):
        checks = [d for d in (h["last_patrol_on"], h["last_assessed_on"]) if d is not None]
        if not any(renovated < d <= as_of for d in checks):
            flags.append("recheck_due")
    return flags


def zeroing(db: ViewsDatabase, as_of: date, by: str = "county",
            within: str | None = None, kind: str | None = None) -> dict[str, Any]:
    """动态清零: per county or township, entries found, resolved, outstanding and overdue."""
    if by not in ("county", "township", "village"):
        raise InvalidInputError("ledger.by_level", "by", by,
                                "by is county, township or village")
    _check(kind, 1)
    e = tables(db)["rv_ledger_entries"]
    resolved = and_(e.c.resolved_on.is_not(None), e.c.resolved_on <= as_of)
    unreported = or_(e.c.reported_on.is_(None), e.c.reported_on > as_of)
    overdue = and_(~resolved, unreported, e.c.report_due < as_of)
    group = e.c[by]
    query = (select(group.label("code"), func.count().label("found"),
                    func.sum(case((resolved, 1), else_=0), type_=Integer).label("resolved"),
                    func.sum(case((overdue, 1), else_=0), type_=Integer).label("overdue"))
             .where(e.c.found_on <= as_of, *_area(e, within), *_kind(e, kind))
             .group_by(group).order_by(group))
    with db.engine.connect() as conn:
        rows = [{"code": r.code, "found": r.found, "resolved": r.resolved or 0,
                 "outstanding": r.found - (r.resolved or 0), "overdue": r.overdue or 0}
                for r in conn.execute(query)]
    total = {k: sum(r[k] for r in rows) for k in ("found", "resolved", "outstanding", "overdue")}
    return {"as_of": as_of.isoformat(), "by": by, "within": within, "kind": kind,
            "rows": rows, "total": total}


def _area(table: Any, code: str | None) -> list[Any]:
    return [table.c.village.startswith(prefix(code))] if code else []


def _kind(table: Any, kind: str | None) -> list[Any]:
    return [table.c.ledger == kind] if kind else []


def _check(kind: str | None, limit: int) -> None:
    if kind is not None and kind not in KINDS:
        raise InvalidInputError("ledger.kind_known", "kind", kind, "kind is key or ordinary")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError("ledger.limit_range", "limit", limit,
                                f"limit is 1 to {MAX_LIMIT}")


def survey_of_case(db: ViewsDatabase, case_ref: str) -> dict[str, Any] | None:
    """The ledger entry the case was opened from (摸排来源), or None when it has none."""
    t = tables(db)
    links, e = t["rv_house_cases"], t["rv_ledger_entries"]
    query = (select(e.c.house_id, e.c.found_on, e.c.found_by, e.c.suspected_grade, e.c.grade,
                    links.c.linked_on)
             .join(e, and_(e.c.house_id == links.c.house_id, e.c.entry_no == links.c.entry_no))
             .where(links.c.case_ref == case_ref))
    with db.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return {"house_id": row.house_id, "found_on": iso(row.found_on), "found_by": row.found_by,
            "suspected_grade": row.suspected_grade, "grade": row.grade,
            "linked_on": iso(row.linked_on)}
