"""RenovationCase — one household in one programme year, from application to closed archive.

The public commands live in the mixins (selection, delivery, payment, closure): each checks its
rules and then calls one of the @event methods below. These only change state; they run both
when an act is recorded and whenever the case is replayed from its events.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event
from pydantic import JsonValue

from renovation.aggregates.base import Actor, Aggregate
from renovation.aggregates.case import events as ev
from renovation.aggregates.case.closure import CORRECTABLE, ClosureCommands, with_value
from renovation.aggregates.case.delivery import DeliveryCommands
from renovation.aggregates.case.means import MeansCommands
from renovation.aggregates.case.payment import PaymentCommands
from renovation.aggregates.case.selection import SelectionCommands
from renovation.aggregates.case.state import (
    Agreement,
    CaseState,
    Certification,
    Decision,
    Grading,
    MeansAssessment,
    Notice,
)
from renovation.aggregates.case.submission import SubmissionCommands
from renovation.aggregates.case.values import (
    AcceptanceResult,
    Amounts,
    Assessor,
    Builder,
    HouseCondition,
    Household,
    Payee,
    PaymentRequest,
    PriorSupport,
    StaffRef,
    VoteCount,
)
from renovation.kernel.protected import FreeText, ProtectedValue
from renovation.kernel.vocabulary import (
    ApplicationChannel,
    Category,
    ConstructionMode,
    Department,
    Grade,
    GradingMethod,
    HouseStructure,
    NoticeLevel,
    PaymentChannel,
    ReentryReason,
    RenovationMode,
    ReviewDecision,
    SelfFunding,
    Stage,
    Tranche,
)
from renovation.policy import EligibilityAssessment, SubsidyDecision

CASE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:case")


def case_id(case_ref: str) -> UUID:
    """The case's aggregate id, derived from its reference so a reference is used once."""
    return uuid5(CASE_NAMESPACE, case_ref)


