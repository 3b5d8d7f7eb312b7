"""`python -m renovation.bench`: run the figures, print the table, keep the JSON.

`--quick` runs write under var/bench/ only; full runs keep their JSON in bench/results/ and
rewrite their block of docs/benchmarks.md; `--update-docs [RESULT.json]` rewrites a block from
a result file (default: the newest full run in bench/results/) and measures nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from renovation.bench import outputs, report, runner
from renovation.bench.child import PROFILE_ENV
from renovation.bench.runner import Plan
from renovation.bench.stores import BACKENDS
from renovation.bench.targets import Result

ROOT = Path.cwd()


def main(
    backend: Annotated[str, typer.Option(help="sqlite or postgres.")] = "sqlite",
    cases: Annotated[int | None, typer.Option(min=10, help="Cases to import (full run: 1M).")
                     ] = None,
    quick: Annotated[bool, typer.Option(help="A small run (a few hundred cases).")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    results: Annotated[Path | None, typer.Option(
        help="Where the JSON goes (default: var/bench/results/ for --quick, else bench/results/).")
                       ] = None,
    scratch: Annotated[Path, typer.Option(help="Scratch stores.")] = ROOT / "var/bench",
    docs: Annotated[Path, typer.Option(help="Page whose marked block shows the latest run.")
                    ] = ROOT / "docs/benchmarks.md",
    profile: Annotated[bool, typer.Option(
        help="Profile each phase with pyinstrument into SCRATCH/profiles/.")] = False,
    from_journal: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False,
        help="Measure nothing: report the finished phases of a run that stopped early, from"
             " its journal (SCRATCH/BACKEND/steps.json).")] = None,
    resume: Annotated[bool, typer.Option(
        help="Keep the phases the journal holds (same plan) and run the rest on the store"
             " they left.")] = False,
    update_docs: Annotated[bool, typer.Option(
        help="Measure nothing: rewrite the block of DOCS for RESULT (default: the newest full"
             " run in bench/results/).")] = False,
    result: Annotated[Path | None, typer.Argument(
        exists=True, dir_okay=False, show_default=False,
        help="A run's JSON, for --update-docs.")] = None,
) -> None:
    """Measure every figure beside the bare eventsourcing library; mark each against its target."""
    if result is not None and not update_docs:
        raise typer.BadParameter("a result file is read by --update-docs only", param_hint="RESULT")
    if update_docs:
        _update_docs(docs, result, results or ROOT / outputs.KEPT)
        return
    if from_journal is not None:
        _report(*runner.from_journal(from_journal), results, docs, scratch)
        return
    if backend not in BACKENDS:
        raise typer.BadParameter(f"use one of {', '.join(BACKENDS)}", param_hint="--backend")
    plan = (Plan.quick_plan(backend, cases) if quick
            else Plan(backend=backend, cases=cases or 1_000_000, batch_size=batch_size))
    if quick:
        plan = Plan(**{**plan.__dict__, "batch_size": batch_size})
    if profile:
        os.environ[PROFILE_ENV] = str(scratch / "profiles")
    typer.echo(f"bench: {backend}, {plan.cases:,} cases{' (quick)' if quick else ''}", err=True)
    try:
        measured = runner.run(plan, scratch, lambda line: typer.echo(line, err=True),
                              resume=resume)
    except runner.JournalMismatchError as error:
        raise typer.BadParameter(str(error), param_hint="--resume") from error
    _report(*measured, results, docs, scratch)


def _report(data: dict[str, Any], measured: list[Result], results: Path | None, docs: Path,
            scratch: Path) -> None:
    typer.echo(report.text_table(measured, data["backend"]))
    where = outputs.destinations(ROOT, bool(data.get("quick")), results, docs, scratch)
    typer.echo(f"\n{data['events']:,} events in {data['seconds']:.0f} s")
    for line in outputs.keep(data, measured, where):
        typer.echo(line)


def _update_docs(docs: Path, result: Path | None, kept: Path) -> None:
    try:
        used, block = outputs.update_docs(docs, result, kept)
    except outputs.NoResultError as error:
        raise typer.BadParameter(str(error), param_hint="--update-docs") from error
    typer.echo(f"{docs}: block {block} rewritten from {used}")


if __name__ == "__main__":
    typer.run(main)
