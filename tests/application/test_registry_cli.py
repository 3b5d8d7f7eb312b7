"""`renovation registry import|list`: the door onto registry snapshots — exit codes, the rejects
report, and no plaintext ID number in the store, the output or the logs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from renovation.registry.samples import example_row, write_csv, write_xlsx
from renovation.simulation.people import id_number
from tests.support.cli import cli_runner, sign_in

PEOPLE = [id_number("450321", n) for n in range(8)]
BAD = PEOPLE[7][:-1] + ("0" if PEOPLE[7][-1] != "0" else "1")
IMPORT = ["registry", "import", "tekun"]
DATED = ["--as-of", "2022-06-30", "--department", "灵川县民政局"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    runner = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/store/r.db", tmp_path)
    sign_in(monkeypatch)
    return runner


def tekun(path: Path, people: list[str] = PEOPLE) -> Path:
    rows = [example_row("tekun", p, 姓名="欧阳锋", support_mode="分散供养") for p in people]
    return (write_xlsx if path.suffix == ".xlsx" else write_csv)(path, "tekun", rows,
                                                                  chinese=True)


def test_a_file_is_imported_then_listed_and_a_second_import_writes_nothing(
    cli: CliRunner, tmp_path: Path,
) -> None:
    path = tekun(tmp_path / "特困.xlsx")
    first = cli.invoke(app, [*IMPORT, str(path), *DATED])
    assert first.exit_code == 0, first.output + first.stderr
    assert "8 rows imported, 0 rejected" in first.output and "姓名" in first.output
    again = cli.invoke(app, [*IMPORT, str(path), *DATED, "--json"])
    assert again.exit_code == 0 and json.loads(again.output)["already_imported"] is True
    listed = json.loads(cli.invoke(app, ["registry", "list", "--json"]).output)["snapshots"]
    assert [(s["kind"], s["as_of"], s["rows"], s["imported_by"], s["source_name"])
            for s in listed] == [("tekun", "2022-06-30", 8, "pm-4503", "特困.xlsx")]
    text = cli.invoke(app, ["registry", "list", "--kind", "tekun"]).output
    assert listed[0]["snapshot_id"] in text and listed[0]["sha256"] in text


def test_rejected_rows_exit_1_with_a_rejects_file_by_row_that_a_reimport_keeps(
    cli: CliRunner, tmp_path: Path,
) -> None:
    path = tekun(tmp_path / "t.csv", [*PEOPLE[:7], BAD])
    result = cli.invoke(app, [*IMPORT, str(path), *DATED, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["rows"], report["rejected"]) == (7, 1)
    rejects = Path(report["rejects_file"])
    (line,) = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert line == {"row": 9, "rule": "identity.id_number.check_digit", "field": "id_number",
                    "value": f"{BAD[:6]}********{BAD[-4:]}",
                    "message": "The check digit of the ID card number is wrong."}
    again = cli.invoke(app, [*IMPORT, str(path), *DATED])
    assert again.exit_code == 0 and "already imported" in again.output
    assert rejects.is_file()


def test_a_missing_column_exits_2_naming_it(cli: CliRunner, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "tekun", [example_row("tekun", PEOPLE[0])],
                     columns=["id_number", "division_code"])
    result = cli.invoke(app, [*IMPORT, str(path), *DATED])
    assert result.exit_code == 2
    refusal = json.loads(result.stderr)
    assert (refusal["rule"], refusal["value"]) == ("registry.columns", "valid_from")


def test_an_unreadable_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, [*IMPORT, str(tmp_path / "none.csv"), *DATED])
    assert result.exit_code == 2 and json.loads(result.stderr)["rule"] == "registry.file"


def test_a_future_date_or_a_second_file_for_a_date_exits_1_with_its_rule(
    cli: CliRunner, tmp_path: Path,
) -> None:
    path = tekun(tmp_path / "t.csv")
    future = (date.today() + timedelta(days=400)).isoformat()
    result = cli.invoke(app, [*IMPORT, str(path), "--as-of", future, "--department", "民政"])
    assert result.exit_code == 1 and json.loads(result.stderr)["rule"] == "registry.as_of"
    assert cli.invoke(app, [*IMPORT, str(path), *DATED]).exit_code == 0
    other = cli.invoke(app, [*IMPORT, str(tekun(tmp_path / "u.csv", PEOPLE[:2])), *DATED])
    assert other.exit_code == 1
    assert json.loads(other.stderr)["rule"] == "registry.snapshot_unique"


def test_an_unknown_kind_is_refused_naming_it(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["registry", "import", "pets", str(tekun(tmp_path / "t.csv")),
                              *DATED])
    refusal = json.loads(result.stderr)
    assert result.exit_code == 1 and (refusal["rule"], refusal["field"], refusal["value"]) == (
        "input.enum", "kind", "pets")


def test_importing_needs_a_signed_in_principal_but_listing_does_not(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RENOVATION_TOKEN")
    result = cli.invoke(app, [*IMPORT, str(tekun(tmp_path / "t.csv")), *DATED])
    assert result.exit_code == 1 and json.loads(result.stderr)["rule"] == "auth.required"
    listed = cli.invoke(app, ["registry", "list"])
    assert listed.exit_code == 0 and "no registry snapshots" in listed.output
    unknown = cli.invoke(app, ["registry", "list", "--kind", "pets"])
    assert unknown.exit_code == 1 and json.loads(unknown.stderr)["rule"] == "registry.kind"


def test_no_plaintext_id_number_in_any_store_file_the_output_or_the_logs(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RENOVATION_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("RENOVATION_LOG_FORMAT", "json")
    printed = ""
    for kind in ("tekun", "household_registration"):
        rows = [example_row(kind, p, 姓名="欧阳锋", household_no=f"HH{n}")
                for n, p in enumerate([*PEOPLE, BAD])]
        path = write_csv(tmp_path / f"{kind}.csv", kind, rows)
        for _ in range(2):
            result = cli.invoke(app, ["registry", "import", kind, str(path), *DATED])
            printed += result.output + result.stderr
        printed += (tmp_path / f"{kind}.csv.rejects.jsonl").read_text(encoding="utf-8")
    printed += cli.invoke(app, ["registry", "list", "--json"]).output
    assert "registry.imported" in printed  # the log lines were captured
    secrets = [*PEOPLE, BAD, "欧阳锋", *(f"HH{n}" for n in range(len(PEOPLE) + 1))]
    files = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
    assert any(p.name == "r.db" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not [s for s in secrets if s.encode() in data], path.name
    assert not [s for s in secrets if s in printed]
