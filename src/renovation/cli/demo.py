"""`renovation demo` — write the demo programme into the configured store and summarise it."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from renovation.cli.common import runtime
from renovation.kernel.vocabulary import Stage
from renovation.simulation.demo import SimulatedClock, run_demo
from renovation.simulation.guilin import COUNTIES


def demo(
    cases_per_county: Annotated[
        int, typer.Option(min=1, max=200, help="Households per county.")
    ] = 4,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic households and dates.")] = 2022,
) -> None:
    """Simulate Guilin 2022 (13 counties) through every stage; safe to run again."""
    clock = SimulatedClock()
    console = Console()
    with runtime(quiet=True, clock=clock) as rt, console.status("recording the demo programme…"):
        result = run_demo(rt, clock, cases_per_county, seed)
    console.print(
        f"demo programme guilin-2022: {result.applied} commands applied,"
        f" {result.duplicates} already present (store: {rt.settings.db})"
    )
    by_county: dict[str, dict[str, int]] = defaultdict(dict)
    for (county, stage), count in result.stages.items():
        by_county[county][stage] = count
    stages = [s.value for s in Stage if any(s.value in row for row in by_county.values())]
    table = Table("county", *[Stage(s).label for s in stages], title="cases by stage")
    for county in COUNTIES:
        row = by_county.get(county.code, {})
        table.add_row(f"{county.code} {county.name}", *[str(row.get(s, "")) for s in stages])
    console.print(table)
