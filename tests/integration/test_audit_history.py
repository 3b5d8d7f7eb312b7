"""A case's history: in order, with both clocks, the actor, the policy and what changed; as at a
version or a date; authorised and recorded in the case's access log. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.audit.history import LATE_DAYS
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, RuleViolation
from renovation.simulation.demo import SimulatedClock
from tests.integration.audit_reads import ASSESSOR, REF, drive, signed_in
from tests.support.app import MANAGER


def test_history_lists_every_event_in_version_order_with_positions_and_actors(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF, "450321-2022-0002")
    history = runtime.inspection.history(signed_in(runtime), REF, reason="routine")
    versions = [e.version for e in history.entries]
    positions = [e.position for e in history.entries]
    assert versions == list(range(1, history.current_version + 1))
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    first = history.entries[0]
    assert (first.event, first.section) == ("ApplicationSubmitted", "申请")
    assert first.actor == {"id": "vc-450321100201", "role": "village_clerk",
                           "jurisdiction": "450321100201", "recorded_by": MANAGER}
    approval = next(e for e in history.entries if e.event == "CountyApprovalGranted")
    assert approval.policy == {"id": "guilin-2022", "version": 3}
    assert {"field": "stage", "change": "changed", "before": "township_approved",
            "after": "county_approved"} in approval.changes


def test_history_shows_personal_data_masked_only(runtime: Runtime, clock: SimulatedClock) -> None:
    scenario = drive(runtime, clock, REF, stop_after="applied")
    plain_id = scenario.people.household("450321", 2022, index=1)["head"]["id_number"]
    text = str(runtime.inspection.history(signed_in(runtime), REF).to_dict())
    assert plain_id not in text and f"{plain_id[:6]}********{plain_id[-4:]}" in text


def test_as_of_a_version_is_the_case_exactly_at_that_version(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF)
    history = runtime.inspection.history(signed_in(runtime), REF, as_of="3")
    assert [e.version for e in history.entries] == [1, 2, 3]
    assert history.state["version"] == 3 and history.state["grade"] == "C"
    assert history.current_version > 3


def test_as_of_a_date_is_the_last_version_recorded_by_the_end_of_that_day(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF)
    reads, me = runtime.inspection, signed_in(runtime)
    full = reads.history(me, REF)
    graded = next(e for e in full.entries if e.event == "HouseGraded")
    history = reads.history(me, REF, as_of=graded.occurred_on.isoformat())
    assert history.as_of_version == graded.version
    assert history.state["grade"] == "C" and history.state["stage"] == "applied"


@pytest.mark.parametrize("as_of", ["0", "99", "2021-12-31"])
def test_as_of_outside_the_case_is_refused_naming_the_rule(
    runtime: Runtime, clock: SimulatedClock, as_of: str
) -> None:
    drive(runtime, clock, REF, stop_after="applied")
    with pytest.raises(RuleViolation) as error:
        runtime.inspection.history(signed_in(runtime), REF, as_of=as_of)
    assert error.value.rule in ("history.as_of_version", "history.as_of_before_case")
    assert error.value.field == "as_of"


def test_an_act_recorded_weeks_after_its_business_date_shows_the_gap(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    scenario = drive(runtime, clock, REF, stop_after="applied")
    command = scenario.commands(scenario.plan(REF, household=scenario.people.household(
        "450321", 2022, index=1)))[1]
    clock.business_day(date.fromisoformat(command["occurred_on"]).replace(month=5))
    runtime.service.execute(command, scenario.manager)
    entry = runtime.inspection.history(signed_in(runtime), REF).entries[1]
    assert entry.gap_days > LATE_DAYS and entry.to_dict()["late"] is True


def test_viewing_a_history_is_recorded_with_actor_reason_and_both_clocks(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF, stop_after="applied")
    reads, me = runtime.inspection, signed_in(runtime)
    reads.history(me, REF, as_of="1", reason="线索核查 2023-17")
    [record] = reads.access_log(me, REF)
    assert record["action"] == "history_viewed" and record["reason"] == "线索核查 2023-17"
    assert record["actor"] == {"id": "dj-4503", "role": "discipline_inspector",
                               "jurisdiction": "450300000000", "recorded_by": "dj-4503"}
    assert record["detail"] == "as_of=1" and record["occurred_on"] and record["recorded_at"]


def test_a_role_without_the_view_history_action_is_refused_and_nothing_recorded(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF, stop_after="applied")
    with pytest.raises(NotAuthorizedError) as error:
        runtime.inspection.history(signed_in(runtime, ASSESSOR), REF)
    assert error.value.rule == "authorization.role_action"
    assert runtime.inspection.access_log(signed_in(runtime), REF) == []


def test_the_case_query_reads_by_index_not_by_scanning_the_store(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    drive(runtime, clock, REF, stop_after="applied")
    recorder = runtime.app.recorder
    datastore = recorder.datastore  # type: ignore[attr-defined]
    tables = recorder.audit_tables  # type: ignore[attr-defined]
    with datastore.transaction(commit=False) as cursor:
        if runtime.settings.db.startswith("sqlite"):
            cursor.execute(f"EXPLAIN QUERY PLAN {tables.case_events}", ("0" * 32,))
            plan = " ".join(str(tuple(row)) for row in cursor.fetchall())
            assert "USING INDEX sqlite_autoindex" in plan or "USING PRIMARY KEY" in plan
            assert "SCAN e" not in plan and "SCAN stored_events" not in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(b"EXPLAIN " + tables.case_events.as_bytes(cursor), (REF_ID,))
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "Index" in plan and "Seq Scan" not in plan


REF_ID = "00000000-0000-0000-0000-000000000000"
