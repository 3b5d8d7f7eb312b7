"""The housing-safety ledgers (台账): each rule of seed 000 / seed 003 §四(一) as a scenario —
the 3/30 reporting deadline, disasters reported at once, the monthly patrol, the yearly
re-assessment of old houses in Ningxia, elderly occupancy, the re-check after renovation — and
the zeroing count that always adds up."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.projections import Projector, ViewsDatabase
from renovation.projections.queries.ledger import attention, ledger_entries, zeroing
from tests.support.app import VILLAGE, Scenario

CLERK, ASSESSOR, TOWNSHIP = "vc-450321100201", "as-450321", "tw-450321100"


class Village:
    """A village clerk and friends recording houses on a scenario's clock."""

    def __init__(self, scenario: Scenario, village: str = VILLAGE) -> None:
        self.s, self.village = scenario, village
        scenario.staff(village)

    def act(self, who: str, day: date, **act: Any) -> dict[str, Any]:
        self.s.clock.business_day(max(day, date(2022, 1, 1)))
        return self.s.rt.houses.act(self.s.principal(who), {"occurred_on": day.isoformat(),
                                                            **act})

    def house(self, day: date, head: dict[str, Any] | None = None, **facts: Any) -> str:
        head = head or self.s.household()["head"]
        done = self.act(self.clerk, day, type="record_house", village=self.village,
                        head={"name": head["name"], "id_number": head["id_number"]},
                        **{"ledger": "key", **facts})
        return str(done["house_id"])

    @property
    def clerk(self) -> str:
        return f"vc-{self.village}"


def entries(projected: Projector, views: ViewsDatabase, on: date) -> list[dict[str, Any]]:
    projected.catch_up()
    return ledger_entries(views, on)["entries"]


def needs(projected: Projector, views: ViewsDatabase, on: date) -> dict[str, list[str]]:
    projected.catch_up()
    return {h["house_id"]: h["needs"] for h in attention(views, on)["houses"]}


def test_an_entry_found_in_the_sweep_is_overdue_unless_reported_by_30_march(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario)
    late, reported = v.house(date(2023, 3, 1)), v.house(date(2023, 3, 1))
    for house in (late, reported):
        v.act(v.clerk, date(2023, 3, 10), type="report_unsafe_house",
              house={"house_id": house}, suspected_grade="C")
    v.act(v.clerk, date(2023, 3, 28), type="report_to_township", house={"house_id": reported})
    before = {e["house_id"]: e for e in entries(projected, views, date(2023, 3, 30))}
    assert before[late]["report_due"] == "2023-03-30" and not before[late]["overdue"]
    after = {e["house_id"]: e for e in entries(projected, views, date(2023, 3, 31))}
    assert after[late]["overdue"] and not after[reported]["overdue"]
    assert after[late]["found_by"] == "self_report" and after[late]["status"] == "open"


def test_a_disaster_damaged_house_is_due_at_once(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario)
    house = v.house(date(2023, 6, 1))
    v.act(v.clerk, date(2023, 7, 10), type="report_disaster_damage", house={"house_id": house},
          disaster="landslide", suspected_grade="D")
    [entry] = entries(projected, views, date(2023, 7, 12))
    assert entry["report_due"] == "2023-07-11" and entry["overdue"]
    assert entry["found_by"] == "disaster"


def test_a_house_on_the_ledger_or_old_needs_a_patrol_every_month(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario)
    old, young = v.house(date(2023, 1, 5), built_year=1990), v.house(date(2023, 1, 5),
                                                                      built_year=2015)
    v.act(v.clerk, date(2023, 2, 3), type="patrol_house", house={"house_id": old},
          method="visual")
    assert old not in needs(projected, views, date(2023, 2, 20))
    assert needs(projected, views, date(2023, 3, 20))[old] == ["patrol_missing"]
    assert young not in needs(projected, views, date(2023, 3, 20))
    v.act(v.clerk, date(2023, 3, 21), type="patrol_house", house={"house_id": young},
          method="measured", suspected_grade="C")
    assert young not in needs(projected, views, date(2023, 3, 25))
    assert needs(projected, views, date(2023, 4, 2))[young] == ["patrol_missing"]


def test_ningxia_reassesses_old_houses_without_seismic_measures_every_year(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario, "640181100201")
    unsafe = v.house(date(2023, 1, 5), built_year=1995, seismic_measures=False)
    braced = v.house(date(2023, 1, 5), built_year=1995, seismic_measures=True)
    due = needs(projected, views, date(2023, 2, 1))
    assert "reassessment_due" in due[unsafe] and "reassessment_due" not in due.get(braced, [])
    v.act("as-640181", date(2023, 2, 10), type="assess_house", house={"house_id": unsafe},
          grade="B", method="seismic")
    assert "reassessment_due" not in needs(projected, views, date(2023, 12, 1)).get(unsafe, [])
    assert "reassessment_due" in needs(projected, views, date(2024, 2, 11))[unsafe]
    guilin = Village(scenario).house(date(2023, 1, 5), built_year=1980, seismic_measures=False)
    assert "reassessment_due" not in needs(projected, views, date(2023, 2, 1)).get(guilin, [])


