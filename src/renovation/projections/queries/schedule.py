"""施工进度 — construction started, completed and accepted per month, against the calendar.

The plan's calendar (seed 004 §七) sets three milestones: start by `start_by`, complete by
`complete_by`, accept by `accept_by`. Each is measured against the programme's target
households and the cases approved so far (withdrawn and rejected cases excluded).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from renovation.policy import Policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.progress import ENDED, MILESTONE_DATES
from renovation.projections.queries.common import iso, level_column, policies, tables, within

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
    with db.engine.connect() as conn:
        by_policy = policies(conn, t)
        wide = inside is None or level_column(inside) in ("province", "city", "county")
        days = (_counted_days if wide else _scanned_days)(conn, t, programme, inside)
        targets = {name: int(n) for name, n in conn.execute(_targets(t["rv_allocations"]))}
    chosen = [p for p in sorted(by_policy) if programme in (None, p)]
    return {"programmes": [
        _programme(p, by_policy[p], days.get(p, {}), None if inside else targets.get(p))
        for p in chosen
    ]}


Days = dict[str, dict[str, Counter[date]]]
"""programme → milestone (and "approved") → cases per day."""


def _counted_days(conn: Connection, t: dict[str, Table], programme: str | None,
                  inside: str | None) -> Days:
    """From the running counts: a few rows per county and day, whatever the number of cases."""
    m = t["rv_milestones"]
    query = (select(m.c.programme, m.c.milestone, m.c.day, func.sum(m.c.cases))
             .where(*within(m, inside), *([m.c.programme == programme] if programme else []))
             .group_by(m.c.programme, m.c.milestone, m.c.day))
    days: Days = defaultdict(lambda: defaultdict(Counter))
    for name, milestone, day, n in conn.execute(query):
        days[name][milestone][day] += int(n)
    return days


def _scanned_days(conn: Connection, t: dict[str, Table], programme: str | None,
                  inside: str | None) -> Days:
    """Inside a township or village: its cases, found by index, counted here."""
    cases = t["rv_cases"]
    columns = [cases.c[column] for _, column in MILESTONE_DATES]
    query = (select(cases.c.programme, *columns)
             .where(cases.c.stage.not_in(ENDED), *within(cases, inside),
                    *([cases.c.programme == programme] if programme else [])))
    days: Days = defaultdict(lambda: defaultdict(Counter))
    for name, *dated in conn.execute(query):
        for (milestone, _), day in zip(MILESTONE_DATES, dated, strict=True):
            if day is not None:
                days[name][milestone][day] += 1
    return days


def _targets(plan: Table) -> Any:
    households = plan.c.rural_revitalization_households + plan.c.civil_affairs_households
    return select(plan.c.programme, func.sum(households)).group_by(plan.c.programme)


def _programme(
    name: str, policy: Policy, days: dict[str, Counter[date]], target: int | None
) -> dict[str, Any]:
    calendar = policy.calendar
    approved = sum(days.get("approved", Counter()).values())
    return {
        "programme": name,
        "calendar": {"start_by": iso(calendar.start_by), "complete_by": iso(calendar.complete_by),
                     "accept_by": iso(calendar.accept_by)},
        "target_households": target,
        "approved": approved,
        "months": _months(days),
        "milestones": [_milestone(m, getattr(calendar, due), days.get(m, Counter()), target,
                                  approved)
                       for m, _, due in MILESTONES],
    }


def _months(days: dict[str, Counter[date]]) -> list[dict[str, Any]]:
    counts = {m: Counter[str]() for m, _, _ in MILESTONES}
    for milestone, counter in counts.items():
        for day, n in days.get(milestone, Counter()).items():
            counter[_month(day)] += n
    months = sorted({m for counter in counts.values() for m in counter})
    if not months:
        return []
    result, running = [], Counter[str]()
    for month in _span(months[0], months[-1]):
        line: dict[str, Any] = {"month": month}
        for milestone, _, _ in MILESTONES:
            running[milestone] += counts[milestone][month]
            line[milestone] = counts[milestone][month]
            line[f"{milestone}_total"] = running[milestone]
        result.append(line)
    return result


def _milestone(
    milestone: str, due: date, done: Counter[date], target: int | None, approved: int
) -> dict[str, Any]:
    on_time = sum(n for day, n in done.items() if day <= due)
    late = sum(n for day, n in done.items() if day > due)
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
