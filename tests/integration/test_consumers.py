"""The example consumers, written from the published form only: each keeps the same per-county
tally of approvals and payments as the log holds, and resumes from its saved position without
counting anything twice."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from renovation.application.directory import NewMember, Principal
from renovation.kernel.vocabulary import Role
from renovation.stream.feed import Feed
from renovation.stream.relay import Relay
from tests.integration.test_relay import NATS, _delete, nats_running
from tests.support.api import served
from tests.support.app import Scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scenario(runtime: Any, clock: Any) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.staff("450323101201")
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="closed"))
    scenario.drive(scenario.plan("450323-2022-0001", stop_after="closed", village="450323101201"))
    scenario.rt.staff.register(Principal.local(), NewMember(
        "int-4503", "市平台接口", Role.INTEGRATOR, "450300000000", valid_from=date(2022, 1, 1)))
    return scenario


def expected(scenario: Scenario) -> dict[str, Any]:
    tally: dict[str, Any] = {"position": 0, "counties": {}}
    for event in Feed(scenario.rt.app).page(0, 1000, ["case.county_approval_granted",
                                                      "case.payment_disbursed"])["events"]:
        example("feed_consumer").apply(tally, event)
    return tally["counties"]


def test_the_feed_consumer_tallies_and_resumes_without_double_counting(
        scenario: Scenario, tmp_path: Path) -> None:
    consumer, state = example("feed_consumer"), tmp_path / "tally.json"
    issued = scenario.rt.staff.issue_token(Principal.local("ops"), "int-4503", days=30,
                                           label="feed consumer")
    with served(scenario.rt) as base:
        first = consumer.follow(base, issued.token, state, once=True)
        assert first["counties"] == expected(scenario)
        assert {c["approved"] for c in first["counties"].values()} == {1}
        scenario.drive(scenario.plan("450321-2022-0002", stop_after="closed"))
        again = consumer.follow(base, issued.token, state, once=True)
    assert again["counties"] == expected(scenario)
    assert again["counties"]["450321000000"]["approved"] == 2


def test_the_jetstream_consumer_tallies_what_the_relay_published(
        scenario: Scenario, tmp_path: Path) -> None:
    if not nats_running():
        if os.environ.get("RENOVATION_REQUIRE_NATS") == "1":
            pytest.fail("NATS with JetStream is not running on 127.0.0.1:4222")
        pytest.skip("NATS is not running")
    name = f"TEST_CONSUMER_{os.getpid()}_{id(scenario) % 10_000}"
    prefix = f"t{os.getpid()}"
    try:
        asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
        consumer = example("jetstream_consumer")
        state = tmp_path / "tally.json"
        first = asyncio.run(consumer.follow(NATS, name, "tally", prefix, state, once=True))
        assert first["counties"] == expected(scenario)
        scenario.drive(scenario.plan("450321-2022-0002", stop_after="closed"))
        asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
        again = asyncio.run(consumer.follow(NATS, name, "tally", prefix, state, once=True))
        assert again["counties"] == expected(scenario)
    finally:
        asyncio.run(_delete(name))
