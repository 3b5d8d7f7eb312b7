"""资金拨付 — money approved and paid, paid in full, paid on time by the monthly rule, short paid.

The monthly rule (seed 004 §四(八), the policy's `payment`): a request submitted to finance by
the `submit_by_day` is paid by that month's `pay_by_day`; one submitted later joins the next
month's batch. The payments read model dates each request's pay-by day when it is recorded, from
its date alone, so every figure here is answerable as of any date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, and_, case, func, select

from renovation.kernel.vocabulary import Tranche
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import tables
from renovation.projections.queries.evaluation_delivery import LIVE_EN, LIVE_ZH
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


def _case_sums(t: dict[str, Table], p: EvaluatedProgramme, county: str | None,
               as_of: date) -> Any:
    cases = t["rv_cases"]
    c, alive = cases.c, live(cases, as_of)
    limit = as_of - timedelta(days=p.policy.payment.max_days_after_acceptance)
    accepted = alive & by(c.accepted_on, as_of)
    columns = {
        "approved_cases": count_if(alive & by(c.approved_on, as_of)),
        "approved_yuan": sum_if(alive & by(c.approved_on, as_of), c.subsidy_yuan),
        "accepted": count_if(accepted),
        "paid_in_full": count_if(accepted & by(c.paid_on, as_of)),
        "unpaid_after_acceptance": count_if(alive & (c.accepted_on < limit)
                                            & ~by(c.paid_on, as_of)),
    }
    return (select(*(v.label(k) for k, v in columns.items()))
            .where(*in_scope(cases, p.name, county)))


def _request_counts(t: dict[str, Table], p: EvaluatedProgramme, county: str | None,
                    as_of: date) -> Any:
    cases, pay = t["rv_cases"], t["rv_payments"]
    r = pay.c
    asked, paid = r.requested_on <= as_of, by(r.paid_on, as_of)
    dated = asked & r.pay_by.is_not(None)
    columns = {
        "paid_yuan": sum_if(paid, r.paid_yuan),
        "judged": count_if(dated & (paid | (r.pay_by < as_of))),
        "on_time": count_if(dated & paid & (r.paid_on <= r.pay_by)),
        "late": count_if(dated & paid & (r.paid_on > r.pay_by)),
        "unpaid": count_if(dated & ~paid & (r.pay_by < as_of)),
        "submitted_late": count_if(asked & (r.submitted_late == True)),  # noqa: E712
    }
    return (select(*(v.label(k) for k, v in columns.items()))
            .join_from(pay, cases, r.case_id == cases.c.case_id)
            .where(*in_scope(cases, p.name, county)))


def _short_paid(t: dict[str, Table], p: EvaluatedProgramme, county: str | None,
                as_of: date) -> Any:
    """Per case whose final tranche was paid by `as_of`: approved minus paid by then."""
    cases, pay = t["rv_cases"], t["rv_payments"]
    final = and_(pay.c.tranche == Tranche.FINAL.value, by(pay.c.paid_on, as_of))
    per_case = (select(cases.c.subsidy_yuan.label("approved"),
                       sum_if(by(pay.c.paid_on, as_of), pay.c.paid_yuan).label("paid"),
                       func.max(case((final, 1), else_=0)).label("final"))
                .join_from(cases, pay, cases.c.case_id == pay.c.case_id)
                .where(*in_scope(cases, p.name, county), by(cases.c.approved_on, as_of))
                .group_by(cases.c.case_id, cases.c.subsidy_yuan).subquery())
    gap = per_case.c.approved - per_case.c.paid
    short = and_(per_case.c.final == 1, gap > 0)
    return select(count_if(short).label("short_cases"), sum_if(short, gap).label("short_yuan"))


def money(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
          as_of: date) -> list[Figure]:
    """资金拨付 — approved vs paid, paid in full, on time, short paid."""
    t = tables(db)
    sums: dict[str, int] = {}
    with db.engine.connect() as conn:
        for query in (_case_sums, _request_counts, _short_paid):
            row = conn.execute(query(t, p, county, as_of)).one()
            sums |= {k: int(v) for k, v in row._mapping.items()}
    return _figures(sums, p, as_of)


def _figures(n: dict[str, int], p: EvaluatedProgramme, as_of: date) -> list[Figure]:
    rule, accept_by = p.policy.payment, p.policy.calendar.accept_by
    monthly_zh = (f"每月 {rule.submit_by_day} 日前提交的申请应于当月 {rule.pay_by_day} 日前拨付，"
                  f"{rule.submit_by_day} 日后提交的并入次月批次")
    monthly_en = (f"requests submitted by the {rule.submit_by_day}th are due by that month's"
                  f" {rule.pay_by_day}th, later ones by the next month's")
    judged_zh = "截至日期当日及之前提交、且截至该日已拨付或已过应拨付日的申请"
    judged_en = ("requests submitted on or before the as-of date that were paid by then or"
                 " whose pay-by day had passed")
    def f(key: str, labels: tuple[str, str], zh: str, en: str, unit: str, value: Any,
          **target: Any) -> Figure:
        return figure(key, "funds", labels, (zh, en), unit, value, as_of, **target)
    return [
        f("approved_yuan", ("核定补助资金", "subsidy approved"),
          f"{LIVE_ZH}中，截至日期已县级审批者的核定补助金额之和（元）。",
          f"Sum of the approved subsidy of those of the {LIVE_EN} that the county approved by"
          " then (yuan).",
          "yuan", n["approved_yuan"]),
        f("paid_yuan", ("已拨付资金", "subsidy paid"),
          "本范围案件中拨付日期在截至日期当日及之前的各笔拨付金额之和（元）。",
          "Sum of the disbursements of the cases in scope dated on or before the as-of date"
          " (yuan).", "yuan", n["paid_yuan"]),
        f("paid_share", ("资金拨付率", "share of the approved subsidy paid"),
          "已拨付资金 ÷ 核定补助资金（四位小数，向下取整）。",
          "Subsidy paid ÷ subsidy approved (four places, rounded down).",
          "ratio", ratio(n["paid_yuan"], n["approved_yuan"])),
        f("paid_in_full", ("验收后全额拨付户数", "accepted and paid in full"),
          f"{LIVE_ZH}中，截至日期已验收合格且拨付累计达到核定补助的户数；目标为截至日期验收合格户数"
          f"（{n['accepted']}），{accept_by} 起考核。",
          f"Of the {LIVE_EN}, those accepted and paid their whole approved subsidy by then; the"
          f" target is the cases accepted by then ({n['accepted']}), judged from {accept_by}.",
          "households", n["paid_in_full"], target=n["accepted"] or None, due=accept_by),
        f("unpaid_after_acceptance", ("验收后超期未全额拨付户数", "unpaid beyond the limit"),
          f"{LIVE_ZH}中，验收合格已超过 {rule.max_days_after_acceptance} 天"
          "（payment.max_days_after_acceptance）而截至日期仍未全额拨付的户数；目标为 0。",
          f"Of the {LIVE_EN}, those accepted more than {rule.max_days_after_acceptance} days"
          " before the as-of date and not paid in full by then; the target is 0.",
          "households", n["unpaid_after_acceptance"], target=0, rule="at_most"),
        f("requests_judged", ("应考核拨付笔数", "payment requests due"),
          f"{judged_zh}笔数（{monthly_zh}）。", f"The {judged_en} ({monthly_en}).",
          "requests", n["judged"]),
        f("paid_on_time", ("按期拨付笔数", "requests paid on time"),
          f"{judged_zh}中，拨付日期不晚于应拨付日者。",
          f"Of the {judged_en}, those paid on or before their pay-by day.",
          "requests", n["on_time"]),
        f("paid_late", ("逾期拨付笔数", "requests paid late"),
          "拨付日期晚于应拨付日、且不晚于截至日期的申请笔数；目标为 0。",
          "Requests paid after their pay-by day and on or before the as-of date; the target"
          " is 0.", "requests", n["late"], target=0, rule="at_most"),
        f("unpaid_past_due", ("逾期未拨付笔数", "requests unpaid past their day"),
          "截至日期当日及之前提交、应拨付日早于截至日期而截至该日仍未拨付的申请笔数；目标为 0。",
          "Requests submitted by the as-of date, unpaid on it, whose pay-by day is before it;"
          " the target is 0.", "requests", n["unpaid"], target=0, rule="at_most"),
        f("on_time_rate", ("按期拨付率", "share of requests paid on time"),
          "按期拨付笔数 ÷ 应考核拨付笔数（四位小数，向下取整）；目标为 1。",
          "Requests paid on time ÷ payment requests due (four places, rounded down); the"
          " target is 1.", "ratio", ratio(n["on_time"], n["judged"]),
          target=ratio(1, 1) if n["judged"] else None),
        f("submitted_late", ("逾期提交拨付申请笔数", "requests submitted late"),
          f"截至日期当日及之前提交、提交日晚于当月 {rule.submit_by_day} 日"
          "（payment.submit_by_day）的申请笔数；目标为 0。",
          f"Requests submitted on or before the as-of date after that month's"
          f" {rule.submit_by_day}th (payment.submit_by_day); the target is 0.",
          "requests", n["submitted_late"], target=0, rule="at_most"),
        f("short_paid_cases", ("少拨付户数", "cases short paid"),
          "截至日期已拨付最后一笔（final）款项、而截至该日拨付累计少于核定补助的户数（克扣）；"
          "目标为 0。",
          "Cases whose final tranche was paid by the as-of date while their payments by then"
          " add up to less than the approved subsidy; the target is 0.",
          "households", n["short_cases"], target=0, rule="at_most"),
        f("short_paid_yuan", ("少拨付金额", "yuan short paid"),
          "少拨付户的核定补助减去截至日期拨付累计之和（元）；目标为 0。",
          "Sum over the cases short paid of approved minus paid by the as-of date (yuan); the"
          " target is 0.", "yuan", n["short_yuan"], target=0, rule="at_most"),
    ]
