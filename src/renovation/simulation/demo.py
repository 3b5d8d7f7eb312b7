"""The demo: a simulated Guilin 2022 programme written through the ordinary command path.

The staff directory is filled first: every official the simulated cases name, registered by the
local operator, and the demo's sign-in accounts (`staff.SIGN_IN`). Then the city's programme
manager opens the programme and records its plan, and enters every case's commands through
`CaseService.execute_many` in batches, exactly as an import run by them would. Memory stays
bounded whatever the number of households: plans are generated one case at a time. Running it
again changes nothing, since every command has a fixed id.

After the cases, the villages enter their housing-safety monitoring (`simulation.monitoring`):
the surveys behind most cases and the houses resolved without one. Then the city draws its spot
check (市级抽查) of every county with accepted houses,
from a seed anyone can recompute, records a passed check of every drawn house in the first half
of December (most are paid and archived by then, as in practice), and re-verifies each draw
against the read model.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from renovation.aggregates.programme import Allocation
from renovation.application.directory import Principal
from renovation.application.spotcheck import DrawNotFoundError, RecordedDraw, SpotCheckService
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.policy import load_policy
from renovation.projections import Projector, open_database
from renovation.projections.divisions import save_names
from renovation.projections.programmes import Programmes
from renovation.projections.queries.evaluation import evaluate
from renovation.projections.queries.ledger import zeroing
from renovation.projections.queries.spotcheck import ReadModelCases, spot_checks
from renovation.projections.spotchecks import SpotChecks
from renovation.simulation.clock import SimulatedClock, WorkingHoursStamps
from renovation.simulation.guilin import COUNTIES, PROGRAMME, division_names, plan_rows
from renovation.simulation.lifecycle import Lifecycle, evidence
from renovation.simulation.monitoring import MonitoringReport, simulate_monitoring
from renovation.simulation.programme import (
    BACKDATE_DAYS,
    Settings,
    case_plans,
    irregular_cases,
    teams,
)
from renovation.simulation.registries import RegistryReport, load_registries
from renovation.simulation.staff import principal, register_staff
from renovation.spotcheck import SpotCheckInputError

MANAGER = "pm-4503"
CITY_INSPECTOR = "ci-4503"
OPENED_ON = date(2022, 2, 15)
DRAWN_ON = date(2022, 12, 5)
YEAR_END = date(2022, 12, 31)
REGISTRIES_ON = date(2022, 12, 20)  # the departments' year-end extracts arrive for comparison
HEADLINE = ("completion_rate", "on_time_rate", "spot_counties_meeting", "findings_open",
            "ledger_zeroed_ratio", "tipoffs_late")

__all__ = [
    "DemoReport", "Settings", "SimulatedClock", "draw_spot_checks", "export_commands",
    "open_programme", "public_seed", "run_demo", "stamps_for",
]


@dataclass
class DemoReport:
    households: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stages: Counter[tuple[str, str]] = field(default_factory=Counter)
    irregular: dict[str, str] = field(default_factory=dict)
    spot_checks: list[dict[str, Any]] = field(default_factory=list)
    monitoring: MonitoringReport | None = None
    registries: RegistryReport | None = None
    zeroing: dict[str, Any] = field(default_factory=dict)
    evaluation: list[dict[str, Any]] = field(default_factory=list)
    _last: tuple[str, str] | None = None

    def saw(self, case_ref: str, stage: str) -> None:
        """Commands arrive case by case: a case's stage is the one after its last command."""
        if self._last and self._last[0] != case_ref:
            self.finish()
        self._last = (case_ref, stage)

    def finish(self) -> None:
        if self._last:
            self.stages[(self._last[0][:6], self._last[1])] += 1
            self._last = None


