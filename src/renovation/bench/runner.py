"""A whole run: each phase in a child process, then the figures with their baselines."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from renovation.bench.machine import describe
from renovation.bench.stores import Stores, ensure_database, postgres_url
from renovation.bench.targets import Result

Say = Callable[[str], None]
Launch = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Plan:
    backend: str = "sqlite"
    cases: int = 1_000_000
    quick: bool = False
    batch_size: int = 500
    online_cases: int = 40
    history_samples: int = 2000
    query_repeats: int = 40
    bare_bulk_cases: int = 20_000

    @classmethod
    def quick_plan(cls, backend: str, cases: int | None) -> Plan:
        return cls(backend=backend, cases=cases or 300, quick=True, online_cases=20,
                   history_samples=300, query_repeats=30, bare_bulk_cases=300)


def child(stores: Stores, phase: str, **arguments: Any) -> dict[str, Any]:
    payload = orjson.dumps({"backend": stores.backend, "root": str(stores.root), **arguments})
    done = subprocess.run(
        [sys.executable, "-m", "renovation.bench.child", phase, payload.decode()],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench phase {phase} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = orjson.loads(done.stdout.strip().splitlines()[-1])
    return result


def in_process(stores: Stores, phase: str, **arguments: Any) -> dict[str, Any]:
    """A phase in this process (tests): quicker to start, but RSS is the whole process's."""
    from renovation.bench.child import PHASES

    return PHASES[phase](stores, **arguments)


def run(
    plan: Plan, root: Path, say: Say, launch: Launch = child
) -> tuple[dict[str, Any], list[Result]]:
    """Every figure, in an order where each phase finds the store the previous one left."""
    stores = Stores(plan.backend, root / plan.backend)
    stores.root.mkdir(parents=True, exist_ok=True)
    if plan.backend == "postgres":
        ensure_database()
    started, began = time.perf_counter(), datetime.now(UTC)
    steps: dict[str, dict[str, Any]] = {}

    journal = stores.root / "steps.json"

    def step(name: str, phase: str, **arguments: Any) -> dict[str, Any]:
        say(f"… {name}")
        steps[name] = launch(stores, phase, **arguments)
        # A long run that dies (a lost machine) still leaves every finished phase's figures.
        journal.write_bytes(orjson.dumps({"plan": plan.__dict__, "started": began.isoformat(),
                                          "steps": steps}, option=orjson.OPT_INDENT_2))
        return steps[name]

    online = step("online", "online", cases=plan.online_cases)
    bulk = step("import", "import", cases=plan.cases, batch_size=plan.batch_size)
    per_case = max(1, round(bulk["events"] / plan.cases))
    cases_per_save = max(1, round(plan.batch_size / (bulk["commands"] / plan.cases)))
    bare_bulk = step("bare bulk", "bare_bulk", cases=min(plan.cases, plan.bare_bulk_cases),
                     events_per_case=per_case, cases_per_save=cases_per_save)
    caught = step("catch-up", "catch_up")
    history = step("history", "history", samples=plan.history_samples)
    dashboard = step("queries", "queries", repeats=plan.query_repeats)
    verify = step("audit verify", "verify")
    rebuilt = step("rebuild", "rebuild")  # last: the longest read phase, the least telling
    results = [
        Result("online", online["commands_per_second"] / online["bare"]["saves_per_second"],
               online["bare"]["saves_per_second"], "get+save per command",
               {**online, "baseline_unit": "saves/s"}),
        Result("bulk_import", bulk["events_per_second"], bare_bulk["events_per_second"],
               f"{cases_per_save} cases per save", {**bulk, "bare": bare_bulk}),
        Result("catch_up", caught["events_per_second"], caught["bare"]["events_per_second"],
               "read+decode only", caught),
        Result("history", history["p99_ms"], history["bare_p99_ms"], "get() p99", history),
        Result("queries", dashboard["worst_p95_ms"], None, "", dashboard),
        Result("audit_verify", verify["events_per_second"], verify["bare"]["events_per_second"],
               "read only", verify),
        Result("peak_rss", max(bulk["rss_mb"], rebuilt["rss_mb"], caught["rss_mb"]), None, "",
               {"import_mb": bulk["rss_mb"], "catch_up_mb": caught["rss_mb"],
                "rebuild_mb": rebuilt["rss_mb"], "rebuild": rebuilt}),
    ]
    data = {"backend": plan.backend, "cases": plan.cases, "quick": plan.quick,
            "events": bulk["events"], "commands": bulk["commands"], "started": began.isoformat(),
            "seconds": time.perf_counter() - started, "plan": plan.__dict__,
            "machine": describe(postgres_url() if plan.backend == "postgres" else None)}
    return data, results
