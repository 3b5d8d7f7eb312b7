"""`python -m renovation.bench`: run the figures, print the table, keep the JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from renovation.bench import report
from renovation.bench.child import PROFILE_ENV
from renovation.bench.runner import Plan, run
from renovation.bench.stores import BACKENDS

ROOT = Path.cwd()


def main(
    backend: Annotated[str, typer.Option(help="sqlite or postgres.")] = "sqlite",
    cases: Annotated[int | None, typer.Option(min=10, help="Cases to import (full run: 1M).")
                     ] = None,
    quick: Annotated[bool, typer.Option(help="A small run (a few hundred cases).")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    results: Annotated[Path, typer.Option(help="Where the JSON goes.")] = ROOT / "bench/results",
    scratch: Annotated[Path, typer.Option(help="Scratch stores.")] = ROOT / "var/bench",
    docs: Annotated[Path, typer.Option(help="Page whose marked block shows the latest run.")
                    ] = ROOT / "docs/benchmarks.md",
    profile: Annotated[bool, typer.Option(
        help="Profile each phase with pyinstrument into SCRATCH/profiles/.")] = False,
) -> None:
    """Measure every figure beside the bare eventsourcing library; mark each against its target."""
    if backend not in BACKENDS:
        raise typer.BadParameter(f"use one of {', '.join(BACKENDS)}", param_hint="--backend")
    plan = (Plan.quick_plan(backend, cases) if quick
            else Plan(backend=backend, cases=cases or 1_000_000, batch_size=batch_size))
    if quick:
        plan = Plan(**{**plan.__dict__, "batch_size": batch_size})
    if profile:
        os.environ[PROFILE_ENV] = str(scratch / "profiles")
    typer.echo(f"bench: {backend}, {plan.cases:,} cases{' (quick)' if quick else ''}", err=True)
    data, measured = run(plan, scratch, lambda line: typer.echo(line, err=True))
    typer.echo(report.text_table(measured, backend))
    saved = report.write_json(results, report.document(data, measured))
    typer.echo(f"\n{data['events']:,} events in {data['seconds']:.0f} s; JSON: {saved}")
    if report.update_docs(docs, data, measured):
        typer.echo(f"summary written to {docs}")


if __name__ == "__main__":
    typer.run(main)
