"""县级决定 — what a county decides within its city's plan, kept in the policy file as data.

Seed 004 §三(三) sets household averages (户均 3万 / 1.85万元) and tells each county to
differentiate around them (差异化补助: by danger grade, renovation mode and the household's own
means), and to support a household without means in full (兜底) at the construction cost of the
minimum area. Seed 003 §三(一)5/6 leaves the subsidy of 周转安置 (安置补贴) and 公共租赁 to
whoever provides them. Each county decision names the county (12-digit code), who set it
(`set_by`) and from when (`set_on`): it is in force from that day, and a county's later decision
of the same kind replaces its earlier one (the earlier one stays in the file, for decisions
taken under it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from renovation.kernel.jurisdiction import DivisionCode, Level, covers, level_of
from renovation.kernel.types import Yuan
from renovation.kernel.vocabulary import Department, Grade, RenovationMode, SelfFunding

if TYPE_CHECKING:
    from renovation.policy.models import Policy

RateId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,40}$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,30}$")]
CostPerM2 = Annotated[int, Field(strict=True, gt=0, le=100_000)]

COUNTY_SET_MODES = frozenset({RenovationMode.TURNOVER_HOUSING, RenovationMode.PUBLIC_RENTAL})
"""Seed 003 §三(一)5 周转安置 (政府给予安置补贴) and 6 公共租赁: no plan sets their amount; only a
county-set rate (`county_rates`) lets a county approve them."""

TOLERANCE = Fraction(1)
"""A planned average passes when it lies less than one yuan from the 户均 figure: an average of
whole-yuan amounts may fall between two yuan, but a table one whole yuan off is refused."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _split_adds_up(what: str, amount: int, split: Mapping[str, int]) -> None:
    if sum(split.values()) != amount:
        raise ValueError(
            f"{what}: split {dict(split)} adds up to {sum(split.values())}, not the amount {amount}"
        )


class CountyDecision(_Strict):
    """Who decided for which county, from when; a decision records this much of it."""

    county: DivisionCode
    set_by: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    set_on: date

    def in_force(self, on: date | None) -> bool:
        """In force on that day (a question without a day asks about the latest decision)."""
        return on is None or self.set_on <= on

    def ref(self) -> CountyDecision:
        return CountyDecision(county=self.county, set_by=self.set_by, set_on=self.set_on)


D = TypeVar("D", bound=CountyDecision)


def in_force(decisions: Iterable[D], county: str | None, on: date | None) -> D | None:
    """The county's decision in force on `on`: the latest one set on or before that day."""
    found = [d for d in decisions if county is not None and d.county == county and d.in_force(on)]
    return max(found, key=lambda d: d.set_on, default=None)


class CountyCost(CountyDecision):
    """A county's own construction cost per m² for 兜底, replacing the plan's figure there."""

    cost_per_m2: CostPerM2


class FullCostRules(_Strict):
    """兜底 — a household assessed without means (`qualifying`) that builds new gets the cost of
    the policy's minimum area for its size: area × `cost_per_m2` (seed 004 §三(三)), when that
    is more than its standard rate. The standard rate's other parts stay as they are; `payer`
    (the county's fund source) pays the rest. No `cost_per_m2` and no county cost: 兜底 cannot be
    decided and approval is refused, naming the rule."""

    cost_per_m2: CostPerM2 | None = None
    qualifying: frozenset[SelfFunding] = frozenset({SelfFunding.NONE})
    payer: SourceKey | None = None
    source: str | None = None
    counties: tuple[CountyCost, ...] = ()

    def cost(self, county: str | None, on: date | None) -> tuple[int, CountyCost | None] | None:
        """The cost per m² in force in the county, and the county decision that set it."""
        decision = in_force(self.counties, county, on)
        if decision is not None:
            return decision.cost_per_m2, decision
        return None if self.cost_per_m2 is None else (self.cost_per_m2, None)


class StandardRow(_Strict):
    """One row of a county's differentiated standards: the households it applies to (an omitted
    condition matches any: `grade` also a household with no house, `means` also one not
    assessed), its amount and split, and how many households the county plans at it."""

    id: RateId
    department: Department
    grade: Grade | None = None
    mode: RenovationMode | None = None
    means: SelfFunding | None = None
    amount: Yuan
    split: dict[SourceKey, Yuan]
    households: Annotated[int, Field(strict=True, ge=1, le=100_000)]

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        _split_adds_up(f"row {self.id}", self.amount, self.split)
        return self

    def matches(self, department: Department, grade: Grade | None, mode: RenovationMode,
                means: SelfFunding | None) -> bool:
        wanted = ((self.grade, grade), (self.mode, mode), (self.means, means))
        return self.department is department and all(
            condition is None or condition == value for condition, value in wanted)


class CountyStandards(CountyDecision):
    """差异化补助 — a county's table of standards; the first matching row decides."""

    name: str | None = None
    note: str | None = None
    rows: tuple[StandardRow, ...] = Field(min_length=1)

    def row_for(self, department: Department, grade: Grade | None, mode: RenovationMode,
                means: SelfFunding | None) -> StandardRow | None:
        return next((r for r in self.rows if r.matches(department, grade, mode, means)), None)


