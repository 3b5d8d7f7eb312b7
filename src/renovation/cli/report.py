"""`renovation report …` and `renovation cases list` — answers from the read models.

Every command first catches the read models up with the log (`--no-catch-up` skips that), so
a freshly written store answers at once. `--json` prints the query's answer as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.cli.common import emit
from renovation.cli.evaluation import evaluation
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.kernel.jurisdiction import check_code
from renovation.kernel.vocabulary import (
    OVERDUE_KINDS,
    PROGRESS_STEPS,
    Category,
    Department,
    LabelledEnum,
    RenovationMode,
    Stage,
)
from renovation.projections import queries, report_sheets
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.cases import DATE_FIELDS
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.funnel import BY
from renovation.projections.workbook import Sheet, write_case_workbook, write_report_workbook

app = typer.Typer(help="Progress, funds, construction, overdue items, notices.",
                  no_args_is_help=True)
cases_app = typer.Typer(help="The case list (masked personal data).", no_args_is_help=True)
app.command("evaluation")(evaluation)  # 年度绩效评价, in its own module

def _code(value: str | None) -> str | None:
    """A division code option: refused (naming it) unless it is a real 12-digit code."""
    if value is None:
        return None
    try:
        return check_code(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r}: {error}") from None


def _choice(kind: type[LabelledEnum]) -> Callable[[str | None], str | None]:
    """An option naming a value of `kind` by its code or its Chinese label."""
    def parse(value: str | None) -> str | None:
        if value is None:
            return None
        for member in kind:
            if value in (member.value, member.label):
                return member.value
        choices = "、".join(f"{m.value}（{m.label}）" for m in kind)
        raise typer.BadParameter(f"{value!r} is none of: {choices}")
    return parse


def _stages(values: list[str] | None) -> list[str] | None:
    parse = _choice(Stage)
    return None if values is None else [str(parse(v)) for v in values]


Programme = Annotated[str | None, typer.Option("--programme", help="Programme id.")]
Within = Annotated[str | None, typer.Option(
    "--within", help="12-digit division code (any level).", callback=_code)]


def _xlsx_name(path: Path | None) -> Path | None:
    if path is not None and path.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{path}: the file name must end in .xlsx")
    return path


Xlsx = Annotated[Path | None, typer.Option(
    "--xlsx", help="Also write the report to this Excel file (.xlsx), Chinese headers.",
    callback=_xlsx_name)]


def _workbook(path: Path | None, sheets: Iterable[Sheet]) -> None:
    if path is not None:
        count = write_report_workbook(sheets, path)
        Console(stderr=True).print(f"{count} rows written to {path}")
STEP_LABELS = tuple(PROGRESS_STEPS.values())


def _today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


@app.command("progress")
def progress(
    by: Annotated[str, typer.Option("--by", help="county, township or village.")] = "county",
    programme: Programme = None, within: Within = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="At most this many rows (a page), by code.")] = None,
    after: Annotated[str | None, typer.Option(
        "--after", help="Rows after this code (the `next` of the previous page).")] = None,
    xlsx: Xlsx = None, json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """进度 — the stage funnel per jurisdiction against the programme's targets."""
    if by not in BY:
        raise typer.BadParameter(f"use one of {', '.join(BY)}", param_hint="--by")
    with read_models(no_catch_up) as db:
        answer = queries.progress(db, by, programme, within, limit, after, as_of=_today())
        names = division_names(db, [row["code"] for row in answer["rows"]])
    _workbook(xlsx, report_sheets.progress_sheets(answer, names))
    if json_output:
        emit(answer)
        return
    table = Table("code", "name", "target", *STEP_LABELS, "撤回", "未通过",
                  title=f"progress by {by}")
    for row in [*answer["rows"], {**answer["total"], "code": "合计", "name": "合计"}]:
        table.add_row(row["code"], row["name"] or names.get(row["code"], ""),
                      _n(row["target_households"]),
                      *(_n(row["funnel"][step]) for step in answer["steps"]),
                      _n(row["stages"]["withdrawn"]), _n(row["stages"]["rejected"]))
    Console().print(table)
    if answer.get("next"):
        typer.echo(f"more: --after {answer['next']}")


def _funds_by(value: str) -> str:
    if value not in ("county", "township"):
        raise typer.BadParameter(f"{value!r}: use county or township")
    return value


