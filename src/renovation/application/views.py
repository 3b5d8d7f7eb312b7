"""Read-only views of one case, built from the aggregate (masked personal data only)."""

from __future__ import annotations

from typing import Any

from renovation.aggregates.case import RenovationCase


def case_summary(case: RenovationCase) -> dict[str, Any]:
    """Where the case stands, in plain JSON types; personal data only in masked form."""
    household = case.household
    subsidy = case.subsidy
    return {
        "case_ref": case.case_ref,
        "case_id": str(case.id),
        "version": case.version,
        "programme_id": case.programme_id,
        "village_code": case.village_code,
        "stage": case.stage.value,
        "stage_label": case.stage.label,
        "category": case.category.value,
        "head": {
            "name": household.head.name.masked,
            "id_number": household.head.id_number.masked,
        },
        "household_size": household.size,
        "phone": household.phone.masked if household.phone else None,
        "account": household.account.number.masked if household.account else None,
        "grade": case.grading.grade.value if case.grading else None,
        "no_house": case.no_house_on is not None,
        "subsidy_yuan": subsidy.amount_yuan if subsidy else None,
        "subsidy_split_yuan": subsidy.split_yuan if subsidy else None,
        "policy": f"{subsidy.policy_id}@{subsidy.policy_version}" if subsidy else None,
        "renovation_mode": case.agreement.renovation_mode.value if case.agreement else None,
        "paid_yuan": case.total_paid,
        "submitted_on": case.submitted_on.isoformat(),
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
    }
