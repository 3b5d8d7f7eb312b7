"""The demo programme: Guilin 2022, a few households per county, at every stage of the procedure.

Re-running it changes nothing: every command has a fixed id, so repeats are recognised.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from renovation.aggregates.base import CHINA_STANDARD_TIME, Actor
from renovation.aggregates.programme import Allocation
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Category, RenovationMode, Role
from renovation.policy import load_policy
from renovation.simulation.guilin import COUNTIES, PROGRAMME, plan_rows
from renovation.simulation.lifecycle import STAGES, CasePlan, Lifecycle
from renovation.simulation.people import People

MODES = (RenovationMode.REBUILD_IN_PLACE, RenovationMode.REINFORCE, RenovationMode.RELOCATE)


class SimulatedClock:
    """The recording clock of a simulation: late afternoon of each act's business date."""

    def __init__(self) -> None:
        self.now = datetime(2022, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def business_day(self, day: date) -> None:
        self.now = datetime.combine(day, time(17, 0), tzinfo=CHINA_STANDARD_TIME)


@dataclass
class DemoResult:
    applied: int
    duplicates: int
    stages: Counter[tuple[str, str]]


def demo_plans(cases_per_county: int, seed: int) -> Iterator[CasePlan]:
    rng = random.Random(seed)
    people = People(seed)
    categories = list(Category)
    for county in COUNTIES:
        for n in range(cases_per_county):
            village = county.village(n % 3, n)
            yield CasePlan(
                case_ref=f"{county.code}-2022-{n + 1:04d}",
                programme_id=PROGRAMME,
                village=village,
                household=people.household(county.code, 2022),
                category=rng.choice(categories),
                mode=rng.choice(MODES),
                applied_on=date(2022, 3, 1) + timedelta(days=rng.randrange(60)),
                stop_after=STAGES[(n + int(county.code[-2:])) % len(STAGES)],
                rng=random.Random(f"{seed}/{county.code}/{n}"),
            )


MANAGER = Actor(id="pm-4503", role=Role.PROGRAMME_MANAGER, jurisdiction="450300000000")


def open_programme(runtime: Runtime, clock: SimulatedClock) -> None:
    """Open Guilin 2022 and record its task and fund plan, as the city would in July 2022."""
    clock.business_day(date(2022, 2, 15))
    runtime.programmes.open(PROGRAMME, PROGRAMME, MANAGER, date(2022, 2, 15))
    rows = [Allocation(jurisdiction=str(r["county_code"]).ljust(12, "0"),
                       name=str(r["county_name"]),
                       **{k: v for k, v in r.items() if k not in ("county_code", "county_name")})
            for r in plan_rows()]
    runtime.programmes.allocate(PROGRAMME, rows, MANAGER, date(2022, 2, 15))


def run_demo(
    runtime: Runtime,
    clock: SimulatedClock,
    cases_per_county: int = 4,
    seed: int = 2022,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> DemoResult:
    policy = load_policy(PROGRAMME)
    open_programme(runtime, clock)
    service = runtime.service
    applied = duplicates = 0
    stages: Counter[tuple[str, str]] = Counter()
    for plan in demo_plans(cases_per_county, seed):
        for command in Lifecycle(plan, policy).commands():
            clock.business_day(date.fromisoformat(command["occurred_on"]))
            outcome = service.execute(command)
            duplicates += outcome.duplicate
            applied += not outcome.duplicate
            if progress:
                progress(command)
        stages[(plan.case_ref[:6], service.load_case(plan.case_ref).stage.value)] += 1
    return DemoResult(applied, duplicates, stages)
