"""Command lines are built only when the configured level keeps them."""

from __future__ import annotations

from structlog.testing import capture_logs

from renovation.bootstrap import Runtime
from renovation.logging import configure_logging
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario


def test_a_level_above_info_logs_no_command_lines_and_info_does(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    scenario = Scenario(runtime, clock)
    first, second = scenario.commands(scenario.plan("450321-2022-0001", stop_after="certified"))[:2]
    configure_logging("console", "WARNING")
    with capture_logs() as quiet:
        scenario.run(first)
    configure_logging("console", "INFO")
    with capture_logs() as kept:
        scenario.run(second)
    assert quiet == []
    assert [line["event"] for line in kept] == ["command.applied"]
