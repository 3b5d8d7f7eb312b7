"""The ledgers' doors: `renovation house record` and `renovation ledger` on the command line, the
台账 page and its Excel, and the case page saying where a case came from on the ledgers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from renovation.application.directory import Principal
from renovation.cli import app
from tests.support.api import api_client
from tests.support.app import VILLAGE, sqlite_scenario
from tests.support.cli import cli_runner, sign_in

PASSWORD = "a good password 1"
CLERK = f"vc-{VILLAGE}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with sqlite_scenario(tmp_path_factory.mktemp("ledger")) as scenario:
        household = scenario.household()
        commands = scenario.commands(scenario.plan("450321-2022-0001", household=household,
                                                   stop_after="county_approved"))
        scenario.run(commands[0])
        scenario.drive(scenario.plan("450321-2022-0002", stop_after="county_approved"))
        clerk = scenario.principal(CLERK)
        scenario.clock.business_day(date(2022, 3, 1))
        head = household["head"]
        house = scenario.rt.houses.act(clerk, {
            "type": "record_house", "village": VILLAGE, "occurred_on": "2022-01-05",
            "head": {"name": head["name"], "id_number": head["id_number"]}, "ledger": "key"})
        on = {"house": {"village": VILLAGE, "head_id_number": head["id_number"]}}
        scenario.rt.houses.act(clerk, {"type": "report_unsafe_house", "occurred_on": "2022-01-20",
                                       "suspected_grade": "D", **on})
        scenario.rt.houses.act(scenario.principal("tw-450321100"), {
            "type": "link_case", "occurred_on": "2022-03-01", "case_ref": "450321-2022-0001",
            **on})
        assert house["house_id"]
        for command in commands[1:]:
            scenario.run(command)
        for staff_id in ("pm-4503", CLERK):
            scenario.rt.staff.set_password(Principal.local("ops"), staff_id, PASSWORD)
        with api_client(scenario.rt) as client:
            yield client


def signed_in(client: TestClient, staff_id: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"staff_id": staff_id, "password": PASSWORD,
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_the_ledger_page_counts_and_lists_the_area_and_downloads_as_excel(
    site: TestClient,
) -> None:
    signed_in(site, "pm-4503")
    page = site.get("/ledger?within=450321000000&as_of=2022-12-31")
    assert page.status_code == 200 and "农房安全台账" in page.text
    assert "发现 1，已销号 0，未销号 1，逾期未报 1" in page.text
    book = load_workbook(io.BytesIO(site.get(
        "/export/ledger.xlsx?within=450321000000&as_of=2022-12-31").content))
    assert book.sheetnames == ["台账", "待办"]
    assert book["台账"].max_row == 2 and book["台账"]["L2"].value == "整改中"


def test_a_village_clerk_reads_only_their_villages_ledger(site: TestClient) -> None:
    signed_in(site, CLERK)
    assert site.get(f"/ledger?within={VILLAGE}").status_code == 200
    assert site.get("/ledger?within=450321000000").status_code == 403


def test_the_case_page_shows_the_survey_behind_a_case_or_its_absence(site: TestClient) -> None:
    signed_in(site, "pm-4503")
    surveyed = site.get("/cases/450321-2022-0001")
    assert "农户主动申报发现疑似D级，2022-03-01 纳入改造" in surveyed.text
    assert "无摸排记录" in site.get("/cases/450321-2022-0002").text


@pytest.mark.slow
def test_after_the_demo_zeroing_adds_up_in_every_county(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cli = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/renovation.db", tmp_path)
    assert cli.invoke(app, ["demo", "--households", "120"]).exit_code == 0
    done = cli.invoke(app, ["ledger", "zeroing", "--by", "county", "--json",
                            "--as-of", "2022-12-31"])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["rows"] and answer["total"]["found"] > answer["total"]["resolved"] > 0
    for row in [*answer["rows"], answer["total"]]:
        assert row["found"] == row["resolved"] + row["outstanding"]
        assert 0 <= row["overdue"] <= row["outstanding"]
    listed = cli.invoke(app, ["ledger", "list", "--within", "450321000000", "--json",
                              "--as-of", "2022-12-31", "--xlsx", str(tmp_path / "l.xlsx")])
    assert listed.exit_code == 0 and json.loads(listed.stdout)["entries"]
    assert load_workbook(tmp_path / "l.xlsx").sheetnames == ["台账", "待办"]


def test_bad_ledger_options_name_the_rule(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    cli = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/renovation.db", tmp_path)
    cli.invoke(app, ["demo", "--households", "3", "--no-cases"])
    wrong_kind = cli.invoke(app, ["ledger", "list", "--kind", "vip"])
    assert wrong_kind.exit_code == 1
    assert json.loads(wrong_kind.stderr.splitlines()[-1])["rule"] == "ledger.kind_known"
    assert cli.invoke(app, ["ledger", "zeroing", "--within", "4503"]).exit_code == 2


def printed(text: str) -> list[dict[str, object]]:
    """The JSON objects the command printed one after another."""
    decoder, out, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        value, at = decoder.raw_decode(text, at)
        out.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return out


def test_house_record_applies_acts_in_order_and_stops_at_a_refused_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cli: CliRunner = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/renovation.db", tmp_path)
    cli.invoke(app, ["demo", "--households", "3", "--no-cases"])
    sign_in(monkeypatch, CLERK)
    acts = tmp_path / "acts.jsonl"
    acts.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in (
        {"type": "record_house", "village": VILLAGE, "occurred_on": "2022-01-05", "ledger": "key",
         "head": {"name": "韦秀兰", "id_number": "450321193801010053"}},
        {"type": "patrol_house", "occurred_on": "2022-01-06", "method": "visual",
         "suspected_grade": "C", "house": {"village": VILLAGE,
                                           "head_id_number": "450321193801010053"}},
        {"type": "patrol_house", "occurred_on": "2099-01-06", "method": "visual",
         "house": {"village": VILLAGE, "head_id_number": "450321193801010053"}},
    )), encoding="utf-8")
    done = cli.invoke(app, ["house", "record", "--file", str(acts)])
    assert done.exit_code == 1, (done.stdout, done.stderr)
    assert [answer["type"] for answer in printed(done.stdout)] == ["record_house", "patrol_house"]
    refusal = json.loads(done.stderr.splitlines()[-1])
    assert refusal["rule"] == "house.date_not_future"
    assert "450321193801010053" not in done.stdout + done.stderr
