"""The run's order, its journal, and going on from a journal: with a fake launcher (no store)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from renovation.bench import report
from renovation.bench.runner import JOURNAL, JournalMismatchError, Plan, code_version, run
from renovation.bench.stores import IMPORT_ENDED, Stores
from renovation.bench.targets import FIGURES, STEPS

FIGURES_OF: dict[str, dict[str, Any]] = {
    "online": {"commands_per_second": 70.0, "bare": {"saves_per_second": 100.0}},
    "import": {"events": 400, "commands": 200, "events_per_second": 9.0, "rss_mb": 100.0},
    "bare_bulk": {"events_per_second": 30.0, "cases_per_save": 25},
    "catch_up": {"events_per_second": 8.0, "bare": {"events_per_second": 50.0},
                 "rss_mb": 110.0},
    "rebuild": {"events_per_second": 7.0, "rss_mb": 120.0},
    "history": {"p99_ms": 1.0, "bare_p99_ms": 0.5},
    "queries": {"worst_p95_ms": 20.0},
    "web": {"worst_server_p95_ms": 40.0, "errors": []},
    "stream": {"feed": {"events_per_second": 3e4},
               "relay": {"events_per_second": 1.2e4, "bare": {"messages_per_second": 1.5e4}},
               "sse": {"p95_ms": 60.0}},
    "verify": {"events_per_second": 1e5, "bare": {"events_per_second": 2e5}},
}


class FakeLauncher:
    """Records which phases ran, and on how many threads at once."""

    def __init__(self, failing: str | None = None) -> None:
        self.phases: list[str] = []
        self.failing, self.most_at_once, self._now = failing, 0, 0
        self._lock, self._both = threading.Lock(), threading.Barrier(2, timeout=5)

    def __call__(self, stores: Stores, phase: str, **arguments: Any) -> dict[str, Any]:
        with self._lock:
            self.phases.append(phase)
            self._now += 1
            self.most_at_once = max(self.most_at_once, self._now)
        if phase in ("catch_up", "rebuild") and self._side_by_side:
            self._both.wait()  # both must be running for either to finish
        if arguments.get("follow"):
            self._wait_for(stores.marker(IMPORT_ENDED))
        with self._lock:
            self._now -= 1
        if phase == self.failing:
            raise RuntimeError(f"bench phase {phase} failed")
        return dict(FIGURES_OF[phase])

    _side_by_side = False

    @staticmethod
    def _wait_for(marker: Path) -> None:
        deadline = time.monotonic() + 5
        while not marker.exists():
            assert time.monotonic() < deadline, f"{marker.name} never appeared"
            time.sleep(0.01)


def plan(side_by_side: bool, follow: bool = False) -> Plan:
    return Plan(cases=10, side_by_side=side_by_side, follow=follow)


def test_a_sequential_run_journals_every_phase_in_order(tmp_path: Path) -> None:
    launch = FakeLauncher()
    data, results = run(plan(False), tmp_path, lambda _: None, launch=launch)
    kept = orjson.loads((tmp_path / "sqlite" / JOURNAL).read_bytes())
    assert list(kept["steps"]) == list(STEPS) and data["phases"] == list(STEPS)
    assert launch.most_at_once == 1 and len(results) == len(FIGURES)
    assert all(step["code"] == code_version() for step in kept["steps"].values())


def test_side_by_side_the_catch_up_and_rebuild_run_at_once(tmp_path: Path) -> None:
    launch = FakeLauncher()
    launch._side_by_side = True
    data, results = run(plan(True), tmp_path, lambda _: None, launch=launch)
    assert launch.most_at_once == 2 and sorted(data["phases"]) == sorted(STEPS)
    assert launch.phases.count("rebuild") == 1 and len(results) == len(FIGURES)


def test_following_the_catch_up_runs_beside_the_import_and_the_rebuild_last(
        tmp_path: Path) -> None:
    launch = FakeLauncher()
    data, results = run(plan(True, follow=True), tmp_path, lambda _: None, launch=launch)
    assert launch.most_at_once == 2 and sorted(launch.phases[1:3]) == ["catch_up", "import"]
    assert launch.phases[3:] == ["bare_bulk", "queries", "history", "verify", "rebuild",
                                 "web", "stream"]
    assert data["phases"][:3] == ["online", "import", "catch-up"] and len(results) == len(FIGURES)


def test_a_failed_import_does_not_leave_the_following_catch_up_waiting(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="import"):
        run(plan(False, follow=True), tmp_path, lambda _: None,
            launch=FakeLauncher(failing="import"))
    assert (tmp_path / "sqlite" / IMPORT_ENDED).exists()


def test_resuming_keeps_the_journaled_phases_and_runs_the_rest(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="queries"):
        run(plan(False), tmp_path, lambda _: None, launch=FakeLauncher(failing="queries"))
    again = FakeLauncher()
    said: list[str] = []
    data, results = run(plan(False), tmp_path, said.append, launch=again, resume=True)
    assert again.phases == ["queries", "history", "verify", "rebuild", "web", "stream"]
    assert "… import: kept from the journal" in said
    assert data["phases"] == list(STEPS) and len(results) == len(FIGURES)


def test_resuming_refuses_a_journal_of_another_plan(tmp_path: Path) -> None:
    run(plan(False), tmp_path, lambda _: None, launch=FakeLauncher())
    with pytest.raises(JournalMismatchError, match="another plan"):
        run(Plan(cases=11, side_by_side=False), tmp_path, lambda _: None,
            launch=FakeLauncher(), resume=True)


def test_without_resume_a_run_starts_afresh(tmp_path: Path) -> None:
    run(plan(False), tmp_path, lambda _: None, launch=FakeLauncher())
    launch = FakeLauncher()
    run(plan(False), tmp_path, lambda _: None, launch=launch)
    assert len(launch.phases) == len(STEPS)


def test_resuming_a_journal_written_before_side_by_side_existed(tmp_path: Path) -> None:
    journal = tmp_path / "sqlite" / JOURNAL
    journal.parent.mkdir(parents=True)
    older = {k: v for k, v in plan(True).__dict__.items() if k != "side_by_side"}
    journal.write_bytes(orjson.dumps({"plan": older, "started": "2026-12-01T08:00:00+00:00",
                                      "seconds": 10.0, "steps": {}}))
    launch = FakeLauncher()
    launch._side_by_side = True
    data, _ = run(plan(True), tmp_path, lambda _: None, launch=launch, resume=True)
    assert data["started"].startswith("2026-12-01T08:00") and data["seconds"] >= 10.0


def test_a_resumed_run_with_other_code_says_which_commit_measured_what(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="queries"):
        run(plan(False), tmp_path, lambda _: None, launch=FakeLauncher(failing="queries"))
    journal = tmp_path / "sqlite" / JOURNAL
    kept = orjson.loads(journal.read_bytes())
    for step in kept["steps"].values():
        step["code"] = "0123456789ab"
    journal.write_bytes(orjson.dumps(kept))
    data, results = run(plan(False), tmp_path, lambda _: None, launch=FakeLauncher(),
                        resume=True)
    text = report.summary(data, results)
    assert "Resumed: phases ran with different commits: 0123456789ab (online, import," in text
    assert (f"{code_version()} (queries, history, audit verify, rebuild, web, stream)"
            in text)
