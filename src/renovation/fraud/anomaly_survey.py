"""申请数远超台账发现 — a village applying for far more houses than its ledger knew unsafe.

Tasks are allotted within the dilapidated-house ledger ("中央下达的…任务必须在危房改造台账范围
内进行分配", 建村〔2018〕115号, domain research §1.3), and the villages' housing-safety ledgers
(农房安全台账, `projections/ledger.py`) record every house found C/D. A village with at least
`survey_min_applications` live applications (withdrawn and rejected ones are not counted: the
review turned them away) in a programme, more than `survey_max_ratio` times the houses its
ledger held as unsafe during the programme's year (an entry found by the end of that year and
not resolved before it began), is a finding, judged when asked.

Where monitoring is not in use nothing is judged: a county with no house on any ledger is
quiet. In a county that keeps ledgers, a village with none counts zero houses found.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import distinct, func, or_, select

from renovation.fraud.anomaly_base import Scope
from renovation.fraud.case_rules import Hit
from renovation.fraud.findings import finding_id, finding_row
from renovation.policy import all_policies
from renovation.projections.base import Row
from renovation.projections.ledger_tables import ENTRIES, HOUSES

RULE = "applications_exceed_survey"
Village = tuple[str, str, str, int]
"""programme, county, village, live applications."""


def applications_exceed_survey(s: Scope) -> list[Row]:
    a = s.acts
    fewest = min(policy.fraud.survey_min_applications for policy in all_policies())
    query = (select(a.c.programme, a.c.county, a.c.village, func.count())
             .where(a.c.active.is_(True), a.c.village.is_not(None), *s.filters(a.c.applied_on))
             .group_by(a.c.programme, a.c.county, a.c.village)
             .having(func.count() >= fewest))
    candidates: list[Village] = [(programme, county, village, int(applied))
                                 for programme, county, village, applied in s.conn.execute(query)]
    kept = _monitored(s, {county for _, county, _, _ in candidates})
    judged = [c for c in candidates if c[1] in kept]  # elsewhere monitoring is not in use
    years = {(programme, county): s.policy(programme, county).year
             for programme, county, _, _ in judged}
    found = _houses(s, {(years[c[0], c[1]], c[2]) for c in judged})
    out = []
    for programme, county, village, applied in judged:
        rules, year = s.rules(programme, county), years[programme, county]
        houses = found.get((year, village), 0)
        if applied < rules.survey_min_applications or (
                applied <= Fraction(str(rules.survey_max_ratio)) * houses):
            continue
        refs, items, _ = s.cases([a.c.village == village, a.c.programme == programme,
                                  a.c.active.is_(True), a.c.applied_on <= s.as_of],
                                 ("applied",))
        hit = Hit(f"{village} 村 {applied} 户有效申请，台账中 {year} 年在册危房仅 {houses} 户"
                  f"（超过 {rules.survey_max_ratio} 倍）",
                  f"{applied} live applications in village {village}, while its ledger held"
                  f" {houses} unsafe houses in {year} (more than {rules.survey_max_ratio} times)",
                  tuple(items))
        fid = finding_id(RULE, f"village:{programme}:{village}")
        out.append(finding_row(fid, RULE, f"village:{village}", hit, programme, county, refs))
    return out


def _monitored(s: Scope, counties: set[str]) -> set[str]:
    """The counties, of these, with a house on a ledger by the day asked about."""
    if not counties:
        return set()
    houses = s.tables[HOUSES.name]
    query = (select(houses.c.county).distinct()
             .where(houses.c.county.in_(sorted(counties)), houses.c.recorded_on <= s.as_of))
    return set(s.conn.execute(query).scalars())


def _houses(s: Scope, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Per (year, village): the houses whose ledger entry was open during the year, as far as
    known on the day asked about."""
    entries = s.tables[ENTRIES.name]
    out: dict[tuple[int, str], int] = {}
    for year in sorted({year for year, _ in wanted}):
        villages = sorted(village for y, village in wanted if y == year)
        start, end = date(year, 1, 1), min(s.as_of, date(year, 12, 31))
        for first in range(0, len(villages), 500):
            query = (select(entries.c.village, func.count(distinct(entries.c.house_id)))
                     .where(entries.c.village.in_(villages[first:first + 500]),
                            entries.c.found_on <= end,
                            or_(entries.c.resolved_on.is_(None), entries.c.resolved_on >= start))
                     .group_by(entries.c.village))
            out.update({(year, village): int(n) for village, n in s.conn.execute(query)})
    return out
