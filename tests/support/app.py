"""Driving the application service as a door would: JSON-shaped commands, simulated clock."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import psycopg

from renovation.aggregates.base import Actor
from renovation.application.outcome import CommandOutcome
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Category, RenovationMode, Role
from renovation.policy import load_policy
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, Lifecycle, Staff
from renovation.simulation.people import People

VILLAGE = "450321100201"
MANAGER = Actor(id="pm-4503", role=Role.PROGRAMME_MANAGER, jurisdiction="450300000000")
START = date(2022, 3, 1)


class Scenario:
    """A runtime plus its clock, with helpers to issue commands and drive whole cases."""

    def __init__(self, runtime: Runtime, clock: SimulatedClock, seed: int = 7) -> None:
        self.rt, self.clock = runtime, clock
        self.people = People(seed)
        self.policy = load_policy("guilin-2022")
        self.open_programme("guilin-2022")

    def open_programme(self, programme: str, policy: str = "guilin-2022") -> None:
        self.clock.business_day(date(2022, 2, 1))
        self.rt.programmes.open(programme, policy, MANAGER, date(2022, 2, 1))

    def run(self, command: dict[str, Any]) -> CommandOutcome:
        self.clock.business_day(date.fromisoformat(command["occurred_on"]))
        return self.rt.service.execute(command)

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
