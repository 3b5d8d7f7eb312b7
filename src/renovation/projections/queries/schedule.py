"""施工进度 — construction started, completed and accepted per month, against the calendar.

The plan's calendar (seed 004 §七) sets three milestones: start by `start_by`, complete by
`complete_by`, accept by `accept_by`. Each is measured against the programme's target
households and the cases approved so far (withdrawn and rejected cases excluded).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Table, func, select

from renovation.policy import Policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, policies, tables, within
from renovation.projections.queries.funding import ENDED

MILESTONES = (
    ("start", "started_on", "start_by"),
    ("complete", "completed_on", "complete_by"),
    ("accept", "accepted_on", "accept_by"),
)


def construction(
    db: ViewsDatabase, programme: str | None = None, inside: str | None = None
) -> dict[str, Any]:
    """For each programme: counts per month and the three milestones."""
    t = tables(db)
    cases, plan = t["rv_cases"], t["rv_allocations"]
    with db.engine.connect() as conn:
        by_policy = policies(conn, t)
        dates = conn.execute(
            select(cases.c.programme, cases.c.started_on, cases.c.completed_on,
                   cases.c.accepted_on, cases.c.approved_on)
            .where(cases.c.stage.not_in(ENDED), *within(cases, inside),
                   *([cases.c.programme == programme] if programme else []))
        ).all()
        targets = {name: int(n) for name, n in conn.execute(_targets(plan))}
    chosen = [p for p in sorted(by_policy) if programme in (None, p)]
    return {"programmes": [
        _programme(p, by_policy[p], [d for d in dates if d.programme == p],
                   None if inside else targets.get(p))
        for p in chosen
    ]}


def _targets(plan: Table) -> Any:
    households = plan.c.rural_revitalization_households + plan.c.civil_affairs_households
    return select(plan.c.programme, func.sum(households)).group_by(plan.c.programme)


def _programme(name: str, policy: Policy, rows: list[Any], target: int | None) -> dict[str, Any]:
    calendar = policy.calendar
    approved = sum(1 for row in rows if row.approved_on is not None)
    return {
        "programme": name,
        "calendar": {"start_by": iso(calendar.start_by), "complete_by": iso(calendar.complete_by),
                     "accept_by": iso(calendar.accept_by)},
        "target_households": target,
        "approved": approved,
        "months": _months(rows),
        "milestones": [_milestone(m, getattr(calendar, due), [getattr(r, col) for r in rows],
                                  target, approved)
                       for m, col, due in MILESTONES],
    }


def _months(rows: list[Any]) -> list[dict[str, Any]]:
    counts = {col: Counter(_month(getattr(r, col)) for r in rows if getattr(r, col))
              for _, col, _ in MILESTONES}
    months = sorted({m for counter in counts.values() for m in counter})
    if not months:
        return []
    result, running = [], Counter[str]()
    for month in _span(months[0], months[-1]):
        line: dict[str, Any] = {"month": month}
        for milestone, col, _ in MILESTONES:
            running[milestone] += counts[col][month]
            line[milestone] = counts[col][month]
            line[f"{milestone}_total"] = running[milestone]
        result.append(line)
    return result


def _milestone(
    milestone: str, due: date, done: list[date | None], target: int | None, approved: int
) -> dict[str, Any]:
    on_time = sum(1 for day in done if day and day <= due)
    late = sum(1 for day in done if day and day > due)
    return {"milestone": milestone, "due": iso(due), "on_time": on_time, "late": late,
            "not_yet": approved - on_time - late, "target": target}


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _span(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
