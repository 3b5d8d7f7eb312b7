"""Every act is authorised: the acting official's role × action × jurisdiction, through the
application service, against a table written from the procedure (not from the policy file)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import product
from typing import Any

import pytest

from renovation.application.authorization import ROLE_LEVELS, Authorizer
from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError, RuleViolation
from renovation.kernel.jurisdiction import level_of
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, sqlite_scenario, store_fingerprint

CASE = "450321-2022-0001"
VILLAGE = "450321100201"
ON = date(2022, 6, 1)

# What each role may do, as the procedure assigns the acts (seed 004 §二, §四; 建村〔2018〕115号).
ACTS: dict[Role, set[str]] = {
    Role.VILLAGE_CLERK: {"submit_application", "hold_democratic_review", "post_notice:village",
                         "close_notice:village", "withdraw_case"},
    Role.CIVIL_AFFAIRS_OFFICER: {"certify_category"},
    Role.RURAL_REVITALIZATION_OFFICER: {"certify_category"},
    Role.ASSESSOR: {"grade_house"},
    Role.TOWNSHIP_OFFICER: {"record_no_house", "post_notice:township", "close_notice:township",
                            "review_at_township", "reject_case:township", "withdraw_case",
                            "sign_agreement", "start_construction", "report_progress",
                            "complete_construction", "record_demolition", "correct_data",
                            "assess_means"},
    Role.COUNTY_OFFICER: {"grant_county_approval", "reject_case:county", "post_notice:county",
                          "close_notice:county", "withdraw_case", "request_payment",
                          "close_case", "correct_data"},
    Role.COUNTY_INSPECTOR: {"record_county_acceptance"},
    Role.CITY_INSPECTOR: {"record_city_spot_check"},
    Role.PROVINCIAL_INSPECTOR: {"record_provincial_acceptance"},
    Role.FINANCE_OFFICER: {"disburse_payment"},
    Role.DISCIPLINE_INSPECTOR: set(),
    Role.PROGRAMME_MANAGER: set(),
    Role.INTEGRATOR: set(),
    Role.ADMINISTRATOR: set(),
}
# Acts other than case commands, through the pipeline every service uses.
READS: dict[Role, set[str]] = {
    Role.VILLAGE_CLERK: {"view_history", "record_acts"},
    Role.CIVIL_AFFAIRS_OFFICER: {"record_acts"},
    Role.RURAL_REVITALIZATION_OFFICER: {"record_acts"},
    Role.ASSESSOR: {"record_acts"},
    Role.TOWNSHIP_OFFICER: {"view_history", "record_acts"},
    Role.COUNTY_OFFICER: {"view_history", "export_dossier", "unmask", "record_acts",
                          "search_identity", "erase_personal_data"},
    Role.COUNTY_INSPECTOR: {"view_history", "export_dossier", "unmask", "record_acts",
                            "search_identity"},
    Role.CITY_INSPECTOR: {"view_history", "export_dossier", "review_finding", "draw_spot_check",
                          "record_acts", "view_findings"},
    Role.PROVINCIAL_INSPECTOR: {"view_history", "export_dossier", "review_finding",
                                "record_acts", "view_findings"},
    Role.FINANCE_OFFICER: {"record_acts"},
    Role.DISCIPLINE_INSPECTOR: {"view_history", "export_dossier", "unmask", "review_finding",
                                "view_findings", "search_identity"},
    Role.PROGRAMME_MANAGER: {"open_programme", "allocate_programme", "draw_spot_check",
                             "view_history", "record_acts", "view_findings",
                             "erase_personal_data"},
    Role.INTEGRATOR: {"read_event_feed"},
    Role.ADMINISTRATOR: {"manage_users"},
}
for _reader in (Role.VILLAGE_CLERK, Role.CIVIL_AFFAIRS_OFFICER, Role.RURAL_REVITALIZATION_OFFICER,
                Role.ASSESSOR, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.COUNTY_INSPECTOR,
                Role.CITY_INSPECTOR, Role.PROVINCIAL_INSPECTOR, Role.FINANCE_OFFICER,
                Role.DISCIPLINE_INSPECTOR, Role.PROGRAMME_MANAGER):
    READS[_reader] |= {"view_reports", "view_cases"}  # the dashboards and the case list
MONITORING: dict[Role, set[str]] = {  # 农房安全动态监测, docs/monitoring.md
    Role.VILLAGE_CLERK: {"monitor_houses", "report_house_to_township", "view_ledgers"},
    Role.TOWNSHIP_OFFICER: {"monitor_houses", "link_house_case", "view_ledgers"},
    Role.ASSESSOR: {"assess_house"},
    Role.COUNTY_OFFICER: {"link_house_case", "view_ledgers"},
    **{role: {"view_ledgers"} for role in (
        Role.COUNTY_INSPECTOR, Role.CITY_INSPECTOR, Role.PROVINCIAL_INSPECTOR,
        Role.DISCIPLINE_INSPECTOR, Role.PROGRAMME_MANAGER)},
}
TIPOFFS: dict[Role, set[str]] = {  # 举报投诉, docs/tipoffs.md
    **{role: {"lodge_tipoff"} for role in (
        Role.VILLAGE_CLERK, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER)},
    Role.DISCIPLINE_INSPECTOR: {"lodge_tipoff", "handle_tipoff", "view_tipoffs"},
    **{role: {"handle_tipoff", "view_tipoffs"} for role in (
        Role.CITY_INSPECTOR, Role.PROVINCIAL_INSPECTOR)},
}
REGISTRIES: dict[Role, set[str]] = {  # 参照数据, docs/registries.md
    role: {"import_registries"} for role in (
        Role.PROGRAMME_MANAGER, Role.CIVIL_AFFAIRS_OFFICER, Role.RURAL_REVITALIZATION_OFFICER)}
for _extra in (MONITORING, TIPOFFS, REGISTRIES):
    for _role, _actions in _extra.items():
        READS[_role] |= _actions
OTHER_ACTIONS = sorted({a for acts in READS.values() for a in acts})
PAYLOADS: dict[str, dict[str, Any]] = {
    "submit_application": {},  # built from a simulated household below
    "certify_category": {"department": "civil_affairs", "certificate_no": "C-1"},
    "grade_house": {"grade": "D", "method": "overall_danger", "report_no": "R-1",
                    "assessor": {"name": "李工", "organisation": "县房屋安全鉴定站"}},
    "record_no_house": {"basis": "无房"},
    "hold_democratic_review": {"votes": {"meeting_type": "representatives_meeting",
                                         "eligible": 30, "attended": 25, "votes_for": 20,
                                         "votes_against": 5, "abstentions": 0}},
    "post_notice": {"notice_no": "N-1", "location": "公示栏", "planned_days": 7},
    "close_notice": {},
    "review_at_township": {"decision": "approved", "opinion": "符合", "home_visited": True},
    "assess_means": {"self_funding": "weak", "basis": "入户核实"},
    "grant_county_approval": {},
    "reject_case": {"reason": "不符合条件"},
    "withdraw_case": {"reason": "农户自愿撤回"},
    "sign_agreement": {"agreement_no": "A-1", "renovation_mode": "rebuild_in_place",
                       "construction_mode": "self_build", "deadline": "2022-10-31",
                       "seismic_requirements": "设置圈梁构造柱"},
    "start_construction": {"builder": {"name": "张师傅"}},
    "report_progress": {"milestone": "主体", "percent_complete": 50},
    "complete_construction": {"built_area_m2": "60", "structure": "masonry"},
    "record_county_acceptance": {"result": {
        "passed": True, "measured_area_m2": "60", "safety_rating": "A", "household_agrees": True,
        "team": [{"id": "ci-450321", "role": "county_inspector"},
                 {"id": "cj-450321", "role": "county_inspector"}]}},
    "record_city_spot_check": {"passed": True},
    "record_provincial_acceptance": {"passed": True},
    "record_demolition": {"evidence": ["a" * 64]},
    "request_payment": {"request_no": "P-1", "amounts": {"by_source": {"central": 1}},
                        "channel": "one_card"},
    "disburse_payment": {"request_no": "P-1", "voucher_no": "V-1"},
    "close_case": {},
    "correct_data": {"field": "household.size", "new": 4, "reason": "户籍变更",
                     "approved_by": {"id": "cc-450321", "role": "county_officer"}},
}


def jurisdiction_for(role: Role, inside: bool) -> str:
    """The most local code the role may be held for, inside the case's area or far outside."""
    level = max(ROLE_LEVELS[role])
    return (VILLAGE if inside else "640104001001")[:level.value].ljust(12, "0")


