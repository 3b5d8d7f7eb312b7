"""Every command checks the actor's role and that the case lies inside the actor's jurisdiction."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from renovation.application.authorization import ROLE_LEVELS, Authorizer
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError, RuleViolation
from renovation.kernel.jurisdiction import level_of
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, store_fingerprint

CASE = "450321-2022-0001"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
    return scenario


def approval(scenario: Scenario, actor: dict[str, str]) -> dict[str, object]:
    command = scenario.command("grant_county_approval", CASE, "approver", date(2022, 6, 1), {})
    return {**command, "actor": actor}


def refused(scenario: Scenario, command: dict[str, object]) -> RuleViolation:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as caught:
        scenario.run(command)  # type: ignore[arg-type]
    assert store_fingerprint(scenario.rt) == before
    return caught.value


def test_a_role_may_only_perform_its_own_acts(scenario: Scenario) -> None:
    clerk = {"id": "vc-1", "role": "village_clerk", "jurisdiction": "450321100201"}
    error = refused(scenario, approval(scenario, clerk))
    assert isinstance(error, NotAuthorizedError)
    assert (error.rule, error.field, error.value) == (
        "authorization.role_action",
        "actor.role",
        "village_clerk",
    )


def test_a_county_officer_cannot_act_in_another_county(scenario: Scenario) -> None:
    neighbour = {"id": "ap-450322", "role": "county_officer", "jurisdiction": "450322000000"}
    error = refused(scenario, approval(scenario, neighbour))
    assert isinstance(error, OutsideJurisdictionError)
    assert (error.rule, error.value) == ("authorization.jurisdiction", "450322000000")


def test_a_role_is_held_from_its_own_administrative_level(scenario: Scenario) -> None:
    city_level = {"id": "ap-4503", "role": "county_officer", "jurisdiction": "450300000000"}
    error = refused(scenario, approval(scenario, city_level))
    assert error.rule == "authorization.role_level"


def test_a_village_clerk_posts_village_notices_but_not_county_ones(scenario: Scenario) -> None:
    command = scenario.command(
        "post_notice",
        CASE,
        "clerk",
        date(2022, 6, 1),
        {"level": "township", "notice_no": "N-1", "location": "乡政府公示栏", "planned_days": 7},
    )
    error = refused(scenario, command)
    assert (error.rule, error.value) == ("authorization.role_action", "village_clerk")


def test_a_discipline_inspector_reads_but_records_nothing(scenario: Scenario) -> None:
    inspector = {"id": "jj-45", "role": "discipline_inspector", "jurisdiction": "450000000000"}
    error = refused(scenario, approval(scenario, inspector))
    assert error.rule == "authorization.role_action"


CODES = ("450000000000", "450300000000", "450321000000", "450323000000", "450321100000",
         "450321100201", "450321101202", "450381102203", "640000000000")


def test_every_decision_agrees_with_the_casbin_model() -> None:
    authorizer = Authorizer()
    actions = sorted({a for role in Role for a in authorizer.actions_of(role)} | {"unknown"})
    seen = set()
    for role, action, jurisdiction, case in product(Role, actions, CODES, CODES):
        if level_of(jurisdiction) not in ROLE_LEVELS[role]:
            continue  # refused before the model is asked
        try:
            authorizer.authorize(role, jurisdiction, action, case)
            allowed = True
        except (NotAuthorizedError, OutsideJurisdictionError):
            allowed = False
        assert allowed == authorizer.enforce(role, action, jurisdiction, case), (
            role, action, jurisdiction, case)
        seen.add(allowed)
    assert seen == {True, False}
