"""The application roster (申请名册): an official's workbook filed row by row through the import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from renovation.application.importing import Reject, UnreadableFileError
from renovation.application.roster import (
    Roster,
    RosterContext,
    RosterFormatError,
    column_of,
    import_roster,
)
from renovation.bootstrap import Runtime
from renovation.cli import app
from renovation.kernel.vocabulary import Category, HouseStructure, RenovationMode
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.people import People
from renovation.simulation.staff import principal
from tests.support.app import MANAGER, VILLAGE, Scenario, store_fingerprint
from tests.support.import_files import cli_with_programme

CONTEXT = RosterContext("guilin-2022", "vc-450321100201", date(2022, 3, 1))
HEADERS = [  # deliberately not in the documented order, with a serial-number column and units
    "序号",
    "户主姓名",
    "所在村代码",
    "案件编号",
    "对象类别",
    "户主身份证号码",
    "家庭人口（人）",
    "拟改造方式",
    "房屋结构",
    "建造年代",
    "联系电话",
    "村民小组",
    "开户银行",
    "一卡通账号",
    "账号类型",
    "成员1姓名",
    "成员1身份证号码",
    "成员1关系",
    "成员2姓名",
    "成员2身份证号码",
    "成员2关系",
]


def row(people: People, ref: str, **changes: Any) -> dict[str, Any]:
    """One roster row of a synthetic household of three, Chinese labels throughout."""
    household = people.household(VILLAGE[:6], 2022, 3)
    cells: dict[str, Any] = {
        "案件编号": ref,
        "户主姓名": household["head"]["name"],
        "户主身份证号码": household["head"]["id_number"],
        "家庭人口（人）": 3,
        "所在村代码": int(VILLAGE),
        "对象类别": Category.DIBAO.label,
        "拟改造方式": RenovationMode.REBUILD_IN_PLACE.label,
        "房屋结构": "土木",
        "建造年代": "1978年",
        "联系电话": int(household["phone"]),
        "村民小组": household["group"],
        "开户银行": household["account"]["bank"],
        "一卡通账号": household["account"]["number"],
        "账号类型": "银行卡",
    }
    for n, member in enumerate(household["members"], 1):
        cells |= {
            f"成员{n}姓名": member["name"],
            f"成员{n}身份证号码": member["id_number"],
            f"成员{n}关系": member["relationship"],
        }
    return cells | changes


def workbook(path: Path, rows: list[dict[str, Any] | None], headers: list[str] = HEADERS) -> Path:
    """A roster as a county hands it out: a title row, the header row, one row per household."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2022年阳朔县农村危房改造申请名册"])
    sheet.append(headers)
    for n, cells in enumerate(rows, 1):
        values = cells or {}
        sheet.append([n if h == "序号" and cells else values.get(h) for h in headers])
    book.save(path)
    return path


@pytest.fixture
def store(runtime: Runtime, clock: SimulatedClock) -> Runtime:
    Scenario(runtime, clock)
    clock.business_day(date(2023, 6, 30))
    return runtime


