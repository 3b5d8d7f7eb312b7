"""Every command is logged with its id, case, actor, outcome and duration; never personal data."""

from __future__ import annotations

import pytest
import structlog
from structlog.testing import capture_logs

from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.logging import redact_personal_data
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario


def test_applied_and_rejected_commands_are_logged(runtime: Runtime, clock: SimulatedClock) -> None:
    scenario = Scenario(runtime, clock)
    commands = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))
    with capture_logs() as logs:
        outcome = scenario.run(commands[0])
        scenario.run(commands[0])
        with pytest.raises(RuleViolation):
            scenario.run({**commands[0], "command_id": "again", "case_ref": "450321-2022-0002"})
    applied, duplicate, rejected = logs
    assert applied["event"] == "command.applied" and applied["outcome"] == "applied"
    assert applied["command_id"] == commands[0]["command_id"]
    assert applied["case_id"] == str(outcome.case_id)
    assert applied["actor"] == commands[0]["actor"]["id"] and applied["ms"] >= 0
    assert applied["recorder"] == rejected["recorder"] == scenario.manager.staff_id
    assert duplicate["outcome"] == "duplicate"
    assert (
        rejected["outcome"] == "rejected" and rejected["rule"] == "household.one_case_per_programme"
    )
    head = commands[0]["payload"]["household"]["head"]
    assert head["id_number"] not in repr(logs) and head["name"] not in repr(logs)


def test_the_redaction_processor_hides_personal_fields_at_any_depth() -> None:
    event = {
        "event": "x",
        "id_number": "450321198506121234",
        "payload": {"household": {"phone": "13800000000"}, "size": 3},
    }
    redacted = redact_personal_data(structlog.get_logger(), "info", event)
    assert redacted["id_number"] == "[redacted]"
    assert redacted["payload"]["household"]["phone"] == "[redacted]"
    assert redacted["payload"]["size"] == 3