def test_elderly_in_an_unsafe_house_stay_open_until_moved(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario)
    house = v.house(date(2023, 1, 5))
    v.act(v.clerk, date(2023, 1, 6), type="record_occupancy", house={"house_id": house},
          elderly_in_unsafe_house=False, two_homes=True)
    assert "elderly_occupancy" in needs(projected, views, date(2023, 1, 7))[house]
    v.act(v.clerk, date(2023, 1, 20), type="resolve_house", house={"house_id": house},
          resolution="moved_to_safe_house")
    assert "elderly_occupancy" not in needs(projected, views, date(2023, 1, 21)).get(house, [])


def test_a_renovated_house_is_resolved_on_acceptance_and_rechecked_a_year_later(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    household = scenario.household()
    v = Village(scenario)
    house = v.house(date(2022, 1, 10), head=household["head"])
    v.act(v.clerk, date(2022, 1, 20), type="patrol_house", house={"house_id": house},
          method="visual", suspected_grade="D")
    commands = scenario.commands(scenario.plan("450321-2022-0001", household=household))
    scenario.run(commands[0])
    v.act(TOWNSHIP, date(2022, 3, 1), type="link_case", house={"house_id": house},
          case_ref="450321-2022-0001")
    for command in commands[1:]:
        scenario.run(command)
    [entry] = entries(projected, views, date(2022, 12, 31))
    assert entry["status"] == "resolved" and entry["resolution"] == "renovated"
    assert entry["case_ref"] == "450321-2022-0001"
    accepted = date.fromisoformat(entry["resolved_on"])
    assert "recheck_due" not in needs(projected, views, date(2023, 1, 31)).get(house, [])
    assert "recheck_due" in needs(projected, views, accepted.replace(year=accepted.year + 1))[
        house]
    projected.rebuild()
    [again] = entries(projected, views, date(2022, 12, 31))
    assert again == entry


def test_zeroing_adds_up_found_is_resolved_plus_outstanding(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    v = Village(scenario)
    houses = [v.house(date(2023, 1, 5), ledger=kind) for kind in ("key", "ordinary", "ordinary")]
    for house in houses:
        v.act(v.clerk, date(2023, 2, 1), type="report_unsafe_house", house={"house_id": house},
              suspected_grade="C")
    v.act(v.clerk, date(2023, 2, 5), type="order_self_repair", house={"house_id": houses[1]})
    v.act(v.clerk, date(2023, 4, 1), type="resolve_house", house={"house_id": houses[1]},
          resolution="self_repaired")
    v.act(ASSESSOR, date(2023, 2, 20), type="assess_house", house={"house_id": houses[2]},
          grade="B", method="overall_danger")
    projected.catch_up()
    counted = zeroing(views, date(2023, 5, 1), by="township")
    assert counted["rows"] == [{"code": "450321100000", "found": 3, "resolved": 2,
                                "outstanding": 1, "overdue": 1}]
    early = zeroing(views, date(2023, 3, 1))["total"]
    assert early == {"found": 3, "resolved": 1, "outstanding": 2, "overdue": 0}
    assert zeroing(views, date(2023, 5, 1), kind="ordinary")["total"]["outstanding"] == 0


@pytest.mark.parametrize(("act", "rule"), [
    ({"type": "patrol_house", "method": "visual", "occurred_on": "2030-01-01"},
     "house.date_not_future"),
    ({"type": "assess_house", "grade": "E", "method": "seismic"}, "input.enum"),
    ({"type": "resolve_house", "resolution": "moved_to_safe_house",
      "house": {"house_id": "00000000-0000-0000-0000-000000000000"}}, "house.exists"),
    ({"type": "link_case", "case_ref": "450321-2022-0009"}, "house.case_same_village"),
    ({"type": "order_self_repair"}, "house.self_repair_ordinary"),
    ({"type": "resolve_house", "resolution": "renovated"}, "house.resolution_recorded"),
    ({"type": "fly_house"}, "input.union_tag_invalid"),
])
def test_bad_acts_are_refused_with_their_rule_and_nothing_is_written(
    scenario: Scenario, runtime: Runtime, act: dict[str, Any], rule: str
) -> None:
    other = Village(scenario, "450321100202")
    household = scenario.household()
    plan = scenario.plan("450321-2022-0009", household=household, village=other.village,
                         stop_after="applied")
    scenario.drive(plan)
    v = Village(scenario)
    house = v.house(date(2022, 1, 10), head=household["head"])
    v.act(v.clerk, date(2022, 1, 20), type="report_unsafe_house", house={"house_id": house},
          suspected_grade="C")
    scenario.clock.business_day(date(2022, 2, 1))
    before = runtime.app.recorder.max_notification_id()
    who = TOWNSHIP if act["type"] == "link_case" else v.clerk
    with pytest.raises(RuleViolation) as refused:
        runtime.houses.act(scenario.principal(who),
                           {"occurred_on": "2022-02-01", "house": {"house_id": house}, **act})
    assert refused.value.rule == rule
    assert runtime.app.recorder.max_notification_id() == before
