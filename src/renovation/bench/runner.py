"""A whole run: each phase in a child process, then the figures with their baselines."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from renovation.bench.machine import describe
from renovation.bench.stores import (
    IMPORT_ENDED,
    IMPORT_OPENED,
    Stores,
    ensure_database,
    postgres_url,
)
from renovation.bench.targets import FIGURES, STEPS, Result

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
    web_users: int = 50
    web_seconds: float = 60.0
    web_think_seconds: float = 1.0
    """Each simulated user's average pause between pages: brisk for someone reading a table."""
    stream_events: int = 200_000
    """Events the feed and the relay are timed over (from the start of the log)."""
    sse_seconds: float = 20.0
    sse_rate: float = 20.0
    """Commands a second, one commit each, while the live stream is timed."""
    side_by_side: bool = True
    """Catch-up and rebuild at once, one per core (each into its own read-model file): a full
    run at 1,000,000 cases saves an hour; each rate is then a lower bound, the RSS unchanged."""
    follow: bool = True
    """The catch-up starts beside the import and follows it (`reads.catch_up`): at 1,000,000
    cases the read phases then start two hours after the start instead of three. The rebuild
    then runs last, alone."""

    @classmethod
    def quick_plan(cls, backend: str, cases: int | None) -> Plan:
        return cls(backend=backend, cases=cases or 300, quick=True, online_cases=20,
                   history_samples=300, query_repeats=30, bare_bulk_cases=300, web_seconds=10,
                   stream_events=20_000, sse_seconds=10, side_by_side=False, follow=False)


class JournalMismatchError(ValueError):
    """`--resume` found a journal of another plan: its phases measured another store."""


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
    plan: Plan, root: Path, say: Say, launch: Launch = child, resume: bool = False
) -> tuple[dict[str, Any], list[Result]]:
    """Every figure, in an order where each phase finds the store the previous one left.

    With `resume`, the phases the journal holds (same plan) are kept and the rest are run on
    the store they left: a long run cut short goes on where it stopped.
    """
    stores = Stores(plan.backend, root / plan.backend)
    stores.root.mkdir(parents=True, exist_ok=True)
    if plan.backend == "postgres":
        ensure_database()
    journal = stores.root / JOURNAL
    kept = _kept(journal, plan) if resume else {}
    began = datetime.fromisoformat(kept["started"]) if kept else datetime.now(UTC)
    earlier, started = float(kept.get("seconds", 0.0)), time.perf_counter()
    steps: dict[str, dict[str, Any]] = dict(kept.get("steps", {}))
    code, writing = code_version(), threading.Lock()

    def elapsed() -> float:
        return earlier + time.perf_counter() - started

    def step(name: str, phase: str, **arguments: Any) -> dict[str, Any]:
        assert name in STEPS, name
        if name in steps:
            say(f"… {name}: kept from the journal")
            return steps[name]
        say(f"… {name}")
        result = {**launch(stores, phase, **arguments), "code": code}
        with writing:  # side by side, two phases finish on their own threads
            steps[name] = result
            # A long run that dies (a lost machine) still leaves every finished phase's figures.
            journal.write_bytes(orjson.dumps(
                {"plan": plan.__dict__, "started": began.isoformat(), "seconds": elapsed(),
                 "steps": steps}, option=orjson.OPT_INDENT_2))
        return result

    step("online", "online", cases=plan.online_cases)
    import_arguments = {"cases": plan.cases, "batch_size": plan.batch_size}
    if plan.follow and "import" not in steps:
        bulk = _import_followed(stores, step, import_arguments)
    else:
        bulk = step("import", "import", **import_arguments)
    per_case = max(1, round(bulk["events"] / plan.cases))
    cases_per_save = max(1, round(plan.batch_size / (bulk["commands"] / plan.cases)))
    step("bare bulk", "bare_bulk", cases=min(plan.cases, plan.bare_bulk_cases),
         events_per_case=per_case, cases_per_save=cases_per_save)
    if plan.side_by_side and "catch-up" not in steps:
        with ThreadPoolExecutor(2, thread_name_prefix="bench-phase") as pool:
            both = [pool.submit(step, "catch-up", "catch_up"),
                    pool.submit(step, "rebuild", "rebuild")]
            for done in both:
                done.result()
    else:
        step("catch-up", "catch_up")
    step("queries", "queries", repeats=plan.query_repeats)
    step("history", "history", samples=plan.history_samples)
    step("audit verify", "verify")
    step("rebuild", "rebuild")  # unless side by side: the longest read phase, the least telling
    # Last: signing the users in records their sessions (events), which no figure above counts.
    step("web", "web", users=plan.web_users, seconds=plan.web_seconds,
         think=plan.web_think_seconds)
    step("stream", "stream", events=plan.stream_events, sse_seconds=plan.sse_seconds,
         sse_rate=plan.sse_rate)
    return summarise(plan, began, elapsed(), steps)


