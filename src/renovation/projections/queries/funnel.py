"""进度 — the stage funnel per county, township or village against the programme's targets.

`funnel` counts the cases that reached each step (whatever happened after), `stages` where the
cases stand now; targets come from the programme's plan rows (counties only), by department.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, func, select

from renovation.kernel.jurisdiction import covers
from renovation.kernel.vocabulary import Department, Stage
from renovation.policy.models import Calendar
from renovation.projections.database import ViewsDatabase
from renovation.projections.progress import STEPS as PROGRESS_STEPS
from renovation.projections.queries.common import policies, tables, within

BY = ("county", "township", "village")
STEPS = (("applied", "cases"), *((step, step) for step, _ in PROGRESS_STEPS))
"""Each funnel step, and the column of the running counts that says how many reached it."""
DEPARTMENTS = tuple(d.value for d in Department)
STAGES = tuple(stage.value for stage in Stage)
STEP_NAMES = tuple(step for step, _ in STEPS)


def progress(
    db: ViewsDatabase, by: str = "county", programme: str | None = None,
    inside: str | None = None, limit: int | None = None, after: str | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """One row per jurisdiction at level `by` (and programme), then the total of the scope.

    `limit` and `after` page the rows by code (a city has thousands of villages); `next` is the
    `after` of the following page, or None on the last one. With `as_of`, each row says what
    it is behind on (`behind`, see `behind`) and the answer carries the calendar."""
    if by not in BY:
        raise ValueError(f"progress is reported by {', '.join(BY)}, not {by!r}")
    if limit is not None and limit < 1:
        raise ValueError(f"a page holds at least one row, not {limit}")
    t = tables(db)
    counts = t["rv_progress"]
    with db.engine.connect() as conn:
        page = _page(conn, counts, by, programme, inside, limit, after)
        counted = conn.execute(_counts(counts, (counts.c.programme, counts.c[by]), programme,
                                       inside, page)).all()
        overall = conn.execute(_counts(counts, (), programme, inside)).all()
        targets = _targets(conn, t["rv_allocations"], programme, inside) if by == "county" else {}
        calendars_by_programme = policies(conn, t) if as_of is not None else {}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for key, (name, target) in targets.items():
        rows[key] = _row(key, name, target)
    for programme_, code, department, stage, n, *reached in counted:
        row = rows.get((programme_, code))
        if row is None:
            row = rows[programme_, code] = _row((programme_, code), None, None)
        _add(row, department, stage, n, reached)
    listed = [rows[key] for key in sorted(rows) if page is None or key[1] in page.codes]
    answer = {"by": by, "programme": programme, "within": inside, "steps": list(STEP_NAMES),
              "rows": listed, "total": _total(overall, targets)}
    if page is not None:
        answer.update(limit=limit, after=after, next=page.next)
    if as_of is not None:
        calendars = {name: policy.calendar for name, policy in calendars_by_programme.items()}
        for row in listed:
            calendar = calendars.get(row["programme"])
            row["behind"] = behind(row, calendar, as_of) if calendar else []
        answer["as_of"] = as_of.isoformat()
        chosen = calendars.get(programme) if programme else (
            next(iter(calendars.values())) if len(calendars) == 1 else None)
        answer["calendar"] = None if chosen is None else {
            "start_by": chosen.start_by.isoformat(), "complete_by": chosen.complete_by.isoformat(),
            "accept_by": chosen.accept_by.isoformat()}
    return answer


def behind(row: dict[str, Any], calendar: Calendar, as_of: date) -> list[str]:
    """What a unit is behind on by `as_of` (seed 004 §七): approvals short of the target once
    building should have started, approved cases not started, completed or accepted after the
    day each should have been. Words as officials use them."""
    funnel, approved = row["funnel"], row["funnel"]["county_approved"]
    found = []
    target = row.get("target_households")
    if target and as_of > calendar.start_by and approved < target:
        found.append("审批未达任务数")
    for step, due, words in (("construction_started", calendar.start_by, "开工滞后"),
                             ("construction_completed", calendar.complete_by, "竣工滞后"),
                             ("accepted", calendar.accept_by, "验收滞后")):
        if as_of > due and funnel[step] < approved:
            found.append(words)
    return found


class _Page:
    """The codes of one page of rows, and where the next page starts."""

    def __init__(self, codes: list[str], limit: int) -> None:
        self.codes = set(codes[:limit])
        self.next = codes[limit - 1] if len(codes) > limit else None


def _page(conn: Any, t: Table, by: str, programme: str | None, inside: str | None,
          limit: int | None, after: str | None) -> _Page | None:
    if limit is None and after is None:
        return None
    clauses = within(t, inside) + ([t.c.programme == programme] if programme else [])
    if after:
        clauses.append(t.c[by] > after)
    query = select(t.c[by]).where(*clauses).distinct().order_by(t.c[by])
    if limit is not None:
        query = query.limit(limit + 1)
    codes = list(conn.execute(query).scalars())
    return _Page(codes, limit if limit is not None else len(codes) + 1)


def _counts(t: Table, keys: tuple[Any, ...], programme: str | None, inside: str | None,
            page: _Page | None = None) -> Any:
    clauses = within(t, inside) + ([t.c.programme == programme] if programme else [])
    if page is not None and keys:
        clauses.append(keys[-1].in_(sorted(page.codes)))
    grouped = (*keys, t.c.department, t.c.stage)
    reached = [func.sum(t.c[column]) for _, column in STEPS[1:]]
    return (select(*grouped, func.sum(t.c.cases), *reached).where(*clauses)
            .group_by(*grouped).order_by(*grouped))


def _targets(
    conn: Any, t: Table, programme: str | None, inside: str | None
) -> dict[tuple[str, str], tuple[str, dict[str, int]]]:
    """Plan rows with households to renovate, by (programme, county code)."""
    query = select(t).where(
        t.c.rural_revitalization_households + t.c.civil_affairs_households > 0,
        *([t.c.programme == programme] if programme else []),
    )
    found = {}
    for row in conn.execute(query):
        if inside and not covers(inside, row.jurisdiction):
            continue  # a county's target means nothing for a part of it
        target = {Department.RURAL_REVITALIZATION.value: row.rural_revitalization_households,
                  Department.CIVIL_AFFAIRS.value: row.civil_affairs_households}
        found[(row.programme, row.jurisdiction)] = (row.name, target)
    return found


def _row(key: tuple[str, str], name: str | None, target: dict[str, int] | None) -> dict[str, Any]:
    return {
        "programme": key[0], "code": key[1], "name": name,
        "target_households": sum(target.values()) if target else None,
        "cases": 0,
        "departments": {d: _share(target[d] if target else None) for d in DEPARTMENTS},
        "stages": dict.fromkeys(STAGES, 0),
        "funnel": dict.fromkeys(STEP_NAMES, 0),
    }


def _share(target: int | None) -> dict[str, int | None]:
    return {"target": target, "cases": 0, "county_approved": 0, "closed": 0}


def _add(row: dict[str, Any], department: str, stage: str, cases: int, reached: list[int]) -> None:
    row["cases"] += cases
    row["stages"][stage] += cases
    funnel = row["funnel"]
    funnel["applied"] += cases
    for step, count in zip(STEP_NAMES[1:], reached, strict=True):
        funnel[step] += count
    share = row["departments"].get(department)
    if share is None:  # a department the plan does not name
        share = row["departments"][department] = _share(None)
    share["cases"] += cases
    share["county_approved"] += reached[1]
    share["closed"] += reached[-1]


def _total(
    overall: list[Any], targets: dict[tuple[str, str], tuple[str, dict[str, int]]]
) -> dict[str, Any]:
    summed = {d: sum(target[d] for _, target in targets.values()) for d in DEPARTMENTS}
    total = _row(("", ""), None, summed if targets else None)
    del total["programme"], total["code"], total["name"]
    for department, stage, n, *reached in overall:
        _add(total, department, stage, n, reached)
    return total