def open_programme(
    runtime: Runtime, clock: SimulatedClock, households: int = 1173, passwords: bool = True,
) -> Principal:
    """Register the staff, then open Guilin 2022 and record its task and fund plan, as the city
    would in February. Returns the programme manager, who enters the cases. Without
    `passwords`, the sign-in accounts get none (argon2 takes 64 MiB and a tenth of a second
    per hash: benchmarks leave them out)."""
    clock.business_day(OPENED_ON)
    register_staff(runtime, (v for county in COUNTIES for v in county.villages()), passwords,
                   teams(households))
    views = open_database(runtime.settings.views_url())
    try:
        save_names(views, division_names())
    finally:
        views.dispose()
    manager = principal(runtime, MANAGER)
    runtime.programmes.open(manager, PROGRAMME, PROGRAMME, OPENED_ON)
    rows = [
        Allocation(jurisdiction=str(r["county_code"]).ljust(12, "0"), name=str(r["county_name"]),
                   **{k: v for k, v in r.items() if k not in ("county_code", "county_name")})
        for r in plan_rows(households)
    ]
    runtime.programmes.allocate(manager, PROGRAMME, rows, OPENED_ON)
    return manager


def stamps_for(settings: Settings) -> WorkingHoursStamps:
    """Recording times for the simulated commands, including the injected late entries."""
    irregular = irregular_cases(settings)
    late = {ref: ("grant_county_approval", BACKDATE_DAYS)
            for ref, kind in irregular.items() if kind == "backdated"}
    proxies = sorted(ref for ref, kind in irregular.items() if kind == "proxy_signing")
    bursts = {f"{ref}/01": minute for minute, ref in enumerate(proxies)}
    return WorkingHoursStamps(late=late, bursts=bursts)


def commands(settings: Settings) -> Iterator[dict[str, Any]]:
    """Every command of the simulated programme, case after case."""
    policy = load_policy(PROGRAMME)
    for plan in case_plans(settings):
        yield from Lifecycle(plan, policy).commands()


def export_commands(settings: Settings, path: Path) -> int:
    """Write the programme's case commands to `path` in the import format (JSONL), streaming.

    The programme itself (opening, task and fund plan) is not a case command: a store that
    imports the file needs the programme opened first (`renovation programme open`).
    """
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for command in commands(settings):
            out.write(orjson.dumps(command) + b"\n")
            count += 1
    return count


