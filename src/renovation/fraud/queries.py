"""What inspectors ask of the findings: the list (filtered), one finding, its review status.

Rules whose answer depends on the day asked about — accepted but still unpaid beyond the
policy's limit (拖欠) — are judged here against `as_of`, from the facts the projection keeps; so
are the collusion and anomaly rules (`anomaly.py`), which compare a case with others.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, select

from renovation.aggregates.case import case_id
from renovation.fraud.anomaly import anomaly_findings
from renovation.fraud.case_rules import Hit
from renovation.fraud.catalogue import RULES, Severity
from renovation.fraud.comparison_rules import comparison_findings
from renovation.fraud.demolition_rule import still_standing
from renovation.fraud.findings import finding_id, finding_row
from renovation.fraud.survey_rule import RULE, unsurveyed
from renovation.fraud.tables import FACTS, FINDINGS, LINKS, REVIEWS
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import prefix
from renovation.policy import all_policies, load_policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.ledger_tables import CASE_LINKS

STATUSES = ("open", "confirmed", "dismissed")
_ORDER = {Severity.HIGH.value: 0, Severity.MEDIUM.value: 1, Severity.LOW.value: 2}


def _tables(db: ViewsDatabase) -> dict[str, Table]:
    return {spec.name: spec.define(db.metadata, spec.name, 0)
            for spec in (FACTS, FINDINGS, LINKS, REVIEWS, CASE_LINKS)}


def list_findings(
    db: ViewsDatabase, as_of: date, rule: str | None = None, county: str | None = None,
    status: str | None = None, programme: str | None = None,
) -> dict[str, Any]:
    """The findings, most severe first; `county` is a division code of any level ≥ county."""
    if rule is not None and rule not in RULES:
        raise InvalidInputError("finding.rule_known", "rule", rule,
                                f"no rule {rule!r}; rules: {', '.join(sorted(RULES))}")
    if status is not None and status not in STATUSES:
        raise InvalidInputError("finding.status_known", "status", status,
                                f"status is one of {', '.join(STATUSES)}")
    t = _tables(db)
    items = [*_stored(db, t, rule, county, programme),
             *(_overdue(db, t, as_of, county, programme) if rule in (None, "unpaid_overdue")
               else []),
             *(_item(row) for row in unsurveyed(db, t, as_of, county, programme)
               if rule in (None, RULE)),
             *(_item(row) for row in still_standing(db, t, as_of, county, programme)
               if rule in (None, "not_demolished")),
             *(_item(row) for row in comparison_findings(db, as_of, county, programme, rule)),
             *(_item(row) for row in anomaly_findings(db, as_of, county, programme, rule))]
    _with_reviews(db, t, items)
    if status is not None:
        items = [item for item in items if item["status"] == status]
    items.sort(key=lambda x: (_ORDER[x["severity"]], x["rule"], x["first_position"],
                              x["finding_id"]))
    return {"as_of": as_of.isoformat(), "rule": rule, "county": county, "status": status,
            "counts": dict(sorted(Counter(item["rule"] for item in items).items())),
            "findings": items}


def show_finding(db: ViewsDatabase, fid: str, as_of: date) -> dict[str, Any] | None:
    """One finding by id, with its review; None when it does not hold (or never did)."""
    everything = list_findings(db, as_of)["findings"]
    return next((item for item in everything if item["finding_id"] == fid), None)


def sealed_reason(db: ViewsDatabase, fid: str) -> str | None:
    """The standing decision's reason, sealed, for a reader allowed to open it."""
    reviews = _tables(db)[REVIEWS.name]
    with db.engine.connect() as conn:
        return conn.execute(select(reviews.c.reason_sealed)
                            .where(reviews.c.finding_id == fid)).scalar_one_or_none()


