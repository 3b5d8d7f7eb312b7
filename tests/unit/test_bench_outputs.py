"""Where a bench run's results go, and the docs block rewritten from a result file (no run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from renovation.bench import outputs, report
from renovation.bench.__main__ import main
from renovation.bench.targets import Result

MACHINE = {"cpu": "cpu", "cores": 2, "memory_gib": 4, "python": "3.11", "sqlite": "3",
           "postgresql": None}
PAGE = ("# Benchmarks\r\nprose, kept byte for byte  \n\n"
        "<!-- bench:full-sqlite:start -->\nold full\n<!-- bench:full-sqlite:end -->\n\n"
        "<!-- bench:quick-sqlite:start -->\nold quick\n<!-- bench:quick-sqlite:end -->\n"
        "tail without a newline")


def run_data(quick: bool = False, started: str = "2026-12-03T10:00:00+00:00") -> dict[str, Any]:
    return {"backend": "sqlite", "quick": quick, "cases": 300 if quick else 1_000, "events": 4_000,
            "seconds": 90.0, "started": started, "machine": MACHINE,
            "phases": ["online", "import", "bare bulk", "catch-up", "queries", "history",
                       "audit verify", "rebuild", "web", "stream"]}


def result_file(folder: Path, name: str, quick: bool = False, **data: Any) -> Path:
    document = report.document({**run_data(quick), **data},
                               [Result("bulk_import", 16_000.0, 40_000.0, "25 cases per save"),
                                Result("queries", 12.0)])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document))
    return path


def test_the_block_renders_from_a_result_document() -> None:
    document = report.document(run_data(), [Result("queries", 12.0),
                                            Result("online", 0.8, 1_000.0, "get+save")])
    data, results = report.from_document(json.loads(json.dumps(document)))
    text = report.summary(data, results)
    assert text.startswith("Latest full run on sqlite: 1,000 cases, 4,000 events;"
                           " 2026-12-03 10:00 UTC, 1.5 minutes.")
    assert "| dashboard queries, worst p95 | 12.00 ms | — | ≤ 50 ms | pass |" in text
    assert "| online commands, one commit each (ratio to bare per-save rate) | 80% |" in text
    assert text.count("| not run |") == 9


def test_only_the_text_between_the_markers_changes() -> None:
    start, end = report.markers(run_data())
    replaced = report.replace_block(PAGE, start, end, "new full")
    assert replaced == PAGE.replace("old full", "new full")
    assert report.replace_block(PAGE, "<!-- bench:full-postgres:start -->",
                                "<!-- bench:full-postgres:end -->", "x") is None
    backwards = f"{end}\n{start}\n"
    assert report.replace_block(backwards, start, end, "x") is None


def test_a_quick_run_writes_under_var_bench_and_leaves_the_docs_alone(tmp_path: Path) -> None:
    page = tmp_path / outputs.DOCS
    page.parent.mkdir(parents=True)
    page.write_bytes(PAGE.encode())
    where = outputs.destinations(tmp_path, quick=True)
    assert where.docs is None
    assert where.results.is_relative_to(tmp_path / "var" / "bench")

    said = outputs.keep(run_data(quick=True), [Result("queries", 12.0)], where)

    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                     if p.is_file())
    assert written[0] == "docs/benchmarks.md" and len(written) == 3
    assert all(name.startswith("var/bench/results/") for name in written[1:])
    assert page.read_bytes() == PAGE.encode()
    assert any("--update-docs" in line for line in said)


def test_a_full_run_keeps_its_json_and_rewrites_its_block(tmp_path: Path) -> None:
    page = tmp_path / outputs.DOCS
    page.parent.mkdir(parents=True)
    page.write_bytes(PAGE.encode())
    where = outputs.destinations(tmp_path, quick=False)
    assert where == outputs.Destinations(tmp_path / "bench/results", page)

    outputs.keep(run_data(), [Result("queries", 12.0)], where)

    assert [p.parent for p in tmp_path.rglob("*.json")] == [tmp_path / "bench/results"]
    text = page.read_text()
    assert "old full" not in text and "old quick" in text


def test_update_docs_takes_the_newest_full_run_unless_told(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_bytes(PAGE.encode())
    kept = tmp_path / "results"
    result_file(kept, "20261201T000000Z-sqlite-full-1000.json", events=1_111)
    newest = result_file(kept, "20261202T000000Z-sqlite-full-1000.json", events=2_222)
    result_file(kept, "20261203T000000Z-sqlite-quick-300.json", quick=True, events=3_333)

    assert outputs.update_docs(page, None, kept) == (newest, "full-sqlite")
    text = page.read_bytes().decode()
    assert "2,222 events" in text and "old quick" in text
    assert text.startswith("# Benchmarks\r\nprose, kept byte for byte  \n")
    assert text.endswith("<!-- bench:quick-sqlite:end -->\ntail without a newline")

    quick = result_file(tmp_path / "var", "quick.json", quick=True)
    assert outputs.update_docs(page, quick, kept)[1] == "quick-sqlite"
    assert "old quick" not in page.read_text()


def test_update_docs_without_a_result_or_a_block_says_so(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("no blocks\n")
    with pytest.raises(outputs.NoResultError, match="no full run"):
        outputs.update_docs(page, None, tmp_path / "empty")
    found = result_file(tmp_path, "r.json")
    with pytest.raises(outputs.NoResultError, match="no block"):
        outputs.update_docs(page, found, tmp_path)
    assert page.read_text() == "no blocks\n"


def test_the_command_line_rewrites_the_block_and_measures_nothing(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_bytes(PAGE.encode())
    found = result_file(tmp_path, "r.json", events=5_555)
    cli = typer.Typer()
    cli.command()(main)
    runner = CliRunner()

    done = runner.invoke(cli, ["--update-docs", str(found), "--docs", str(page)])
    assert done.exit_code == 0, done.output
    assert "5,555 events" in page.read_text()
    refused = runner.invoke(cli, [str(found), "--docs", str(page)])
    assert refused.exit_code == 2 and "--update-docs" in refused.output