def _import_followed(stores: Stores, step: Callable[..., dict[str, Any]],
                     arguments: dict[str, Any]) -> dict[str, Any]:
    """The import, with the catch-up following it on the other core."""
    for name in (IMPORT_OPENED, IMPORT_ENDED):
        stores.marker(name).unlink(missing_ok=True)
    with ThreadPoolExecutor(1, thread_name_prefix="bench-follow") as pool:
        following = pool.submit(step, "catch-up", "catch_up", follow=True)
        try:
            bulk = step("import", "import", **arguments)
        finally:
            stores.marker(IMPORT_ENDED).touch()  # a failed import must not leave it waiting
        following.result()
    return bulk


def _kept(journal: Path, plan: Plan) -> dict[str, Any]:
    if not journal.exists():
        return {}
    kept: dict[str, Any] = orjson.loads(journal.read_bytes())
    # Side by side, following or not changes how the phases share the machine, not the store.
    theirs = replace(Plan(**kept["plan"]), side_by_side=plan.side_by_side, follow=plan.follow)
    if theirs != plan:
        raise JournalMismatchError(
            f"--resume: the journal {journal} is of another plan ({kept['plan']}),"
            f" not {plan.__dict__}; run without --resume to start afresh")
    return kept


def code_version() -> str:
    """The commit the phases run (with "+changes" when the checkout has uncommitted edits)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False,
                              cwd=Path(__file__).parent)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "unknown"
    return commit + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


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
    made = [result for result in (make(plan, steps) for make in _FIGURES) if result is not None]
    order = [figure.key for figure in FIGURES]
    results = sorted([*made, *_stream(plan, steps)], key=lambda r: order.index(r.key))
    bulk = steps.get("import", {})
    data = {"backend": plan.backend, "cases": plan.cases, "quick": plan.quick,
            "events": bulk.get("events", 0), "commands": bulk.get("commands", 0),
            "started": began.isoformat(), "seconds": seconds, "plan": plan.__dict__,
            "phases": list(steps),
            "codes": {name: step.get("code") for name, step in steps.items()},
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


def _web(plan: Plan, steps: dict[str, dict[str, Any]]) -> Result | None:
    pages = steps.get("web")
    if pages is None:
        return None
    return Result("web", pages["worst_server_p95_ms"], None, "", pages)


def _stream(plan: Plan, steps: dict[str, dict[str, Any]]) -> list[Result]:
    measured = steps.get("stream")
    if measured is None:
        return []
    feed, relay, sse = measured["feed"], measured["relay"], measured["sse"]
    return [Result("feed", feed["events_per_second"], None, "", feed),
            Result("relay", relay["events_per_second"], relay["bare"]["messages_per_second"],
                   "bare publish, acks per 1,000", relay),
            Result("sse", sse["p95_ms"], None, "", sse)]


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


_FIGURES = (_online, _import, _catch_up, _history, _queries, _web, _verify, _peak_rss)