def mixed_roster(path: Path) -> tuple[Path, dict[int, tuple[str, str]]]:
    people = People(31)
    good = row(people, "450321-2022-0101")
    bad_id = row(people, "450321-2022-0102")
    number = bad_id["户主身份证号码"]
    bad_id["户主身份证号码"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    english = row(
        people,
        "450321-2022-0106",
        对象类别="dibao_marginal",
        拟改造方式="reinforce",
        房屋结构="brick_wood",
        开户银行=None,
        一卡通账号=None,
        账号类型=None,
        成员2姓名=None,
        成员2身份证号码=None,
        成员2关系=None,
    )
    english["家庭人口（人）"] = "2"
    rows = [
        good,  # row 3
        bad_id,  # row 4
        row(people, "450321-2022-0103", 对象类别="富裕户"),  # row 5
        row(people, "450321-2022-0104", 户主姓名=None),  # row 6
        None,  # row 7: blank, skipped
        english,  # row 8
        row(people, "450321-2022-0105", 户主身份证号码=450321195001010011),  # row 9
    ]
    expected = {
        4: ("identity.id_number.check_digit", "户主身份证号码"),
        5: ("roster.unknown_label", "对象类别"),
        6: ("roster.required", "户主姓名"),
        9: ("roster.text_required", "户主身份证号码"),
    }
    return workbook(path, rows), expected


def test_good_rows_are_filed_and_bad_ones_rejected_by_row(store: Runtime, tmp_path: Path) -> None:
    path, expected = mixed_roster(tmp_path / "roster.xlsx")
    rejects: list[Reject] = []
    report = import_roster(path, store.service, principal(store, MANAGER), CONTEXT, batch_size=2,
                           rejects=rejects.append)
    assert (report.lines, report.applied, report.duplicates, report.rejected) == (6, 2, 0, 4)
    assert {r.line: (r.rule, r.field) for r in rejects} == expected
    assert rejects[0].command_id == "450321-2022-0102/apply"
    assert "450321195001010011" not in str(rejects)
    filed = store.service.load_case("450321-2022-0101")
    assert (filed.category, filed.household.size, filed.village_code, filed.stage.value) == (
        Category.DIBAO,
        3,
        VILLAGE,
        "applied",
    )
    assert filed.house.structure is HouseStructure.EARTH and filed.house.year_built == 1978
    assert len(filed.household.members) == 2 and filed.household.account is not None
    english = store.service.load_case("450321-2022-0106")
    assert (english.category, english.planned_mode, english.household.account) == (
        Category.DIBAO_MARGINAL,
        RenovationMode.REINFORCE,
        None,
    )
    [first] = list(store.app.repository.event_store.get(filed.id, limit=1))
    assert (first.actor.id, first.actor.role.value, first.actor.jurisdiction) == (
        CONTEXT.clerk_id,
        "village_clerk",
        VILLAGE,
    )


def test_importing_a_roster_again_files_nothing(store: Runtime, tmp_path: Path) -> None:
    path, expected = mixed_roster(tmp_path / "roster.xlsx")
    manager = principal(store, MANAGER)
    import_roster(path, store.service, manager, CONTEXT)
    before = store_fingerprint(store)
    report = import_roster(path, store.service, manager, CONTEXT)
    assert (report.applied, report.duplicates, report.rejected) == (0, 2, len(expected))
    assert store_fingerprint(store) == before


@pytest.mark.parametrize(
    ("headers", "rule", "value"),
    [
        ([h for h in HEADERS if h != "户主身份证号码"], "roster.header_missing", "户主身份证号码"),
        ([*HEADERS, "户主年龄"], "roster.header_unknown", "户主年龄"),
        ([*HEADERS, "对象类别"], "roster.header_repeated", "对象类别"),
        (["姓名", "年龄"], "roster.header_row", None),
    ],
)
def test_a_header_row_that_is_not_a_rosters_names_the_column(
    tmp_path: Path, headers: list[str], rule: str, value: str | None
) -> None:
    path = workbook(tmp_path / "roster.xlsx", [row(People(3), "450321-2022-0101")], headers)
    with pytest.raises(RosterFormatError) as caught:
        Roster(path)
    assert (caught.value.rule, caught.value.field, caught.value.value) == (rule, "header", value)


def test_members_are_filled_from_the_first(tmp_path: Path) -> None:
    cells = row(People(3), "450321-2022-0101", 成员1姓名=None, 成员1身份证号码=None, 成员1关系=None)
    with Roster(workbook(tmp_path / "roster.xlsx", [cells])) as roster:
        [(number, refused)] = list(roster.rows(CONTEXT))
    assert number == 3
    assert (refused.violation.rule, refused.violation.field) == ("roster.member_order", "成员2姓名")


def test_a_file_that_is_not_a_workbook_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_text("案件编号,户主姓名\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError):
        Roster(path)


def test_command_fields_are_reported_by_their_column() -> None:
    assert column_of("payload.household.head.id_number") == "户主身份证号码"
    assert column_of("payload.household.members.1.relationship") == "成员2关系"
    assert column_of("occurred_on") == "occurred_on"


# --- the command-line door -------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_with_programme(tmp_path, monkeypatch)


def roster_import(cli: CliRunner, path: Path, *extra: str, programme: str = "guilin-2022") -> Any:
    options = f"--programme {programme} --village-clerk-id {CONTEXT.clerk_id} --occurred-on"
    return cli.invoke(app, ["roster", "import", str(path), *options.split(), "2022-03-01", *extra])


def test_the_cli_files_a_roster_and_writes_rejects_by_row(cli: CliRunner, tmp_path: Path) -> None:
    path, expected = mixed_roster(tmp_path / "roster.xlsx")
    result = roster_import(cli, path, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["applied"], report["rejected"]) == (2, 4)
    rejects = [json.loads(line) for line in Path(report["rejects_file"]).read_text().splitlines()]
    assert {r["row"]: (r["rule"], r["field"]) for r in rejects} == expected


def test_the_cli_exits_0_when_every_row_is_filed_even_twice(cli: CliRunner, tmp_path: Path) -> None:
    people = People(5)
    path = workbook(
        tmp_path / "good.xlsx", [row(people, f"450321-2022-02{n:02d}") for n in range(3)]
    )
    assert roster_import(cli, path).exit_code == 0
    again = roster_import(cli, path)
    assert again.exit_code == 0 and "3 already applied" in again.stdout
    assert not (tmp_path / "good.xlsx.rejects.jsonl").exists()


def test_the_cli_refuses_an_unusable_workbook_with_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    text = tmp_path / "roster.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert roster_import(cli, text).exit_code == 2
    headers = [h for h in HEADERS if h != "对象类别"]
    missing = workbook(tmp_path / "missing.xlsx", [row(People(3), "450321-2022-0101")], headers)
    result = roster_import(cli, missing)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: required column missing: 对象类别"
    assert roster_import(cli, tmp_path / "nowhere.xlsx").exit_code == 2
    late = roster_import(cli, missing, "--occurred-on", "2022-02-30")
    assert late.exit_code == 2 and "--occurred-on" in late.stderr


def test_the_cli_refuses_an_unknown_programme_once(cli: CliRunner, tmp_path: Path) -> None:
    path, _ = mixed_roster(tmp_path / "roster.xlsx")
    result = roster_import(cli, path, programme="atlantis-2022")
    assert result.exit_code == 1
    assert json.loads(result.stderr)["rule"] == "programme.known"
