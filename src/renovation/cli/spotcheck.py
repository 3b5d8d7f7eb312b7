"""`renovation spotcheck` — draw the city's spot check of a county, re-verify it, report on it.

Each command first catches the read models up with the log, so the population drawn from (and
compared with) is every acceptance recorded so far.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from renovation.application.spotcheck import SpotCheckService, Verification
from renovation.bootstrap import Runtime
from renovation.cli.common import emit, runtime, signed_in
from renovation.cli.projections import Json, read_models
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.spotcheck import ReadModelCases, spot_checks

app = typer.Typer(help="The city's spot check (市级抽查): draw, verify, report.",
                  no_args_is_help=True)

Programme = Annotated[str, typer.Option("--programme", help="Programme id.")]
County = Annotated[str, typer.Option("--county", help="12-digit county code.")]
Round = Annotated[int, typer.Option("--round", min=1, help="Draw round (from 1).")]
SeedHex = Annotated[str, typer.Option("--seed-hex", help="The published seed, hex (≥ 32 digits).")]


def _service(rt: Runtime, db: ViewsDatabase) -> SpotCheckService:
    return rt.spot_checks(ReadModelCases(db))


@app.command("draw")
def draw(
    programme: Programme, county: County, seed_hex: SeedHex,
    ratio: Annotated[str | None, typer.Option(
        "--ratio", help="Share to draw (default: the policy's minimum, e.g. 0.10).")] = None,
    round_no: Round = 1,
    on: Annotated[datetime | None, typer.Option(
        "--on", formats=["%Y-%m-%d"], help="Business date of the draw (default: today).")] = None,
) -> None:
    """抽签 — draw at least the ratio of each township's accepted houses; prints the selection.

    Signed in as a city inspector (or programme manager) of the county's city."""
    with read_models() as db, signed_in(quiet=True) as (rt, me):
        recorded = _service(rt, db).draw(me, programme, county, seed_hex,
                                         on.date() if on else None, ratio, round_no)
    emit(recorded.to_dict())


@app.command("verify")
def verify(
    programme: Programme, county: County, round_no: Round = 1,
    seed_hex: Annotated[str | None, typer.Option(
        "--seed-hex", help="The seed as published (default: the recorded one).")] = None,
    json_output: Json = False,
) -> None:
    """复核 — recompute a recorded draw and compare its population with the acceptances.

    Exits 0 when the draw re-verifies, 1 when it does not.
    """
    with read_models() as db, runtime(quiet=True) as rt:
        result = _service(rt, db).verify(programme, county, round_no, seed_hex)
    if json_output:
        emit(result.to_dict())
    else:
        _print_verification(result)
    if not result.ok:
        raise typer.Exit(1)


@app.command("report")
def report(
    programme: Annotated[str | None, typer.Option("--programme", help="Programme id.")] = None,
    json_output: Json = False,
) -> None:
    """抽查情况 — per county: accepted, drawn, checked, failed, the ratio achieved."""
    with read_models() as db:
        answer = spot_checks(db, programme)
    if json_output:
        emit(answer)
        return
    table = Table("county", "name", "accepted", "drawn", "checked", "failed", "achieved %",
                  "meets min", title="市级抽查")
    for row in answer["counties"]:
        required = row["required_ratio"]
        meets = "yes" if row["meets_minimum"] else "NO"
        if required is not None:
            meets += f" (≥{Decimal(required) * 100:.0f}%)"
        table.add_row(row["county"], row["name"] or "", str(row["accepted"]), str(row["drawn"]),
                      str(row["checked"]), str(row["failed"]),
                      f"{Decimal(row['achieved_ratio']) * 100:.2f}", meets)
    Console().print(table)


def _print_verification(result: Verification) -> None:
    d = result.draw
    state = "verified" if result.ok else "NOT verified"
    typer.echo(f"{d.draw_ref}: {state} — {len(d.selected)} of {d.population} drawn"
               f" (at least {d.required}), seed {result.seed_hex}, log position {d.position}")
    for m in result.mismatches:
        refs = f": {', '.join(m.refs[:20])}" + (" …" if len(m.refs) > 20 else "") if m.refs else ""
        typer.echo(f"  {m.kind}: {m.message}{refs}")
