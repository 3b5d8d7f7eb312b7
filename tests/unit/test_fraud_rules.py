"""The rules the aggregate already guards still judge events written elsewhere (an older version,
another system's import): each fires on its pattern and not on the near-miss."""

from __future__ import annotations

from typing import Any

import pytest

from renovation.fraud.case_rules import CASE_RULES, Hit
from renovation.fraud.groups import GROUP_RULES


def ev(name: str, version: int, on: str = "2022-05-01") -> dict[str, Any]:
    return {"case_ref": "450321-2022-0001", "county": "450321000000", "case_id": "c1",
            "version": version, "position": 100 + version, "event": name, "occurred_on": on,
            "recorded_at": f"{on}T02:00:00+00:00"}


def closed_case(**changes: Any) -> dict[str, Any]:
    """The facts of an ordinary closed case, as the projection keeps them."""
    f: dict[str, Any] = {
        "ref": "450321-2022-0001", "programme": "guilin-2022", "policy": "guilin-2022",
        "county": "450321000000", "head": "h1", "persons": ["h1", "m1"], "size": 2,
        "reentry": False, "mode": "rebuild_in_place", "lag0": 0, "notices": {},
        "requests": {}, "late": [], "insiders": [], "notice_issues": [], "early_pay": [],
        "payee_issues": [], "late_pay": [], "pay_ev": [ev("PaymentDisbursed", 20)],
        "paid": 18500, "final_paid": True, "grade": "C", "no_house": False,
        "cert_until": None, "certified": True, "reviewer": "tw-1", "approver": "ap-1",
        "team": ["ci-1", "cj-1"], "approved_yuan": 18500, "payee": None, "account": "a1",
        "phone": "p1", "demolished": True, "closed": True, "active": True, "flags": {},
        "started_on": "2022-07-01", "completed_on": "2022-09-01", "area": "40.00",
        "ev": {"certified": ev("CategoryCertified", 2), "graded": ev("HouseGraded", 3),
               "reviewed": ev("TownshipReviewed", 6), "approved": ev("CountyApprovalGranted", 9),
               "agreement": ev("AgreementSigned", 12), "started": ev("ConstructionStarted", 14),
               "completed": ev("ConstructionCompleted", 16),
               "accepted": ev("CountyAcceptanceRecorded", 17), "closed": ev("CaseClosed", 21)},
    }
    f.update(changes)
    return f


def judged(f: dict[str, Any]) -> dict[str, Hit]:
    return {rule: hit for rule, judge in CASE_RULES.items() if (hit := judge(f)) is not None}


def test_an_ordinary_closed_case_breaks_no_rule() -> None:
    assert judged(closed_case()) == {}


CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("paid_before_acceptance",
     {"early_pay": [{**ev("PaymentRequested", 15), "tranche": "final", "yuan": 18500}]},
     {"early_pay": []}),
    ("over_paid", {"paid": 18501}, {"paid": 18500}),
    ("short_paid", {"paid": 18499}, {"paid": 18499, "final_paid": False, "closed": False}),
    ("payee_mismatch", {"payee_issues": [{**ev("PaymentRequested", 18), "payee": "****9"}]},
     {"payee_issues": []}),
    ("duties_not_separated", {"reviewer": "ap-1"}, {"reviewer": "tw-2"}),
    ("duties_not_separated", {"team": ["ap-1", "cj-1"]}, {"team": ["ci-2", "cj-1"]}),
    ("duties_not_separated", {"insiders": [ev("TownshipReviewed", 6)]}, {"insiders": []}),
    ("notice_irregular", {"notice_issues": [{**ev("PublicNoticeClosed", 5), "why": "village:5<7"}]},
     {"notice_issues": []}),
    ("built_before_approval",
     {"ev": {**closed_case()["ev"], "agreement": ev("AgreementSigned", 15)}},
     {"ev": {**closed_case()["ev"], "agreement": ev("AgreementSigned", 13)}}),
    ("not_demolished", {"demolished": False}, {"demolished": False, "mode": "reinforce"}),
    ("approved_ineligible", {"grade": "B"}, {"grade": "B", "no_house": True}),
    ("approved_ineligible", {"certified": False}, {"cert_until": "2022-05-01"}),
    ("approved_ineligible", {"cert_until": "2022-04-30"}, {"cert_until": "2022-05-01"}),
    ("area_out_of_bounds", {"area": "29.99"}, {"area": "30.00"}),
    ("paid_but_check_failed", {"check": {**ev("CitySpotCheckRecorded", 22), "passed": False,
                                         "findings": ["墙体开裂"]}},
     {"check": {**ev("CitySpotCheckRecorded", 22), "passed": True, "findings": []}}),
    ("completed_too_fast", {"completed_on": "2022-07-11"},
     {"completed_on": "2022-07-11", "mode": "reinforce"}),
]


@pytest.mark.parametrize(("rule", "fires", "near_miss"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_each_guarded_rule_fires_on_its_pattern_and_not_on_the_near_miss(
    rule: str, fires: dict[str, Any], near_miss: dict[str, Any]
) -> None:
    hit = judged(closed_case(**fires))
    assert set(hit) == {rule}
    assert hit[rule].evidence and hit[rule].zh and hit[rule].en
    assert judged(closed_case(**near_miss)) == {}


def key(case: str, head: str, position: int, reentry: bool = False, **extra: Any) -> dict[str, Any]:
    return {"kind": "person", "value": "v" * 64, "case_id": case, "case_ref": f"ref-{case}",
            "head": head, "reentry": reentry, "label": "450321********0011", "active": True,
            "programme": "guilin-2022", "policy": "guilin-2022", "county": "450321000000",
            "version": 1, "position": position, "event": "ApplicationSubmitted",
            "occurred_on": "2022-03-01", "recorded_at": "2022-03-01T02:00:00+00:00", **extra}


def test_the_same_household_again_under_the_reentry_rule_is_no_duplicate() -> None:
    rows = [key("c1", "h1", 1), key("c2", "h1", 9, reentry=True)]
    assert GROUP_RULES["person"](rows) is None
    assert GROUP_RULES["person"]([rows[0], {**rows[1], "reentry": False}]) is not None


@pytest.mark.parametrize("kind", ["account", "phone"])
def test_one_household_keeping_its_account_or_phone_across_cases_shares_it_with_nobody(
    kind: str,
) -> None:
    assert GROUP_RULES[kind]([key("c1", "h1", 1), key("c2", "h1", 9)]) is None
    assert GROUP_RULES[kind]([key("c1", "h1", 1), key("c2", "h2", 9)]) is not None


def test_a_photo_filed_twice_within_one_case_is_not_reuse() -> None:
    assert GROUP_RULES["evidence"]([key("c1", "h1", 1), key("c1", "h1", 5)]) is None
