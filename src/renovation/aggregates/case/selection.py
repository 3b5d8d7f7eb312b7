"""确定对象 — choosing the household: certification, grading, democratic review, notices, decisions.

Each command checks its rules, then calls the aggregate's @event method that records the act.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.errors import (
    CertifyingDepartmentError,
    IneligibleHouseholdError,
    NoticePeriodTooShortError,
    ProcedureOrderError,
)
from renovation.aggregates.case.state import CaseState
from renovation.aggregates.case.values import Assessor, VoteCount
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.protected import FreeText
from renovation.kernel.vocabulary import (
    Department,
    Grade,
    GradingMethod,
    NoticeLevel,
    PriorSupportKind,
    RenovationMode,
    ReviewDecision,
    Role,
    Stage,
)
from renovation.policy import (
    EligibilityInputs,
    Policy,
    SubsidyInputs,
    assess_eligibility,
    decide_subsidy,
)
from renovation.policy.comparison import ListCheck, require_listed
from renovation.policy.modes import check_mode

_CERTIFIER_DEPARTMENT = {
    Role.CIVIL_AFFAIRS_OFFICER: Department.CIVIL_AFFAIRS,
    Role.RURAL_REVITALIZATION_OFFICER: Department.RURAL_REVITALIZATION,
}
_BEFORE_TOWNSHIP = (Stage.APPLIED, Stage.RETURNED)
_NOTICE_STAGE = {
    NoticeLevel.VILLAGE: _BEFORE_TOWNSHIP,
    NoticeLevel.TOWNSHIP: (Stage.TOWNSHIP_APPROVED,),
    NoticeLevel.COUNTY: (Stage.COUNTY_APPROVED,),
}

if TYPE_CHECKING:
    _Base = CaseState
else:
    _Base = object


class SelectionCommands(_Base):
    """Commands from application to county approval (一申二评三审四批)."""

    def certify_category(
        self, department: Department, certificate_no: str, valid_until: date | None,
        extremely_low_income: bool, actor: Actor, occurred_on: date,
        listing: ListCheck | None = None,
    ) -> None:
        """身份认定 — only the department competent for the category may certify it, and, where
        the policy says so, only a household on that department's list (`listing`)."""
        guards.acting(self, actor, occurred_on, _BEFORE_TOWNSHIP, "category_certification")
        guards.not_before(occurred_on, self.submitted_on, "the application")
        require_listed(listing, self.category, occurred_on, "certification")
        if _CERTIFIER_DEPARTMENT.get(actor.role) is not department:
            raise CertifyingDepartmentError(
                "category.certifier_role", "department", department,
                f"an actor in role {actor.role.value} cannot certify for {department.value}",
            )
        if valid_until is not None and valid_until < occurred_on:
            raise guards.BusinessDateOrderError(
                "category.valid_until", "valid_until", valid_until,
                f"the certificate expires ({valid_until}) before it is issued ({occurred_on})",
            )
        self._category_certified(
            department=department, certificate_no=certificate_no, valid_until=valid_until,
            extremely_low_income=extremely_low_income, actor=actor, occurred_on=occurred_on,
        )

    def grade_house(
        self, grade: Grade, method: GradingMethod, assessor: Assessor, report_no: str,
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        """危房鉴定 — identity is confirmed before the house is graded (建村〔2018〕115号)."""
        guards.acting(self, actor, occurred_on, _BEFORE_TOWNSHIP, "house_grading")
        self._require_certified("house_grading", occurred_on)
        if self.no_house_on is not None:
            raise ProcedureOrderError(
                "procedure.grading_or_no_house", "no_house_on", self.no_house_on,
                "the household was recorded as having no house; there is nothing to grade",
            )
        self._house_graded(
            grade=grade, method=method, assessor=assessor, report_no=report_no,
            evidence=evidence, actor=actor, occurred_on=occurred_on,
        )

    def record_no_house(
        self, basis: str, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        """无房户 — recorded instead of a grading."""
        guards.acting(self, actor, occurred_on, _BEFORE_TOWNSHIP, "no_house_status")
        self._require_certified("no_house_status", occurred_on)
        if self.grading is not None:
            raise ProcedureOrderError(
                "procedure.grading_or_no_house", "grading", self.grading.grade,
                "the house was already graded; a graded house is not 'no house'",
            )
        self._no_house_status_recorded(
            basis=basis, evidence=evidence, actor=actor, occurred_on=occurred_on
        )

    def hold_democratic_review(
        self, votes: VoteCount, minutes: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        """民主评议 — after grading; attendance and votes must satisfy the law's quorum."""
        guards.acting(self, actor, occurred_on, _BEFORE_TOWNSHIP, "democratic_review")
        graded_on = self.grading.on if self.grading else self.no_house_on
        if graded_on is None:
            raise ProcedureOrderError(
                "procedure.review_after_grading", "grading", None,
                "the democratic review needs the house graded (or no-house status) first",
            )
        guards.not_before(occurred_on, graded_on, "the grading")
        passed = guards.quorum(votes)
        self._democratic_review_held(
            votes=votes, passed=passed, minutes=minutes, actor=actor, occurred_on=occurred_on
        )

    def post_notice(
        self, level: NoticeLevel, notice_no: str, location: str, planned_days: int,
        policy: Policy, actor: Actor, occurred_on: date,
    ) -> None:
        """公示 — village after the review, township after its approval, county after approval."""
        guards.acting(self, actor, occurred_on, _NOTICE_STAGE[level], f"{level.value}_notice")
        prerequisite = {
            NoticeLevel.VILLAGE: (self.review_passed_on, "a passed democratic review"),
            NoticeLevel.TOWNSHIP: (self._decided_on(self.township_decision), "township review"),
            NoticeLevel.COUNTY: (self._decided_on(self.county_decision), "county approval"),
        }[level]
        if prerequisite[0] is None:
            raise ProcedureOrderError(
                f"procedure.{level.value}_notice", "notices", level,
                f"the {level.value} notice requires {prerequisite[1]} first",
            )
        guards.not_before(occurred_on, prerequisite[0], prerequisite[1])
        if level in self.notices:
            raise ProcedureOrderError(
                f"procedure.{level.value}_notice_once", "notices", level,
                f"a {level.value} notice was already posted in this round",
            )
        minimum = policy.notice_min_days[level]
        if planned_days < minimum:
            raise NoticePeriodTooShortError(
                f"notice.{level.value}_min_days", "planned_days", planned_days,
                f"policy {policy.ref} requires a {level.value} notice of {minimum} days",
            )
        self._public_notice_posted(
            level=level, notice_no=notice_no, location=location, planned_days=planned_days,
            actor=actor, occurred_on=occurred_on,
        )

    def close_notice(
        self, level: NoticeLevel, objections_received: int, objections_upheld: int,
        policy: Policy, actor: Actor, occurred_on: date,
    ) -> None:
        """公示期满 — no earlier than the policy's minimum period after posting."""
        guards.acting(self, actor, occurred_on, _NOTICE_STAGE[level], f"{level.value}_notice_close")
        notice = self.notices.get(level)
        if notice is None or notice.closed_on is not None:
            raise ProcedureOrderError(
                f"procedure.{level.value}_notice_open", "notices", level,
                f"there is no open {level.value} notice to close",
            )
        days = (occurred_on - notice.posted_on).days
        minimum = policy.notice_min_days[level]
        if days < minimum:
            raise NoticePeriodTooShortError(
                f"notice.{level.value}_min_days", "occurred_on", occurred_on,
                f"the {level.value} notice posted {notice.posted_on} ran {days} days;"
                f" policy {policy.ref} requires {minimum}",
            )
        if objections_upheld > objections_received:
            raise guards.QuorumNotMetError(
                "notice.objections_count", "objections_upheld", objections_upheld,
                f"{objections_upheld} objections upheld of {objections_received} received",
            )
        self._public_notice_closed(
            level=level, days_posted=days, min_days=minimum, policy_version=policy.version,
            objections_received=objections_received, objections_upheld=objections_upheld,
            actor=actor, occurred_on=occurred_on,
        )

    def review_at_township(
        self, decision: ReviewDecision, opinion: str, home_visited: bool,
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        """乡镇审核 — after the village notice closes; approve, or return to the village."""
        guards.acting(self, actor, occurred_on, _BEFORE_TOWNSHIP, "township_review")
        guards.notice_closed(
            self, NoticeLevel.VILLAGE, occurred_on, "township_review",
            approving=decision is ReviewDecision.APPROVED,
        )
        self._township_reviewed(
            decision=decision, opinion=opinion, home_visited=home_visited, evidence=evidence,
            actor=actor, occurred_on=occurred_on,
        )

    def grant_county_approval(
        self, approved_mode: RenovationMode | None, policy: Policy, actor: Actor,
        occurred_on: date, listing: ListCheck | None = None,
    ) -> None:
        """县级审批 — after the township notice closes; eligibility and subsidy per the policy
        (the county's decisions in force that day, the household's size and assessed means)."""
        guards.acting(self, actor, occurred_on, (Stage.TOWNSHIP_APPROVED,), "county_approval")
        guards.notice_closed(
            self, NoticeLevel.TOWNSHIP, occurred_on, "county_approval", approving=True
        )
        guards.distinct_from([actor], self.approvers, "duties.reviewer_is_not_approver", "reviewed")
        require_listed(listing, self.category, occurred_on, "county approval")
        eligibility = assess_eligibility(policy, self._eligibility_inputs(occurred_on))
        failure = eligibility.first_failure()
        if failure is not None:
            raise IneligibleHouseholdError(
                failure.rule, failure.field, failure.value, failure.explanation
            )
        mode = approved_mode or self.planned_mode
        check_mode(policy, mode, self.grading.grade if self.grading else None,
                   self.grading.method if self.grading else None)
        subsidy = decide_subsidy(policy, self._subsidy_inputs(mode, occurred_on))
        self._county_approval_granted(
            approved_mode=mode, subsidy=subsidy, eligibility=eligibility, actor=actor,
            occurred_on=occurred_on,
        )

    def reject(self, level: NoticeLevel, reason: FreeText, actor: Actor, occurred_on: date) -> None:
        """不予通过 — the township rejects before its approval, the county before its own."""
        if level is NoticeLevel.VILLAGE:
            raise ProcedureOrderError(
                "procedure.rejection_level", "level", level,
                "only the township or the county can reject an application",
            )
        stages = _BEFORE_TOWNSHIP if level is NoticeLevel.TOWNSHIP else (Stage.TOWNSHIP_APPROVED,)
        guards.acting(self, actor, occurred_on, stages, f"{level.value}_rejection")
        self._case_rejected(level=level, reason=reason, actor=actor, occurred_on=occurred_on)

    # -- shared checks -----------------------------------------------------------------

    def _require_certified(self, act: str, occurred_on: date) -> None:
        if self.certification is None:
            raise ProcedureOrderError(
                f"procedure.{act}_after_certification", "certification", None,
                f"{act.replace('_', ' ')} requires the category to be certified first"
                " (identity before grading)",
            )
        guards.not_before(occurred_on, self.certification.on, "the category certification")

    @staticmethod
    def _decided_on(decision: Any) -> date | None:
        return decision.on if decision else None

    def _eligibility_inputs(self, on: date) -> EligibilityInputs:
        cert = self.certification
        valid = cert is not None and (cert.valid_until is None or cert.valid_until >= on)
        return EligibilityInputs(
            category=self.category,
            certified_by=cert.department if cert and valid else None,
            grade=self.grading.grade if self.grading else None,
            grading_method=self.grading.method if self.grading else None,
            no_house=self.no_house_on is not None,
            prior_support=tuple(p.kind for p in self.prior_support)
            + ((PriorSupportKind.DILAPIDATED_RENOVATION,) if self.supported_in_programmes else ()),
            reentry_reason=self.reentry_reason,
        )

    def _subsidy_inputs(self, mode: RenovationMode, on: date) -> SubsidyInputs:
        assert self.certification is not None
        return SubsidyInputs(
            category=self.category,
            department=self.certification.department,
            mode=mode,
            grading_method=self.grading.method if self.grading else None,
            structure=self.house.structure,
            extremely_low_income=self.certification.extremely_low_income,
            units=max(1, self.house.cave_count),
            grade=self.grading.grade if self.grading else None,
            household_size=self.household.size,
            self_funding=self.means.self_funding if self.means else None,
            county=at_level(self.village_code, Level.COUNTY),
            decided_on=on,
        )

