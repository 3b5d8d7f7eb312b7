"""任务和资金计划表 — the task and fund plan of a programme, per county and in total.

Seed 004 §六: project funds are the central-plus-regional part of each household's standard
times the households of each category; the regional project funds are what remains after the
central funds allocated to the county (an input, 切块下达); the regional total adds the work funds
(工作经费); city and county funds are their per-household parts times all households.

The targets come from a CSV (docs/funding-plan.md): one row per county, keyed by its 12-digit
division code; `sample_targets` gives a blank form listing a policy's counties.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from renovation.aggregates.programme import Allocation
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import Level, check_code, covers, level_of
from renovation.kernel.vocabulary import Department
from renovation.policy import Policy


class FundingLine(BaseModel):
    """One row of the plan; amounts in whole yuan. `county_code` is the row's 12-digit division
    code (the total line's is `total`)."""

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
            county_code=row.jurisdiction,
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
COLUMN_OF = {"jurisdiction": "county_code", "name": "county_name"}
"""The targets column of each Allocation field whose name differs."""
_WHOLE = re.compile(r"^[+-]?[0-9]+$")
_SAMPLES = resources.files("renovation.policy") / "data" / "targets"


def sample_targets(policy_id: str) -> str:
    """目标文件样例 — the blank targets form of a policy: its counties' codes and names, every
    number left for the user to fill in (or InvalidInputError when the policy ships none)."""
    sample = _SAMPLES / f"{policy_id}.csv"
    if not sample.is_file():
        known = sorted(p.name.removesuffix(".csv") for p in _SAMPLES.iterdir()
                       if p.name.endswith(".csv"))
        raise InvalidInputError(
            "plan.sample_known", "policy", policy_id,
            f"no sample targets file for policy {policy_id}; samples exist for: {', '.join(known)}"
            " (a policy whose subsidy depends on the mode has no household plan)",
        )
    return sample.read_text(encoding="utf-8")


def read_targets(path: Path, within: str | None = None) -> Iterator[Allocation]:
    """Plan rows from a targets CSV (UTF-8): notes (lines starting with `#`) and blank lines are
    skipped, then a header of exactly TARGET_COLUMNS, then one row per county. An error names the
    row (the file's line number), the column, the value and the rule; rows are yielded only as
    they pass, and a caller reads them all before writing anything."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _rows(handle, path.name, within)
    except UnicodeDecodeError:
        raise InvalidInputError(
            "plan.targets_encoding", "targets", path.name,
            "the targets file must be UTF-8 text (in Excel: 另存为 CSV UTF-8)",
        ) from None


def _rows(handle: TextIO, name: str, within: str | None) -> Iterator[Allocation]:
    reader = csv.reader(handle)
    header: tuple[str, ...] | None = None
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record) or record[0].lstrip().startswith("#"):
            continue
        where = f"{name}:{line}"
        if header is None:
            header = tuple(cell.strip() for cell in record)
            if header != TARGET_COLUMNS:
                raise InvalidInputError(
                    "plan.targets_columns", where, ",".join(header),
                    f"row {line}: the targets file needs exactly these columns:"
                    f" {','.join(TARGET_COLUMNS)}",
                )
            continue
        if len(record) != len(TARGET_COLUMNS):
            raise InvalidInputError(
                "plan.targets_row_length", where, ",".join(record),
                f"row {line} has {len(record)} cells; every row has {len(TARGET_COLUMNS)}",
            )
        allocation = _allocation(dict(zip(TARGET_COLUMNS, record, strict=True)), where, within)
        if allocation.jurisdiction in seen:
            raise InvalidInputError(
                "plan.targets_unique", f"{where}:county_code", allocation.jurisdiction,
                f"row {line}: county {allocation.jurisdiction} is already planned in row"
                f" {seen[allocation.jurisdiction]}; a county has one row",
            )
        seen[allocation.jurisdiction] = line
        yield allocation
    if header is None:
        raise InvalidInputError(
            "plan.targets_columns", f"{name}:1", "",
            f"the targets file is empty; it needs the columns {','.join(TARGET_COLUMNS)}",
        )


def _allocation(record: dict[str, str], where: str, within: str | None) -> Allocation:
    row = where.rsplit(":", 1)[1]
    code = record["county_code"].strip()
    try:
        check_code(code)
    except ValueError as error:
        raise InvalidInputError(
            "input.division_code", f"{where}:county_code", code,
            f"row {row}, column county_code: {error} (a 12-digit 行政区划代码, e.g. 450321000000)",
        ) from None
    if level_of(code) not in (Level.COUNTY, Level.CITY):
        raise InvalidInputError(
            "plan.targets_county_code", f"{where}:county_code", code,
            f"row {row}: {code} is a {level_of(code).label} code; a row is a county (县级) or"
            " the city's own row (市级)",
        )
    if within is not None and not covers(within, code):
        raise InvalidInputError(
            "plan.targets_within_jurisdiction", f"{where}:county_code", code,
            f"row {row}: {code} lies outside the policy's area {within}",
        )
    numbers: dict[str, int] = {}
    for column in TARGET_COLUMNS[2:]:
        cell = record[column].strip()
        if not _WHOLE.match(cell):
            raise InvalidInputError(
                "plan.targets_integer", f"{where}:{column}", record[column],
                f"row {row}, column {column}: fill in a whole number (households or yuan;"
                " 0 where none)",
            )
        numbers[column] = int(cell)
    try:
        return Allocation(jurisdiction=code, name=record["county_name"].strip(), **numbers)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        field = str(problem["loc"][0]) if problem["loc"] else "row"
        column = COLUMN_OF.get(field, field)
        raise InvalidInputError(
            f"plan.targets_{problem['type']}", f"{where}:{column}", problem.get("input"),
            f"row {row}, column {column}: {problem['msg']}",
        ) from None
