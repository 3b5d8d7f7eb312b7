"""The shape of a subsidy policy file (one per jurisdiction × year), validated when it is loaded."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import Yuan
from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    GradingMethod,
    HouseStructure,
    NoticeLevel,
    PriorSupportKind,
    ReentryReason,
    RenovationMode,
    SafetyRating,
)
from renovation.policy.citations import Citation, check_sources
from renovation.policy.comparison import ComparisonRules
from renovation.policy.county import (
    CountyModeRate,
    CountyStandards,
    FullCostRules,
    county_problems,
)

SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,30}$")]
Ratio = Annotated[Decimal, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EligibilityRules(_Strict):
    """The seeds' three conditions: category, unsafe only house (or none), no earlier support."""

    grades: frozenset[Grade]
    grading_methods: frozenset[GradingMethod]
    no_house_eligible: bool
    reentry_reasons: frozenset[ReentryReason] = frozenset()
    reentry_excluded_if_prior: frozenset[PriorSupportKind] = frozenset()


class AreaRules(_Strict):
    """Floor-area limits for new-build modes, by household size (seed 004 §三(二))."""

    min_by_size: dict[int, Decimal]
    min_per_person_above: Decimal
    max_small_household: Decimal | None = None
    max_per_person: Decimal | None = None
    max_source: str | None = None

    def minimum(self, household_size: int) -> Decimal:
        if household_size in self.min_by_size:
            return self.min_by_size[household_size]
        return self.min_per_person_above * household_size

    def maximum(self, household_size: int) -> Decimal | None:
        if household_size <= 3:
            return self.max_small_household
        if self.max_per_person is None:
            return None
        return self.max_per_person * household_size


class SubsidyRate(_Strict):
    """One row of the rate table: the conditions it applies to, its amount and per-source split.

    An empty condition set matches anything. With `per_unit` set the amount and split are per
    unit (e.g. per cave), capped at `max_units`.
    """

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,40}$")]
    label: str
    departments: frozenset[Department] = frozenset()
    categories: frozenset[Category] = frozenset()
    modes: frozenset[RenovationMode] = frozenset()
    grading_methods: frozenset[GradingMethod] = frozenset()
    structures: frozenset[HouseStructure] = frozenset()
    extremely_low_income: bool | None = None
    per_unit: str | None = None
    max_units: int | None = None
    amount: Yuan
    split: dict[SourceKey, Yuan]

    @model_validator(mode="after")
    def _split_adds_up(self) -> Self:
        if sum(self.split.values()) != self.amount:
            raise ValueError(
                f"rate {self.id}: split {self.split} adds up to {sum(self.split.values())},"
                f" not the amount {self.amount}"
            )
        if (self.per_unit is None) != (self.max_units is None):
            raise ValueError(f"rate {self.id}: per_unit and max_units go together")
        return self


class PaymentRules(_Strict):
    """When money may flow (seed 004 §四(八)): after acceptance, monthly submit/pay days."""

    advance_after_start_max_ratio: Ratio = Decimal(0)
    submit_by_day: int = Field(ge=1, le=31)
    pay_by_day: int = Field(ge=1, le=31)
    max_days_after_acceptance: int = Field(ge=1, le=365)

    def days_for(self, requested_on: date) -> tuple[date, date]:
        """The submit-by and pay-by days of a request: submitted by the submit day, it is paid
        by that month's pay day; submitted later, it joins the next month's batch."""
        submit_by = _day_of(requested_on, self.submit_by_day)
        batch = requested_on
        if requested_on > submit_by:
            batch = (submit_by.replace(day=1) + timedelta(days=32)).replace(day=1)
        return submit_by, _day_of(batch, self.pay_by_day)


def _day_of(month: date, day: int) -> date:
    """That day of `month`'s month, or its last day when the month is shorter."""
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


class AcceptanceRules(_Strict):
    """三级验收: the county accepts every house; the city spot-checks at least a ratio."""

    passing_ratings: frozenset[SafetyRating]
    city_spot_check_min_ratio: Ratio


