"""`renovation ledger` — the villages' housing-safety ledgers (台账) and the zeroing view."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.cli.common import emit, refusals
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.kernel.jurisdiction import check_code
from renovation.projections.ledger_sheets import ledger_sheets
from renovation.projections.queries.ledger import attention, ledger_entries, zeroing
from renovation.projections.workbook import write_report_workbook

app = typer.Typer(help="Housing-safety ledgers (台账) and 动态清零.", no_args_is_help=True)


def _code(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_code(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r}: {error}") from None


def _xlsx(path: Path | None) -> Path | None:
    if path is not None and path.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{path}: the file name must end in .xlsx")
    return path


Area = Annotated[str | None, typer.Option(
    "--village", "--township", "--within", callback=_code,
    help="A 12-digit division code: the village, township or county to list.")]
Kind = Annotated[str | None, typer.Option("--kind", help="key (重点对象) or ordinary (一般农户).")]
AsOf = Annotated[datetime | None, typer.Option(
    "--as-of", formats=["%Y-%m-%d"], help="Judge as of this date (default today).")]


def _day(as_of: datetime | None) -> date:
    return as_of.date() if as_of else datetime.now(CHINA_STANDARD_TIME).date()


@app.command("list")
def list_(
    within: Area = None, kind: Kind = None, as_of: AsOf = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows each.")] = 1000,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", callback=_xlsx,
                                              help="Also write the ledger to this .xlsx.")] = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """The ledger entries found in the area (报送, 整改, 销号) and the houses needing a patrol,
    a re-assessment, the elderly moved, or a re-check after renovation."""
    day = _day(as_of)
    with refusals(), read_models(no_catch_up) as db:
        answer: dict[str, Any] = ledger_entries(db, day, within, kind, limit)
        answer["attention"] = attention(db, day, within, kind, limit)["houses"]
    if xlsx is not None:
        count = write_report_workbook(ledger_sheets(answer), xlsx)
        Console(stderr=True).print(f"{count} rows written to {xlsx}")
    if json_output:
        emit(answer)
        return
    console = Console(highlight=False, markup=False)
    console.print(f"ledger on {answer['as_of']}: {len(answer['entries'])} entries,"
                  f" {len(answer['attention'])} houses needing attention")
    for e in answer["entries"]:
        late = " OVERDUE" if e["overdue"] else ""
        console.print(f"{e['village']} {e['house_no']:<4} {e['head']:<6} {e['ledger']:<8}"
                      f" {e['suspected_grade']}/{e['grade'] or '-'} found {e['found_on']}"
                      f" ({e['found_by']}) {e['status']}{late} {e['case_ref'] or ''}")
    for h in answer["attention"]:
        console.print(f"{h['village']} {h['house_no']:<4} {h['head']:<6} needs:"
                      f" {', '.join(h['needs'])}")


@app.command("zeroing")
def zeroing_(
    by: Annotated[str, typer.Option("--by", help="county, township or village.")] = "county",
    within: Area = None, kind: Kind = None, as_of: AsOf = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """动态清零: per area, entries found, resolved, outstanding (found − resolved) and overdue."""
    with refusals(), read_models(no_catch_up) as db:
        answer = zeroing(db, _day(as_of), by, within, kind)
    if json_output:
        emit(answer)
        return
    console = Console(highlight=False, markup=False)
    console.print(f"zeroing on {answer['as_of']} by {answer['by']}")
    for row in [*answer["rows"], {"code": "total", **answer["total"]}]:
        console.print(f"{row['code']:<12} found {row['found']:>6} resolved {row['resolved']:>6}"
                      f" outstanding {row['outstanding']:>6} overdue {row['overdue']:>6}")
