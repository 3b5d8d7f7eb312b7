"""The events of a renovation case (一户一档), one per act of the procedure.

Each has an explicit TOPIC, so classes can move without breaking stored events. Fields besides
`actor` and `occurred_on` are what the act's form records; personal data is sealed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from pydantic import Field, JsonValue

from renovation.aggregates.base import AggregateEvent
from renovation.aggregates.case.values import (
    AcceptanceResult,
    Amounts,
    Assessor,
    Builder,
    Evidence,
    HouseCondition,
    Household,
    Payee,
    PriorSupport,
    StaffRef,
    VoteCount,
)
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.protected import BlindIndex, FreeText, ProtectedValue
from renovation.kernel.types import INTEGRAL, AreaM2, Reference, Text, Yuan
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
    Tranche,
)
from renovation.policy import EligibilityAssessment, SubsidyDecision

Count = Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL]


class CaseEvent(AggregateEvent):
    """Base of the case's events."""


class ApplicationSubmitted(CaseEvent, CanInitAggregate[UUID]):
    """农户申请 — the household applies (or the village committee applies on its behalf)."""

    TOPIC: ClassVar[str] = "renovation.case:ApplicationSubmitted"
    originator_topic: str
    case_ref: Reference
    programme_id: str
    policy_id: str
    village_code: DivisionCode
    channel: ApplicationChannel
    on_behalf_reason: FreeText | None
    household: Household
    house: HouseCondition
    category: Category
    extremely_low_income: bool
    planned_mode: RenovationMode
    prior_support: tuple[PriorSupport, ...]
    reentry_reason: ReentryReason | None
    supported_in_programmes: tuple[str, ...]


class CategoryCertified(CaseEvent):
    """身份认定 — the competent department certifies the household's category."""

    TOPIC: ClassVar[str] = "renovation.case:CategoryCertified"
    department: Department
    certificate_no: Reference
    valid_until: date | None
    extremely_low_income: bool


class HouseGraded(CaseEvent):
    """危房鉴定 — the house is graded A–D by overall danger or by seismic fitness."""

    TOPIC: ClassVar[str] = "renovation.case:HouseGraded"
    grade: Grade
    method: GradingMethod
    assessor: Assessor
    report_no: Reference
    evidence: Evidence


class NoHouseStatusRecorded(CaseEvent):
    """无房户认定 — the household has no house (verified by the township)."""

    TOPIC: ClassVar[str] = "renovation.case:NoHouseStatusRecorded"
    basis: Text
    evidence: Evidence


class DemocraticReviewHeld(CaseEvent):
    """民主评议 — the villagers' (representatives') meeting reviewed the application."""

    TOPIC: ClassVar[str] = "renovation.case:DemocraticReviewHeld"
    votes: VoteCount
    passed: bool
    minutes: Evidence


class PublicNoticePosted(CaseEvent):
    """公示 — a notice is posted at village, township or county level."""

    TOPIC: ClassVar[str] = "renovation.case:PublicNoticePosted"
    level: NoticeLevel
    notice_no: Reference
    location: Text
    planned_days: Annotated[int, Field(strict=True, ge=1, le=90), INTEGRAL]


class PublicNoticeClosed(CaseEvent):
    """公示期满 — the notice period ends, with the objections received and upheld."""

    TOPIC: ClassVar[str] = "renovation.case:PublicNoticeClosed"
    level: NoticeLevel
    days_posted: int
    min_days: int
    policy_version: int
    objections_received: Count
    objections_upheld: Count


class TownshipReviewed(CaseEvent):
    """乡镇审核 — the township approves the application or returns it to the village."""

    TOPIC: ClassVar[str] = "renovation.case:TownshipReviewed"
    decision: ReviewDecision
    opinion: Text
    home_visited: bool
    evidence: Evidence


class MeansAssessed(CaseEvent):
    """自筹能力评估 — the township, after a home visit, records the household's own means; a later
    assessment replaces an earlier one. `basis` is sealed: it describes the household."""

    TOPIC: ClassVar[str] = "renovation.case:MeansAssessed"
    self_funding: SelfFunding
    basis: ProtectedValue
    evidence: Evidence