class FundingPlanRules(_Strict):
    """How a task and fund plan derives from the standards (seed 004 §六 and its annex).

    `rates` names, per certifying department, the rate whose parts give the per-household
    amounts; `project_source` is the part paid from central plus regional project funds.
    """

    rates: dict[Department, str]
    project_source: SourceKey
    city_source: SourceKey
    county_source: SourceKey


class Calendar(_Strict):
    """The programme year's milestones (seed 004 §七)."""

    start_by: date
    complete_by: date
    accept_by: date


class ModeRules(_Strict):
    """Which houses a renovation mode suits: e.g. reinforcement (加固) only for a C-grade house
    or one below the seismic standard (seed 003 §三(一)3). Empty: any graded house."""

    reinforce_grades: dict[GradingMethod, frozenset[Grade]] = {}
    source: str | None = None


class FraudRules(_Strict):
    """Thresholds of the irregularity rules (domain research §2); each finding names its rule.

    `backdate_days`: a recorded act whose recording lags its business date by more than this many
    days beyond the lag of the case's own application (so a bulk back-entry of old archives,
    where every act lags alike, is not backdating). `min_build_days`: the shortest plausible time
    from construction start to completion per mode. `proxy_*`: this many applications entered by
    one operator for different households within this many minutes, on the day they are dated.

    The collusion and anomaly rules (judged when asked, docs/fraud.md): `assessor_*`: an
    assessor with at least `min_gradings` whose D share is `excess_points` percentage points
    above the rest of the county's and `excess_ratio` times it, or who graded more than
    `max_per_day` houses on one day (鉴定结果异常集中). `acceptance_*`: a leading inspector
    accepting more than `max_per_day` houses, or in more than `max_townships` townships, on one
    day. `builder_*`: one builder or 统建/代建 payee with `min_cases` completed builds in
    `min_townships` townships, at least half shorter than `short_days` for their mode.
    `survey_*`: a village with `min_applications` live applications, more than `max_ratio`
    times the houses its ledger knew unsafe that year.
    """

    backdate_days: int = Field(default=30, ge=1, le=365)
    min_build_days: dict[RenovationMode, int] = Field(default_factory=lambda: {
        RenovationMode.REBUILD_IN_PLACE: 30, RenovationMode.RELOCATE: 30,
        RenovationMode.REINFORCE: 10,
    })
    proxy_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    proxy_min_applications: int = Field(default=5, ge=2, le=1000)
    # Product defaults (no seed states them; domain research §2 F13: "one assessor's D-rate far
    # above peers"). With 20 gradings an honest assessor lands 30 points above the baseline with
    # under 1% chance whatever the baseline (binomial; worst near 50%: P(16+ of 20) = 0.6%).
    assessor_min_gradings: int = Field(default=20, ge=1, le=100_000)
    assessor_excess_points: int = Field(default=30, ge=1, le=100)
    assessor_excess_ratio: Decimal = Field(default=Decimal("1.5"), ge=1, le=100)
    # Product defaults: a grading and an acceptance are on-site visits, the acceptance form
    # checked item by item (area, foundation, seismic measures, roof…, photos, the household's
    # signature; domain research §1.2 C, J): 20 visits leave 24 minutes each in an 8-hour day
    # with no travel between them; the villages of four townships leave no time for the work.
    assessor_max_per_day: int = Field(default=20, ge=1, le=10_000)
    acceptance_max_per_day: int = Field(default=20, ge=1, le=10_000)
    acceptance_max_townships: int = Field(default=3, ge=1, le=100)
    # Product defaults (domain research §2 F1: houses "早已建好" claimed as new builds; 凉山: 70
    # households paid, many never built): a craftsman builds in and near his own township; a
    # masonry house takes two to four months, a reinforcement weeks. `short_days` ≥ min_build_days.
    builder_min_cases: int = Field(default=6, ge=2, le=100_000)
    builder_min_townships: int = Field(default=3, ge=2, le=1000)
    builder_short_days: dict[RenovationMode, int] = Field(default_factory=lambda: {
        RenovationMode.REBUILD_IN_PLACE: 60, RenovationMode.RELOCATE: 60,
        RenovationMode.REINFORCE: 20,
    })
    # Product defaults; the duty they check is national: "中央下达的…任务必须在危房改造台账范围内
    # 进行分配" (建村〔2018〕115号, domain research §1.3). Under 10 applications a village is too
    # small to judge; twice the ledger leaves room for houses found late or by the application.
    survey_min_applications: int = Field(default=10, ge=1, le=100_000)
    survey_max_ratio: Decimal = Field(default=Decimal(2), ge=1, le=100)
    # Product defaults: a house of sound structure (brick-concrete, concrete, steel) built less
    # than this many years before its grading is rarely D-grade without a disaster; the finding
    # asks the assessor's report to be looked at, it refuses nothing.
    sound_structures: frozenset[HouseStructure] = frozenset({
        HouseStructure.MASONRY, HouseStructure.REINFORCED_CONCRETE, HouseStructure.STEEL})
    young_house_years: int = Field(default=10, ge=1, le=100)


