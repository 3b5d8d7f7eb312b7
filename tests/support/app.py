"""Driving the application service as a door would: JSON-shaped commands, simulated clock."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from renovation.application.directory import Principal
from renovation.application.outcome import CommandOutcome
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.policy import load_policy
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, Lifecycle, Staff
from renovation.simulation.people import People
from renovation.simulation.staff import principal, register_staff
from tests.conftest import INDEX_KEY, KEK

VILLAGE = "450321100201"
MANAGER = "pm-4503"
"""The city's programme manager: opens programmes and enters the tests' commands."""
START = date(2022, 3, 1)


def staffed(runtime: Runtime, villages: Any = (VILLAGE,)) -> Principal:
    """Register the simulated officials of `villages` (and the demo's sign-in accounts, without
    passwords); returns the programme manager, who may enter any Guilin case's acts."""
    register_staff(runtime, villages, passwords=False)
    return principal(runtime, MANAGER)


class Scenario:
    """A runtime plus its clock, with helpers to issue commands and drive whole cases.

    The officials of the villages its plans use are registered in the staff directory; commands
    are entered by the programme manager (`manager`) unless another principal is given."""

    def __init__(self, runtime: Runtime, clock: SimulatedClock, seed: int = 7) -> None:
        self.rt, self.clock = runtime, clock
        self.people = People(seed)
        self.policy = load_policy("guilin-2022")
        self.villages: set[str] = {VILLAGE}
        self.manager = staffed(runtime)
        self.open_programme("guilin-2022")

    def staff(self, *villages: str) -> None:
        """Register the officials of more villages."""
        new = set(villages) - self.villages
        if new:
            register_staff(self.rt, sorted(new), passwords=False)
            self.villages |= new

    def principal(self, staff_id: str) -> Principal:
        """A registered member as the principal of a door (as if signed in)."""
        return principal(self.rt, staff_id)

    def open_programme(self, programme: str, policy: str = "guilin-2022") -> None:
        self.clock.business_day(date(2022, 2, 1))
        self.rt.programmes.open(self.manager, programme, policy, date(2022, 2, 1))

    def run(self, command: dict[str, Any], by: Principal | None = None) -> CommandOutcome:
        self.clock.business_day(date.fromisoformat(command["occurred_on"]))
        return self.rt.service.execute(command, by or self.manager)

    def run_many(self, commands: list[dict[str, Any]], by: Principal | None = None
                 ) -> list[CommandOutcome | RuleViolation]:
        return self.rt.service.execute_many(commands, by or self.manager)

    def household(self, size: int = 3) -> dict[str, Any]:
        return self.people.household(VILLAGE[:6], 2022, size)

    def plan(self, case_ref: str, stop_after: str = "closed", **changes: Any) -> CasePlan:
        plan = CasePlan(
            case_ref=case_ref,
            programme_id="guilin-2022",
            village=VILLAGE,
            household=self.household(),
            category=Category.DIBAO,
            mode=RenovationMode.REBUILD_IN_PLACE,
            applied_on=START,
            stop_after=stop_after,
            rng=random.Random(case_ref),
        )
        for key, value in changes.items():
            setattr(plan, key, value)
        self.staff(plan.village)
        return plan

    def commands(self, plan: CasePlan) -> list[dict[str, Any]]:
        return list(Lifecycle(plan, self.policy).commands())

    def drive(self, plan: CasePlan) -> list[CommandOutcome]:
        return [self.run(command) for command in self.commands(plan)]

    def command(
        self, kind: str, case_ref: str, duty: str, on: date, payload: dict[str, Any], n: str = "x"
    ) -> dict[str, Any]:
        return {
            "command_id": f"{case_ref}/{kind}/{n}",
            "type": kind,
            "case_ref": case_ref,
            "actor": Staff(VILLAGE).actor(duty),
            "occurred_on": on.isoformat(),
            "payload": payload,
        }


@contextmanager
def sqlite_scenario(root: Path) -> Iterator[Scenario]:
    """A Scenario on its own SQLite store under `root`, for module-scoped fixtures."""
    settings = Settings(db=f"sqlite:///{root}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=root / "secrets")
    clock = SimulatedClock()
    with build(settings, clock=clock) as rt:
        yield Scenario(rt, clock)


def store_fingerprint(rt: Runtime) -> str:
    """A digest of every row of every table the runtime writes: events, claims, records, keys."""
    digest = hashlib.sha256()
    parts = urlsplit(rt.settings.db)
    if parts.scheme == "sqlite":
        for path in (parts.path[1:], urlsplit(rt.settings.keystore_url()).path[1:]):
            with sqlite3.connect(path) as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                    )
                ]
                for table in tables:
                    digest.update(table.encode())
                    for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                        digest.update(repr(row).encode())
        return digest.hexdigest()
    schema = rt.settings.keystore_schema()
    with psycopg.connect(rt.settings.keystore_url()) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema=%s"
                " ORDER BY table_name",
                (schema,),
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM {schema}."{table}" ORDER BY 1, 2'):
                digest.update(repr(row).encode())
    return digest.hexdigest()
