"""`renovation findings` — the irregularity findings, one finding, and inspectors' decisions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.application.findings import FindingRef
from renovation.cli.common import emit, refusals, signed_in
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.fraud.queries import list_findings, show_finding
from renovation.fraud.scoring import read_expected, read_refused, score

app = typer.Typer(help="Irregularity findings (违规线索) and their review.", no_args_is_help=True)

AsOf = Annotated[datetime | None, typer.Option(
    "--as-of", formats=["%Y-%m-%d"],
    help="Judge time-dependent rules on this date (default today).")]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded with the decision).")]


def _day(as_of: datetime | None) -> date:
    return as_of.date() if as_of else datetime.now(CHINA_STANDARD_TIME).date()


@app.command("list")
def list_(
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule.")] = None,
    county: Annotated[str | None, typer.Option(
        "--county", help="Only findings with a case in this division (county or above).")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="open, confirmed or dismissed.")] = None,
    programme: Annotated[str | None, typer.Option("--programme")] = None,
    as_of: AsOf = None, json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """The findings, most severe first, each with its cases and evidence events."""
    with refusals(), read_models(no_catch_up) as db:
        answer = list_findings(db, _day(as_of), rule, county, status, programme)
    if json_output:
        emit(answer)
        return
    console = Console(highlight=False, markup=False)
    console.print(f"findings on {answer['as_of']}: {len(answer['findings'])}"
                  f" {answer['counts']}")
    for item in answer["findings"]:
        console.print(f"{item['finding_id'][:8]} {item['severity']:<6} {item['rule']}"
                      f" [{item['status']}] {', '.join(item['case_refs'])}")
        console.print(f"    {item['explanation_zh']}", soft_wrap=True)
        for row in item["registry_evidence"]:
            where = f"row {row['row']}" if row["row"] is not None else "no row"
            console.print(f"    比对数据: {row['registry']} as of {row['as_of']}"
                          f" ({row['department']}), {where}", soft_wrap=True)


@app.command("score")
def score_(
    expected: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="CSV with a case_ref column (and optionally rule).")],
    county: Annotated[str | None, typer.Option("--county")] = None,
    programme: Annotated[str | None, typer.Option("--programme")] = None,
    refused: Annotated[Path | None, typer.Option(
        "--refused", exists=True, dir_okay=False,
        help="An import's rejects file: the cases it refused count as flagged.")] = None,
    as_of: AsOf = None, json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """Recall and precision of the findings against a scenario's known irregular cases."""
    with refusals():
        wanted = read_expected(expected)
        stopped = read_refused(refused) if refused else None
        with read_models(no_catch_up) as db:
            answer = list_findings(db, _day(as_of), county=county, programme=programme)
    result = score(wanted, answer["findings"], stopped)
    if json_output:
        emit(result)
        return
    typer.echo(f"recall {result['recall']} ({result['found']} of {result['expected']} expected"
               f" cases found); precision {result['precision']} ({result['flagged']} cases"
               " flagged)")
    for name in ("missed", "unexpected", "prevented"):
        if result[name]:
            typer.echo(f"{name}: {', '.join(result[name])}")


@app.command("show")
def show(finding_id: str, as_of: AsOf = None, no_catch_up: NoCatchUp = False) -> None:
    """One finding (an id or its first 8 characters): explanation, evidence, review."""
    with read_models(no_catch_up) as db:
        item = _find(db, finding_id, _day(as_of))
    emit(item)


@app.command("confirm")
def confirm(finding_id: str, reason: Reason, as_of: AsOf = None) -> None:
    """查实 — record that the irregularity is confirmed (signed in as an inspector)."""
    _decide(finding_id, "confirmed", reason, as_of)


@app.command("dismiss")
def dismiss(finding_id: str, reason: Reason, as_of: AsOf = None) -> None:
    """排除 — record why the pattern is innocent; the finding stays listed as dismissed."""
    _decide(finding_id, "dismissed", reason, as_of)


def _decide(finding_id: str, decision: str, reason: str, as_of: datetime | None) -> None:
    """Nobody who acted on the finding's cases may decide; a decision is changed only by
    another reviewer from a more senior level (county → city → province)."""
    with read_models() as db:
        item = _find(db, finding_id, _day(as_of))
    finding = FindingRef(item["finding_id"], item["rule"], tuple(item["case_refs"]),
                         item["county"])
    with signed_in(quiet=True) as (rt, me):
        emit(rt.findings.decide(me, finding, decision, reason))


def _find(db: Any, finding_id: str, day: date) -> dict[str, Any]:
    everything = list_findings(db, day)["findings"]
    if len(finding_id) < 36:
        matches = [x for x in everything if x["finding_id"].startswith(finding_id)]
        item = matches[0] if len(matches) == 1 else None
    else:
        item = show_finding(db, finding_id, day)
    if item is None:
        typer.echo(f"error: no finding {finding_id!r} on {day}", err=True)
        raise typer.Exit(1)
    return item