class Policy(_Strict):
    """A subsidy policy: one jurisdiction, one year, one version."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z]+-\d{4}$")]
    version: int = Field(ge=1)
    title: str
    issued_by: str
    issued_on: date | None = None
    jurisdiction: DivisionCode
    year: int = Field(ge=2009, le=2100)
    fund_sources: dict[SourceKey, str]
    categories: dict[Category, Department]
    eligibility: EligibilityRules
    notice_min_days: dict[NoticeLevel, int]
    area: AreaRules
    subsidy_rates: tuple[SubsidyRate, ...]
    payment: PaymentRules
    acceptance: AcceptanceRules
    calendar: Calendar
    funding_plan: FundingPlanRules | None = None
    modes: ModeRules = ModeRules()
    full_cost: FullCostRules = FullCostRules()
    county_standards: tuple[CountyStandards, ...] = ()
    county_rates: tuple[CountyModeRate, ...] = ()
    fraud: FraudRules = FraudRules()
    comparison: ComparisonRules = ComparisonRules()
    sources: dict[str, Citation] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for rate in self.subsidy_rates:
            unknown = set(rate.split) - set(self.fund_sources)
            if unknown:
                raise ValueError(f"rate {rate.id} names unknown fund sources {sorted(unknown)}")
        if self.funding_plan is not None:
            known = {rate.id for rate in self.subsidy_rates}
            unknown_rates = set(self.funding_plan.rates.values()) - known
            if unknown_rates:
                raise ValueError(f"funding_plan names unknown rates {sorted(unknown_rates)}")
        missing = set(NoticeLevel) - set(self.notice_min_days)
        if missing:
            raise ValueError(f"notice_min_days lacks levels {sorted(missing)}")
        return self

    @model_validator(mode="after")
    def _county_decisions(self, info: ValidationInfo) -> Self:
        """县级决定 are valid, and each county table's planned averages are the 户均 figures
        (`renovation policy check-standards` reads a file with `check_standards` off)."""
        check = (info.context or {}).get("check_standards", True)
        problems = county_problems(self, check_averages=check)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _every_figure_cited(self) -> Self:
        """出处: every figure, defaults included, has a `[sources]` citation (citations.py)."""
        check_sources(self, self.sources, self.jurisdiction)
        return self

    @property
    def ref(self) -> str:
        """`id@version`, the form decision events record."""
        return f"{self.id}@{self.version}"

    def rate(self, rate_id: str) -> SubsidyRate:
        return next(rate for rate in self.subsidy_rates if rate.id == rate_id)

    def spot_check_fraction(self) -> Fraction:
        return Fraction(self.acceptance.city_spot_check_min_ratio)
