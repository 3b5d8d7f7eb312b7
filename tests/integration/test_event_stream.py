"""Server-Sent Events on a real server: what is in the log first, then what is recorded while
the stream is open, and a reconnect with Last-Event-ID resumes right after the last event."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx2 as httpx
import orjson
import pytest

from renovation.application.directory import NewMember, Principal
from renovation.kernel.vocabulary import Role
from renovation.stream.feed import Feed
from tests.support.api import served, token
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Any, clock: Any) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="township_approved"))
    scenario.rt.staff.register(Principal.local(), NewMember(
        "int-4503", "市平台接口", Role.INTEGRATOR, "450300000000", valid_from=date(2022, 1, 1)))
    return scenario


@pytest.fixture
def site(scenario: Scenario) -> Iterator[str]:
    with served(scenario.rt) as base:
        yield base


def read_events(lines: Iterator[str], count: int, limit_s: float = 10) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    ident, deadline = None, time.monotonic() + limit_s
    for line in lines:
        assert time.monotonic() < deadline, f"only {len(events)} of {count} events arrived"
        if line.startswith("id: "):
            ident = int(line[4:])
        elif line.startswith("data: "):
            event = orjson.loads(line[6:])
            assert event["position"] == ident
            events.append(event)
            if len(events) == count:
                return events
    raise AssertionError("the stream ended")


def test_the_stream_sends_the_log_then_new_events_then_resumes_after_the_last_seen(
        scenario: Scenario, site: str) -> None:
    headers = token(scenario.rt, "int-4503")
    existing = Feed(scenario.rt.app).page(0, 1000)["events"]
    with httpx.Client(base_url=site, headers=headers, timeout=15) as client:
        with client.stream("GET", "/events/stream?after=0") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            assert read_events(lines, len(existing)) == existing
            scenario.drive(scenario.plan("450321-2022-0002", stop_after="applied"))
            (new,) = read_events(lines, 1)
        assert new["type"] == "case.application_submitted"
        assert new["case_ref"] == "450321-2022-0002"

        resumed = {**headers, "Last-Event-ID": str(existing[-1]["position"])}
        with client.stream("GET", "/events/stream", headers=resumed) as response:
            (again,) = read_events(response.iter_lines(), 1)
        assert again == new


def test_an_unknown_type_is_refused_before_the_stream_opens(scenario: Scenario,
                                                            site: str) -> None:
    answer = httpx.get(f"{site}/events/stream?types=case.nonsense",
                       headers=token(scenario.rt, "int-4503"), timeout=10)
    assert answer.status_code == 422 and answer.json()["rule"] == "feed.type_known"
