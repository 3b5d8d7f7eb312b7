"""The JSONL import: bad lines rejected by line number while the others apply; re-runs apply nothing
twice; memory does not grow with the file; the CLI door's exit codes and rejects file."""

from __future__ import annotations

import copy
import json
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.commands import parse_command
from renovation.application.directory import Principal
from renovation.application.importing import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    Refused,
    Reject,
    check_text_file,
    import_commands,
    jsonl_lines,
)
from renovation.bootstrap import Runtime, build
from renovation.cli import app
from renovation.config import Settings
from renovation.kernel.errors import InvalidInputError
from renovation.logging import configure_logging
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.demo import SimulatedClock, export_commands
from renovation.simulation.staff import principal
from tests.conftest import INDEX_KEY, KEK
from tests.support import postgres
from tests.support.app import MANAGER, Scenario, staffed, store_fingerprint
from tests.support.import_files import (
    VILLAGES,
    cli_with_programme,
    lifecycle_lines,
    numbered,
    table_counts,
    write_jsonl,
)

RECORDED_ON = date(2023, 6, 30)  # after every business date of the 2022 case lives


def ready(rt: Runtime, clock: SimulatedClock) -> Runtime:
    """The officials of the files' villages registered, the programme open, the recording clock
    past every act in the files."""
    Scenario(rt, clock).staff(*VILLAGES)
    clock.business_day(RECORDED_ON)
    return rt


def manager(rt: Runtime) -> Principal:
    """The programme manager, who enters the files' commands."""
    return principal(rt, MANAGER)


@pytest.fixture
def store(runtime: Runtime, clock: SimulatedClock) -> Runtime:
    return ready(runtime, clock)


@pytest.fixture
def other_store(settings: Settings, clock: SimulatedClock, tmp_path: Path) -> Iterator[Runtime]:
    """A second empty store on the same backend, to compare what was written."""
    if settings.is_postgres:
        with postgres.fresh_schema() as schema:
            db = postgres.url_with_schema(schema)
            with build(settings.model_copy(update={"db": db}), clock=clock) as rt:
                yield ready(rt, clock)
        return
    db = f"sqlite:///{tmp_path}/other.db"
    with build(settings.model_copy(update={"db": db}), clock=clock) as rt:
        yield ready(rt, clock)


def run(rt: Runtime, path: Path, batch_size: int = 4) -> tuple[Any, list[Reject]]:
    rejects: list[Reject] = []
    report = import_commands(
        jsonl_lines(path), rt.service, manager(rt), batch_size=batch_size, rejects=rejects.append
    )
    return report, rejects


def bad_check_digit(command: dict[str, Any]) -> dict[str, Any]:
    command = copy.deepcopy(command)
    head = command["payload"]["household"]["head"]
    head["id_number"] = head["id_number"][:-1] + ("0" if head["id_number"][-1] != "0" else "1")
    return command


def mixed_file(good: list[dict[str, Any]], third: dict[str, Any]) -> tuple[list[Any], dict]:
    """The good lines with bad ones among them; returns the lines and {line: (rule, field)}."""
    submit_a, certify_a = good[0], good[1]
    reused = copy.deepcopy(submit_a)
    reused["payload"]["household"]["phone"] = "13900000000"
    foreign = {
        **certify_a,
        "command_id": "bad/jurisdiction",
        "actor": {
            "id": "rr-450324",
            "role": "rural_revitalization_officer",
            "jurisdiction": "450324000000",
        },
    }
    extra = copy.deepcopy(good[2]) | {"command_id": "bad/field"}
    extra["payload"]["bonus"] = 1
    bad: list[tuple[int, Any, tuple[str, str]]] = [
        (1, reused, ("command.id_reused", "command_id")),
        (2, foreign, ("actor.outside_jurisdiction", "actor.jurisdiction")),
        (4, orjson.dumps(good[5]).decode()[:40], ("input.json", "line")),
        (6, '{"command_id": "bad/json", "type": }', ("input.json", "line")),
        (9, json.dumps([{"command_id": "bad/array"}]), ("input.json", "line")),
        (
            12,
            {**good[3], "command_id": "bad/type", "type": "pay_everyone"},
            ("input.union_tag_invalid", "type"),
        ),
        (15, extra, ("input.extra_forbidden", "payload.bonus")),
        (
            25,
            bad_check_digit(third),
            ("identity.id_number.check_digit", "payload.household.head.id_number"),
        ),
        (30, {**reused, "command_id": good[0]["command_id"]}, ("command.id_reused", "command_id")),
    ]
    lines: list[Any] = list(good)
    for after, line, _ in reversed(bad):
        lines.insert(after, line)
    lines.insert(20, "   ")  # blank lines are skipped, but keep their number
    expected = {}
    for number, line in enumerate(lines, 1):
        for _, bad_line, rule in bad:
            if line is bad_line:
                expected[number] = rule
    return lines, expected