def _stored(db: ViewsDatabase, t: dict[str, Table], rule: str | None, county: str | None,
            programme: str | None) -> list[dict[str, Any]]:
    f, links = t[FINDINGS.name], t[LINKS.name]
    query = select(f)
    if rule is not None:
        query = query.where(f.c.rule == rule)
    if programme is not None:
        query = query.where(f.c.programme == programme)
    if county:
        inside = select(links.c.finding_id).where(links.c.county.like(f"{prefix(county)}%"))
        query = query.where(f.c.finding_id.in_(inside))
    with db.engine.connect() as conn:
        return [_item(dict(row)) for row in conn.execute(query).mappings()]


def _item(row: dict[str, Any]) -> dict[str, Any]:
    rule = RULES[row["rule"]]
    return {
        "finding_id": row["finding_id"], "rule": row["rule"], "severity": row["severity"],
        "title_zh": rule.title_zh, "title_en": rule.title_en, "programme": row["programme"],
        "county": row["county"], "case_refs": list(row["case_refs"]),
        "explanation_zh": row["explanation_zh"], "explanation_en": row["explanation_en"],
        "evidence": [_event_id(item) for item in row["evidence"]],
        "first_position": row["first_position"], "last_position": row["last_position"],
        "registry_evidence": list(row.get("registry_evidence") or ()),
    }


def _event_id(item: dict[str, Any]) -> dict[str, Any]:
    """An evidence item with the stored event's id: the case aggregate's id and the version."""
    return {"case_id": str(case_id(item["case_ref"])), **item}


def _overdue(db: ViewsDatabase, t: dict[str, Table], as_of: date, county: str | None,
             programme: str | None) -> list[dict[str, Any]]:
    """拖欠 — accepted, nothing paid, and the policy's days since acceptance have passed."""
    facts = t[FACTS.name]
    shortest = min(policy.payment.max_days_after_acceptance for policy in all_policies())
    query = select(facts.c.case_id, facts.c.policy_id, facts.c.facts).where(
        facts.c.active.is_(True), facts.c.accepted_on.is_not(None), facts.c.paid_yuan == 0,
        facts.c.accepted_on < as_of - timedelta(days=shortest))
    if county:
        query = query.where(facts.c.county.like(f"{prefix(county)}%"))
    if programme is not None:
        query = query.where(facts.c.programme == programme)
    out = []
    with db.engine.connect() as conn:
        for case_id, policy_id, f in conn.execute(query):
            limit = load_policy(policy_id).payment.max_days_after_acceptance
            accepted = f["ev"]["accepted"]
            days = (as_of - date.fromisoformat(accepted["occurred_on"])).days
            if days <= limit:
                continue
            due = date.fromisoformat(accepted["occurred_on"]) + timedelta(days=limit)
            hit = Hit(f"{accepted['occurred_on']} 验收合格，至 {as_of} 已 {days} 天未拨付"
                      f"（政策时限 {limit} 天，应于 {due} 前拨付）",
                      f"accepted on {accepted['occurred_on']}, nothing paid {days} days later"
                      f" on {as_of} (limit {limit} days, due by {due})", (accepted,))
            fid = finding_id("unpaid_overdue", f"case:{case_id}")
            row = finding_row(fid, "unpaid_overdue", f"case:{f['ref']}", hit, f["programme"],
                              f["county"])
            out.append(_item(row))
    return out


def _with_reviews(db: ViewsDatabase, t: dict[str, Table], items: list[dict[str, Any]]) -> None:
    reviews = t[REVIEWS.name]
    ids = [item["finding_id"] for item in items]
    found: dict[str, dict[str, Any]] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            query = select(reviews).where(reviews.c.finding_id.in_(ids[start:start + 500]))
            found.update({row["finding_id"]: dict(row) for row in conn.execute(query).mappings()})
    for item in items:
        review = found.get(item["finding_id"])
        item["status"] = review["decision"] if review else "open"
        item["review"] = None if review is None else {
            "decision": review["decision"], "reason": review["reason"],
            "by": {"id": review["actor_id"], "role": review["actor_role"]},
            "decided_on": review["decided_on"].isoformat(),
            "recorded_at": review["recorded_at"], "decisions": review["decisions"],
        }
