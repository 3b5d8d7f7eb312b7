"""任务和资金计划表 — the task and fund plan of a programme, per county and in total.

Seed 004 §六: project funds are the central-plus-regional part of each household's standard
times the households of each category; the regional project funds are what remains after the
central funds allocated to the county (an input, 切块下达); the regional total adds the work funds
(工作经费); city and county funds are their per-household parts times all households.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from renovation.aggregates.programme import Allocation
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.vocabulary import Department
from renovation.policy import Policy


class FundingLine(BaseModel):
    """One row of the plan; amounts in whole yuan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    county_code: str
    county_name: str
    households_total: int
    households_rural_revitalization: int
    households_civil_affairs: int
    project_funds_yuan: int
    central_funds_yuan: int
    regional_project_funds_yuan: int
    regional_work_funds_yuan: int
    regional_total_yuan: int
    city_funds_yuan: int
    county_funds_yuan: int


def _parts(policy: Policy) -> dict[Department, dict[str, int]]:
    """Per-household amounts by source, for each certifying department."""
    rules = policy.funding_plan
    if rules is None:
        raise InvalidInputError(
            "plan.policy_has_funding_plan", "policy", policy.id,
            f"policy {policy.ref} sets no per-department standard (its subsidy depends on the"
            " renovation mode), so no task and fund plan can be derived from households alone",
        )
    return {dept: dict(policy.rate(rate_id).split) for dept, rate_id in rules.rates.items()}


def funding_plan(policy: Policy, rows: Iterable[Allocation]) -> list[FundingLine]:
    """The plan's lines in the given order, then a total line with county_code 'total'."""
    parts = _parts(policy)
    assert policy.funding_plan is not None
    rules = policy.funding_plan
    rr, ca = parts[Department.RURAL_REVITALIZATION], parts[Department.CIVIL_AFFAIRS]
    lines = []
    for row in rows:
        rr_n, ca_n = row.rural_revitalization_households, row.civil_affairs_households
        project = rr_n * rr[rules.project_source] + ca_n * ca[rules.project_source]
        regional = project - row.central_funds_yuan
        lines.append(FundingLine(
            county_code=row.jurisdiction[:6],
            county_name=row.name,
            households_total=rr_n + ca_n,
            households_rural_revitalization=rr_n,
            households_civil_affairs=ca_n,
            project_funds_yuan=project,
            central_funds_yuan=row.central_funds_yuan,
            regional_project_funds_yuan=regional,
            regional_work_funds_yuan=row.work_funds_yuan,
            regional_total_yuan=regional + row.work_funds_yuan,
            city_funds_yuan=rr_n * rr[rules.city_source] + ca_n * ca[rules.city_source],
            county_funds_yuan=rr_n * rr[rules.county_source] + ca_n * ca[rules.county_source],
        ))
    return [*lines, _total(lines)]


def _total(lines: list[FundingLine]) -> FundingLine:
    numbers = {
        field: sum(getattr(line, field) for line in lines)
        for field in FundingLine.model_fields
        if field not in ("county_code", "county_name")
    }
    return FundingLine(county_code="total", county_name="合计", **numbers)


TARGET_COLUMNS = (
    "county_code", "county_name", "rural_revitalization_households", "civil_affairs_households",
    "central_funds_yuan", "work_funds_yuan",
)


def read_targets(path: Path) -> Iterator[Allocation]:
    """Plan rows from a targets CSV with exactly TARGET_COLUMNS; errors name line and column."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != TARGET_COLUMNS:
            raise InvalidInputError(
                "plan.targets_columns", f"{path.name}:1", ",".join(reader.fieldnames or ()),
                f"the targets file needs exactly these columns: {','.join(TARGET_COLUMNS)}",
            )
        for line, record in enumerate(reader, start=2):
            yield _allocation(record, f"{path.name}:{line}")


def _allocation(record: dict[str, str], where: str) -> Allocation:
    code = (record["county_code"] or "").strip()
    try:
        numbers = {k: int(record[k]) for k in TARGET_COLUMNS[2:]}
    except (TypeError, ValueError):
        bad = next(k for k in TARGET_COLUMNS[2:] if not (record[k] or "").strip().isdigit())
        raise InvalidInputError(
            "plan.targets_integer", f"{where}:{bad}", record[bad],
            f"{bad} must be a whole number (yuan or households)",
        ) from None
    if len(code) != 6 or not code.isdigit():
        raise InvalidInputError(
            "plan.targets_county_code", f"{where}:county_code", code,
            "county_code is a 6-digit division code (the city's own row uses its city code)",
        )
    try:
        return Allocation(
            jurisdiction=code.ljust(12, "0"), name=(record["county_name"] or "").strip(),
            rural_revitalization_households=numbers["rural_revitalization_households"],
            civil_affairs_households=numbers["civil_affairs_households"],
            central_funds_yuan=numbers["central_funds_yuan"],
            work_funds_yuan=numbers["work_funds_yuan"],
        )
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        column = str(problem["loc"][0]) if problem["loc"] else "row"
        raise InvalidInputError(
            f"plan.targets_{problem['type']}", f"{where}:{column}", problem.get("input"),
            problem["msg"],
        ) from None