def test_bad_lines_are_rejected_by_number_and_the_others_apply(
    store: Runtime, other_store: Runtime, tmp_path: Path
) -> None:
    good = list(lifecycle_lines(0, 2))
    third = next(lifecycle_lines(2, 1))
    lines, expected = mixed_file(good, third)
    write_jsonl(tmp_path / "mixed.jsonl", lines)
    report, rejects = run(store, tmp_path / "mixed.jsonl")
    assert (report.lines, report.applied, report.duplicates, report.rejected) == (
        len(lines) - 1,
        len(good),
        0,
        len(expected),
    )
    assert [r.line for r in rejects] == sorted(expected), "rejects come in line order"
    assert {r.line: (r.rule, r.field) for r in rejects} == expected
    by_rule = {r.rule: r for r in rejects}
    assert by_rule["command.id_reused"].command_id == good[0]["command_id"]
    assert by_rule["input.json"].command_id is None
    assert third["payload"]["household"]["head"]["id_number"][:-1] not in str(rejects)
    # Nothing partial: the store holds exactly what the good lines alone write.
    write_jsonl(tmp_path / "good.jsonl", good)
    assert run(other_store, tmp_path / "good.jsonl")[0].applied == len(good)
    assert table_counts(store) == table_counts(other_store)
    assert store.app.find(case_id(third["case_ref"]), RenovationCase) is None
    assert store.service.load_case(good[0]["case_ref"]).stage.value == "closed"


