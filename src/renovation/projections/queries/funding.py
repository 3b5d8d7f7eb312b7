"""资金 — per fund source: planned (plan rows × per-household parts), approved, paid, outstanding.

Approved amounts of withdrawn or rejected cases no longer count. Planned amounts need a policy
with a per-department standard (`funding_plan`); otherwise they are null.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

from sqlalchemy import String, Table, func, select
from sqlalchemy.engine import Connection

from renovation.kernel.jurisdiction import Level, level_of, prefix
from renovation.kernel.vocabulary import Department
from renovation.policy import Policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import policies, tables, within

Sums = dict[str, dict[str, int | None]]


def funds(
    db: ViewsDatabase, programme: str | None = None, inside: str | None = None,
    by: Literal["county", "township"] = "county",
) -> dict[str, Any]:
    """For each programme: totals per fund source, then the same per county; `inside` keeps
    the counties of an area (an area below a county keeps its county: plans are per county).
    `by="township"` adds each township's approved, requested and paid money (`townships`;
    plans are not split below the county, so their planned amount is null)."""
    t = tables(db)
    county_prefix = _county_prefix(inside)
    township_prefix = inside[:Level.TOWNSHIP] if inside and level_of(inside) >= Level.TOWNSHIP \
        else county_prefix
    with db.engine.connect() as conn:
        by_policy = policies(conn, t)
        spent = _spent(conn, t, programme, county_prefix)
        allocations = t["rv_allocations"]
        plan = conn.execute(select(allocations).where(
            *([allocations.c.programme == programme] if programme else []),
            allocations.c.jurisdiction.startswith(county_prefix),
        ).order_by(allocations.c.programme, allocations.c.jurisdiction)).all()
    names = {(row.programme, row.jurisdiction[:6]): row.name for row in plan}
    result = []
    for name in sorted(by_policy):
        if programme and name != programme:
            continue
        policy = by_policy[name]
        counties: dict[str, Sums] = defaultdict(dict)
        townships: dict[str, Sums] = defaultdict(dict)
        for row in plan:
            households = row.rural_revitalization_households + row.civil_affairs_households
            if row.programme == name and households:
                _planned(counties[row.jurisdiction[:6]], policy, row)
        for (programme_, township, source), amounts in spent.items():
            if programme_ == name:
                _spend(counties[township[:6]], source, amounts)
                if township.startswith(township_prefix):
                    _spend(townships[township], source, amounts)
        item = _programme(name, policy, counties, names)
        if by == "township":
            item["townships"] = [
                {"code": code, "county": code[:6].ljust(12, "0"),
                 "sources": [_line(s, policy, sums.get(s, _blank())) for s in item["order"]]}
                for code, sums in sorted(townships.items())]
        del item["order"]
        result.append(item)
    return {"programmes": result}


def _county_prefix(inside: str | None) -> str:
    if inside is None:
        return ""
    return prefix(inside) if level_of(inside) <= Level.COUNTY else inside[:Level.COUNTY]


def _spent(
    conn: Connection, t: dict[str, Table], programme: str | None, county_prefix: str
) -> dict[Any, Any]:
    """Approved (withdrawn and rejected cases left out), requested and paid, by township."""
    f = t["rv_funds"]
    keys = (f.c.programme, f.c.township, f.c.source)
    query = (select(*keys, func.sum(f.c.approved_yuan), func.sum(f.c.requested_yuan),
                    func.sum(f.c.paid_yuan))
             .where(*([f.c.programme == programme] if programme else []),
                    f.c.county.startswith(county_prefix))
             .group_by(*keys))
    return {(p, township, s): (a, r, paid) for p, township, s, a, r, paid in conn.execute(query)}


def _blank() -> dict[str, int | None]:
    return {"planned_yuan": None, "approved_yuan": 0, "requested_yuan": 0, "paid_yuan": 0}


def _planned(sums: Sums, policy: Policy, row: Any) -> None:
    if policy.funding_plan is None:
        return
    households = {Department.RURAL_REVITALIZATION: row.rural_revitalization_households,
                  Department.CIVIL_AFFAIRS: row.civil_affairs_households}
    for department, rate_id in policy.funding_plan.rates.items():
        for source, part in policy.rate(rate_id).split.items():
            into = sums.setdefault(source, _blank())
            into["planned_yuan"] = (into["planned_yuan"] or 0) + part * households[department]


def _spend(sums: Sums, source: str, amounts: tuple[int, int, int]) -> None:
    into = sums.setdefault(source, _blank())
    for key, amount in zip(("approved_yuan", "requested_yuan", "paid_yuan"), amounts,
                           strict=True):
        into[key] = (into[key] or 0) + int(amount or 0)


def _programme(
    name: str, policy: Policy, counties: dict[str, Sums], names: dict[tuple[str, str], str]
) -> dict[str, Any]:
    order = [*policy.fund_sources, *sorted({s for c in counties.values() for s in c}
                                          - set(policy.fund_sources))]
    totals: Sums = {}
    for sums in counties.values():
        for source, amounts in sums.items():
            into = totals.setdefault(source, _blank())
            for key, value in amounts.items():
                if value is not None:
                    into[key] = (into[key] or 0) + value
    return {
        "programme": name, "policy": policy.ref, "order": order,
        "sources": [_line(source, policy, totals.get(source, _blank())) for source in order],
        "counties": [
            {"code": county.ljust(12, "0"), "name": names.get((name, county)),
             "sources": [_line(s, policy, sums.get(s, _blank())) for s in order]}
            for county, sums in sorted(counties.items())
        ],
    }


def _line(source: str, policy: Policy, amounts: dict[str, int | None]) -> dict[str, Any]:
    approved, paid = amounts["approved_yuan"] or 0, amounts["paid_yuan"] or 0
    return {"source": source, "label": policy.fund_sources.get(source),
            **amounts, "outstanding_yuan": approved - paid}


def paid_by_month(
    db: ViewsDatabase, programme: str | None = None, inside: str | None = None
) -> list[dict[str, Any]]:
    """Money paid per month (by the payments' dates) and the running total, in an area."""
    t = tables(db)
    payments, cases = t["rv_payments"], t["rv_cases"]
    month = func.substr(func.cast(payments.c.paid_on, String), 1, 7)
    query = (select(month, func.sum(payments.c.paid_yuan))
             .join_from(payments, cases, payments.c.case_id == cases.c.case_id)
             .where(payments.c.paid_on.is_not(None), *within(cases, inside),
                    *([cases.c.programme == programme] if programme else []))
             .group_by(month).order_by(month))
    running, rows = 0, []
    with db.engine.connect() as conn:
        for name, paid in conn.execute(query):
            running += int(paid or 0)
            rows.append({"month": name, "paid_yuan": int(paid or 0), "cumulative_yuan": running})
    return rows
