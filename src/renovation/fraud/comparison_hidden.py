"""隐瞒家庭成员 — a person registered in the applicant head's household (户籍同户) whom the
application leaves off, and who would have disqualified the household: a public employee, the
owner of a car, a company or another home.

A household is what its registration says (seed 004 §三(一): eligibility is the household's);
declaring fewer members hides what the undeclared ones own or earn. A registered person who
left the household, or died, before the application is not counted; nor is one whose registry
rows disqualify nobody (the same near misses as the members' own checks).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from renovation.fraud.case_rules import Hit
from renovation.fraud.comparison import as_date
from renovation.fraud.comparison_checks import (
    company,
    members,
    other_house,
    public_employee,
    registry_items,
    vehicle,
)
from renovation.fraud.comparison_rules import CaseHits, events

Found = tuple[Hit, list[dict[str, Any]]]
Snapshots = dict[str, dict[str, Any]]


def _stood(hit: dict[str, Any], applied: date) -> bool:
    """The registration stood on the day the household applied."""
    left = as_date(hit["attrs"].get("left_on"))
    died = as_date(hit["attrs"].get("deceased_on"))
    joined = as_date(hit["attrs"].get("joined_on"))
    return not ((left and left <= applied) or (died and died <= applied)
                or (joined and joined > applied))


def hidden_member(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """A registered but undeclared member of the head's household disqualifies it."""
    applied = case.case["applied_on"]
    homes = {h["household_ref"] for h in members(case) if h["role"] == "head"}
    kept = [h for h in case.registered if h["kind"] == "household_registration"
            and h["household_ref"] in homes and _stood(h, applied)]
    if not kept:
        return None
    people = {h["person_ref"] for h in kept}
    theirs = [dict(h, role="member") for h in case.registered
              if h["person_ref"] in people and h["kind"] != "household_registration"]
    view = CaseHits(case.case, household=theirs)
    for check in (public_employee, vehicle, company, other_house):
        found = check(view, snapshots, as_of)
        if found is None:
            continue
        hit, rows = found
        masked = {row["person"] for row in rows}
        registration = [h for h in kept if h["masked_id"] in masked]
        return Hit(f"户籍同户但申请未列入的成员：{hit.zh}",
                   f"a person registered in the head's household but left off the"
                   f" application: {hit.en}",
                   events(case.case, "applied", "approved")), \
            registry_items(registration, snapshots) + rows
    return None