def test_importing_the_same_file_again_applies_nothing(store: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    count = write_jsonl(path, lifecycle_lines(0, 3))
    first, _ = run(store, path, batch_size=7)
    assert (first.lines, first.applied, first.duplicates, first.rejected) == (count, count, 0, 0)
    before = store_fingerprint(store)
    again, rejects = run(store, path, batch_size=5)
    assert (again.lines, again.applied, again.duplicates, again.rejected) == (count, 0, count, 0)
    assert rejects == []
    assert store_fingerprint(store) == before


def test_a_line_repeated_in_the_file_is_a_duplicate(store: Runtime, tmp_path: Path) -> None:
    good = list(lifecycle_lines(0, 1))
    lines = [good[0], good[0], *good[1:6], good[3], *good[6:]]
    write_jsonl(tmp_path / "twice.jsonl", lines)
    report, rejects = run(store, tmp_path / "twice.jsonl", batch_size=3)
    assert (report.applied, report.duplicates, rejects) == (len(good), 2, [])


def test_an_id_reused_in_a_later_batch_by_an_acceptable_command_is_named(
    store: Runtime, tmp_path: Path
) -> None:
    submit, certify = list(lifecycle_lines(0, 1))[:2]
    write_jsonl(tmp_path / "reuse.jsonl", [submit, {**certify, "command_id": submit["command_id"]}])
    _, rejects = run(store, tmp_path / "reuse.jsonl", batch_size=1)
    assert [(r.line, r.rule) for r in rejects] == [(2, "command.id_reused")]


def test_refusals_from_the_source_are_reported_like_lines(store: Runtime) -> None:
    refusal = InvalidInputError("roster.required", "户主姓名", None, "户主姓名 is empty")
    rejects: list[Reject] = []
    report = import_commands(
        [(7, Refused(refusal, "x/apply")), (8, b"\n")], store.service, manager(store),
        rejects=rejects.append,
    )
    assert (report.lines, report.rejected) == (1, 1)
    assert rejects[0].to_dict("row") == {
        "row": 7,
        "command_id": "x/apply",
        "rule": "roster.required",
        "field": "户主姓名",
        "value": None,
        "message": "户主姓名 is empty",
        "case_ref": None,
    }


def test_progress_reports_bytes_read(store: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    write_jsonl(path, lifecycle_lines(0, 1))
    seen: list[int] = []
    import_commands(jsonl_lines(path), store.service, manager(store), batch_size=5,
                    progress=seen.append)
    assert len(seen) > 2 and seen == sorted(seen)
    assert seen[-1] == path.stat().st_size == check_text_file(path)


def test_a_batch_size_below_one_is_refused(store: Runtime) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        import_commands([], store.service, manager(store), batch_size=0)


def peak_while_importing(rt: Runtime, path: Path) -> tuple[int, int, int]:
    """(lines, peak, retained) bytes allocated while importing the file."""
    entered_by = manager(rt)
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    report = import_commands(jsonl_lines(path), rt.service, entered_by, batch_size=200)
    current, peak = tracemalloc.get_traced_memory()
    assert report.applied == report.lines
    return report.lines, peak - base, current - base


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_lines(tmp_path: Path) -> None:
    settings = Settings(
        db=f"sqlite:///{tmp_path}/big.db",
        kek=KEK,
        index_key=INDEX_KEY,
        secrets_dir=tmp_path / "secrets",
    )
    configure_logging("console", "WARNING")  # 20,000 log lines would be memory of their own
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    write_jsonl(tmp_path / "warm.jsonl", lifecycle_lines(0, 5))
    write_jsonl(small, lifecycle_lines(5, 250))
    write_jsonl(large, lifecycle_lines(255, 1000))
    clock = SimulatedClock()
    with build(settings, clock=clock) as rt:
        ready(rt, clock)
        import_commands(jsonl_lines(tmp_path / "warm.jsonl"), rt.service, manager(rt))
        tracemalloc.start()
        try:
            n, small_peak, _ = peak_while_importing(rt, small)
            n4, large_peak, retained = peak_while_importing(rt, large)
        finally:
            tracemalloc.stop()
    assert n4 >= 20_000 and n4 >= 3.9 * n
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    print(f"peaks: {n} lines {small_peak:,} B, {n4} lines {large_peak:,} B; kept {retained:,} B")
    assert large_peak < large.stat().st_size, "the file was held in memory"
    assert retained < 2_000_000, "outcomes or lines were kept after the import"


# --- the command-line door -------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_with_programme(tmp_path, monkeypatch)


def unreadable_files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    yield tmp_path / "missing.jsonl", "no such file"
    yield tmp_path, "not a file"
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes('{"command_id": "é"}\n'.encode("latin-1"))
    yield latin, "not UTF-8 text (byte 16)"


def test_a_file_that_cannot_be_read_exits_2_with_one_line(cli: CliRunner, tmp_path: Path) -> None:
    for path, problem in unreadable_files(tmp_path):
        result = cli.invoke(app, ["import", str(path)])
        assert result.exit_code == 2, (path, result.output)
        assert result.stderr.strip() == f"error: {path}: {problem}"
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_rejected_lines_exit_1_and_go_to_the_rejects_file(cli: CliRunner, tmp_path: Path) -> None:
    good = list(lifecycle_lines(0, 1))
    path = tmp_path / "county.jsonl"
    write_jsonl(path, [*good[:3], "[1, 2]", *good[3:]])
    result = cli.invoke(app, ["import", str(path)])
    assert result.exit_code == 1, result.output
    rejects = tmp_path / "county.jsonl.rejects.jsonl"
    assert f"{len(good)} applied" in result.stdout and str(rejects) in result.stdout
    [line] = [json.loads(text) for _, text in numbered(rejects)]
    assert (line["line"], line["rule"], line["field"]) == (4, "input.json", "line")
    # Fixed and imported again: nothing new applies, and no stale rejects file is left.
    write_jsonl(path, good)
    again = cli.invoke(app, ["import", str(path), "--json", "--batch-size", "3"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) | {"elapsed_seconds": 0} == {
        "lines": len(good),
        "applied": 0,
        "duplicates": len(good),
        "rejected": 0,
        "elapsed_seconds": 0,
        "rejects_file": None,
    }
    assert not rejects.exists()


def test_a_line_over_the_length_limit_is_refused_by_its_size_and_the_rest_applies(
        cli: CliRunner, tmp_path: Path) -> None:
    good = list(lifecycle_lines(0, 1))
    path = tmp_path / "county.jsonl"
    huge = '{"command_id": "' + "x" * (3 * MAX_LINE_BYTES) + '"}'
    write_jsonl(path, [*good[:2], huge, *good[2:]])
    result = cli.invoke(app, ["import", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{len(good)} applied" in result.stdout
    rejects = tmp_path / "county.jsonl.rejects.jsonl"
    assert rejects.stat().st_size < 2_000, "the line is reported by its length, not copied"
    [line] = [json.loads(text) for _, text in numbered(rejects)]
    assert (line["line"], line["rule"], line["field"]) == (3, "input.line_length", "line")
    assert line["value"] == f"<{len(huge) + 1} bytes>"
    assert f"{MAX_LINE_BYTES:,}" in line["message"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
        cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "province.jsonl"
    with path.open("wb") as sparse:  # no disk used: the size alone is refused
        sparse.truncate(MAX_FILE_BYTES + 1)
    result = cli.invoke(app, ["import", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{MAX_FILE_BYTES:,}" in result.output and "split" in result.output


def test_a_line_of_exactly_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "edge.jsonl"
    exact = b"a" * MAX_LINE_BYTES
    path.write_bytes(exact + b"\n" + exact + b"b\n{}\n")
    read = list(jsonl_lines(path))
    assert read[0] == (1, exact + b"\n")
    assert isinstance(read[1][1], Refused) and read[1][1].violation.rule == "input.line_length"
    assert read[2] == (3, b"{}\n")


def test_rejects_go_where_asked(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    write_jsonl(path, ['{"truncated": '])
    target = tmp_path / "out" / "bad.jsonl"
    target.parent.mkdir()
    result = cli.invoke(app, ["import", str(path), "--rejects", str(target), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rejects_file"] == str(target)
    assert json.loads(target.read_text())["rule"] == "input.json"
    for unusable in (path, tmp_path / "nowhere" / "bad.jsonl", tmp_path):
        refused = cli.invoke(app, ["import", str(path), "--rejects", str(unusable)])
        assert refused.exit_code == 2 and refused.stderr.startswith("error: ")


def test_schema_commands_prints_the_json_schema(cli: CliRunner) -> None:
    result = cli.invoke(app, ["schema", "commands"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["discriminator"]["propertyName"] == "type"
    assert "submit_application" in schema["discriminator"]["mapping"]


def test_the_demos_own_commands_import_once_and_a_second_import_changes_nothing(
    store: Runtime, tmp_path: Path
) -> None:
    path = tmp_path / "demo.jsonl"
    count = export_commands(DemoSettings(households=40), path)
    lines = [json.loads(text) for _, text in numbered(path)]
    staffed(store, {c["payload"]["village_code"] for c in lines
                    if c["type"] == "submit_application"})
    first, rejects = run(store, path, batch_size=64)
    assert rejects == []
    assert (first.lines, first.applied, first.duplicates) == (count, count, 0)
    before = store_fingerprint(store)
    again, rejects = run(store, path, batch_size=64)
    assert rejects == []
    assert (again.lines, again.applied, again.duplicates) == (count, 0, count)
    assert store_fingerprint(store) == before


def test_the_demo_exports_its_commands_without_touching_the_store(
    cli: CliRunner, tmp_path: Path
) -> None:
    before = cli.invoke(app, ["store", "info"]).stdout
    path = tmp_path / "out" / "demo.jsonl"
    result = cli.invoke(app, ["demo", "--households", "5", "--export", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = path.read_bytes().splitlines()
    assert json.loads(result.stdout) == {"commands": len(lines), "file": str(path)}
    ids = [parse_command(line).command_id for line in lines]
    assert len(set(ids)) == len(ids) > 5
    assert cli.invoke(app, ["store", "info"]).stdout == before
