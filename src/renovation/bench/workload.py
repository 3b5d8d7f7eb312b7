"""The programme the benchmarks write: the simulated demo, full lifecycles, at any size."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.simulation.demo import SimulatedClock, export_commands, open_programme
from renovation.simulation.programme import Settings as Programme


def programme(cases: int) -> Programme:
    """A clean programme (no injected irregularities): every command should apply."""
    return Programme(households=cases, seed=2022, irregular=False)


def command_file(root: Path, cases: int) -> tuple[Path, int]:
    """The programme's commands as an import file, written once per size and reused."""
    path = root / "commands" / f"cases-{cases}.jsonl"
    count_file = path.with_suffix(".count")
    if path.exists() and count_file.exists():
        return path, int(count_file.read_text())
    count = export_commands(programme(cases), path)
    count_file.write_text(str(count))
    return path, count


def opened(settings: Settings, cases: int) -> Runtime:
    """A runtime on the store, with the staff registered and the programme opened (as an
    administrator and the programme manager would first)."""
    runtime = build(settings)
    open_programme(runtime, SimulatedClock(), cases, passwords=False)
    return runtime


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def head(runtime_or_app: Any) -> int:
    app = getattr(runtime_or_app, "app", runtime_or_app)
    return int(app.recorder.max_notification_id() or 0)
