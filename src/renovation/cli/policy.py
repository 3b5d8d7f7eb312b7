"""`renovation policy` — the subsidy policies shipped as data."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from renovation.cli.common import emit, refusals
from renovation.policy import all_policies, load_policy

app = typer.Typer(help="Subsidy policies (one per jurisdiction × year).", no_args_is_help=True)


@app.command("list")
def list_policies() -> None:
    """List the policies with their version, jurisdiction and rates."""
    table = Table("id", "version", "jurisdiction", "title", "rates")
    for policy in all_policies():
        rates = ", ".join(f"{r.id} {r.amount}" for r in policy.subsidy_rates)
        table.add_row(policy.id, str(policy.version), policy.jurisdiction, policy.title, rates)
    Console().print(table)


@app.command("show")
def show(policy_id: str) -> None:
    """Print one policy as JSON."""
    with refusals():
        emit(load_policy(policy_id).model_dump(mode="json"))
