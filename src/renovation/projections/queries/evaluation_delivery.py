"""任务完成与时间节点 — the plan's households against cases approved, started, completed and
accepted, and whether each was done by the policy calendar's date (seed 004 §七).

Counted from the case rows' dates: a case counts on `as_of` when it was applied for by then and
not withdrawn or rejected by then; each step counts when its date is on or before `as_of`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import tables
from renovation.projections.queries.figures import (
    EvaluatedProgramme,
    Figure,
    by,
    count_if,
    figure,
    in_scope,
    live,
    ratio,
    sum_if,
)

STEPS = (
    ("approved", "approved_on", "县级审批", "approved by the county", "start_by"),
    ("started", "started_on", "开工", "construction started", "start_by"),
    ("completed", "completed_on", "竣工", "construction completed", "complete_by"),
    ("accepted", "accepted_on", "验收合格", "accepted by the county", "accept_by"),
)
"""Figure id, case-row date, words, and the calendar date by which the plan wants it done."""
ON_CALENDAR = STEPS[1:]
LIVE_ZH = "截至日期当日及之前已申请、且截至该日未撤回或未被否决的案件"
LIVE_EN = "cases applied for on or before the as-of date and not withdrawn or rejected by then"


def plan_target(db: ViewsDatabase, programme: str, county: str | None,
                as_of: date) -> tuple[int, int]:
    """The plan's households (rural revitalisation + civil affairs) of the plan rows set on or
    before `as_of`, and how many rows were last set after it (their earlier value is not kept)."""
    plan = tables(db)["rv_allocations"]
    households = plan.c.rural_revitalization_households + plan.c.civil_affairs_households
    where = [plan.c.programme == programme,
             *([plan.c.jurisdiction == county] if county else [])]
    query = select(count_if(plan.c.set_on > as_of), sum_if(plan.c.set_on <= as_of, households))
    with db.engine.connect() as conn:
        later, target = conn.execute(query.where(*where)).one()
    return int(target), int(later)


def _counts(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
            as_of: date) -> dict[str, int]:
    cases = tables(db)["rv_cases"]
    c, alive, calendar = cases.c, live(cases, as_of), p.policy.calendar
    columns: dict[str, Any] = {step: count_if(alive & by(c[col], as_of))
                               for step, col, *_ in STEPS}
    columns["not_started"] = count_if(alive & by(c.approved_on, as_of)
                                      & ~by(c.started_on, as_of))
    for step, col, _, _, due in ON_CALENDAR:
        deadline = getattr(calendar, due)
        columns[f"{step}_on_time"] = count_if(alive & by(c[col], min(deadline, as_of)))
        columns[f"{step}_late"] = count_if(alive & by(c[col], as_of) & (c[col] > deadline))
    query = select(*(value.label(name) for name, value in columns.items()))
    with db.engine.connect() as conn:
        row = conn.execute(query.where(*in_scope(cases, p.name, county))).one()
    return {name: int(row._mapping[name]) for name in columns}


def targets(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
            as_of: date) -> list[Figure]:
    """任务完成 — households planned, and cases approved, started, completed, accepted."""
    target, later = plan_target(db, p.name, county, as_of)
    counts = _counts(db, p, county, as_of)
    calendar = p.policy.calendar
    note = (f"{later} 条计划行在截至日期之后才最后下达，未计入（读模型只保留最新值）"
            if later else None)
    found = [figure(
        "target_households", "targets", ("任务数", "households planned"),
        ("年度任务和资金计划中各县重点对象户数之和（乡村振兴部门认定 + 民政部门认定），"
         "只计截至日期当日及之前下达的计划行。",
         "Sum of the plan rows' households (rural revitalisation + civil affairs), counting the"
         " plan rows set on or before the as-of date."),
        "households", target, as_of, note=note)]
    for step, col, zh, en, due in STEPS:
        found.append(figure(
            step, "targets", (f"{zh}户数", f"cases {en}"),
            (f"{LIVE_ZH}中，{zh}日期（{col}）在截至日期当日及之前的户数；目标为任务数，"
             f"{getattr(calendar, due)} 起考核。",
             f"Of the {LIVE_EN}, those whose {col} is on or before the as-of date; the target is"
             f" the households planned, judged from {getattr(calendar, due)}."),
            "households", counts[step], as_of, target=target or None,
            due=getattr(calendar, due)))
    found.append(figure(
        "not_started", "targets", ("已审批未开工户数", "approved, not started"),
        (f"{LIVE_ZH}中，截至日期已县级审批但尚无开工日期的户数。",
         f"Of the {LIVE_EN}, those approved by the county by the as-of date but not started"
         " by then."),
        "households", counts["not_started"], as_of))
    found.append(figure(
        "completion_rate", "targets", ("任务完成率", "share of the plan accepted"),
        ("验收合格户数 ÷ 任务数（按四位小数向下取整）；目标为 1，"
         f"{calendar.accept_by} 起考核。",
         "Cases accepted ÷ households planned (four places, rounded down); the target is 1,"
         f" judged from {calendar.accept_by}."),
        "ratio", ratio(counts["accepted"], target), as_of, target=ratio(1, 1) if target else None,
        due=calendar.accept_by))
    return found


def on_calendar(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
                as_of: date) -> list[Figure]:
    """时间节点 — started, completed, accepted by the calendar's dates, and late."""
    target, _ = plan_target(db, p.name, county, as_of)
    counts = _counts(db, p, county, as_of)
    found = []
    for step, col, zh, en, due in ON_CALENDAR:
        deadline = getattr(p.policy.calendar, due)
        found.append(figure(
            f"{step}_on_time", "calendar", (f"按期{zh}户数", f"{en} on time"),
            (f"{LIVE_ZH}中，{zh}日期在政策节点 {deadline}（calendar.{due}）当日及之前、"
             "且不晚于截至日期的户数；目标为任务数。",
             f"Of the {LIVE_EN}, those whose {col} is on or before the calendar's {due}"
             f" ({deadline}) and the as-of date; the target is the households planned."),
            "households", counts[f"{step}_on_time"], as_of, target=target or None,
            due=deadline))
        found.append(figure(
            f"{step}_late", "calendar", (f"逾期{zh}户数", f"{en} late"),
            (f"{LIVE_ZH}中，{zh}日期晚于政策节点 {deadline}、且不晚于截至日期的户数；目标为 0。",
             f"Of the {LIVE_EN}, those whose {col} is after the calendar's {due} ({deadline})"
             " and on or before the as-of date; the target is 0."),
            "households", counts[f"{step}_late"], as_of, target=0, rule="at_most", due=deadline))
    return found
