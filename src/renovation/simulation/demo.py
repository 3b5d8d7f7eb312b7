"""The demo: a simulated Guilin 2022 programme written through the ordinary command path.

The programme is opened and its plan recorded, then every case's commands go through
`CaseService.execute_many` in batches, exactly as an import would send them. Memory stays
bounded whatever the number of households: plans are generated one case at a time. Running it
again changes nothing, since every command has a fixed id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from renovation.aggregates.base import Actor
from renovation.aggregates.programme import Allocation
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Role
from renovation.policy import load_policy
from renovation.simulation.clock import SimulatedClock, WorkingHoursStamps
from renovation.simulation.guilin import PROGRAMME, plan_rows
from renovation.simulation.lifecycle import Lifecycle
from renovation.simulation.programme import (
    BACKDATE_DAYS,
    Settings,
    case_plans,
    irregular_cases,
)

MANAGER = Actor(id="pm-4503", role=Role.PROGRAMME_MANAGER, jurisdiction="450300000000")
OPENED_ON = date(2022, 2, 15)

__all__ = [
    "DemoReport", "Settings", "SimulatedClock", "export_commands", "open_programme", "run_demo",
    "stamps_for",
]


@dataclass
class DemoReport:
    households: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stages: Counter[tuple[str, str]] = field(default_factory=Counter)
    irregular: dict[str, str] = field(default_factory=dict)
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


def open_programme(runtime: Runtime, clock: SimulatedClock, households: int = 1173) -> None:
    """Open Guilin 2022 and record its task and fund plan, as the city would in February."""
    clock.business_day(OPENED_ON)
    runtime.programmes.open(PROGRAMME, PROGRAMME, MANAGER, OPENED_ON)
    rows = [
        Allocation(jurisdiction=str(r["county_code"]).ljust(12, "0"), name=str(r["county_name"]),
                   **{k: v for k, v in r.items() if k not in ("county_code", "county_name")})
        for r in plan_rows(households)
    ]
    runtime.programmes.allocate(PROGRAMME, rows, MANAGER, OPENED_ON)


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
) -> DemoReport:
    """Write the programme; `runtime` must have been built with `stamps_for(settings)`."""
    settings = settings or Settings()
    open_programme(runtime, clock, settings.households)
    report = DemoReport(households=settings.households, irregular=irregular_cases(settings))
    batch: list[dict[str, Any]] = []
    for command in commands(settings):
        batch.append(command)
        if len(batch) >= batch_size:
            _send(runtime, batch, report, progress)
    if batch:
        _send(runtime, batch, report, progress)
    report.finish()
    return report


def _send(
    runtime: Runtime, batch: list[dict[str, Any]], report: DemoReport,
    progress: Callable[[int], None] | None,
) -> None:
    for command, result in zip(batch, runtime.service.execute_many(batch), strict=True):
        if isinstance(result, RuleViolation):
            report.rejected.append({"command_id": command["command_id"], **result.to_dict()})
            continue
        report.duplicates += result.duplicate
        report.applied += not result.duplicate
        report.saw(result.case_ref, result.stage)
    if progress:
        progress(len(batch))
    batch.clear()
