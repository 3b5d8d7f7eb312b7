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
from renovation.bench.targets import STEPS, Result

Say = Callable[[str], None]
JOURNAL = "steps.json"
"""Each finished phase's figures, written as the run goes (in the backend's scratch folder)."""
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
    journal = stores.root / JOURNAL

    def step(name: str, phase: str, **arguments: Any) -> dict[str, Any]:
        assert name in STEPS, name
        say(f"… {name}")
        steps[name] = launch(stores, phase, **arguments)
        # A long run that dies (a lost machine) still leaves every finished phase's figures.
        journal.write_bytes(orjson.dumps(
            {"plan": plan.__dict__, "started": began.isoformat(),
             "seconds": time.perf_counter() - started, "steps": steps},
            option=orjson.OPT_INDENT_2))
        return steps[name]

    step("online", "online", cases=plan.online_cases)
    bulk = step("import", "import", cases=plan.cases, batch_size=plan.batch_size)
    per_case = max(1, round(bulk["events"] / plan.cases))
    cases_per_save = max(1, round(plan.batch_size / (bulk["commands"] / plan.cases)))
    step("bare bulk", "bare_bulk", cases=min(plan.cases, plan.bare_bulk_cases),
         events_per_case=per_case, cases_per_save=cases_per_save)
    step("catch-up", "catch_up")
    step("history", "history", samples=plan.history_samples)
    step("queries", "queries", repeats=plan.query_repeats)
    step("audit verify", "verify")
    step("rebuild", "rebuild")  # last: the longest read phase, the least telling
    return summarise(plan, began, time.perf_counter() - started, steps)


def from_journal(path: Path) -> tuple[dict[str, Any], list[Result]]:
    """The figures of a run that stopped early, from the phases its journal holds."""
    kept = orjson.loads(path.read_bytes())
    began = datetime.fromisoformat(kept["started"])
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    seconds = kept.get("seconds") or (written - began).total_seconds()
    return summarise(Plan(**kept["plan"]), began, seconds, kept["steps"])


def summarise(plan: Plan, began: datetime, seconds: float, steps: dict[str, dict[str, Any]]
              ) -> tuple[dict[str, Any], list[Result]]:
    """The run's record and a result per figure whose phases finished."""
    results = [made for make in _FIGURES if (made := make(plan, steps)) is not None]
    bulk = steps.get("import", {})
    data = {"backend": plan.backend, "cases": plan.cases, "quick": plan.quick,
            "events": bulk.get("events", 0), "commands": bulk.get("commands", 0),
            "started": began.isoformat(), "seconds": seconds, "plan": plan.__dict__,
            "phases": list(steps),
            "machine": describe(postgres_url() if plan.backend == "postgres" else None)}
    return data, results


def _online(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    online = steps.get("online")
    if online is None:
        return None
    return Result("online", online["commands_per_second"] / online["bare"]["saves_per_second"],
                  online["bare"]["saves_per_second"], "get+save per command",
                  {**online, "baseline_unit": "saves/s"})


def _import(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    bulk, bare_bulk = steps.get("import"), steps.get("bare bulk")
    if bulk is None or bare_bulk is None:
        return None
    return Result("bulk_import", bulk["events_per_second"], bare_bulk["events_per_second"],
                  f"{bare_bulk['cases_per_save']} cases per save", {**bulk, "bare": bare_bulk})


def _catch_up(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    caught = steps.get("catch-up")
    if caught is None:
        return None
    return Result("catch_up", caught["events_per_second"], caught["bare"]["events_per_second"],
                  "read+decode only", caught)


def _history(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    history = steps.get("history")
    if history is None:
        return None
    return Result("history", history["p99_ms"], history["bare_p99_ms"], "get() p99", history)


def _queries(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    dashboard = steps.get("queries")
    return None if dashboard is None else Result("queries", dashboard["worst_p95_ms"],
                                                 None, "", dashboard)


def _verify(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    verify = steps.get("audit verify")
    if verify is None:
        return None
    return Result("audit_verify", verify["events_per_second"],
                  verify["bare"]["events_per_second"], "read only", verify)


def _peak_rss(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    """The peak over import, catch-up and rebuild; only once all three have finished."""
    measured = {name: steps[name]["rss_mb"] for name in ("import", "catch-up", "rebuild")
                if name in steps}
    if len(measured) < 3:
        return None
    return Result("peak_rss", max(measured.values()), None, "",
                  {"import_mb": measured["import"], "catch_up_mb": measured["catch-up"],
                   "rebuild_mb": measured["rebuild"], "rebuild": steps["rebuild"]})


_FIGURES = (_online, _import, _catch_up, _history, _queries, _verify, _peak_rss)
