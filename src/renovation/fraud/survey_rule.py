"""无摸排记录获批 — approved without a survey finding where the monitoring rules require one.

Judged when asked, like 拖欠: a case approved on or after its village's `survey_required_from`
is flagged unless the ledger links it to an entry found on or before the approval. Only the
villages of profiles that require a survey are read, and nothing when the area asked about has
none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, or_, select

from renovation.fraud.case_rules import Hit
from renovation.fraud.findings import finding_id, finding_row
from renovation.fraud.tables import FACTS
from renovation.kernel.jurisdiction import prefix
from renovation.policy.monitoring import monitoring_rules, survey_prefixes
from renovation.projections.database import ViewsDatabase
from renovation.projections.ledger_tables import CASE_LINKS

RULE = "approved_without_survey"


def unsurveyed(db: ViewsDatabase, t: dict[str, Table], as_of: date, county: str | None,
               programme: str | None) -> list[dict[str, Any]]:
    area = prefix(county) if county else ""
    prefixes = [p for p in survey_prefixes() if p.startswith(area) or area.startswith(p)]
    if not prefixes:
        return []  # no village of the area needs a survey: nothing to read
    facts, links = t[FACTS.name], t[CASE_LINKS.name]
    query = (select(facts.c.case_id, facts.c.programme, facts.c.county, facts.c.facts,
                    links.c.village, links.c.approved_on, links.c.found_on)
             .select_from(links).join(facts, facts.c.case_id == links.c.case_id)
             .where(facts.c.active.is_(True), links.c.approved_on <= as_of,
                    or_(*(links.c.village.startswith(p) for p in prefixes))))
    if county:
        query = query.where(facts.c.county.like(f"{prefix(county)}%"))
    if programme is not None:
        query = query.where(facts.c.programme == programme)
    out = []
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            hit = _judge(row)
            if hit is not None:
                fid = finding_id(RULE, f"case:{row.case_id}")
                out.append(finding_row(fid, RULE, f"case:{row.facts['ref']}", hit,
                                       row.programme, row.county))
    return out


def _judge(row: Any) -> Hit | None:
    required = monitoring_rules(row.village).survey_required_from
    if required is None or row.approved_on < required:
        return None
    if row.found_on is not None and row.found_on <= row.approved_on:
        return None
    approved = row.facts["ev"].get("approved")
    return Hit(f"{row.approved_on} 县级审批通过，但台账中无此前的摸排发现记录"
               f"（{required} 起须有农房监测发现）",
               f"approved on {row.approved_on} with no survey finding on the ledgers before it"
               f" (required from {required})", (approved,) if approved else ())
