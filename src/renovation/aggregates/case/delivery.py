"""实施 — delivering the renovation: agreement, construction, three-level acceptance, demolition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.errors import (
    AcceptanceInconsistentError,
    AgreementTermsError,
    AreaBelowMinimumError,
    ProcedureOrderError,
)
from renovation.aggregates.case.state import CaseState
from renovation.aggregates.case.values import AcceptanceResult, Builder, Payee
from renovation.kernel.vocabulary import (
    ConstructionMode,
    HouseStructure,
    NoticeLevel,
    RenovationMode,
    SafetyRating,
    Stage,
)
from renovation.policy import Policy

if TYPE_CHECKING:
    _Base = CaseState
else:
    _Base = object

_AFTER_AGREEMENT = (
    Stage.AGREEMENT_SIGNED,
    Stage.UNDER_CONSTRUCTION,
    Stage.CONSTRUCTION_COMPLETED,
    Stage.ACCEPTED,
)


class DeliveryCommands(_Base):
    """Commands from the agreement to acceptance (签订协议、组织施工、竣工验收、拆除旧房)."""

    def sign_agreement(
        self, agreement_no: str, renovation_mode: RenovationMode,
        construction_mode: ConstructionMode, payee: Payee | None, deadline: date,
        seismic_requirements: str, demolition_due: date | None, policy: Policy, actor: Actor,
        occurred_on: date,
    ) -> None:
        """改造协议 — after the county notice closes; its terms must match the approval."""
        guards.acting(self, actor, occurred_on, (Stage.COUNTY_APPROVED,), "agreement")
        guards.notice_closed(self, NoticeLevel.COUNTY, occurred_on, "agreement", approving=True)
        assert self.subsidy is not None
        approved = self.subsidy.inputs.mode
        if renovation_mode is not approved:
            raise AgreementTermsError(
                "agreement.mode_as_approved", "renovation_mode", renovation_mode,
                f"the county approved {approved.value}; the agreement says {renovation_mode.value}",
            )
        if construction_mode.has_third_party_payee != (payee is not None):
            needs = "names" if payee is not None else "needs"
            raise AgreementTermsError(
                "agreement.payee_for_construction_mode", "payee", payee and payee.name,
                f"a {construction_mode.value} agreement {needs} a third-party payee"
                if construction_mode.has_third_party_payee
                else f"a {construction_mode.value} agreement pays the household, not a third party",
            )
        if deadline <= occurred_on:
            raise AgreementTermsError(
                "agreement.deadline_after_signing", "deadline", deadline,
                f"the completion deadline {deadline} is not after signing on {occurred_on}",
            )
        # A household with no house has nothing to demolish: the date is then optional (set,
        # it commits the household to clearing what remains of the old house).
        required = renovation_mode.requires_demolition and self.no_house_on is None
        if (required and demolition_due is None) or (
                not renovation_mode.requires_demolition and demolition_due is not None):
            raise AgreementTermsError(
                "agreement.demolition_date", "demolition_due", demolition_due,
                f"a {renovation_mode.value} agreement "
                + ("must set" if required else "cannot set") + " a demolition date (建新拆旧)",
            )
        required = (
            policy.area.minimum(self.household.size) if renovation_mode.builds_new_house else None
        )
        self._agreement_signed(
            agreement_no=agreement_no, renovation_mode=renovation_mode,
            construction_mode=construction_mode, payee=payee, deadline=deadline,
            required_area_m2=required, seismic_requirements=seismic_requirements,
            demolition_due=demolition_due, subsidy_yuan=self.subsidy.amount_yuan, actor=actor,
            occurred_on=occurred_on,
        )

    def start_construction(
        self, builder: Builder, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        """开工 — only under a signed agreement."""
        guards.acting(self, actor, occurred_on, (Stage.AGREEMENT_SIGNED,), "construction_start")
        assert self.agreement is not None
        guards.not_before(occurred_on, self.agreement.on, "the agreement")
        self._construction_started(
            builder=builder, evidence=evidence, actor=actor, occurred_on=occurred_on
        )

    def report_progress(
        self, milestone: str, percent_complete: int, evidence: tuple[str, ...], actor: Actor,
        occurred_on: date,
    ) -> None:
        """施工巡查."""
        guards.acting(self, actor, occurred_on, (Stage.UNDER_CONSTRUCTION,), "progress_report")
        guards.not_before(occurred_on, self.started_on, "the construction start")
        self._construction_progress_reported(
            milestone=milestone, percent_complete=percent_complete, evidence=evidence,
            actor=actor, occurred_on=occurred_on,
        )

    def complete_construction(
        self, built_area_m2: Decimal, structure: HouseStructure, evidence: tuple[str, ...],
        actor: Actor, occurred_on: date,
    ) -> None:
        """竣工 — with photographs of the finished house."""
        guards.acting(
            self, actor, occurred_on, (Stage.UNDER_CONSTRUCTION,), "construction_completion"
        )
        guards.not_before(occurred_on, self.started_on, "the construction start")
        if not evidence:
            raise ProcedureOrderError(
                "construction.completion_evidence", "evidence", evidence,
                "completion needs at least one photograph of the finished house",
            )
        self._construction_completed(
            built_area_m2=built_area_m2, structure=structure, evidence=evidence, actor=actor,
            occurred_on=occurred_on,
        )

    def record_county_acceptance(
        self, result: AcceptanceResult, policy: Policy, actor: Actor, occurred_on: date
    ) -> None:
        """县级验收 — nobody who approved the case may accept it; a pass must meet the minimums."""
        guards.acting(
            self, actor, occurred_on, (Stage.CONSTRUCTION_COMPLETED,), "county_acceptance"
        )
        guards.not_before(occurred_on, self.completed_on, "the completion")
        team = [actor, *result.team]
        guards.distinct_from(team, self.approvers, "duties.approver_is_not_acceptor", "approved")
        assert self.agreement is not None
        minimum = (
            policy.area.minimum(self.household.size)
            if self.agreement.renovation_mode.builds_new_house
            else None
        )
        if result.passed:
            self._check_pass(result, policy, minimum)
        self._county_acceptance_recorded(
            result=result, min_area_m2=minimum, policy_version=policy.version, actor=actor,
            occurred_on=occurred_on,
        )

    def record_city_spot_check(
        self, passed: bool, draw_ref: str | None, findings: tuple[str, ...],
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        """市级抽查 — of a house the county accepted, paid or not, archive closed or not.

        The city draws from a county's acceptance list once it closes, when many houses are
        paid and archived already: a failure then cannot hold the money, but it is recorded."""
        if self.stage is Stage.CLOSED:  # the one act a closed archive still takes
            guards.business_date(occurred_on)
            guards.not_household_member(self, actor)
        else:
            guards.acting(self, actor, occurred_on, (Stage.ACCEPTED,), "city_spot_check")
        guards.not_before(occurred_on, self.accepted_on, "the county acceptance")
        guards.distinct_from([actor], self.approvers, "duties.approver_is_not_acceptor", "approved")
        self._city_spot_check_recorded(
            passed=passed, draw_ref=draw_ref, findings=findings, evidence=evidence, actor=actor,
            occurred_on=occurred_on,
        )

    def record_provincial_acceptance(
        self, passed: bool, findings: tuple[str, ...], evidence: tuple[str, ...], actor: Actor,
        occurred_on: date,
    ) -> None:
        """自治区（省级）核验."""
        guards.acting(self, actor, occurred_on, (Stage.ACCEPTED,), "provincial_acceptance")
        guards.not_before(occurred_on, self.accepted_on, "the county acceptance")
        self._provincial_acceptance_recorded(
            passed=passed, findings=findings, evidence=evidence, actor=actor,
            occurred_on=occurred_on,
        )

    def record_demolition(self, evidence: tuple[str, ...], actor: Actor, occurred_on: date) -> None:
        """拆除旧危房 — under an agreement that replaces the old house."""
        guards.acting(self, actor, occurred_on, _AFTER_AGREEMENT, "demolition")
        assert self.agreement is not None
        if not self.demolition_required:
            raise ProcedureOrderError(
                "demolition.mode", "renovation_mode", self.agreement.renovation_mode,
                f"a {self.agreement.renovation_mode.value} case keeps its house;"
                " there is nothing to demolish",
            )
        if self.demolished_on is not None or not evidence:
            raise ProcedureOrderError(
                "demolition.once_with_evidence", "evidence", evidence,
                "demolition is recorded once, with at least one photograph",
            )
        guards.not_before(occurred_on, self.agreement.on, "the agreement")
        self._old_house_demolished(evidence=evidence, actor=actor, occurred_on=occurred_on)

    def _check_pass(
        self, result: AcceptanceResult, policy: Policy, minimum: Decimal | None
    ) -> None:
        rating = SafetyRating(result.safety_rating)
        if rating not in policy.acceptance.passing_ratings or result.failed_items:
            raise AcceptanceInconsistentError(
                "acceptance.pass_criteria", "result.safety_rating", rating,
                f"a passed acceptance needs rating A or B and no failed items;"
                f" got {rating.value} with {len(result.failed_items)} failed items",
            )
        if not result.household_agrees:
            raise AcceptanceInconsistentError(
                "acceptance.household_consent", "result.household_agrees", False,
                "a passed acceptance needs the household's agreement (农户意见: 同意)",
            )
        if minimum is not None and result.measured_area_m2 < minimum:
            raise AreaBelowMinimumError(
                "acceptance.area_minimum", "result.measured_area_m2", result.measured_area_m2,
                f"a household of {self.household.size} needs at least {minimum} m²"
                f" under policy {policy.ref}; measured {result.measured_area_m2} m²",
            )
