"""Long commands report progress through optional callbacks; the CLI draws them on stderr only,
so what a command prints on stdout is the same with `--progress` as without."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.audit.verify import verify_store
from renovation.bootstrap import Runtime, build
from renovation.cli import app
from renovation.config import Settings
from renovation.projections import open_projector
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.demo import SimulatedClock, run_demo, stamps_for
from tests.conftest import INDEX_KEY, KEK
from tests.support.cli import cli_runner
from tests.support.import_files import cli_with_programme, lifecycle_lines, write_jsonl

DEMO = DemoSettings(households=9)
LATER_STAGES = ["monitoring", "spot checks", "registries", "year end"]
Demo = tuple[Runtime, list[int], list[str]]  # the store, households reported, stages named


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("progress")
    settings = Settings(db=f"sqlite:///{root}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=root / "secrets")
    clock = SimulatedClock()
    households: list[int] = []
    stages: list[str] = []
    with build(settings, clock=clock, stamp=stamps_for(DEMO)) as rt:
        run_demo(rt, clock, DEMO, batch_size=40, progress=households.append,
                 on_stage=stages.append)
        yield rt, households, stages


def rising_to(seen: list[int], total: int) -> bool:
    return len(seen) > 2 and seen == sorted(seen) and seen[-1] == total


def test_the_demo_counts_households_up_to_all_of_them(demo):
    _, households, stages = demo
    assert rising_to(households, DEMO.households)
    assert stages == LATER_STAGES


def test_verification_reports_positions_up_to_the_head(demo):
    rt, _, _ = demo
    seen: list[tuple[int, int]] = []
    verify_store(rt.settings.db, on_progress=lambda done, head: seen.append((done, head)))
    head = rt.app.recorder.max_notification_id()
    assert seen[-1] == (head, head)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_rebuild_and_a_catch_up_report_positions_up_to_the_head(demo):
    rt, _, _ = demo
    head = rt.app.recorder.max_notification_id()
    with open_projector(rt.settings) as projector:
        caught: list[int] = []
        projector.catch_up(on_progress=lambda done, _: caught.append(done))
        rebuilt: list[int] = []
        projector.rebuild(["cases"], on_progress=lambda done, _: rebuilt.append(done))
    assert caught == sorted(caught) and caught[-1] == head
    assert rebuilt == sorted(rebuilt) and rebuilt[-1] == head


def _imported(runner: CliRunner, path: Path, *extra: str) -> tuple[dict[str, object], str]:
    result = runner.invoke(app, ["import", str(path), "--json", *extra])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # nothing but the JSON report on stdout
    report.pop("elapsed_seconds")
    return report, result.stderr


def test_import_json_is_the_same_with_a_progress_bar(tmp_path, monkeypatch):
    path = tmp_path / "cases.jsonl"
    write_jsonl(path, lifecycle_lines(0, 2))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain, quiet = _imported(cli_with_programme(tmp_path / "a", monkeypatch), path)
    shown, drawn = _imported(cli_with_programme(tmp_path / "b", monkeypatch), path, "--progress")
    assert plain == shown
    assert "importing" not in quiet  # stderr is no terminal: no bar unless asked
    assert "importing:" in drawn and "lines" in drawn


def test_demo_json_is_byte_identical_with_a_progress_bar(tmp_path, monkeypatch):
    outputs = []
    for name, extra in (("a", []), ("b", ["--progress"])):
        runner = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/{name}.db", tmp_path / name)
        result = runner.invoke(app, ["demo", "--households", "3", "--json", *extra])
        assert result.exit_code == 0, result.output
        outputs.append((result.stdout, result.stderr))
    (plain, quiet), (shown, drawn) = outputs
    assert plain == shown
    assert "households" not in quiet and "households" in drawn