def actions_of(command_type: str) -> list[str]:
    if command_type in ("post_notice", "close_notice"):
        return [f"{command_type}:{level}" for level in ("village", "township", "county")]
    if command_type == "reject_case":
        return ["reject_case:township", "reject_case:county"]
    return [command_type]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """One SQLite store: a case at township approval, an official for every role in and out."""
    with sqlite_scenario(tmp_path_factory.mktemp("matrix")) as scenario:
        scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
        officials = [NewMember(f"t-{role.value}-{where}", "测试人", role,
                               jurisdiction_for(role, where == "in"), date(2022, 1, 1))
                     for role in Role for where in ("in", "out")]
        scenario.rt.staff.register_many(Principal.local(), officials)
        yield scenario


def attempt(
    scenario: Scenario, role: Role, where: str, action: str, n: int,
) -> RuleViolation | None:
    command_type, _, level = action.partition(":")
    payload = dict(PAYLOADS[command_type])
    if level:
        payload["level"] = level
    case_ref = CASE
    if command_type == "submit_application":
        case_ref = f"450321-2022-9{n:03d}"
        payload = {"programme_id": "guilin-2022", "village_code": VILLAGE,
                   "household": scenario.people.household("450321", 2022),
                   "house": {"structure": "earth"}, "category": "dibao",
                   "planned_mode": "rebuild_in_place"}
    command = {"command_id": f"matrix/{n}", "type": command_type, "case_ref": case_ref,
               "actor": {"id": f"t-{role.value}-{where}", "role": role.value},
               "occurred_on": ON.isoformat(), "payload": payload}
    scenario.clock.business_day(ON)
    try:
        scenario.run(command)
    except RuleViolation as refusal:
        return refusal
    return None


