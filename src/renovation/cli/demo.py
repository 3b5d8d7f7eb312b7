"""`renovation demo` — write the simulated Guilin 2022 programme and summarise it."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from renovation.cli.common import emit, runtime
from renovation.cli.progress import ProgressOption, progress_bar
from renovation.kernel.vocabulary import Stage
from renovation.simulation.demo import (
    DemoReport,
    Settings,
    SimulatedClock,
    export_commands,
    open_programme,
    run_demo,
    stamps_for,
)
from renovation.simulation.guilin import COUNTIES
from renovation.simulation.staff import DEMO_PASSWORD, SIGN_IN


def demo(
    households: Annotated[int, typer.Option(min=1, help="Households to simulate.")] = 1173,
    seed: Annotated[int, typer.Option(help="Seed of households, dates and paths.")] = 2022,
    clean: Annotated[bool, typer.Option(help="No injected irregularities.")] = False,
    if_empty: Annotated[bool, typer.Option(help="Do nothing if the store has events.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    export: Annotated[Path | None, typer.Option(
        "--export", help="Write the case commands to this JSONL file, not the store.")] = None,
    no_cases: Annotated[bool, typer.Option(
        "--no-cases", help="Only register the demo's staff and open the programme (then"
        " `renovation import` an exported file, signed in as pm-4503).")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show_progress: ProgressOption = False,
) -> None:
    """Simulate the Guilin 2022 programme (1,173 households, 13 counties) through the command path.

    Safe to run again: every command has a fixed id and is recognised.
    """
    settings = Settings(households=households, seed=seed, irregular=not clean)
    if export is not None:
        count = export_commands(settings, export)
        if json_output:
            emit({"commands": count, "file": str(export)})
        else:
            Console(stderr=True).print(f"{count} commands written to {export}")
        return
    clock = SimulatedClock()
    console = Console(stderr=True)
    with runtime(quiet=True, create=True, clock=clock, stamp=stamps_for(settings)) as rt:
        if if_empty and rt.app.recorder.max_notification_id():
            console.print(f"the store already holds events ({rt.settings.db}); demo skipped")
            _print_logins()
            return
        if no_cases:
            open_programme(rt, clock, households)
            _print_logins()
            return
        with progress_bar("households", households, "households", show_progress) as bar:
            report = run_demo(rt, clock, settings, batch_size,
                              progress=bar.update if bar else None,
                              on_stage=bar.stage if bar else None)
    if json_output:
        emit(_as_json(report))
        return
    _print(report, rt.settings.db)
    _print_logins()
    if report.rejected:
        raise typer.Exit(1)


def _as_json(report: DemoReport) -> dict[str, object]:
    return {
        "households": report.households, "applied": report.applied,
        "duplicates": report.duplicates, "rejected": report.rejected,
        "stages": [{"county": county, "stage": stage, "cases": n}
                   for (county, stage), n in sorted(report.stages.items())],
        "irregular": report.irregular,
        "spot_checks": report.spot_checks,
        "monitoring": None if report.monitoring is None else {
            "houses": report.monitoring.houses, "acts": report.monitoring.acts,
            "refused": dict(report.monitoring.refused)},
        "zeroing": report.zeroing, "evaluation": report.evaluation,
        "registries": None if report.registries is None else {
            "snapshots": report.registries.snapshots, "planted": report.registries.planted},
    }


def _print(report: DemoReport, store: str) -> None:
    console = Console()
    console.print(
        f"guilin-2022: {report.households} households; {report.applied} commands applied,"
        f" {report.duplicates} already present, {len(report.rejected)} refused ({store})"
    )
    by_county: dict[str, dict[str, int]] = defaultdict(dict)
    for (county, stage), count in report.stages.items():
        by_county[county][stage] = count
    stages = [s.value for s in Stage if any(s.value in row for row in by_county.values())]
    table = Table("县（市、区）", *[Stage(s).label for s in stages], title="案件所处阶段")
    for county in COUNTIES:
        row = by_county.get(county.code, {})
        table.add_row(county.name, *[str(row.get(s, "")) for s in stages])
    console.print(table)
    if report.irregular:
        console.print(f"{len(report.irregular)} cases carry injected irregularities:",
                      ", ".join(sorted(set(report.irregular.values()))))
    _print_spot_checks(console, report)
    _print_registries(console, report)
    _print_zeroing(console, report)
    for refused in report.rejected[:10]:
        console.print(f"[red]refused[/red] {refused['command_id']}: {refused['message']}")


def _print_logins() -> None:
    """The demo's accounts, so that a newcomer can sign in (synthetic data only)."""
    console = Console()
    table = Table("staff id", "role", "jurisdiction", title="演示账户 — demo logins, password"
                  f" {DEMO_PASSWORD!r} (renovation login ID)")
    for staff_id, role, jurisdiction in SIGN_IN:
        table.add_row(staff_id, f"{role.value} ({role.label})", jurisdiction)
    console.print(table)


def _print_registries(console: Console, report: DemoReport) -> None:
    loaded = report.registries
    if loaded is None:
        return
    rows = ", ".join(f"{kind} {n}" for kind, n in loaded.snapshots.items())
    console.print(f"数据比对: registry snapshots loaded ({rows});"
                  f" {len(loaded.planted)} cases planted for the comparison"
                  " (`renovation findings list`)")


def _print_zeroing(console: Console, report: DemoReport) -> None:
    total, monitoring = report.zeroing.get("total"), report.monitoring
    if not total or monitoring is None:
        return
    console.print(f"农房监测: {monitoring.houses} houses recorded, {monitoring.acts} acts;"
                  f" 台账 on {report.zeroing['as_of']}: found {total['found']}, resolved"
                  f" {total['resolved']}, outstanding {total['outstanding']}, overdue"
                  f" {total['overdue']} (`renovation ledger zeroing --by county`)")
    if report.evaluation:
        console.print("绩效评价 (2022-12-31): " + "; ".join(
            f"{f['label_zh']} {f['value'] if f['value'] is not None else '—'}"
            for f in report.evaluation) + " (`renovation report evaluation`)")


def _print_spot_checks(console: Console, report: DemoReport) -> None:
    draws = report.spot_checks
    if not draws:
        return
    drawn = sum(d["drawn"] for d in draws)
    accepted = sum(d["accepted"] for d in draws)
    verified = sum(d["verified"] for d in draws)
    console.print(f"市级抽查: {len(draws)} counties drawn, {drawn} of {accepted} accepted houses"
                  f" selected; {verified} of {len(draws)} draws re-verified;"
                  f" checks recorded: {sum(d['checked'] for d in draws)}"
                  " (`renovation spotcheck report`)")
