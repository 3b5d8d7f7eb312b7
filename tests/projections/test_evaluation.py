"""年度绩效评价 — every figure recomputed by hand on a small programme, as of two dates.

阳朔县 (450321) plans 44 households (21 + 23) of Guilin's 1173. Seven cases there, each a
民政 (dibao) rebuild approved at 18,500 yuan:

    case  started  completed  accepted  requested  paid          notes
    A 01  07-20    09-20      10-10     10-12      10-28         on time everywhere, closed
    B 02  08-05    11-05      11-20     11-26      12-02         started and completed late,
                                                                 submitted after the 25th
    C 03  07-15    09-15      10-01     10-10      11-03         paid after the 30th, closed
    D 04  07-18    09-18      10-05     10-08      10-20         final tranche 3,500 short
    E 05  —        —          —         —          —             approved, never started
    F 06  07-25    09-25      10-15     —          —             accepted, never paid
    G 07  withdrawn before the township's review

The city draws one of the five accepted cases on 12-05 and passes it. The short payment is
confirmed on 12-10; the late payment is dismissed on 2023-01-10, after the first as-of date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from renovation.application.findings import FindingRef
from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase, open_database
from renovation.projections.queries.evaluation import evaluate
from tests.projections.support import allocate
from tests.support.app import Scenario, sqlite_scenario
from tests.support.spotcheck import COUNTY, INSPECTOR, SEED, city_check, read_model, service

PROGRAMME = "guilin-2022"
YEAR_END = date(2022, 12, 31)
SUBSIDY = 18_500
PINNED: dict[str, dict[str, str]] = {
    "0001": {"start_construction": "07-20", "complete_construction": "09-20",
             "record_county_acceptance": "10-10", "request_payment": "10-12",
             "disburse_payment": "10-28", "close_case": "10-29"},
    "0002": {"start_construction": "08-05", "complete_construction": "11-05",
             "record_county_acceptance": "11-20", "request_payment": "11-26",
             "disburse_payment": "12-02", "close_case": "12-03"},
    "0003": {"start_construction": "07-15", "complete_construction": "09-15",
             "record_county_acceptance": "10-01", "request_payment": "10-10",
             "disburse_payment": "11-03", "close_case": "11-04"},
    "0004": {"start_construction": "07-18", "complete_construction": "09-18",
             "record_county_acceptance": "10-05", "request_payment": "10-08",
             "disburse_payment": "10-20"},
    "0005": {},
    "0006": {"start_construction": "07-25", "complete_construction": "09-25",
             "record_county_acceptance": "10-15"},
}
PLANS: dict[str, dict[str, Any]] = {
    "0004": {"quirks": frozenset({"short_paid"})},
    "0005": {"stop_after": "county_approved"},
    "0006": {"stop_after": "accepted"},
    "0007": {"variant": "withdrawn"},
}


def _dated(commands: list[dict[str, Any]], pins: dict[str, str]) -> list[dict[str, Any]]:
    """Each pinned act on its date, every other act no earlier than the one before it."""
    previous = ""
    for command in commands:
        if command["type"] in pins:
            command["occurred_on"] = f"2022-{pins[command['type']]}"
            assert command["occurred_on"] >= previous, command
        command["occurred_on"] = max(command["occurred_on"], previous)
        previous = command["occurred_on"]
    return commands


def _review(scenario: Scenario, views: ViewsDatabase, rule: str, decision: str,
            on: date) -> None:
    [item] = list_findings(views, YEAR_END, rule=rule)["findings"]
    scenario.clock.business_day(on)
    scenario.rt.findings.decide(scenario.principal("dj-4503"), FindingRef(
        item["finding_id"], rule, tuple(item["case_refs"]), item["county"]), decision, "经入户核查")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Scenario, Any]]:
    with sqlite_scenario(tmp_path_factory.mktemp("evaluation")) as scenario:
        allocate(scenario.rt)
        for n in ("0001", "0002", "0003", "0004", "0005", "0006", "0007"):
            # One application a day: seven by one clerk within minutes would look proxy-signed.
            plan = scenario.plan(f"450321-2022-{n}", applied_on=date(2022, 3, int(n)),
                                 **PLANS.get(n, {}))
            for command in _dated(scenario.commands(plan), PINNED.get(n, {})):
                scenario.run(command)
        views = open_database(scenario.rt.settings.views_url())
        projector = Projector(scenario.rt.app, views)
        projector.catch_up()
        scenario.clock.business_day(date(2022, 12, 5))
        drawn = service(scenario, read_model(views)).draw(
            scenario.principal(INSPECTOR), PROGRAMME, COUNTY, SEED, date(2022, 12, 5))
        scenario.run(city_check(scenario, drawn.selected[0], True, drawn.draw_ref))
        projector.catch_up()
        _review(scenario, views, "short_paid", "confirmed", date(2022, 12, 10))
        _review(scenario, views, "paid_late", "dismissed", date(2023, 1, 10))
        _monitoring(scenario)
        projector.catch_up()
        try:
            yield scenario, views
        finally:
            views.dispose()


def _monitoring(scenario: Scenario) -> None:
    """Two houses on the ledger (one moved out of, one never reported to the township) and a
    hotline tip-off not concluded within its 60 days."""
    clerk = scenario.principal("vc-450321100201")
    scenario.clock.business_day(date(2022, 12, 20))
    for n, resolved in ((1, True), (2, False)):
        head = scenario.household()["head"]
        house = scenario.rt.houses.act(clerk, {
            "type": "record_house", "village": "450321100201", "occurred_on": "2022-01-05",
            "head": {"name": head["name"], "id_number": head["id_number"]}, "ledger": "key"})
        on = {"house": {"house_id": house["house_id"]}}
        scenario.rt.houses.act(clerk, {"type": "report_unsafe_house", "suspected_grade": "C",
                                       "occurred_on": f"2022-0{n}-10", **on})
        if resolved:
            scenario.rt.houses.act(clerk, {"type": "report_to_township",
                                           "occurred_on": "2022-03-01", **on})
            scenario.rt.houses.act(clerk, {"type": "resolve_house", "occurred_on": "2022-06-01",
                                           "resolution": "moved_to_safe_house", **on})
    scenario.clock.business_day(date(2022, 6, 1))
    scenario.rt.tipoffs.lodge_hotline(clerk, {
        "jurisdiction": "450321100201", "subject": "favouring_relatives",
        "statement": "村干部把自家亲戚报成危房户，房子是去年新盖的"})


def values(answer: dict[str, Any]) -> dict[str, Any]:
    return {f["id"]: f["value"] for f in answer["figures"]}


def met(answer: dict[str, Any]) -> dict[str, bool | None]:
    return {f["id"]: f["met"] for f in answer["figures"]}


def test_the_county_at_the_year_end_matches_the_hand_count(
    evaluated: tuple[Scenario, ViewsDatabase]
) -> None:
    _, views = evaluated
    answer = evaluate(views, PROGRAMME, YEAR_END, COUNTY)
    assert (answer["county"], answer["county_name"], answer["as_of"]) == (
        COUNTY, "阳朔县", "2022-12-31")
    assert values(answer) == {
        "target_households": 44, "approved": 6, "started": 5, "completed": 5, "accepted": 5,
        "not_started": 1, "completion_rate": "0.1136",
        "started_on_time": 4, "started_late": 1, "completed_on_time": 4, "completed_late": 1,
        "accepted_on_time": 5, "accepted_late": 0,
        "approved_yuan": 6 * SUBSIDY, "paid_yuan": 4 * SUBSIDY - 3_500,
        "paid_share": "0.6351",  # 70,500 ÷ 111,000 = 0.63513…
        "paid_in_full": 3,  # A, B, C; D is 3,500 short, F unpaid
        "unpaid_after_acceptance": 2,  # D and F, accepted before 11-26 (35 days)
        "requests_judged": 4, "paid_on_time": 3, "paid_late": 1, "unpaid_past_due": 0,
        "on_time_rate": "0.7500", "submitted_late": 1,
        "short_paid_cases": 1, "short_paid_yuan": 3_500,
        "spot_accepted": 5, "spot_checked": 1, "spot_failed": 0, "spot_ratio": "0.2000",
        "findings_found": 3,  # short paid, paid late, unpaid overdue (F)
        "findings_confirmed": 1, "findings_dismissed": 0, "findings_open": 2,
        "ledger_found": 2, "ledger_zeroed_ratio": "0.5000", "ledger_outstanding": 1,
        "ledger_overdue": 1,  # found 02-10, due 03-30, never reported
        "tipoffs_lodged": 1, "tipoffs_concluded_in_time": None,
        "tipoffs_late": 1,  # lodged 06-01, due 07-31, not concluded
    }
    judged = met(answer)
    assert judged["approved"] is False and judged["completion_rate"] is False
    assert judged["spot_ratio"] is True and judged["accepted_late"] is True
    assert judged["short_paid_yuan"] is False and judged["target_households"] is None
    assert judged["paid_in_full"] is False and judged["findings_open"] is False


def test_the_programme_adds_its_counties_and_judges_the_spot_check_per_county(
    evaluated: tuple[Scenario, ViewsDatabase]
) -> None:
    _, views = evaluated
    answer = evaluate(views, PROGRAMME, YEAR_END)
    figures = values(answer)
    assert figures["target_households"] == 1173
    assert figures["approved"] == 6 and figures["completion_rate"] == "0.0042"  # 5 ÷ 1173
    assert figures["spot_counties_meeting"] == 1
    assert len(answer["counties"]) == 13  # the plan's counties with households
    [yangshuo] = [c for c in answer["counties"] if c["code"] == COUNTY]
    assert values({"figures": yangshuo["figures"]}) == values(
        evaluate(views, PROGRAMME, YEAR_END, COUNTY))
    total = answer["overall"]["rows"][-1]
    assert total["name"] == "合计" and total["values"]["accepted"] == 5
    assert [c["id"] for c in answer["overall"]["columns"]][:2] == ["target_households",
                                                                   "accepted"]


def test_an_earlier_as_of_date_gives_the_earlier_figures(
    evaluated: tuple[Scenario, ViewsDatabase]
) -> None:
    _, views = evaluated
    answer = evaluate(views, PROGRAMME, date(2022, 10, 15), COUNTY)
    figures = values(answer)
    assert {k: figures[k] for k in ("approved", "started", "completed", "accepted")} == {
        "approved": 6, "started": 5, "completed": 4, "accepted": 4}
    assert {k: figures[k] for k in ("paid_yuan", "paid_in_full", "requests_judged",
                                    "on_time_rate", "submitted_late", "short_paid_yuan")} == {
        "paid_yuan": 0, "paid_in_full": 0, "requests_judged": 0, "on_time_rate": None,
        "submitted_late": 0, "short_paid_yuan": 0}
    assert (figures["spot_accepted"], figures["spot_checked"]) == (4, 0)
    assert figures["findings_found"] == 0
    judged = met(answer)
    assert judged["spot_ratio"] is None and judged["accepted"] is None  # due 11-30
    assert judged["started_on_time"] is False  # due 07-31: 4 of 44


def test_a_decision_after_the_as_of_date_leaves_the_finding_open_then(
    evaluated: tuple[Scenario, ViewsDatabase]
) -> None:
    _, views = evaluated
    later = values(evaluate(views, PROGRAMME, date(2023, 1, 10), COUNTY))
    assert (later["findings_confirmed"], later["findings_dismissed"],
            later["findings_open"]) == (1, 1, 1)
    early = values(evaluate(views, PROGRAMME, date(2022, 12, 9), COUNTY))
    assert (early["findings_found"], early["findings_confirmed"]) == (3, 0)


def test_every_figure_has_labels_and_a_definition_and_the_answer_is_plain_json(
    evaluated: tuple[Scenario, ViewsDatabase]
) -> None:
    _, views = evaluated
    answer = evaluate(views, PROGRAMME, YEAR_END)
    for f in answer["figures"]:
        assert f["label_zh"] and f["label_en"] and len(f["definition_zh"]) > 10
        assert f["definition_en"].endswith(".") and f["unit"]
        assert not isinstance(f["value"], Decimal)
    assert answer["rules"]["pay_by_day"] == 30 and answer["rules"]["accept_by"] == "2022-11-30"


def test_refusals_name_the_rule_the_field_and_the_value(
    evaluated: tuple[Scenario, ViewsDatabase], tmp_path: Path
) -> None:
    _, views = evaluated
    cases = (("nowhere-2022", None, "programme.known", "programme"),
             (PROGRAMME, "4503", "input.division_code", "county"),
             (PROGRAMME, "450321100000", "evaluation.county_level", "county"),
             (PROGRAMME, "450121000000", "evaluation.county_in_programme", "county"))
    for programme, county, rule, field in cases:
        with pytest.raises(Exception) as refused:
            evaluate(views, programme, YEAR_END, county)
        error = refused.value.to_dict()  # type: ignore[attr-defined]
        assert (error["rule"], error["field"]) == (rule, field)
        assert error["value"] == (county or programme)
