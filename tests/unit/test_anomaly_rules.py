"""The collusion and anomaly rules judged from the rows the projection keeps (`rv_fraud_acts`):
each fires on its pattern and stays quiet on the near-miss, including the patterns the demo's
workflow makes expensive to drive (a day of 21 gradings or acceptances)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from renovation.fraud.anomaly import anomaly_findings
from renovation.fraud.anomaly_base import CASES_SHOWN, short_build
from renovation.fraud.tables import ACTS, FACTS
from renovation.projections import ViewsDatabase, open_database
from renovation.projections.ledger_tables import ENTRIES, HOUSES

AS_OF = date(2022, 12, 31)
COUNTY, OTHER = "450321000000", "450323000000"
DAY = date(2022, 10, 10)


class Store:
    """A read-model database holding only the tables the rules read, filled row by row."""

    def __init__(self, db: ViewsDatabase) -> None:
        self.db, self.n = db, 0
        self.t = {s.name: s.define(db.metadata, s.name, 0) for s in (ACTS, FACTS, HOUSES, ENTRIES)}
        db.metadata.create_all(db.engine, tables=list(self.t.values()))

    def case(self, village: str = "450321100201", events: tuple[str, ...] = (),
             **acts: Any) -> str:
        self.n += 1
        ref = f"{village[:6]}-2022-{self.n:04d}"
        items = {name: {"case_ref": ref, "version": k + 1, "position": self.n * 100 + k,
                        "event": name, "occurred_on": "2022-05-01",
                        "recorded_at": "2022-05-01T02:00:00+00:00"}
                 for k, name in enumerate(("applied", *events))}
        county = village[:6].ljust(12, "0")
        row = {"case_id": f"c{self.n:04d}", "case_ref": ref, "programme": "guilin-2022",
               "policy_id": "guilin-2022", "county": county}
        with self.db.engine.begin() as conn:
            conn.execute(self.t[ACTS.name].insert(), {
                **row, "township": village[:9].ljust(12, "0"), "village": village,
                "active": True, "applied_on": date(2022, 3, 1), "assessor": None, "grade": None,
                "graded_on": None, "acceptor": None, "acceptance_on": None, "builder": None,
                "payee": None, "completed_on": None, "short_build": None, **acts})
            conn.execute(self.t[FACTS.name].insert(), {
                **row, "active": True, "accepted_on": None, "paid_yuan": 0, "version": 9,
                "facts": {"ref": ref, "ev": items, "payee_label": "****0019"}})
        return ref

    def house(self, village: str, found: date, resolved: date | None = None) -> None:
        self.n += 1
        house = {"house_id": f"h{self.n:04d}", "village": village,
                 "township": village[:9].ljust(12, "0"), "county": village[:6].ljust(12, "0")}
        with self.db.engine.begin() as conn:
            conn.execute(self.t[HOUSES.name].insert(), {
                **house, "house_no": str(self.n), "head_masked": "张*", "household_ref": "h",
                "ledger": "key", "sole_dwelling": True, "recorded_on": date(2022, 1, 1),
                "entries": 1, "entry_open": resolved is None, "position": self.n})
            conn.execute(self.t[ENTRIES.name].insert(), {
                **house, "entry_no": 1, "ledger": "key", "found_on": found, "found_by": "patrol",
                "suspected_grade": "D", "report_due": found, "fallback": False,
                "resolved_on": resolved, "resolution": "renovated" if resolved else None,
                "position": self.n})

    def found(self, as_of: date = AS_OF, county: str | None = None) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for row in anomaly_findings(self.db, as_of, county, None):
            out.setdefault(row["rule"], []).append(row)
        return out


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = open_database(f"sqlite:///{tmp_path}/views.db")
    yield Store(db)
    db.engine.dispose()


def grade(store: Store, assessor: str, grades: str, on: date = DAY, **more: Any) -> list[str]:
    return [store.case(assessor=assessor, grade=g, graded_on=on + timedelta(days=k % 10),
                       events=("graded",), **more) for k, g in enumerate(grades)]


def test_a_d_share_thirty_points_and_half_again_above_the_rest_of_the_county_is_an_outlier(
    store: Store,
) -> None:
    for county, d_grades in (("450321", 11), ("450323", 12)):
        village = f"{county}100201"
        grade(store, f"as-{county}100", "D" * 6 + "C" * 14, village=village)  # the rest: 30%
        grade(store, f"as-{county}", "D" * d_grades + "C" * (20 - d_grades), village=village)
    [hit] = store.found()["assessor_outlier"]  # 55% is 25 points above 30%; 60% is 30
    assert hit["subject"] == "assessor:as-450323" and len(hit["case_refs"]) == 12
    assert "D 级 12 户（60%），同县其他鉴定 20 户中 D 级占 30%" in hit["explanation_zh"]
    assert {e["event"] for e in hit["evidence"]} == {"graded"}


def test_too_few_gradings_or_no_other_assessor_in_the_county_is_not_judged(store: Store) -> None:
    grade(store, "as-450321", "D" * 20)  # alone in the county: no baseline to compare with
    assert store.found() == {}
    grade(store, "as-450321100", "C" * 19)  # a baseline, but of 19 gradings
    grade(store, "as-450323", "D" * 19, village="450323100201")  # 100% D, but 19 gradings
    grade(store, "as-450323100", "C" * 20, village="450323100201")
    assert store.found() == {}
    grade(store, "as-450321100", "C")
    [hit] = store.found()["assessor_outlier"]
    assert hit["subject"] == "assessor:as-450321"


def test_more_than_twenty_gradings_by_one_assessor_in_a_day_is_an_outlier(store: Store) -> None:
    for _ in range(20):
        store.case(assessor="as-450321100", grade="C", graded_on=DAY, events=("graded",))
    assert store.found() == {}
    store.case(assessor="as-450321100", grade="C", graded_on=DAY, events=("graded",))
    [hit] = store.found()["assessor_outlier"]
    assert hit["subject"] == f"assessor:as-450321100:{DAY}" and len(hit["case_refs"]) == 21


def test_more_than_twenty_acceptances_led_in_a_day_is_an_overload(store: Store) -> None:
    for _ in range(20):
        store.case(acceptor="ci-450321", acceptance_on=DAY, events=("acceptance",))
    assert store.found() == {}
    store.case(acceptor="ci-450321", acceptance_on=DAY, events=("acceptance",))
    [hit] = store.found()["acceptance_overload"]
    assert "21 户，分布在 1 个乡镇" in hit["explanation_zh"]
    assert {e["event"] for e in hit["evidence"]} == {"acceptance"}


def test_acts_after_the_day_asked_about_do_not_count(store: Store) -> None:
    for township in range(4):
        store.case(f"4503211{township:02d}201", acceptor="ci-450321", acceptance_on=DAY,
                   events=("acceptance",))
    assert store.found(DAY - timedelta(days=1)) == {}
    assert len(store.found(DAY)["acceptance_overload"]) == 1


def test_a_finding_lists_fifty_cases_and_counts_them_all(store: Store) -> None:
    for _ in range(CASES_SHOWN + 10):
        store.case(acceptor="ci-450321", acceptance_on=DAY, events=("acceptance",))
    [hit] = store.found()["acceptance_overload"]
    assert len(hit["case_refs"]) == len(hit["evidence"]) == CASES_SHOWN
    assert f"一天验收 {CASES_SHOWN + 10} 户" in hit["explanation_zh"]


def build(store: Store, villages: list[str], quick: int, **who: str) -> None:
    for k, village in enumerate(villages):
        store.case(village, completed_on=DAY, short_build=k < quick,
                   events=("agreement", "started", "completed"), **who)


SIX = [f"4503211{k % 3:02d}2{k:02d}" for k in range(6)]
"""Six villages of three townships."""


def test_a_builders_quick_builds_are_concentrated_only_from_six_in_three_townships(
    store: Store,
) -> None:
    build(store, SIX[:5], quick=5, builder="GJ-7")  # five builds
    build(store, [v[:8] + "0" + v[9:] for v in SIX], quick=6, builder="GJ-8")  # one township
    build(store, SIX, quick=2, builder="GJ-9")  # two of six short: the median build is long
    assert store.found() == {}
    build(store, SIX[:1], quick=1, builder="GJ-7")
    [hit] = store.found()["builder_concentration"]
    assert hit["subject"] == "builder:GJ-7" and len(hit["case_refs"]) == 6
    assert "施工方（证号 GJ-7）在 3 个乡镇完工 6 户，其中 6 户" in hit["explanation_zh"]


def test_one_payee_account_across_two_counties_is_one_finding_from_either_county(
    store: Store,
) -> None:
    build(store, SIX[:4], quick=2, payee="payee-ref")
    build(store, ["450323100201"], quick=0, payee="payee-ref")
    assert store.found(county=OTHER) == {}  # five builds
    build(store, ["450323101201"], quick=1, payee="payee-ref")  # six, three of them short
    by_county = [store.found(county=c)["builder_concentration"] for c in (COUNTY, OTHER, None)]
    assert by_county[0] == by_county[1] == by_county[2] and len(by_county[0]) == 1
    [hit] = by_county[0]
    assert "统建/代建收款账户 ****0019在 5 个乡镇完工 6 户" in hit["explanation_zh"]
    assert "payee-ref" not in str(hit) and len(hit["evidence"]) == 18
    assert store.found(county="450381000000") == {}


def test_a_build_is_short_below_the_policys_days_for_its_mode() -> None:
    def case(mode: str, days: int) -> dict[str, Any]:
        return {"policy": "guilin-2022", "mode": mode, "started_on": "2022-07-01",
                "completed_on": (date(2022, 7, 1) + timedelta(days=days)).isoformat()}
    assert short_build(case("rebuild_in_place", 59)) and not short_build(case("relocate", 60))
    assert short_build(case("reinforce", 19)) and not short_build(case("reinforce", 20))
    assert short_build(case("swap", 1)) is False  # no threshold for the mode
    assert short_build({"policy": "guilin-2022", "mode": "reinforce"}) is None


def apply(store: Store, village: str, count: int, **acts: Any) -> None:
    for _ in range(count):
        store.case(village, **acts)


def test_applications_beyond_twice_the_villages_ledger_are_a_finding(store: Store) -> None:
    village = "450321100201"
    for _ in range(5):
        store.house(village, date(2022, 1, 10))
    store.house(village, date(2021, 5, 1), resolved=date(2021, 12, 31))  # before the year
    store.house(village, date(2023, 1, 5))  # after it
    apply(store, village, 10)
    apply(store, village, 3, active=False)  # withdrawn or rejected: not counted
    assert store.found() == {}
    apply(store, village, 1)
    [hit] = store.found()["applications_exceed_survey"]
    assert hit["subject"] == f"village:{village}" and len(hit["case_refs"]) == 11
    assert "11 户有效申请，台账中 2022 年在册危房仅 5 户" in hit["explanation_zh"]


def test_no_ledger_in_the_county_is_not_judged_and_a_village_without_one_counts_none(
    store: Store,
) -> None:
    apply(store, "450321100201", 10)
    apply(store, "450323100201", 9)
    store.house("450323101201", date(2022, 1, 10))
    assert store.found() == {}  # 450321: no ledger at all; 450323: nine applications
    store.house("450321105201", date(2022, 2, 1))
    [hit] = store.found()["applications_exceed_survey"]
    assert hit["subject"] == "village:450321100201" and "仅 0 户" in hit["explanation_zh"]