@app.command("funds")
def funds(
    programme: Programme = None, within: Within = None, xlsx: Xlsx = None,
    by: Annotated[str, typer.Option(
        help="county, or township (adds each township's money).", callback=_funds_by)
    ] = "county",
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """资金 — planned, approved, paid and outstanding per fund source (and county/township)."""
    with read_models(no_catch_up) as db:
        answer = queries.funds(db, programme, within, by=by)  # type: ignore[arg-type]
        names = division_names(db, [t["code"] for item in answer["programmes"]
                                    for t in item.get("townships", [])])
    _workbook(xlsx, report_sheets.funds_sheets(answer, names))
    if json_output:
        emit(answer)
        return
    for item in answer["programmes"]:
        table = Table("source", "planned", "approved", "requested", "paid", "outstanding",
                      title=f"{item['programme']} ({item['policy']})")
        for line in item["sources"]:
            table.add_row(line["label"] or line["source"], *_amounts(line))
        Console().print(table)
        if by == "township":
            _print_townships(item["townships"], names)


def _amounts(line: dict[str, Any]) -> list[str]:
    keys = ("planned_yuan", "approved_yuan", "requested_yuan", "paid_yuan", "outstanding_yuan")
    return [_n(line[key]) for key in keys]


def _print_townships(townships: list[dict[str, Any]], names: dict[str, str]) -> None:
    table = Table("township", "name", "approved", "requested", "paid", "outstanding",
                  title="by township (all sources)")
    for township in townships:
        total = [sum(line[key] or 0 for line in township["sources"]) for key in
                 ("approved_yuan", "requested_yuan", "paid_yuan", "outstanding_yuan")]
        table.add_row(township["code"], names.get(township["code"], ""), *map(_n, total))
    Console().print(table)


@app.command("construction")
def construction(
    programme: Programme = None, within: Within = None, xlsx: Xlsx = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """施工进度 — started, completed and accepted per month against the calendar."""
    with read_models(no_catch_up) as db:
        answer = queries.construction(db, programme, within)
    _workbook(xlsx, report_sheets.construction_sheets(answer))
    if json_output:
        emit(answer)
        return
    for item in answer["programmes"]:
        table = Table("month", "started", "completed", "accepted", title=item["programme"])
        for m in item["months"]:
            table.add_row(m["month"], *(f"{m[k]} ({m[k + '_total']})"
                                        for k in ("start", "complete", "accept")))
        Console().print(table)
        for m in item["milestones"]:
            Console().print(f"{m['milestone']} by {m['due']}: {m['on_time']} on time,"
                            f" {m['late']} late, {m['not_yet']} not yet (target {m['target']})")


@app.command("overdue")
def overdue(
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help="Default: today.")
    ] = None,
    programme: Programme = None, within: Within = None, xlsx: Xlsx = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """逾期 — notices, agreements, payments overdue on a date."""
    day = as_of.date() if as_of else _today()
    with read_models(no_catch_up) as db:
        answer = queries.overdue(db, day, programme, within)
    _workbook(xlsx, report_sheets.overdue_sheets(answer))
    if json_output:
        emit(answer)
        return
    counts = ", ".join(f"{kind} {n}" for kind, n in answer["counts"].items())
    Console().print(f"overdue on {answer['as_of']}: {counts}")
    table = Table("逾期事项", "案件", "单号", "应完成日期", "逾期天数")
    for item in answer["items"]:
        table.add_row(OVERDUE_KINDS.get(item["kind"], item["kind"]), item["case_ref"], item["ref"],
                      item["due_on"],
                      str(item["days_overdue"]))
    Console().print(table)


@app.command("notices")
def notices(
    level: Annotated[str | None, typer.Option(help="village, township or county.")] = None,
    within: Within = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                      help="Open on this date (default: open now).")
    ] = None,
    xlsx: Xlsx = None, json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """公示 — the public notices up now, per level (masked data only)."""
    with read_models(no_catch_up) as db:
        answer = queries.open_notices(db, level, within, as_of.date() if as_of else None)
    _workbook(xlsx, report_sheets.notices_sheets(answer))
    if json_output:
        emit(answer)
        return
    Console().print(", ".join(f"{lvl} {n}" for lvl, n in answer["levels"].items()))
    table = Table("level", "notice", "case", "head", "ID", "posted", "until")
    for n in answer["notices"]:
        table.add_row(n["level"], n["notice_no"], n["case_ref"], n["head_name"], n["head_id"],
                      n["posted_on"], n["due_on"])
    Console().print(table)


@cases_app.command("list")
def list_cases(
    programme: Programme = None, within: Within = None,
    stage: Annotated[list[str] | None, typer.Option(
        help="Stage, code or label (repeatable).", callback=_stages)] = None,
    category: Annotated[str | None, typer.Option(
        help="Category, code or label.", callback=_choice(Category))] = None,
    department: Annotated[str | None, typer.Option(callback=_choice(Department))] = None,
    mode: Annotated[str | None, typer.Option(
        help="Renovation mode, code or label.", callback=_choice(RenovationMode))] = None,
    date_field: Annotated[str, typer.Option("--date", help="Date the range applies to.")] = (
        "applied_on"),
    date_from: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
    date_to: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
    name: Annotated[str | None, typer.Option(help="Text in the masked name.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    xlsx: Annotated[Path | None, typer.Option(
        "--xlsx", help="Write every matching case (no paging) to this Excel file.",
        callback=_xlsx_name)] = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """案件列表 — cases matching every filter given, by case reference."""
    where = queries.CaseFilter(
        programme=programme, within=within, stages=tuple(stage or ()), category=category,
        department=department, mode=mode, date_field=date_field,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None, name=name,
    )
    if date_field not in DATE_FIELDS:
        raise typer.BadParameter(f"use one of {', '.join(DATE_FIELDS)}", param_hint="--date")
    with read_models(no_catch_up) as db:
        if xlsx is not None:
            _export(db, where, xlsx, json_output)
            return
        answer = queries.list_cases(db, where, limit, offset)
    if json_output:
        emit(answer)
        return
    _print_cases(answer)


def _export(db: ViewsDatabase, where: queries.CaseFilter, path: Path, json_output: bool) -> None:
    count = write_case_workbook(queries.iter_cases(db, where), path)
    if json_output:
        emit({"cases": count, "file": str(path)})
    else:
        Console(stderr=True).print(f"{count} cases written to {path}")


def _print_cases(answer: dict[str, Any]) -> None:
    table = Table("case", "stage", "category", "head", "ID", "village", "subsidy", "paid",
                  "applied", title=f"{answer['total']} cases")
    for c in answer["cases"]:
        table.add_row(c["case_ref"], Stage(c["stage"]).label, Category(c["category"]).label,
                      c["head_name"],
                      c["head_id"], c["village"], _n(c["subsidy_yuan"]), _n(c["paid_yuan"]),
                      c["applied_on"])
    Console().print(table)


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
