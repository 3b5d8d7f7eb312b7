"""`renovation plan funding` — the task and fund plan (任务和资金计划表) from a targets file;
`renovation plan sample-targets` — a blank targets form for a policy (docs/funding-plan.md)."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

from renovation.application.funding import (
    FundingLine,
    funding_plan,
    read_targets,
    sample_targets,
)
from renovation.cli.common import emit, refusals
from renovation.kernel.errors import InvalidInputError
from renovation.policy import load_policy

app = typer.Typer(help="Plans computed from a policy, before cases exist.", no_args_is_help=True)

HEADERS = {
    "county_code": "区划代码", "county_name": "县（市、区）", "households_total": "任务数（户）",
    "households_rural_revitalization": "乡村振兴部门认定（户）",
    "households_civil_affairs": "民政部门认定（户）",
    "project_funds_yuan": "中央和自治区项目资金（元）", "central_funds_yuan": "中央资金（元）",
    "regional_project_funds_yuan": "自治区项目资金（元）",
    "regional_work_funds_yuan": "自治区工作经费（元）",
    "regional_total_yuan": "自治区资金合计（元）",
    "city_funds_yuan": "市级资金（元）", "county_funds_yuan": "县级资金（元）",
}


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


@app.command("funding")
def funding(
    policy: Annotated[str, typer.Option(help="Policy id, e.g. guilin-2022.")],
    targets: Annotated[Path, typer.Option(help="Targets CSV: county_code (12 digits),"
                                          "county_name,rural_revitalization_households,"
                                          "civil_affairs_households,central_funds_yuan,"
                                          "work_funds_yuan. A blank form: plan sample-targets.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    out: Annotated[Path | None, typer.Option(help="Output file (required for xlsx).")] = None,
) -> None:
    """Per county and in total: households, project, central, regional, city, county funds.
    Every row is checked before anything is written; a bad row is refused by row and column."""
    with refusals():
        chosen = load_policy(policy)
        if not targets.is_file():
            raise InvalidInputError("plan.targets_readable", "targets", str(targets),
                                    f"no targets file at {targets}")
        if fmt is Format.XLSX and out is None:
            raise InvalidInputError("plan.out_required", "out", None,
                                    "--out FILE is required for xlsx")
        _writable(out)
        lines = funding_plan(chosen, read_targets(targets, within=chosen.jurisdiction))
    if fmt is Format.JSON:
        emit([line.model_dump() for line in lines])
    elif fmt is Format.CSV:
        write_csv(lines, out)
    elif fmt is Format.XLSX:
        assert out is not None
        write_xlsx(lines, out)
    else:
        show_table(lines)


@app.command("sample-targets")
def sample(
    policy: Annotated[str, typer.Option(help="Policy id, e.g. guilin-2022.")],
    out: Annotated[Path | None, typer.Option(help="Write the form here (never over an existing"
                                             " file); default: print it.")] = None,
) -> None:
    """A blank targets form: the policy's counties with their 12-digit division codes and every
    number left for you to fill in (the plan's own figures are not copied into it)."""
    with refusals():
        text = sample_targets(load_policy(policy).id)
        if out is not None and out.exists():
            raise InvalidInputError("plan.out_exists", "out", str(out),
                                    f"{out} exists; the sample is never written over a file")
        _writable(out)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"sample targets for {policy} written to {out}", err=True)


def _writable(out: Path | None) -> None:
    if out is not None and not out.parent.is_dir():
        raise InvalidInputError("plan.out_writable", "out", str(out),
                                f"the folder {out.parent} does not exist")


def write_csv(lines: list[FundingLine], out: Path | None) -> None:
    handle = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    writer = csv.DictWriter(handle, fieldnames=list(FundingLine.model_fields))
    writer.writeheader()
    writer.writerows(line.model_dump() for line in lines)
    if out:
        handle.close()


def write_xlsx(lines: list[FundingLine], out: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务和资金计划表"
    sheet.append(list(HEADERS.values()))
    for line in lines:
        sheet.append(list(line.model_dump().values()))
    book.save(out)


def show_table(lines: list[FundingLine]) -> None:
    table = Table(*HEADERS.values(), title="任务和资金计划表（元）")
    for line in lines:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else v for v in line.model_dump().values()))
    Console().print(table)
