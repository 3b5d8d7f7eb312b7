"""The benchmark harness: targets and marks, the table and the docs block, and a tiny real run.

Timings are never asserted: only that every figure is measured and marked.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from renovation.bench import report
from renovation.bench.runner import JOURNAL, Plan, from_journal, in_process, run
from renovation.bench.targets import BY_KEY, FIGURES, STEPS, Result, Target
from renovation.bench.workload import percentile


def test_targets_mark_pass_and_miss_in_both_directions() -> None:
    assert Target(100).met(100) and not Target(100).met(99.9)
    assert Target(5, at_least=False).met(5) and not Target(5, at_least=False).met(5.1)
    assert Target(0.7).describe("ratio") == "≥ 70%"
    assert Target(15_000).describe("events/s") == "≥ 15,000 events/s"
    assert Target(50, at_least=False).describe("ms") == "≤ 50 ms"


def test_a_figure_without_a_target_on_a_backend_is_informative() -> None:
    result = Result("catch_up", 12_000.0, 30_000.0)
    assert result.verdict("sqlite") == "MISS"
    assert result.verdict("postgres") == "info"
    assert result.ratio == pytest.approx(0.4)


def test_the_table_has_every_row_with_target_and_mark() -> None:
    results = [Result("bulk_import", 20_000, 25_000, "25 cases per save"),
               Result("peak_rss", 400.0)]
    table = report.text_table(results, "sqlite")
    lines = table.splitlines()
    assert len(lines) == 2 + len(FIGURES)
    bulk = next(line for line in lines if BY_KEY["bulk_import"].label in line)
    assert "20,000 events/s" in bulk and "≥ 15,000 events/s" in bulk and bulk.endswith("pass")
    rss = next(line for line in lines if BY_KEY["peak_rss"].label in line)
    assert "400 MB" in rss and "MISS" in rss
    assert sum("not run" in line for line in lines) == len(FIGURES) - 2


def test_the_docs_block_of_the_run_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("# B\n<!-- bench:full-sqlite:start -->\nold\n<!-- bench:full-sqlite:end -->\n"
                    "kept\n")
    data = {"backend": "sqlite", "quick": False, "cases": 10, "events": 400, "seconds": 3.0,
            "started": "now", "machine": {"cpu": "cpu", "cores": 2, "memory_gib": 4,
                                          "python": "3.11", "sqlite": "3", "postgresql": None}}
    assert report.update_docs(page, data, [Result("queries", 12.0)])
    text = page.read_text()
    assert "old" not in text and "| dashboard queries, worst p95 | 12.00 ms |" in text
    assert text.endswith("kept\n")
    assert not report.update_docs(page, {**data, "backend": "postgres"}, [])


def test_percentile_is_nearest_rank() -> None:
    assert percentile(list(range(1, 101)), 0.99) == 99
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([], 0.5) == 0.0


@pytest.mark.slow
def test_a_tiny_run_measures_and_marks_every_figure(tmp_path: Path) -> None:
    plan = Plan(cases=12, quick=True, online_cases=2, history_samples=5, query_repeats=1,
                bare_bulk_cases=12, web_users=3, web_seconds=1, sse_seconds=2)
    data, results = run(plan, tmp_path, lambda _: None, launch=in_process)
    assert [r.key for r in results] == [f.key for f in FIGURES]
    assert data["events"] > 12 * 20 and data["commands"] > 12 * 10
    assert all(r.verdict("sqlite") in ("pass", "MISS") for r in results)
    assert all(r.value > 0 for r in results)
    steps = orjson.loads((tmp_path / "sqlite" / JOURNAL).read_bytes())["steps"]
    # following the import (the default), the catch-up finishes after it
    assert sorted(steps) == sorted(STEPS)
    caught, rebuilt = steps["catch-up"], steps["rebuild"]
    assert caught["followed_import"] and caught["applied"] == rebuilt["applied"]


@pytest.mark.slow
def test_a_run_that_stopped_early_is_reported_from_its_journal(tmp_path: Path) -> None:
    plan = Plan(cases=12, quick=True, online_cases=2, history_samples=5, query_repeats=1,
                bare_bulk_cases=12, web_users=3, web_seconds=1, sse_seconds=2, side_by_side=False,
                follow=False)
    run(plan, tmp_path, lambda _: None, launch=in_process)
    journal = tmp_path / "sqlite" / JOURNAL
    kept = orjson.loads(journal.read_bytes())
    for phase in ("rebuild", "audit verify", "web", "stream"):
        del kept["steps"][phase]
    journal.write_bytes(orjson.dumps(kept))

    data, results = from_journal(journal)

    assert data["phases"] == list(STEPS[:-4]) and data["events"] > 12 * 20
    assert [r.key for r in results] == ["online", "bulk_import", "catch_up", "history", "queries"]
    table = report.text_table(results, "sqlite")
    assert table.count("not run") == 6  # web, the stream's three, audit verify, and peak RSS
    assert ("stopped before these phases finished: audit verify, rebuild, web, stream"
            in report.summary(data, results))
