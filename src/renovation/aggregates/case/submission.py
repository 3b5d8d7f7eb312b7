"""农户申请 — opening a case: the application's own rules, before any other act."""

from __future__ import annotations

from datetime import date
from typing import Any

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.errors import (
    ActorIsApplicantError,
    HouseholdCompositionError,
    IneligibleHouseholdError,
    ProcedureOrderError,
)
from renovation.aggregates.case.values import Household
from renovation.kernel.jurisdiction import Level, covers, level_of
from renovation.kernel.vocabulary import ApplicationChannel
from renovation.policy import Policy


class SubmissionCommands:
    """The command that creates a case."""

    @classmethod
    def submit(cls, *, policy: Policy, actor: Actor, occurred_on: date, **application: Any) -> Any:
        """农户申请 — open a case for a household of a category the policy supports."""
        guards.business_date(occurred_on)
        village = application["village_code"]
        household: Household = application["household"]
        if level_of(village) is not Level.VILLAGE:
            raise ProcedureOrderError(
                "application.village_code", "village_code", village,
                f"a case belongs to a village (12 significant digits); {village} is a"
                f" {level_of(village).name.lower()} code",
            )
        if not covers(policy.jurisdiction, village):
            raise ProcedureOrderError(
                "policy.jurisdiction", "village_code", village,
                f"policy {policy.ref} applies in {policy.jurisdiction}, not in {village}",
            )
        if application["category"] not in policy.categories:
            raise IneligibleHouseholdError(
                "eligibility.category_supported", "category", application["category"],
                f"policy {policy.ref} supports no category {application['category']}",
            )
        if application["channel"] is ApplicationChannel.VILLAGE_COMMITTEE_ON_BEHALF and not (
            application.get("on_behalf_reason")
        ):
            raise ProcedureOrderError(
                "application.on_behalf_reason", "on_behalf_reason", None,
                "an application filed by the village committee states why the household cannot",
            )
        _check_composition(household)
        if actor.person_ref and actor.person_ref in household.person_refs():
            raise ActorIsApplicantError(
                "duties.not_own_household", "actor.id", actor.id,
                f"actor {actor.id} belongs to the applicant household",
            )
        return cls(policy_id=policy.id, actor=actor, occurred_on=occurred_on, **application)


def _check_composition(household: Household) -> None:
    refs = [household.head.ref, *(m.ref for m in household.members)]
    if len(set(refs)) != len(refs):
        raise HouseholdCompositionError(
            "household.members_distinct", "household.members", len(refs),
            "the same ID number appears twice in the household",
        )
    if household.size < len(refs):
        raise HouseholdCompositionError(
            "household.size_covers_members", "household.size", household.size,
            f"household size {household.size} is less than the {len(refs)} people listed",
        )
