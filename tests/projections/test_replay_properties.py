"""For random workflows driven through the real command path, the read models are a pure
function of the log: incremental catch-ups, a fresh replay, a runner stopped (or crashed) at a
random point and restarted, and a rebuild all give the same tables and byte-identical answers.

The `store_url` fixture picks the backend; each example then gets a fresh store of its own on
that backend, so examples stay independent and reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table
from sqlalchemy.engine import Connection

from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.projections import Projector, open_database, projections, queries
from renovation.projections.base import Applied
from renovation.projections.cases import CaseList
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import STAGES, VARIANTS
from tests.conftest import INDEX_KEY, KEK
from tests.projections.support import (
    allocate,
    answers,
    dump,
    progress_counts_match_the_case_rows,
    spot_check_counts_match_the_case_rows,
    views_beside,
)
from tests.support import postgres
from tests.support.app import Scenario

EXAMPLE = count(1)
MODES = (RenovationMode.REBUILD_IN_PLACE, RenovationMode.REINFORCE, RenovationMode.RELOCATE)
APPROVED_BY = {"id": "cc-450321", "role": "county_officer"}
"""The county officer who approves a name correction: a registered official of the county."""

case_specs = st.fixed_dictionaries({
    "stop_after": st.sampled_from(STAGES),
    "variant": st.sampled_from(VARIANTS),
    "mode": st.sampled_from(MODES),
    "category": st.sampled_from(list(Category)),
    "withdraw_after": st.none() | st.integers(1, 30),
    "correct_name": st.booleans(),
})
workflows = st.fixed_dictionaries({
    "cases": st.lists(case_specs, min_size=1, max_size=4),
    "order": st.randoms(use_true_random=False),
    "catch_ups": st.sets(st.integers(0, 120), max_size=4),
    "page_size": st.integers(1, 40),
    "stop_after_pages": st.integers(0, 25),
    "crash_at_page": st.none() | st.integers(1, 6),
})


@contextmanager
def fresh_runtime(store_url: str, tmp_path: Path) -> Iterator[tuple[Runtime, Scenario]]:
    """A new store on the fixture's backend, with Guilin 2022 opened and planned."""
    n = next(EXAMPLE)
    clock = SimulatedClock()
    with _store(store_url, tmp_path, n) as url:
        config = Settings(db=url, kek=KEK, index_key=INDEX_KEY, secrets_dir=tmp_path / "secrets")
        with build(config, clock=clock) as rt:
            scenario = Scenario(rt, clock, seed=n)
            allocate(rt)
            yield rt, scenario


@contextmanager
def _store(store_url: str, tmp_path: Path, n: int) -> Iterator[str]:
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/store-{n}.db"
        return
    with postgres.fresh_schema() as schema:
        yield postgres.url_with_schema(schema)


def case_commands(scenario: Scenario, n: int, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's lifecycle, maybe with a name correction and a withdrawal part-way."""
    ref = f"450321-2022-{n:04d}"
    plan = scenario.plan(ref, stop_after=spec["stop_after"], variant=spec["variant"],
                         mode=spec["mode"], category=spec["category"])
    commands = scenario.commands(plan)
    if spec["correct_name"]:
        day = date.fromisoformat(commands[0]["occurred_on"])
        commands.insert(1, scenario.command("correct_data", ref, "township", day, {
            "field": "household.head.name", "new": "欧阳修文", "reason": "户口簿核实",
            "approved_by": APPROVED_BY}))
    cut = spec["withdraw_after"]
    if cut is not None and cut < len(commands):
        day = date.fromisoformat(commands[cut - 1]["occurred_on"])
        withdrawal = scenario.command("withdraw_case", ref, "township", day,
                                      {"reason": "农户自愿放弃"})
        commands = [*commands[:cut], withdrawal]
    return commands


def interleaved(lists: list[list[dict[str, Any]]], rng: random.Random) -> list[dict[str, Any]]:
    """All commands, each case's in its own order, the cases shuffled into each other."""
    queues = [list(reversed(commands)) for commands in lists]
    merged = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        merged.append(queue.pop())
    return merged


class Killed(BaseException):
    """The process dies: nothing in the runner catches this."""


class CrashingCaseList(CaseList):
    """The case list, dying (like a killed process) inside its `crash_at`-th page."""

    def __init__(self, crash_at: int) -> None:
        self.crash_at, self.pages = crash_at, 0

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        self.pages += 1
        super().apply(conn, tables, events)
        if self.pages == self.crash_at:
            raise Killed("killed mid-page")


def drive(rt: Runtime, scenario: Scenario, workflow: dict[str, Any], live: Projector) -> None:
    lists = [case_commands(scenario, n, spec) for n, spec in enumerate(workflow["cases"], 1)]
    for step, command in enumerate(interleaved(lists, workflow["order"])):
        try:
            scenario.run(command)
        except RuleViolation:
            # Only the added acts may be refused (a withdrawal after money was paid).
            assert command["type"] == "withdraw_case", command
        if step in workflow["catch_ups"]:
            live.catch_up()
    live.catch_up()


@pytest.mark.slow
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(workflow=workflows)
def test_read_models_are_a_function_of_the_log(
    workflow: dict[str, Any], store_url: str, tmp_path: Path
) -> None:
    with fresh_runtime(store_url, tmp_path) as (rt, scenario):
        live_db = open_database(rt.settings.views_url())
        live = Projector(rt.app, live_db, page_size=workflow["page_size"])
        drive(rt, scenario, workflow, live)
        tables, said = dump(live_db), answers(live_db)
        assert progress_counts_match_the_case_rows(live_db)
        assert spot_check_counts_match_the_case_rows(live_db)
        for row in queries.list_cases(live_db, limit=1000)["cases"]:
            case = rt.service.load_case(row["case_ref"])
            assert (row["stage"], row["version"]) == (case.stage.value, case.version)
        with views_beside(rt, tmp_path, f"fresh-{next(EXAMPLE)}") as fresh:
            Projector(rt.app, fresh).catch_up()
            assert dump(fresh) == tables and answers(fresh) == said
        with views_beside(rt, tmp_path, f"restart-{next(EXAMPLE)}") as restarted:
            _stop_and_restart(rt, restarted, workflow)
            assert dump(restarted) == tables and answers(restarted) == said
        live.rebuild()
        assert dump(live_db) == tables and answers(live_db) == said
        live_db.dispose()


def _stop_and_restart(rt: Runtime, db: Any, workflow: dict[str, Any]) -> None:
    size = workflow["page_size"]
    Projector(rt.app, db, page_size=size).catch_up(max_pages=workflow["stop_after_pages"])
    if workflow["crash_at_page"] is not None:
        chosen = [p if p.name != "cases" else CrashingCaseList(workflow["crash_at_page"])
                  for p in projections()]
        with suppress(Killed):
            Projector(rt.app, db, chosen, page_size=size).catch_up()
    Projector(rt.app, db, page_size=size).catch_up()