class CountyModeRate(CountyDecision):
    """A county's rate for a mode the plans leave to it (周转安置 安置补贴, 公共租赁)."""

    id: RateId
    label: str
    mode: RenovationMode
    departments: frozenset[Department] = frozenset()
    amount: Yuan
    split: dict[SourceKey, Yuan]

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _split_adds_up(f"county rate {self.id}", self.amount, self.split)
        if self.mode not in COUNTY_SET_MODES:
            raise ValueError(f"county rate {self.id}: {self.mode.value} is not a mode a county"
                             f" sets ({', '.join(sorted(COUNTY_SET_MODES))})")
        return self


@dataclass(frozen=True)
class PlannedAverage:
    """One county's planned average for one department (or one fund source's part of it)."""

    county: str
    name: str | None
    department: Department
    source: str | None  # None: the whole amount
    households: int
    average: Fraction
    figure: int | None  # the programme's 户均 figure; None: the policy has none

    @property
    def passed(self) -> bool:
        return self.figure is not None and self.households > 0 and abs(
            self.average - self.figure) < TOLERANCE

    def message(self) -> str:
        where = f"county {self.county}" + (f" ({self.name})" if self.name else "")
        what = f"department {self.department.value}" + (
            f", fund source {self.source}" if self.source else "")
        if self.figure is None:
            return f"{where}, {what}: the policy sets no 户均 figure for this department"
        if self.households == 0:
            return f"{where}, {what}: the table plans no household (户均 {self.figure})"
        return (f"{where}, {what}: planned average {format_yuan(self.average)} yuan over"
                f" {self.households} households; the programme's 户均 is {self.figure} yuan")


def format_yuan(value: Fraction) -> str:
    """A whole yuan as such, else to the fen."""
    whole = value.numerator // value.denominator
    return str(whole) if whole == value else f"{float(value):.2f}"


def planned_averages(table: CountyStandards, figures: Mapping[Department, Mapping[str, int]]
                     ) -> list[PlannedAverage]:
    """Per department: the average weighted by planned households, then each source's part.

    `figures` holds, per department, the 户均 amount (key "") and its split by fund source."""
    found: list[PlannedAverage] = []
    for department in sorted({*figures, *(r.department for r in table.rows)}):
        rows = [r for r in table.rows if r.department is department]
        households = sum(r.households for r in rows)
        figure = figures.get(department)
        sources = (None, *sorted({*(figure or {}), *(s for r in rows for s in r.split)} - {""}))
        for source in sources:
            total = sum((r.amount if source is None else r.split.get(source, 0)) * r.households
                        for r in rows)
            found.append(PlannedAverage(
                table.county, table.name, department, source, households,
                Fraction(total, households) if households else Fraction(0),
                None if figure is None else figure.get(source or "", 0)))
    return found


def standards_averages(policy: Policy) -> list[PlannedAverage]:
    """Every county table of the policy checked against the programme's 户均 figures."""
    figures: dict[Department, dict[str, int]] = {}
    if policy.funding_plan is not None:
        for department, rate_id in policy.funding_plan.rates.items():
            rate = policy.rate(rate_id)
            figures[department] = {"": rate.amount, **rate.split}
    return [average for table in policy.county_standards
            for average in planned_averages(table, figures)]


def county_problems(policy: Policy, check_averages: bool = True) -> list[str]:
    """What makes the policy's county decisions invalid, as messages (none: valid)."""
    problems: list[str] = []
    sources = set(policy.fund_sources)
    decisions: list[tuple[str, CountyDecision]] = [
        *(("full-cost county cost", d) for d in policy.full_cost.counties),
        *(("county standards", d) for d in policy.county_standards),
        *(("county rate", d) for d in policy.county_rates),
    ]
    for kind, decision in decisions:
        if level_of(decision.county) is not Level.COUNTY or not covers(
                policy.jurisdiction, decision.county):
            problems.append(f"{kind} of {decision.county}: not a county in {policy.jurisdiction}")
    splits = [*((f"row {r.id}", r.split) for t in policy.county_standards for r in t.rows),
              *((f"county rate {r.id}", r.split) for r in policy.county_rates)]
    problems += [f"{what} names unknown fund sources {sorted(set(split) - sources)}"
                 for what, split in splits if set(split) - sources]
    full = policy.full_cost
    if (full.cost_per_m2 is not None or full.counties) and full.payer not in sources:
        problems.append(f"full_cost.payer {full.payer!r} is not a fund source of the policy")
    seen: set[tuple[str, str, str, date]] = set()
    for kind, decision in decisions:
        scope = f"{getattr(decision, 'mode', '')} {sorted(getattr(decision, 'departments', ()))}"
        key = (kind, scope, decision.county, decision.set_on)
        if key in seen:
            problems.append(f"two {kind} decisions of {decision.county} set on {decision.set_on}")
        seen.add(key)
    for table in policy.county_standards:
        ids = [row.id for row in table.rows]
        if len(set(ids)) != len(ids):
            problems.append(f"county standards of {table.county}: row ids repeat")
    if policy.county_standards and policy.funding_plan is None:
        problems.append("county standards need the programme's 户均 figures (funding_plan)")
    elif check_averages:
        problems += [a.message() for a in standards_averages(policy) if not a.passed]
    return problems