class RenovationCase(
    SubmissionCommands,
    SelectionCommands,
    MeansCommands,
    DeliveryCommands,
    PaymentCommands,
    ClosureCommands,
    CaseState,
    Aggregate,
):
    """农村危房改造 一户一档 — the case file of one household's renovation."""

    TOPIC = "renovation.case:RenovationCase"
    Event = ev.CaseEvent
    ApplicationSubmitted = ev.ApplicationSubmitted
    CategoryCertified = ev.CategoryCertified
    HouseGraded = ev.HouseGraded
    NoHouseStatusRecorded = ev.NoHouseStatusRecorded
    DemocraticReviewHeld = ev.DemocraticReviewHeld
    PublicNoticePosted = ev.PublicNoticePosted
    PublicNoticeClosed = ev.PublicNoticeClosed
    TownshipReviewed = ev.TownshipReviewed
    MeansAssessed = ev.MeansAssessed
    CountyApprovalGranted = ev.CountyApprovalGranted
    CaseRejected = ev.CaseRejected
    CaseWithdrawn = ev.CaseWithdrawn
    AgreementSigned = ev.AgreementSigned
    ConstructionStarted = ev.ConstructionStarted
    ConstructionProgressReported = ev.ConstructionProgressReported
    ConstructionCompleted = ev.ConstructionCompleted
    CountyAcceptanceRecorded = ev.CountyAcceptanceRecorded
    CitySpotCheckRecorded = ev.CitySpotCheckRecorded
    ProvincialAcceptanceRecorded = ev.ProvincialAcceptanceRecorded
    OldHouseDemolished = ev.OldHouseDemolished
    PaymentRequested = ev.PaymentRequested
    PaymentDisbursed = ev.PaymentDisbursed
    CaseClosed = ev.CaseClosed
    DataCorrected = ev.DataCorrected

    @staticmethod
    def create_id(case_ref: str) -> UUID:
        return case_id(case_ref)

    @event(ApplicationSubmitted)
    def __init__(
        self, case_ref: str, programme_id: str, policy_id: str, village_code: str,
        channel: ApplicationChannel, on_behalf_reason: FreeText | None, household: Household,
        house: HouseCondition, category: Category, extremely_low_income: bool,
        planned_mode: RenovationMode, prior_support: tuple[PriorSupport, ...],
        reentry_reason: ReentryReason | None, supported_in_programmes: tuple[str, ...],
        actor: Actor, occurred_on: date,
    ) -> None:
        self.case_ref, self.programme_id, self.policy_id = case_ref, programme_id, policy_id
        self.village_code, self.channel = village_code, channel
        self.household, self.house, self.category = household, house, category
        self.extremely_low_income, self.planned_mode = extremely_low_income, planned_mode
        self.prior_support, self.reentry_reason = prior_support, reentry_reason
        self.supported_in_programmes = supported_in_programmes
        self.submitted_on = occurred_on
        self._reset_progress()

    @event(CategoryCertified)
    def _category_certified(
        self, department: Department, certificate_no: str, valid_until: date | None,
        extremely_low_income: bool, actor: Actor, occurred_on: date,
    ) -> None:
        self.certification = Certification(
            department, certificate_no, valid_until, extremely_low_income, occurred_on
        )

    @event(HouseGraded)
    def _house_graded(
        self, grade: Grade, method: GradingMethod, assessor: Assessor, report_no: str,
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        self.grading = Grading(grade, method, occurred_on)

    @event(NoHouseStatusRecorded)
    def _no_house_status_recorded(
        self, basis: str, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        self.no_house_on = occurred_on

    @event(DemocraticReviewHeld)
    def _democratic_review_held(
        self, votes: VoteCount, passed: bool, minutes: tuple[str, ...], actor: Actor,
        occurred_on: date,
    ) -> None:
        self.review_passed_on = occurred_on if passed else None
        self.notices.pop(NoticeLevel.VILLAGE, None)

    @event(PublicNoticePosted)
    def _public_notice_posted(
        self, level: NoticeLevel, notice_no: str, location: str, planned_days: int, actor: Actor,
        occurred_on: date,
    ) -> None:
        self.notices[level] = Notice(notice_no, occurred_on, planned_days)

    @event(PublicNoticeClosed)
    def _public_notice_closed(
        self, level: NoticeLevel, days_posted: int, min_days: int, policy_version: int,
        objections_received: int, objections_upheld: int, actor: Actor, occurred_on: date,
    ) -> None:
        notice = self.notices[level]
        notice.closed_on, notice.objections_upheld = occurred_on, objections_upheld

    @event(TownshipReviewed)
    def _township_reviewed(
        self, decision: ReviewDecision, opinion: str, home_visited: bool,
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        if decision is ReviewDecision.APPROVED:
            self.stage = Stage.TOWNSHIP_APPROVED
            self.township_decision = Decision(actor.id, occurred_on, actor.identity)
        else:
            # Returned to the village: the review and the village notice are held again.
            self.stage = Stage.RETURNED
            self.review_passed_on = None
            self.notices.pop(NoticeLevel.VILLAGE, None)

    @event(MeansAssessed)
    def _means_assessed(
        self, self_funding: SelfFunding, basis: ProtectedValue, evidence: tuple[str, ...],
        actor: Actor, occurred_on: date,
    ) -> None:
        self.means = MeansAssessment(self_funding, occurred_on)

    @event(CountyApprovalGranted)
    def _county_approval_granted(
        self, approved_mode: RenovationMode, subsidy: SubsidyDecision,
        eligibility: EligibilityAssessment, actor: Actor, occurred_on: date,
    ) -> None:
        self.stage = Stage.COUNTY_APPROVED
        self.county_decision = Decision(actor.id, occurred_on, actor.identity)
        self.subsidy = subsidy

    @event(CaseRejected)
    def _case_rejected(
        self, level: NoticeLevel, reason: FreeText, actor: Actor, occurred_on: date
    ) -> None:
        self.stage = Stage.REJECTED

    @event(CaseWithdrawn)
    def _case_withdrawn(
        self, reason: FreeText, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        self.stage = Stage.WITHDRAWN

    @event(AgreementSigned)
    def _agreement_signed(
        self, agreement_no: str, renovation_mode: RenovationMode,
        construction_mode: ConstructionMode, payee: Payee | None, deadline: date,
        required_area_m2: Decimal | None, seismic_requirements: str, demolition_due: date | None,
        subsidy_yuan: int, actor: Actor, occurred_on: date,
    ) -> None:
        self.stage = Stage.AGREEMENT_SIGNED
        self.agreement = Agreement(
            renovation_mode, construction_mode, payee, deadline, required_area_m2,
            demolition_due, occurred_on,
        )

    @event(ConstructionStarted)
    def _construction_started(
        self, builder: Builder, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        self.stage, self.started_on = Stage.UNDER_CONSTRUCTION, occurred_on

    @event(ConstructionProgressReported)
    def _construction_progress_reported(
        self, milestone: str, percent_complete: int, evidence: tuple[str, ...], actor: Actor,
        occurred_on: date,
    ) -> None:
        """Progress changes no state the procedure depends on; the event is the record."""

    @event(ConstructionCompleted)
    def _construction_completed(
        self, built_area_m2: Decimal, structure: HouseStructure, evidence: tuple[str, ...],
        actor: Actor, occurred_on: date,
    ) -> None:
        self.stage, self.completed_on = Stage.CONSTRUCTION_COMPLETED, occurred_on
        self.built_area_m2 = built_area_m2

    @event(CountyAcceptanceRecorded)
    def _county_acceptance_recorded(
        self, result: AcceptanceResult, min_area_m2: Decimal | None, policy_version: int,
        actor: Actor, occurred_on: date,
    ) -> None:
        self.acceptance = result
        self.acceptors |= actor.identity.union(*(member.identity for member in result.team))
        if result.passed:
            self.stage, self.accepted_on = Stage.ACCEPTED, occurred_on

    @event(CitySpotCheckRecorded)
    def _city_spot_check_recorded(
        self, passed: bool, draw_ref: str | None, findings: tuple[str, ...],
        evidence: tuple[str, ...], actor: Actor, occurred_on: date,
    ) -> None:
        self.spot_check_passed = passed

    @event(ProvincialAcceptanceRecorded)
    def _provincial_acceptance_recorded(
        self, passed: bool, findings: tuple[str, ...], evidence: tuple[str, ...], actor: Actor,
        occurred_on: date,
    ) -> None:
        self.provincial_passed = passed

    @event(OldHouseDemolished)
    def _old_house_demolished(
        self, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        self.demolished_on = occurred_on

    @event(PaymentRequested)
    def _payment_requested(
        self, request_no: str, tranche: Tranche, amounts: Amounts, channel: PaymentChannel,
        payee_ref: str, payee_masked: str, actor: Actor, occurred_on: date,
    ) -> None:
        self.requests[request_no] = PaymentRequest(
            request_no=request_no, tranche=tranche.value, amounts=amounts, channel=channel.value,
            payee_ref=payee_ref, payee_masked=payee_masked, requested_on=occurred_on,
        )

    @event(PaymentDisbursed)
    def _payment_disbursed(
        self, request_no: str, amounts: Amounts, voucher_no: str, actor: Actor,
        occurred_on: date,
    ) -> None:
        request = self.requests[request_no]
        self.requests[request_no] = request.model_copy(
            update={"paid_on": occurred_on, "voucher_no": voucher_no}
        )
        for source, amount in amounts.by_source.items():
            self.paid_by_source[source] = self.paid_by_source.get(source, 0) + amount

    @event(CaseClosed)
    def _case_closed(self, total_paid_yuan: int, actor: Actor, occurred_on: date) -> None:
        self.stage, self.closed_on = Stage.CLOSED, occurred_on

    @event(DataCorrected)
    def _data_corrected(
        self, field: str, old: JsonValue, new: JsonValue, reason: FreeText, approved_by: StaffRef,
        actor: Actor, occurred_on: date,
    ) -> None:
        with_value(self, field, CORRECTABLE[field].validate_python(new))
