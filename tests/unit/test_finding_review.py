"""Who may decide a finding: nobody who acted on its cases; a decision is changed only by
another reviewer from a more senior level (county → city → province)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from renovation.aggregates.base import Actor
from renovation.aggregates.finding import (
    Decision,
    FindingAlreadyDecidedError,
    FindingReview,
    ReviewerNotImpartialError,
    ReviewerNotSeniorError,
)
from renovation.kernel.staff import identity_keys
from renovation.kernel.vocabulary import Role

DAY = date(2022, 12, 20)


def inspector(staff_id: str, code: str, person_ref: str | None = None) -> Actor:
    return Actor(id=staff_id, role=Role.DISCIPLINE_INSPECTOR, jurisdiction=code,
                 person_ref=person_ref)


COUNTY = inspector("dj-450323", "450323000000")
CITY = inspector("dj-4503", "450300000000")
PROVINCE = inspector("dj-45", "450000000000")


def opened(by: Actor = COUNTY, involved: frozenset[str] = frozenset()) -> FindingReview:
    return FindingReview.open(finding_id=uuid4(), rule="short_paid", case_refs=("c-1",),
                              decision=Decision.DISMISSED, reason="已核实无误", actor=by,
                              occurred_on=DAY, involved=involved)


def test_an_officer_who_acted_on_a_case_of_the_finding_cannot_review_it() -> None:
    involved = identity_keys("fi-450323") | identity_keys("ap-x", "9" * 64)
    for who in (inspector("FI-450323", "450323000000"),
                inspector("dj-other", "450323000000", person_ref="9" * 64)):
        with pytest.raises(ReviewerNotImpartialError) as caught:
            opened(who, involved)
        assert caught.value.rule == "finding.reviewer_not_involved"
    review = opened(COUNTY)
    with pytest.raises(ReviewerNotImpartialError):
        review.decide(Decision.CONFIRMED, "复核查实", CITY, DAY, identity_keys("DJ-4503"))


def test_the_same_reviewer_cannot_reverse_their_own_decision() -> None:
    review = opened(CITY)
    with pytest.raises(ReviewerNotImpartialError) as caught:
        review.decide(Decision.CONFIRMED, "改为查实", inspector("Dj-4503", "450300000000"), DAY,
                      frozenset())
    assert caught.value.rule == "finding.change_by_another_reviewer"


def test_a_decision_is_changed_only_from_a_more_senior_level() -> None:
    review = opened(CITY)
    for peer in (inspector("dj-4503b", "450300000000"), COUNTY):
        with pytest.raises(ReviewerNotSeniorError) as caught:
            review.decide(Decision.CONFIRMED, "改为查实", peer, DAY, frozenset())
        assert caught.value.rule == "finding.change_by_senior_reviewer"
    review.decide(Decision.CONFIRMED, "省级复核查实", PROVINCE, DAY, frozenset())
    assert review.decision is Decision.CONFIRMED
    with pytest.raises(ReviewerNotSeniorError):
        review.decide(Decision.DISMISSED, "再次排除", inspector("dj-45b", "450000000000"), DAY,
                      frozenset())


def test_county_then_city_then_province_may_each_change_it() -> None:
    review = opened(COUNTY)
    review.decide(Decision.CONFIRMED, "市级复核查实", CITY, DAY, frozenset())
    review.decide(Decision.DISMISSED, "省级复核排除", PROVINCE, DAY, frozenset())
    assert review.decision is Decision.DISMISSED and review.version == 3


def test_the_same_decision_twice_is_still_refused() -> None:
    review = opened(COUNTY)
    with pytest.raises(FindingAlreadyDecidedError):
        review.decide(Decision.DISMISSED, "再次排除", CITY, DAY, frozenset())
