"""Commands from application to county approval."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from renovation.aggregates.case.values import (
    Assessor,
    Evidence,
    HouseCondition,
    PriorSupport,
    VoteCount,
)
from renovation.application.commands.base import Command, HouseholdInput, Input
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import INTEGRAL, Reference, Text
from renovation.kernel.vocabulary import (
    ApplicationChannel,
    Category,
    Department,
    Grade,
    GradingMethod,
    NoticeLevel,
    ReentryReason,
    RenovationMode,
    ReviewDecision,
    SelfFunding,
)


class SubmitApplicationPayload(Input):
    programme_id: Reference
    village_code: DivisionCode
    channel: ApplicationChannel = ApplicationChannel.HOUSEHOLD
    on_behalf_reason: Text | None = None
    household: HouseholdInput
    house: HouseCondition
    category: Category
    extremely_low_income: bool = False
    planned_mode: RenovationMode
    prior_support: tuple[PriorSupport, ...] = Field(default=(), max_length=10)
    reentry_reason: ReentryReason | None = None


class SubmitApplication(Command):
    """农户申请."""

    type: Literal["submit_application"]
    payload: SubmitApplicationPayload


class CertifyCategoryPayload(Input):
    department: Department
    certificate_no: Reference
    valid_until: date | None = None
    extremely_low_income: bool = False


class CertifyCategory(Command):
    """身份认定."""

    type: Literal["certify_category"]
    payload: CertifyCategoryPayload


class GradeHousePayload(Input):
    grade: Grade
    method: GradingMethod
    assessor: Assessor
    report_no: Reference
    evidence: Evidence = ()


class GradeHouse(Command):
    """危房鉴定."""

    type: Literal["grade_house"]
    payload: GradeHousePayload


class RecordNoHousePayload(Input):
    basis: Text
    evidence: Evidence = ()


class RecordNoHouse(Command):
    """无房户认定."""

    type: Literal["record_no_house"]
    payload: RecordNoHousePayload


class HoldDemocraticReviewPayload(Input):
    votes: VoteCount
    minutes: Evidence = ()


class HoldDemocraticReview(Command):
    """民主评议."""

    type: Literal["hold_democratic_review"]
    payload: HoldDemocraticReviewPayload


class PostNoticePayload(Input):
    level: NoticeLevel
    notice_no: Reference
    location: Text
    planned_days: Annotated[int, Field(strict=True, ge=1, le=90), INTEGRAL]


class PostNotice(Command):
    """张榜公示."""

    needs_policy: ClassVar[bool] = True
    type: Literal["post_notice"]
    payload: PostNoticePayload


class CloseNoticePayload(Input):
    level: NoticeLevel
    objections_received: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL] = 0
    objections_upheld: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL] = 0


class CloseNotice(Command):
    """公示期满."""

    needs_policy: ClassVar[bool] = True
    type: Literal["close_notice"]
    payload: CloseNoticePayload


class ReviewAtTownshipPayload(Input):
    decision: ReviewDecision
    opinion: Text
    home_visited: bool
    evidence: Evidence = ()


class ReviewAtTownship(Command):
    """乡镇审核."""

    type: Literal["review_at_township"]
    payload: ReviewAtTownshipPayload


class AssessMeansPayload(Input):
    """`basis`: what the home visit found (sealed with the household's key when recorded)."""

    self_funding: SelfFunding
    basis: Text
    evidence: Evidence = ()


class AssessMeans(Command):
    """自筹能力评估."""

    type: Literal["assess_means"]
    payload: AssessMeansPayload


class GrantCountyApprovalPayload(Input):
    approved_mode: RenovationMode | None = None


class GrantCountyApproval(Command):
    """县级审批."""

    needs_policy: ClassVar[bool] = True
    type: Literal["grant_county_approval"]
    payload: GrantCountyApprovalPayload


class RejectCasePayload(Input):
    level: Literal[NoticeLevel.TOWNSHIP, NoticeLevel.COUNTY]
    reason: Text


class RejectCase(Command):
    """不予通过."""

    type: Literal["reject_case"]
    payload: RejectCasePayload


class WithdrawCasePayload(Input):
    reason: Text
    evidence: Evidence = ()


class WithdrawCase(Command):
    """农户撤回申请."""

    type: Literal["withdraw_case"]
    payload: WithdrawCasePayload
