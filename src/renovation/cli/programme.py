"""`renovation programme` — open a programme and record its task and fund plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from renovation.application.funding import funding_plan, read_targets
from renovation.application.programmes import ProgrammeCatalog
from renovation.cli.common import emit, runtime, signed_in

app = typer.Typer(help="Programmes (年度计划): open, allocate, show.", no_args_is_help=True)

BusinessDate = Annotated[str | None, typer.Option("--on", help="Business date (default today).")]


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else date.today()


@app.command("open")
def open_programme(
    programme: str, policy: Annotated[str, typer.Option(help="Policy id.")],
    on: BusinessDate = None,
) -> None:
    """Open a programme under a policy, signed in as a programme manager of its area (again
    under the same policy: nothing happens)."""
    with signed_in() as (rt, me):
        opened = rt.programmes.open(me, programme, policy, _day(on))
        emit({"programme": opened.programme, "jurisdiction": opened.jurisdiction,
              "policy": f"{opened.policy_id}@{opened.policy_version}", "version": opened.version})


@app.command("allocate")
def allocate(
    programme: str, targets: Annotated[Path, typer.Option(help="Targets CSV (see plan funding).")],
    on: BusinessDate = None,
) -> None:
    """Record the task and fund plan rows (signed in); unchanged rows record nothing."""
    with signed_in() as (rt, me):
        changed = rt.programmes.allocate(me, programme, list(read_targets(targets)), _day(on))
        emit({"programme": programme, "rows_recorded": changed})


@app.command("show")
def show(programme: str) -> None:
    """The programme, its plan rows and the funding plan they give (JSON)."""
    with runtime() as rt:
        catalog = ProgrammeCatalog(rt.app)
        found = catalog.programme(programme)
        rows = list(found.allocations.values())
        emit({
            "programme": found.programme, "title": found.title,
            "jurisdiction": found.jurisdiction, "year": found.year,
            "policy": f"{found.policy_id}@{found.policy_version}",
            "funding_plan": [line.model_dump() for line in
                             funding_plan(catalog.policy_for(programme), rows)] if rows else [],
        })