def run_demo(
    runtime: Runtime,
    clock: SimulatedClock,
    settings: Settings | None = None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> DemoReport:
    """Write the programme; `runtime` must have been built with `stamps_for(settings)`.

    `progress` is called with the number of households whose commands are all written, after
    each batch (finally with `settings.households`); `on_stage` names each later stage as it
    begins (monitoring, spot checks, registries, year end)."""
    settings = settings or Settings()
    stage = on_stage or (lambda _: None)
    manager = open_programme(runtime, clock, settings.households)
    report = DemoReport(households=settings.households, irregular=irregular_cases(settings))
    batch: list[dict[str, Any]] = []
    cases, last = 0, None
    for command in commands(settings):
        if command["case_ref"] != last:
            cases, last = cases + 1, command["case_ref"]
        batch.append(command)
        if len(batch) >= batch_size:
            _send(runtime, manager, batch, report)
            if progress:
                progress(cases - 1)  # the last case may go on in the next batch
    if batch:
        _send(runtime, manager, batch, report)
    if progress:
        progress(cases)
    report.finish()
    stage("monitoring")
    report.monitoring = simulate_monitoring(runtime, clock, case_plans(settings), settings.seed)
    stage("spot checks")
    report.spot_checks = draw_spot_checks(runtime, clock)
    clock.business_day(REGISTRIES_ON)
    stage("registries")
    report.registries = load_registries(runtime, manager, settings)
    stage("year end")
    report.zeroing, report.evaluation = year_end(runtime)
    return report


def year_end(runtime: Runtime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """动态清零 by county and the evaluation's headline figures at the end of the demo's year,
    from the read models (caught up here, as the server would at start)."""
    db = open_database(runtime.settings.views_url())
    try:
        Projector(runtime.app, db).catch_up()
        figures = {f["id"]: f for f in evaluate(db, PROGRAMME, YEAR_END)["figures"]}
        return zeroing(db, YEAR_END, by="county"), [figures[k] for k in HEADLINE if k in figures]
    finally:
        db.dispose()


def public_seed(county: str) -> str:
    """The demo's stand-in for a seed published before the draw (e.g. a public beacon value)."""
    return hashlib.sha256(f"{PROGRAMME}/{county}/public-beacon".encode()).hexdigest()


def draw_spot_checks(runtime: Runtime, clock: SimulatedClock) -> list[dict[str, Any]]:
    """Draw round 1 of every county with accepted houses (once), then re-verify every draw.

    Reads the accepted cases from the spot-check read model in the runtime's read-model
    database, caught up here with the programmes it reports against.
    """
    clock.business_day(DRAWN_ON)
    db = open_database(runtime.settings.views_url())
    try:
        projector = Projector(runtime.app, db, projections=[Programmes(), SpotChecks()])
        projector.catch_up()
        service = runtime.spot_checks(ReadModelCases(db))
        inspector = principal(runtime, CITY_INSPECTOR)
        drawn: dict[str, bool] = {}
        for county in COUNTIES:
            code = county.division_code
            try:
                service.load(PROGRAMME, code)
                drawn[code] = False
            except DrawNotFoundError:
                try:
                    service.draw(inspector, PROGRAMME, code, public_seed(code), DRAWN_ON)
                except SpotCheckInputError as error:
                    if error.rule == "spotcheck.population_empty":
                        continue  # the county accepted no house: nothing to draw from
                    raise
                drawn[code] = True
        for code in drawn:
            _record_checks(runtime, inspector, service.load(PROGRAMME, code))
        projector.catch_up()
        reported = {row["county"]: row for row in spot_checks(db, PROGRAMME)["counties"]}
        return [_spot_check(service, code, new, reported[code]) for code, new in drawn.items()]
    finally:
        db.dispose()


def _record_checks(runtime: Runtime, inspector: Principal, draw: RecordedDraw) -> None:
    """A passed city check of each drawn house, entered by the inspector who checked it; fixed
    command ids make a rerun a no-op."""
    commands = [{
        "command_id": f"{ref}/city-check/{draw.draw_ref}", "type": "record_city_spot_check",
        "case_ref": ref, "occurred_on": (DRAWN_ON + timedelta(days=1 + n % 10)).isoformat(),
        "payload": {"passed": True, "draw_ref": draw.draw_ref,
                    "evidence": evidence(ref, "city-check")},
    } for n, ref in enumerate(draw.selected)]
    for start in range(0, len(commands), 500):
        for command, result in zip(commands[start:start + 500], runtime.service.execute_many(
                commands[start:start + 500], inspector), strict=True):
            if isinstance(result, RuleViolation):
                raise RuntimeError(f"{command['command_id']}: {result}")


def _spot_check(
    service: SpotCheckService, county: str, new: bool, reported: dict[str, Any]
) -> dict[str, Any]:
    verified = service.verify(PROGRAMME, county)
    d = verified.draw
    return {
        "county": county, "draw_ref": d.draw_ref, "drawn_now": new,
        "accepted": d.population, "required": d.required, "drawn": len(d.selected),
        "verified": verified.ok, "mismatches": [m.kind for m in verified.mismatches],
        "checked": reported["checked"], "meets_minimum": reported["meets_minimum"],
    }


def _send(
    runtime: Runtime, manager: Principal, batch: list[dict[str, Any]], report: DemoReport,
) -> None:
    for command, result in zip(batch, runtime.service.execute_many(batch, manager), strict=True):
        if isinstance(result, RuleViolation):
            report.rejected.append({"command_id": command["command_id"], **result.to_dict()})
            continue
        report.duplicates += result.duplicate
        report.applied += not result.duplicate
        report.saw(result.case_ref, result.stage)
    batch.clear()
