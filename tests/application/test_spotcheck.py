"""The city's spot check through the service: recorded with its inputs, re-verifiable, refused
(writing nothing) when unusable, unauthorised or drawn twice."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from renovation.aggregates.spotcheck import SpotCheckDraw, spot_check_draw_id
from renovation.aggregates.staff import Grant
from renovation.application.directory import NewMember, Principal
from renovation.application.spotcheck import SpotCheckService
from renovation.audit.records import read_records
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError, RuleViolation
from renovation.kernel.vocabulary import Role
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, store_fingerprint
from tests.support.raw_store import RawStore
from tests.support.spotcheck import (
    COUNTY,
    DRAWN_ON,
    INSPECTOR,
    OTHER_SEED,
    PROGRAMME,
    SEED,
    Leaving,
    accept,
    read_model,
    ref,
    service,
    spot_check_projector,
)

CASES = range(1, 25)


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    accept(scenario, CASES)
    return scenario


@pytest.fixture
def projector(scenario: Scenario, views: ViewsDatabase) -> Projector:
    projector = spot_check_projector(scenario, views)
    projector.catch_up()
    return projector


@pytest.fixture
def checks(scenario: Scenario, views: ViewsDatabase, projector: Projector) -> SpotCheckService:
    return service(scenario, read_model(views))


@pytest.fixture
def inspector(scenario: Scenario) -> Principal:
    """The city inspector, signed in."""
    return scenario.principal(INSPECTOR)


def member(staff_id: str, role: Role, jurisdiction: str) -> NewMember:
    return NewMember(staff_id, "李娜", role, jurisdiction, valid_from=date(2022, 1, 1))


def test_a_draw_is_recorded_as_one_event_carrying_its_inputs(
    scenario: Scenario, checks: SpotCheckService, inspector: Principal
) -> None:
    drawn = checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    [record] = read_records(scenario.rt.app, spot_check_draw_id(PROGRAMME, COUNTY, 1))
    event = scenario.rt.app.mapper.to_domain_event(record.stored_event())
    assert isinstance(event, SpotCheckDraw.SpotCheckDrawn)
    assert record.position == drawn.position
    assert (event.programme, event.county, event.round, event.ratio, event.seed_hex) == (
        PROGRAMME, COUNTY, 1, "0.10", SEED)
    assert [c.case_ref for c in event.population] == [ref(n) for n in CASES]
    assert {c.township for c in event.population} == {"450321100000", "450321101000"}
    assert (event.actor.id, event.actor.role, event.actor.jurisdiction, event.occurred_on) == (
        INSPECTOR, Role.CITY_INSPECTOR, "450300000000", DRAWN_ON)
    assert event.actor.recorded_by == INSPECTOR
    assert event.selected == drawn.selected and len(drawn.selected) >= drawn.required == 3
    assert [(t.accepted, t.drawn) for t in event.townships] == [(12, 2), (12, 2)]
    assert drawn.draw_ref == "SC/guilin-2022/450321/1"


def test_a_recorded_draw_reverifies(
    checks: SpotCheckService, projector: Projector, inspector: Principal
) -> None:
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    projector.catch_up()
    result = checks.verify(PROGRAMME, COUNTY, seed_hex=SEED.upper())
    assert result.ok, result.mismatches
    assert result.to_dict()["mismatches"] == []


def test_verify_names_a_seed_other_than_the_recorded_one(
    checks: SpotCheckService, projector: Projector, inspector: Principal
) -> None:
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    projector.catch_up()
    result = checks.verify(PROGRAMME, COUNTY, seed_hex=OTHER_SEED)
    assert not result.ok
    assert {m.kind for m in result.mismatches} == {
        "seed_differs", "draw_seed_differs", "selection_differs"}


def test_verify_detects_a_seed_changed_in_the_store(
    scenario: Scenario, checks: SpotCheckService, projector: Projector, inspector: Principal
) -> None:
    draw_id = spot_check_draw_id(PROGRAMME, COUNTY, 1)
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    projector.catch_up()
    store = RawStore(scenario.rt.settings.db)
    [(state,)] = store.run("SELECT state FROM {events} WHERE originator_id = ?",
                           store.uuid(draw_id))
    data = orjson.loads(bytes(state))
    data["seed_hex"] = OTHER_SEED
    store.run("UPDATE {events} SET state = ? WHERE originator_id = ?", orjson.dumps(data),
              store.uuid(draw_id))
    kinds = {m.kind for m in checks.verify(PROGRAMME, COUNTY).mismatches}
    assert kinds == {"draw_seed_differs", "selection_differs"}


def test_verify_names_an_accepted_case_missing_from_the_population(
    scenario: Scenario, views: ViewsDatabase, projector: Projector, inspector: Principal
) -> None:
    manipulated = service(scenario, Leaving(read_model(views), {ref(7)}))
    manipulated.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    projector.catch_up()
    result = service(scenario, read_model(views)).verify(PROGRAMME, COUNTY)
    assert [(m.kind, m.refs) for m in result.mismatches] == [
        ("accepted_case_missing", (ref(7),))]


def test_a_case_accepted_after_the_draw_is_not_missing_from_it(
    scenario: Scenario, checks: SpotCheckService, projector: Projector, inspector: Principal
) -> None:
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    accept(scenario, [99])
    projector.catch_up()
    assert checks.verify(PROGRAMME, COUNTY).ok


def test_verify_waits_for_a_read_model_that_has_not_read_the_draw(
    checks: SpotCheckService, inspector: Principal
) -> None:
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    with pytest.raises(RuleViolation) as refused:
        checks.verify(PROGRAMME, COUNTY)
    assert refused.value.rule == "spotcheck.read_model_current"


def test_a_round_is_drawn_once_and_again_only_as_a_new_round(
    scenario: Scenario, checks: SpotCheckService, inspector: Principal
) -> None:
    checks.draw(inspector, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        checks.draw(inspector, PROGRAMME, COUNTY, OTHER_SEED, DRAWN_ON)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "spotcheck.round_already_drawn", "round", 1)
    assert store_fingerprint(scenario.rt) == before
    assert checks.draw(inspector, PROGRAMME, COUNTY, OTHER_SEED, DRAWN_ON, round=2).round == 2


@pytest.mark.parametrize(("staff_id", "error", "rule"), [
    ("ci-450321", NotAuthorizedError, "authorization.role_action"),  # the county's inspector
    ("ci-4504", OutsideJurisdictionError, "authorization.jurisdiction"),  # another city's
])
def test_only_the_city_may_draw_its_counties(
    scenario: Scenario, checks: SpotCheckService, staff_id: str, error: type, rule: str
) -> None:
    other_city = member("ci-4504", Role.CITY_INSPECTOR, "450400000000")
    scenario.rt.staff.register_many(Principal.local(), [other_city])
    before = store_fingerprint(scenario.rt)
    with pytest.raises(error) as refused:
        checks.draw(scenario.principal(staff_id), PROGRAMME, COUNTY, SEED, DRAWN_ON)
    assert refused.value.rule == rule
    assert store_fingerprint(scenario.rt) == before


def test_a_city_inspector_is_never_one_of_a_county(
    scenario: Scenario, checks: SpotCheckService
) -> None:
    """The role is held for a city: the directory refuses to grant it for a county, and a
    principal carrying such a grant anyway (no door builds one) is refused the draw."""
    with pytest.raises(RuleViolation) as refused:
        scenario.rt.staff.register(
            Principal.local(), member("cy-450321", Role.CITY_INSPECTOR, COUNTY))
    assert (refused.value.rule, refused.value.value) == ("staff.role_level", COUNTY)
    forged = Principal("cy-450321", grants=(Grant(
        grant_no=1, role=Role.CITY_INSPECTOR, jurisdiction=COUNTY, valid_from=date(2022, 1, 1)),))
    before = store_fingerprint(scenario.rt)
    with pytest.raises(NotAuthorizedError) as level:
        checks.draw(forged, PROGRAMME, COUNTY, SEED, DRAWN_ON)
    assert (level.value.rule, level.value.value) == ("authorization.role_level", COUNTY)
    assert store_fingerprint(scenario.rt) == before


def test_a_programme_manager_may_draw(scenario: Scenario, checks: SpotCheckService) -> None:
    assert checks.draw(scenario.manager, PROGRAMME, COUNTY, SEED, DRAWN_ON).drawn_by == "pm-4503"


@pytest.mark.parametrize(("change", "rule", "field", "value"), [
    ({"county": "450321100000"}, "spotcheck.county_code", "county", "450321100000"),
    ({"county": "450322000000"}, "spotcheck.population_empty", "population", "450322000000"),
    ({"seed_hex": "3c" * 8}, "spotcheck.seed_hex", "seed_hex", "3c" * 8),
    ({"seed_hex": "not-hex" * 6}, "spotcheck.seed_hex", "seed_hex", "not-hex" * 6),
    ({"ratio": "1.5"}, "spotcheck.ratio", "ratio", "1.5"),
    ({"ratio": "0.05"}, "spotcheck.ratio_at_least_policy", "ratio", "0.05"),
    ({"round": 0}, "spotcheck.round", "round", 0),
    ({"programme": "guilin-2031"}, "programme.known", "payload.programme_id", "guilin-2031"),
    ({"occurred_on": date(2022, 12, 6)}, "dates.not_in_future", "occurred_on", "2022-12-06"),
])
def test_unusable_input_is_refused_naming_rule_field_and_value(
    scenario: Scenario, checks: SpotCheckService, inspector: Principal, change: dict[str, object],
    rule: str, field: str, value: object,
) -> None:
    arguments: dict[str, object] = {
        "principal": inspector, "programme": PROGRAMME, "county": COUNTY, "seed_hex": SEED,
        "occurred_on": DRAWN_ON, **change}
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        checks.draw(**arguments)  # type: ignore[arg-type]
    assert (refused.value.rule, refused.value.field, refused.value.value) == (rule, field, value)
    assert store_fingerprint(scenario.rt) == before


def test_verifying_a_round_never_drawn_is_refused(checks: SpotCheckService) -> None:
    with pytest.raises(RuleViolation) as refused:
        checks.verify(PROGRAMME, COUNTY, round=3)
    assert refused.value.rule == "spotcheck.draw_exists"
