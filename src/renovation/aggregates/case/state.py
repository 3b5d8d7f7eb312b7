"""The state a renovation case keeps between events, and the small records it is made of.

The command mixins read this state to guard transitions; only the aggregate's @event methods
assign it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from renovation.aggregates.case.values import (
    AcceptanceResult,
    HouseCondition,
    Household,
    Payee,
    PaymentRequest,
    PriorSupport,
)
from renovation.kernel.vocabulary import (
    ApplicationChannel,
    Category,
    ConstructionMode,
    Department,
    Grade,
    GradingMethod,
    NoticeLevel,
    ReentryReason,
    RenovationMode,
    SelfFunding,
    Stage,
)
from renovation.policy import SubsidyDecision


@dataclass
class Certification:
    department: Department
    certificate_no: str
    valid_until: date | None
    extremely_low_income: bool
    on: date


@dataclass
class Grading:
    grade: Grade
    method: GradingMethod
    on: date


@dataclass
class MeansAssessment:
    """自筹能力评估: the household's means as last assessed, and when."""

    self_funding: SelfFunding
    on: date


@dataclass
class Notice:
    notice_no: str
    posted_on: date
    planned_days: int
    closed_on: date | None = None
    objections_upheld: int = 0


@dataclass
class Agreement:
    renovation_mode: RenovationMode
    construction_mode: ConstructionMode
    payee: Payee | None
    deadline: date
    required_area_m2: Decimal | None
    demolition_due: date | None
    on: date


@dataclass
class Decision:
    """Who decided and when (township review, county approval).

    `identity` holds the keys of the person who decided (`kernel.staff.identity_keys`).
    """

    actor_id: str
    on: date
    identity: frozenset[str] = frozenset()


class CaseState:
    """Attributes of `RenovationCase`, declared once for the command mixins and the aggregate.

    Deliberately not a dataclass: the aggregate's creation event sets every attribute.
    """

    case_ref: str
    programme_id: str
    policy_id: str
    village_code: str
    channel: ApplicationChannel
    household: Household
    house: HouseCondition
    category: Category
    extremely_low_income: bool
    planned_mode: RenovationMode
    prior_support: tuple[PriorSupport, ...]
    reentry_reason: ReentryReason | None
    supported_in_programmes: tuple[str, ...]
    submitted_on: date
    stage: Stage
    certification: Certification | None
    grading: Grading | None
    no_house_on: date | None
    review_passed_on: date | None
    means: MeansAssessment | None
    notices: dict[NoticeLevel, Notice]
    township_decision: Decision | None
    county_decision: Decision | None
    subsidy: SubsidyDecision | None
    agreement: Agreement | None
    started_on: date | None
    completed_on: date | None
    built_area_m2: Decimal | None
    acceptance: AcceptanceResult | None
    accepted_on: date | None
    acceptors: set[str]  # identity keys of the acceptance team and its recorder
    spot_check_passed: bool | None
    provincial_passed: bool | None
    demolished_on: date | None
    requests: dict[str, PaymentRequest]
    paid_by_source: dict[str, int]
    closed_on: date | None

    def _reset_progress(self) -> None:
        """The state of a freshly submitted case beyond its application."""
        self.stage = Stage.APPLIED
        self.certification = None
        self.grading = None
        self.no_house_on = None
        self.review_passed_on = None
        self.means = None
        self.notices = {}
        self.township_decision = None
        self.county_decision = None
        self.subsidy = None
        self.agreement = None
        self.started_on = None
        self.completed_on = None
        self.built_area_m2 = None
        self.acceptance = None
        self.accepted_on = None
        self.acceptors = set()
        self.spot_check_passed = None
        self.provincial_passed = None
        self.demolished_on = None
        self.requests = {}
        self.paid_by_source = {}
        self.closed_on = None

    @property
    def approvers(self) -> frozenset[str]:
        """The identity keys of who approved the case: the township reviewer, the county
        approver."""
        decisions = (self.township_decision, self.county_decision)
        return frozenset().union(*(d.identity for d in decisions if d))

    @property
    def demolition_required(self) -> bool:
        """建新拆旧: a new house replaces an old one, unless the household had none (and set
        no date for clearing what remained of it)."""
        return (self.agreement is not None and self.agreement.renovation_mode.requires_demolition
                and (self.no_house_on is None or self.agreement.demolition_due is not None))

    @property
    def total_paid(self) -> int:
        return sum(self.paid_by_source.values())

    def requested_by_source(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for request in self.requests.values():
            for source, amount in request.amounts.by_source.items():
                totals[source] = totals.get(source, 0) + amount
        return totals
