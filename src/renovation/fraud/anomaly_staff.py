"""鉴定结果异常集中 and 一日验收过多/跨乡镇 — what one official did, judged when asked.

`assessor_outlier`: an assessor (the staff member who recorded the grading, role `assessor`)
whose share of D grades stands far above the rest of the county's, or who graded more houses
in one day than can be visited (domain research §2 F13: "one assessor's D-rate far above
peers"). The baseline is the county's other gradings in the same programme, so an assessor who
grades most of a county is compared with the others, not with himself; with fewer than
`assessor_min_gradings` on either side nothing is judged.

`acceptance_overload`: the county inspector who led an acceptance (the acceptance's actor, who
signs the form) accepting more houses in a day, or in more townships (division code digits
7–9), than can be visited. The team members the form lists are not counted: the leading
inspector is the one who answers for the visit. A case counts with its latest acceptance.

Both count within one programme and one county (an assessor's and an inspector's jurisdiction
is a county or a township of it, so no official's work is split).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import case, distinct, func, or_, select

from renovation.fraud.anomaly_base import Scope, percent
from renovation.fraud.case_rules import Hit
from renovation.fraud.facts import EvidenceItem
from renovation.fraud.findings import finding_id, finding_row
from renovation.policy import all_policies
from renovation.policy.models import FraudRules
from renovation.projections.base import Row

ASSESSOR, ACCEPTANCE = "assessor_outlier", "acceptance_overload"


def assessor_outlier(s: Scope) -> list[Row]:
    """鉴定结果异常集中 — a D share far above the county's, or too many gradings in a day."""
    return [*_d_share(s), *_per_day(s)]


def _d_share(s: Scope) -> list[Row]:
    a = s.acts
    d_grades = func.sum(case((a.c.grade == "D", 1), else_=0))
    query = (select(a.c.programme, a.c.county, a.c.assessor, func.count(), d_grades)
             .where(a.c.assessor.is_not(None), *s.filters(a.c.graded_on))
             .group_by(a.c.programme, a.c.county, a.c.assessor))
    counties: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for programme, county, assessor, graded, d in s.conn.execute(query):
        counties.setdefault((programme, county), []).append((assessor, graded, int(d or 0)))
    out = []
    for (programme, county), assessors in sorted(counties.items()):
        rules = s.rules(programme, county)
        total, total_d = sum(n for _, n, _ in assessors), sum(d for _, _, d in assessors)
        for assessor, graded, d in sorted(assessors):
            rest, rest_d = total - graded, total_d - d
            if min(graded, rest) < rules.assessor_min_gradings:
                continue  # too few gradings to tell a pattern from chance, or no baseline
            share, base = Fraction(d, graded), Fraction(rest_d, rest)
            if (share >= base + Fraction(rules.assessor_excess_points, 100)
                    and share >= base * Fraction(str(rules.assessor_excess_ratio))):
                out.append(_share_row(s, programme, county, assessor, (graded, d, rest, rest_d)))
    return out


def _share_row(s: Scope, programme: str, county: str, assessor: str,
               counts: tuple[int, int, int, int]) -> Row:
    graded, d, rest, rest_d = counts
    a = s.acts
    refs, items, _ = s.cases([a.c.county == county, a.c.programme == programme,
                              a.c.assessor == assessor, a.c.grade == "D",
                              a.c.graded_on <= s.as_of], ("graded",))
    hit = Hit(f"鉴定人员 {assessor} 在 {county} 鉴定 {graded} 户，其中 D 级 {d} 户"
              f"（{percent(d, graded)}），同县其他鉴定 {rest} 户中 D 级占 {percent(rest_d, rest)}",
              f"assessor {assessor} graded {graded} houses in {county}, {d} of them D"
              f" ({percent(d, graded)}); the county's other {rest} gradings:"
              f" {percent(rest_d, rest)} D", tuple(items))
    fid = finding_id(ASSESSOR, f"share:{programme}:{county}:{assessor}")
    return finding_row(fid, ASSESSOR, f"assessor:{assessor}", hit, programme, county, refs)


def _per_day(s: Scope) -> list[Row]:
    a = s.acts
    least = min(policy.fraud.assessor_max_per_day for policy in all_policies())
    query = (select(a.c.programme, a.c.county, a.c.assessor, a.c.graded_on, func.count())
             .where(a.c.assessor.is_not(None), *s.filters(a.c.graded_on))
             .group_by(a.c.programme, a.c.county, a.c.assessor, a.c.graded_on)
             .having(func.count() > least))
    out = []
    for programme, county, assessor, day, graded in s.conn.execute(query).all():
        limit = s.rules(programme, county).assessor_max_per_day
        if graded <= limit:
            continue
        refs, items, _ = s.cases([a.c.county == county, a.c.programme == programme,
                                  a.c.assessor == assessor, a.c.graded_on == day], ("graded",))
        hit = Hit(f"鉴定人员 {assessor} 于 {day} 一天鉴定 {graded} 户房屋（合理上限 {limit} 户）",
                  f"assessor {assessor} graded {graded} houses on {day}"
                  f" (at most {limit} can be visited in a day)", tuple(items))
        fid = finding_id(ASSESSOR, f"day:{programme}:{assessor}:{day}")
        out.append(finding_row(fid, ASSESSOR, f"assessor:{assessor}:{day}", hit, programme,
                               county, refs))
    return out


def acceptance_overload(s: Scope) -> list[Row]:
    """一日验收过多/跨乡镇 — more houses, or more townships, in one day than can be visited."""
    a = s.acts
    fewest = min(policy.fraud.acceptance_max_per_day for policy in all_policies())
    nearest = min(policy.fraud.acceptance_max_townships for policy in all_policies())
    townships = func.count(distinct(a.c.township))
    query = (select(a.c.programme, a.c.county, a.c.acceptor, a.c.acceptance_on, func.count(),
                    townships)
             .where(a.c.acceptor.is_not(None), *s.filters(a.c.acceptance_on))
             .group_by(a.c.programme, a.c.county, a.c.acceptor, a.c.acceptance_on)
             .having(or_(func.count() > fewest, townships > nearest)))
    out = []
    for programme, county, acceptor, day, houses, spread in s.conn.execute(query).all():
        rules = s.rules(programme, county)
        if houses <= rules.acceptance_max_per_day and spread <= rules.acceptance_max_townships:
            continue
        refs, items, _ = s.cases([a.c.county == county, a.c.programme == programme,
                                  a.c.acceptor == acceptor, a.c.acceptance_on == day],
                                 ("acceptance",))
        out.append(finding_row(
            finding_id(ACCEPTANCE, f"day:{programme}:{acceptor}:{day}"), ACCEPTANCE,
            f"acceptor:{acceptor}:{day}", _overload_hit(acceptor, day, houses, spread, rules,
                                                        items),
            programme, county, refs))
    return out


def _overload_hit(acceptor: str, day: date, houses: int, spread: int, rules: FraudRules,
                  items: list[EvidenceItem]) -> Hit:
    return Hit(f"验收组长 {acceptor} 于 {day} 一天验收 {houses} 户，分布在 {spread} 个乡镇"
               f"（一日合理上限 {rules.acceptance_max_per_day} 户、"
               f"{rules.acceptance_max_townships} 个乡镇）",
               f"{acceptor} led the acceptance of {houses} houses in {spread} townships on {day}"
               f" (a day allows at most {rules.acceptance_max_per_day} houses in"
               f" {rules.acceptance_max_townships} townships)", tuple(items))