def test_every_role_may_do_its_own_acts_inside_its_jurisdiction_and_nothing_else(
    matrix: Scenario,
) -> None:
    n = 0
    for command_type, role, where in product(PAYLOADS, Role, ("in", "out")):
        for action in actions_of(command_type):
            n += 1
            refusal = attempt(matrix, role, where, action, n)
            may = action in ACTS[role]
            authorised = refusal is None or not refusal.rule.startswith(
                ("authorization.", "actor.", "recorder."))
            assert authorised == (may and where == "in"), (role, where, action, refusal)
            if where == "out":  # the area is checked first: an outsider is refused as such
                assert refusal is not None and refusal.rule == "actor.outside_jurisdiction"
            elif not may:
                assert refusal is not None and refusal.rule == "authorization.role_action", (
                    role, where, action, refusal)


def test_every_other_act_follows_the_table_through_the_pipeline(matrix: Scenario) -> None:
    rt = matrix.rt
    for role, where, action in product(Role, ("in", "out"), OTHER_ACTIONS):
        principal = matrix.principal(f"t-{role.value}-{where}")
        try:
            rt.pipeline.acting(principal, action, VILLAGE, ON)
            allowed = True
        except RuleViolation as refusal:
            allowed = False
            expected = ("authorization.jurisdiction" if action in READS[role]
                        else "authorization.role_action")
            assert refusal.rule == expected, (role, where, action, refusal)
        assert allowed == (action in READS[role] and where == "in"), (role, where, action)


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
    return scenario


def approval(scenario: Scenario, actor: dict[str, str]) -> dict[str, object]:
    command = scenario.command("grant_county_approval", CASE, "approver", ON, {})
    return {**command, "actor": actor}


def refused(scenario: Scenario, command: dict[str, object],
            by: Principal | None = None) -> RuleViolation:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as caught:
        scenario.run(command, by)  # type: ignore[arg-type]
    assert store_fingerprint(scenario.rt) == before
    return caught.value


def register(scenario: Scenario, staff_id: str, role: Role, code: str,
             valid_from: date = date(2022, 1, 1), valid_until: date | None = None) -> None:
    scenario.rt.staff.register(Principal.local(), NewMember(
        staff_id, "测试人", role, code, valid_from, valid_until))


def test_a_role_may_only_perform_its_own_acts(scenario: Scenario) -> None:
    register(scenario, "vc-1", Role.VILLAGE_CLERK, VILLAGE)
    error = refused(scenario, approval(scenario, {"id": "vc-1", "role": "village_clerk"}))
    assert isinstance(error, NotAuthorizedError)
    assert (error.rule, error.field, error.value) == (
        "authorization.role_action", "actor.role", "village_clerk")