class CountyApprovalGranted(CaseEvent):
    """县级审批 — the county approves the subsidy; the decision records the policy it applied.

    Version 2: the subsidy decision records the county, grade, household size and means it
    looked at, and any county decision or 兜底 basis (`SubsidyDecision`); version 1 forms are
    upcast with those unknown (null)."""

    TOPIC: ClassVar[str] = "renovation.case:CountyApprovalGranted"
    class_version: ClassVar[int] = 2
    approved_mode: RenovationMode
    subsidy: SubsidyDecision
    eligibility: EligibilityAssessment

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        subsidy = state["subsidy"]
        subsidy.setdefault("county_decision", None)
        subsidy.setdefault("full_cost", None)
        for field in ("grade", "household_size", "self_funding", "county", "decided_on"):
            subsidy["inputs"].setdefault(field, None)


class CaseRejected(CaseEvent):
    """The township or county rejects the application."""

    TOPIC: ClassVar[str] = "renovation.case:CaseRejected"
    level: NoticeLevel
    reason: FreeText


class CaseWithdrawn(CaseEvent):
    """The household withdraws its application."""

    TOPIC: ClassVar[str] = "renovation.case:CaseWithdrawn"
    reason: FreeText
    evidence: Evidence


class AgreementSigned(CaseEvent):
    """改造协议 — the township and the household sign the renovation agreement."""

    TOPIC: ClassVar[str] = "renovation.case:AgreementSigned"
    agreement_no: Reference
    renovation_mode: RenovationMode
    construction_mode: ConstructionMode
    payee: Payee | None
    deadline: date
    required_area_m2: AreaM2 | None
    seismic_requirements: Text
    demolition_due: date | None
    subsidy_yuan: Yuan


class ConstructionStarted(CaseEvent):
    """开工."""

    TOPIC: ClassVar[str] = "renovation.case:ConstructionStarted"
    builder: Builder
    evidence: Evidence


class ConstructionProgressReported(CaseEvent):
    """施工巡查 — a site inspection records progress."""

    TOPIC: ClassVar[str] = "renovation.case:ConstructionProgressReported"
    milestone: Text
    percent_complete: Annotated[int, Field(strict=True, ge=0, le=100), INTEGRAL]
    evidence: Evidence


class ConstructionCompleted(CaseEvent):
    """竣工 — the built area and structure as finished."""

    TOPIC: ClassVar[str] = "renovation.case:ConstructionCompleted"
    built_area_m2: AreaM2
    structure: HouseStructure
    evidence: Evidence


class CountyAcceptanceRecorded(CaseEvent):
    """县级竣工验收 — the county team's acceptance, passed or failed."""

    TOPIC: ClassVar[str] = "renovation.case:CountyAcceptanceRecorded"
    result: AcceptanceResult
    min_area_m2: AreaM2 | None
    policy_version: int


class CitySpotCheckRecorded(CaseEvent):
    """市级抽查 — the city's spot check of an accepted house."""

    TOPIC: ClassVar[str] = "renovation.case:CitySpotCheckRecorded"
    passed: bool
    draw_ref: Reference | None
    findings: tuple[Text, ...]
    evidence: Evidence


class ProvincialAcceptanceRecorded(CaseEvent):
    """自治区（省级）核验 — the provincial verification."""

    TOPIC: ClassVar[str] = "renovation.case:ProvincialAcceptanceRecorded"
    passed: bool
    findings: tuple[Text, ...]
    evidence: Evidence


class OldHouseDemolished(CaseEvent):
    """拆除旧危房 — the old house is demolished (建新拆旧)."""

    TOPIC: ClassVar[str] = "renovation.case:OldHouseDemolished"
    evidence: Evidence


class PaymentRequested(CaseEvent):
    """拨付申请 — the county submits a tranche to finance."""

    TOPIC: ClassVar[str] = "renovation.case:PaymentRequested"
    request_no: Reference
    tranche: Tranche
    amounts: Amounts
    channel: PaymentChannel
    payee_ref: BlindIndex
    payee_masked: str


class PaymentDisbursed(CaseEvent):
    """资金拨付 — finance pays a requested tranche."""

    TOPIC: ClassVar[str] = "renovation.case:PaymentDisbursed"
    request_no: Reference
    amounts: Amounts
    voucher_no: Reference


class CaseClosed(CaseEvent):
    """销档 — the archive is closed: built, accepted, paid."""

    TOPIC: ClassVar[str] = "renovation.case:CaseClosed"
    total_paid_yuan: Yuan


class DataCorrected(CaseEvent):
    """数据更正 — a recorded value is corrected (maker-checker); history is never edited."""

    TOPIC: ClassVar[str] = "renovation.case:DataCorrected"
    field: str
    old: JsonValue
    new: JsonValue
    reason: FreeText
    approved_by: StaffRef

