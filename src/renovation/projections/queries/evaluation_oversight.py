"""市级抽查与问题线索 — the city's spot check against its minimum ratio, and the findings with
their review status, as of a date.

Two limits of the read models, stated in the definitions: the spot-check row keeps a case's
latest check only (a case checked again after the as-of date counts by that later check's
date, i.e. not yet), and the findings table keeps the findings holding now: one that held on the
as-of date but was cleared by a later event is not known, so "found" counts the findings holding
now whose evidence is all dated on or before the as-of date.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from renovation.fraud.queries import list_findings
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.figures import (
    EvaluatedProgramme,
    Figure,
    by,
    count_if,
    figure,
    in_scope,
    ratio,
)
from renovation.projections.queries.spotcheck import spot_check_tables


def _spot_counts(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
                 as_of: date) -> list[tuple[str, int, int, int]]:
    """(county, accepted, checked, failed) as of `as_of`, per county with an acceptance."""
    t = spot_check_tables(db)["rv_spotcheck_cases"]
    checked = by(t.c.checked_on, as_of)
    query = (select(t.c.county, count_if(by(t.c.accepted_on, as_of)), count_if(checked),
                    count_if(checked & (t.c.passed == False)))  # noqa: E712
             .where(*in_scope(t, p.name, county)).group_by(t.c.county).order_by(t.c.county))
    with db.engine.connect() as conn:
        return [(code, int(a), int(c), int(f)) for code, a, c, f in conn.execute(query)
                if a or c]


def spot_check(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
               as_of: date) -> list[Figure]:
    """市级抽查 — accepted, checked, failed, the ratio achieved against the policy's minimum."""
    rows = _spot_counts(db, p, county, as_of)
    accepted, checked, failed = (sum(row[i] for row in rows) for i in (1, 2, 3))
    minimum = p.policy.acceptance.city_spot_check_min_ratio
    due = p.policy.calendar.accept_by
    later = "一户被再次抽查的，只按其最后一次抽查的日期计（读模型只保留最后一次）。"
    later_en = " A case checked again counts by its latest check only (the read model keeps it)."
    found = [
        figure("spot_accepted", "spotcheck", ("县级验收合格户数", "accepted (population)"),
               ("县级验收合格日期在截至日期当日及之前的户数（市级抽查的总体）。",
                "Cases whose passed county acceptance is dated on or before the as-of date"
                " (the population the city draws from)."),
               "households", accepted, as_of),
        figure("spot_checked", "spotcheck", ("市级抽查户数", "checked by the city"),
               (f"市级抽查日期在截至日期当日及之前的户数。{later}",
                f"Cases whose city spot check is dated on or before the as-of date.{later_en}"),
               "households", checked, as_of),
        figure("spot_failed", "spotcheck", ("抽查不合格户数", "failed the spot check"),
               (f"市级抽查户数中结论为不合格者。{later}",
                f"Of the cases checked by the city by the as-of date, those that failed."
                f"{later_en}"),
               "households", failed, as_of),
        figure("spot_ratio", "spotcheck", ("市级抽查比例", "spot-check ratio"),
               (f"市级抽查户数 ÷ 县级验收合格户数（四位小数，向下取整）；目标不低于 {minimum}"
                f"（acceptance.city_spot_check_min_ratio），{due} 起考核。",
                f"Cases checked ÷ cases accepted (four places, rounded down); the target is at"
                f" least {minimum} (acceptance.city_spot_check_min_ratio), judged from {due}."),
               "ratio", ratio(checked, accepted), as_of,
               target=minimum if accepted else None, due=due),
    ]
    if county is None:
        counties = [(a, c) for _, a, c, _ in rows if a]
        meeting = sum(Fraction(c, a) >= Fraction(minimum) for a, c in counties)
        found.append(figure(
            "spot_counties_meeting", "spotcheck",
            ("抽查比例达标县数", "counties meeting the ratio"),
            (f"截至日期有验收合格户的县中，抽查比例不低于 {minimum} 的县数（比例按县计算）；"
             "目标为全部这些县。",
             f"Of the counties with cases accepted by the as-of date, those whose own ratio is"
             f" at least {minimum} (the rule applies per county); the target is all of them."),
            "counties", meeting, as_of, target=len(counties) if counties else None, due=due))
    return found


def _status_on(item: dict[str, Any], as_of: date) -> str:
    """The review status on `as_of`: a decision dated later leaves the finding open then."""
    review = item.get("review")
    if review is None or date.fromisoformat(review["decided_on"]) > as_of:
        return "open"
    return str(review["decision"])


def _evident_by(item: dict[str, Any], as_of: date) -> bool:
    days = [e["occurred_on"] for e in item["evidence"] if e.get("occurred_on")]
    return not days or max(days) <= as_of.isoformat()


def findings(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None,
             as_of: date) -> list[Figure]:
    """问题线索 — irregularity findings found, confirmed, dismissed and still open."""
    items = [item for item in list_findings(db, as_of, county=county, programme=p.name)["findings"]
             if _evident_by(item, as_of)]
    status = [_status_on(item, as_of) for item in items]
    found_zh = ("当前成立、且全部证据事件的业务日期在截至日期当日及之前的问题线索"
                "（“验收后超期未拨付”按截至日期判定；截至日期后已消除的线索读模型不再保留）")
    found_en = ("findings holding now whose evidence events are all dated on or before the as-of"
                " date (unpaid-overdue judged on the as-of date; a finding cleared since is no"
                " longer kept)")
    decided_zh = "，复核决定日期在截至日期当日及之前者（其后作出的决定不计，线索视为未处理）"
    decided_en = (", by a review decision dated on or before the as-of date (a later decision"
                  " leaves it open then)")
    return [
        figure("findings_found", "findings", ("发现问题线索", "findings found"),
               (f"{found_zh}条数。", f"The {found_en}."), "findings", len(items), as_of),
        figure("findings_confirmed", "findings", ("已确认线索", "findings confirmed"),
               (f"上述线索中确认属实{decided_zh}。", f"Of those, the ones confirmed{decided_en}."),
               "findings", status.count("confirmed"), as_of),
        figure("findings_dismissed", "findings", ("已排除线索", "findings dismissed"),
               (f"上述线索中排除{decided_zh}。", f"Of those, the ones dismissed{decided_en}."),
               "findings", status.count("dismissed"), as_of),
        figure("findings_open", "findings", ("未处理线索", "findings open"),
               ("发现问题线索减去已确认和已排除者；目标为 0（出现一起、查处一起）。",
                "Findings found minus those confirmed or dismissed by the as-of date; the target"
                " is 0."),
               "findings", status.count("open"), as_of, target=0, rule="at_most"),
    ]