def test_a_county_officer_cannot_act_in_another_county(scenario: Scenario) -> None:
    register(scenario, "ap-450322", Role.COUNTY_OFFICER, "450322000000")
    error = refused(scenario, approval(scenario, {"id": "ap-450322", "role": "county_officer"}))
    assert isinstance(error, OutsideJurisdictionError)
    assert (error.rule, error.value) == ("actor.outside_jurisdiction", "450322000000")


def test_a_role_is_held_from_its_own_administrative_level(scenario: Scenario) -> None:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as caught:
        register(scenario, "ap-4503", Role.COUNTY_OFFICER, "450300000000")
    assert (caught.value.rule, caught.value.value) == ("staff.role_level", "450300000000")
    assert store_fingerprint(scenario.rt) == before


def test_an_official_not_in_the_directory_is_refused(scenario: Scenario) -> None:
    error = refused(scenario, approval(scenario, {"id": "ap-999999", "role": "county_officer"}))
    assert (error.rule, error.field, error.value) == ("actor.unknown", "actor.id", "ap-999999")


def test_a_role_outside_its_validity_dates_is_refused(scenario: Scenario) -> None:
    register(scenario, "ap-late", Role.COUNTY_OFFICER, "450321000000", valid_from=date(2022, 7, 1))
    register(scenario, "ap-gone", Role.COUNTY_OFFICER, "450321000000",
             valid_until=date(2022, 5, 31))
    for staff_id in ("ap-late", "ap-gone"):
        error = refused(scenario, approval(scenario, {"id": staff_id, "role": "county_officer"}))
        assert (error.rule, error.field) == ("actor.role_not_held_on_date", "actor.role")


def test_a_village_clerk_posts_village_notices_but_not_county_ones(scenario: Scenario) -> None:
    command = scenario.command(
        "post_notice", CASE, "clerk", ON,
        {"level": "township", "notice_no": "N-1", "location": "乡政府公示栏", "planned_days": 7},
    )
    error = refused(scenario, command)
    assert (error.rule, error.value) == ("authorization.role_action", "village_clerk")


def test_a_discipline_inspector_reads_but_records_nothing(scenario: Scenario) -> None:
    register(scenario, "jj-45", Role.DISCIPLINE_INSPECTOR, "450000000000")
    error = refused(scenario, approval(
        scenario, {"id": "jj-45", "role": "discipline_inspector"}))
    assert error.rule == "authorization.role_action"


def test_an_act_of_another_official_is_entered_only_by_a_principal_who_may_enter_acts_there(
    scenario: Scenario,
) -> None:
    command = scenario.command("grant_county_approval", CASE, "approver", ON, {})
    register(scenario, "pm-6401", Role.PROGRAMME_MANAGER, "640100000000")
    error = refused(scenario, command, by=scenario.principal("pm-6401"))
    assert (error.rule, error.value) == ("recorder.outside_jurisdiction", "pm-6401")
    error = refused(scenario, command, by=scenario.principal("dj-4503"))
    assert (error.rule, error.value) == ("recorder.not_authorized", "dj-4503")
    error = refused(scenario, command, by=Principal.local())
    assert error.rule == "recorder.not_authorized"


def test_an_official_acting_for_themselves_needs_no_one_else(scenario: Scenario) -> None:
    command = scenario.command("grant_county_approval", CASE, "approver", ON, {})
    del command["actor"]
    outcome = scenario.run(command, by=scenario.principal("ap-450321"))
    assert outcome.events == ("CountyApprovalGranted",)
    event = scenario.rt.app.events.get(outcome.case_id)
    last = list(event)[-1]
    assert (last.actor.id, last.actor.role, last.actor.recorded_by) == (
        "ap-450321", Role.COUNTY_OFFICER, "ap-450321")


def test_the_event_records_the_official_and_the_principal_who_entered_it(
    scenario: Scenario,
) -> None:
    outcome = scenario.run(approval(scenario, {"id": "  AP-450321 ", "role": "county_officer"}))
    last = list(scenario.rt.app.events.get(outcome.case_id))[-1]
    assert last.actor.model_dump() == {
        "id": "ap-450321", "role": Role.COUNTY_OFFICER, "jurisdiction": "450321000000",
        "person_ref": None, "recorded_by": "pm-4503"}


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


def test_the_policy_file_grants_exactly_the_table() -> None:
    authorizer = Authorizer()
    for role in Role:
        assert set(authorizer.actions_of(role)) == ACTS[role] | READS[role], role
