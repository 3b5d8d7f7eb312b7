"""`renovation projections` — the read models: their position in the log, running, rebuilding."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from renovation.cli.common import emit, refusals, settings
from renovation.cli.progress import ProgressOption, positions, progress_bar
from renovation.config import Settings
from renovation.projections import CatchUpReport, Projector, ViewsDatabase, open_projector
from renovation.secrets_config import require_store

app = typer.Typer(help="Read models projected from the event log.", no_args_is_help=True)

NoCatchUp = Annotated[
    bool, typer.Option("--no-catch-up", help="Answer from the read models as they are.")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def existing() -> Settings:
    """The settings, once the store they name is known to exist."""
    current = settings(quiet=True)
    with refusals():
        require_store(current)
    return current


@contextmanager
def read_models(no_catch_up: bool = False) -> Iterator[ViewsDatabase]:
    """The read-model database, first brought up to date with the log unless told not to."""
    with open_projector(existing()) as projector:
        if no_catch_up:
            missing = [s["projection"] for s in projector.status() if s["state"] == "not built"]
            if missing:
                typer.echo(f"error: read models not built: {', '.join(missing)};"
                           " run `renovation projections run --once`", err=True)
                raise typer.Exit(2)
        else:
            projector.catch_up()
        yield projector.db


@app.command("status")
def status(json_output: Json = False) -> None:
    """Per projection: version, position in the log, head of the log, lag."""
    with open_projector(existing()) as projector:
        rows = projector.status()
    if json_output:
        emit(rows)
        return
    table = Table("projection", "version", "position", "head", "lag", "state", "verified")
    for row in rows:
        version = f"{row['version']}" + (
            f" (stored {row['stored_version']})"
            if row["stored_version"] not in (None, row["version"]) else "")
        verified = "never" if row["verified_at"] is None else (
            f"{row['verified_at']} {'matched' if row['verified_ok'] else 'DIFFERED'}")
        table.add_row(row["projection"], version, str(row["position"]), str(row["head"]),
                      str(row["lag"]), row["state"], verified)
    Console().print(table)


@app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Stop after catching up.")] = False,
    interval: Annotated[float, typer.Option(min=0.01, help="Seconds between polls.")] = 0.2,
    show_progress: ProgressOption = False,
) -> None:
    """Catch up with the log, then follow it (Ctrl-C stops)."""
    with open_projector(existing()) as projector:
        with progress_bar("catching up", None, "events", show_progress) as bar:
            report = projector.catch_up(on_progress=positions(bar))
        _print_report(report, projector)
        if once:
            return
        stop = threading.Event()
        try:
            projector.run(stop, interval, on_report=lambda r: _print_report(r, projector))
        except KeyboardInterrupt:
            stop.set()


@app.command("rebuild")
def rebuild(
    name: Annotated[str | None, typer.Argument(help="One projection (default: all).")] = None,
    show_progress: ProgressOption = False,
) -> None:
    """Rebuild from the start of the log into shadow tables, then swap them in."""
    with open_projector(existing()) as projector:
        names = [name] if name else None
        if name and name not in {p.name for p in projector.projections}:
            known = ", ".join(p.name for p in projector.projections)
            typer.echo(f"error: no projection {name!r}; known: {known}", err=True)
            raise typer.Exit(2)
        with progress_bar("rebuilding", None, "events", show_progress) as bar:
            rebuilt = projector.rebuild(names, on_progress=positions(bar))
        emit({"rebuilt": rebuilt, "status": projector.status()})


@app.command("verify")
def verify(
    name: Annotated[str | None, typer.Argument(help="One projection (default: all).")] = None,
    json_output: Json = False,
) -> None:
    """Replay the log into scratch tables and compare them with the live read models, row by
    row. Exit 0 when they match, 1 naming the first differing rows, 2 when one is not built."""
    with open_projector(existing()) as projector:
        if name and name not in {p.name for p in projector.projections}:
            known = ", ".join(p.name for p in projector.projections)
            typer.echo(f"error: no projection {name!r}; known: {known}", err=True)
            raise typer.Exit(2)
        outcomes = projector.verify([name] if name else None)
    if json_output:
        emit({"ok": all(o.ok for o in outcomes), "projections": [o.to_dict() for o in outcomes]})
    else:
        for o in outcomes:
            if not o.built:
                typer.echo(f"{o.projection}: not built (run `renovation projections run --once`)")
            elif o.ok:
                typer.echo(f"{o.projection}: matches the log ({o.rows:,} rows through"
                           f" notification {o.position})")
            else:
                typer.echo(f"{o.projection}: {o.differing} rows differ from the log")
                for difference in o.differences[:5]:
                    typer.echo(f"  {difference.describe()}")
    if any(not o.built for o in outcomes):
        raise typer.Exit(2)
    if not all(o.ok for o in outcomes):
        raise typer.Exit(1)


def _print_report(report: CatchUpReport, projector: Projector) -> None:
    data = report.to_dict()
    rate = sum(report.applied.values()) / report.seconds if report.seconds else 0.0
    data["events_per_second"] = round(rate)
    data["positions"] = projector.positions()
    sys.stdout.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()
