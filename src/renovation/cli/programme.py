"""`renovation programme` — open a programme and record its task and fund plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from renovation.aggregates.base import Actor
from renovation.application.funding import funding_plan, read_targets
from renovation.application.programmes import ProgrammeCatalog
from renovation.cli.common import emit, runtime
from renovation.kernel.vocabulary import Role

app = typer.Typer(help="Programmes (年度计划): open, allocate, show.", no_args_is_help=True)

ActorId = Annotated[str, typer.Option("--actor-id", help="Your staff id.")]
ActorCode = Annotated[
    str, typer.Option("--jurisdiction", help="Your 12-digit jurisdiction code.")
]
BusinessDate = Annotated[str | None, typer.Option("--on", help="Business date (default today).")]


def _manager(actor_id: str, jurisdiction: str) -> Actor:
    return Actor(id=actor_id, role=Role.PROGRAMME_MANAGER, jurisdiction=jurisdiction)


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else date.today()


@app.command("open")
def open_programme(
    programme: str, policy: Annotated[str, typer.Option(help="Policy id.")],
    actor_id: ActorId, jurisdiction: ActorCode, on: BusinessDate = None,
) -> None:
    """Open a programme under a policy (again under the same policy: nothing happens)."""
    with runtime() as rt:
        opened = rt.programmes.open(programme, policy, _manager(actor_id, jurisdiction), _day(on))
        emit({"programme": opened.programme, "jurisdiction": opened.jurisdiction,
              "policy": f"{opened.policy_id}@{opened.policy_version}", "version": opened.version})


@app.command("allocate")
def allocate(
    programme: str, targets: Annotated[Path, typer.Option(help="Targets CSV (see plan funding).")],
    actor_id: ActorId, jurisdiction: ActorCode, on: BusinessDate = None,
) -> None:
    """Record the task and fund plan rows; unchanged rows record nothing."""
    with runtime() as rt:
        changed = rt.programmes.allocate(
            programme, list(read_targets(targets)), _manager(actor_id, jurisdiction), _day(on)
        )
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
