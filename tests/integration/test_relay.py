"""The relay against the real NATS JetStream on 127.0.0.1:4222: the stream ends up holding
exactly the log's published events, in order, however often the relay is killed (SIGKILL) and
restarted. Without NATS these tests are skipped, unless RENOVATION_REQUIRE_NATS=1 (CI)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from typing import Any

import nats
import orjson
import pytest

from renovation.stream.feed import Feed
from renovation.stream.relay import Relay
from tests.support.app import Scenario

NATS = "nats://127.0.0.1:4222"


def nats_running() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 4222)) == 0


@pytest.fixture(autouse=True)
def needs_nats() -> None:
    if not nats_running():
        if os.environ.get("RENOVATION_REQUIRE_NATS") == "1":
            pytest.fail("NATS with JetStream is not running on 127.0.0.1:4222")
        pytest.skip("NATS is not running on 127.0.0.1:4222: relay tests skipped")


@pytest.fixture
def stream() -> Any:
    name = f"TEST_{uuid.uuid4().hex[:10].upper()}"
    yield name, f"test{name[5:].lower()}"
    asyncio.run(_delete(name))


async def _delete(name: str) -> None:
    client = await nats.connect(NATS)
    with contextlib.suppress(nats.js.errors.NotFoundError):  # a test that failed early
        await client.jetstream().delete_stream(name)
    await client.drain()


async def held(name: str, prefix: str) -> list[dict[str, Any]]:
    """Every message of the stream, in the stream's order."""
    client = await nats.connect(NATS)
    js = client.jetstream()
    info = await js.stream_info(name)
    found = [orjson.loads((await js.get_msg(name, seq)).data)
             for seq in range(info.state.first_seq, info.state.last_seq + 1)]
    await client.drain()
    return found


def driven(scenario: Scenario, cases: int) -> list[dict[str, Any]]:
    for n in range(cases):
        scenario.drive(scenario.plan(f"450321-2022-{n:04d}", stop_after="county_approved"))
    return Feed(scenario.rt.app).page(0, 1000)["events"]


def test_once_publishes_every_event_to_its_county_and_type_subject(
        scenario: Scenario, stream: Any) -> None:
    name, prefix = stream
    events = driven(scenario, 2)
    report = asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
    assert report.published == len(events) and report.position == events[-1]["position"]
    assert asyncio.run(held(name, prefix)) == events
    again = asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
    assert again.published == 0 and asyncio.run(held(name, prefix)) == events


def test_killed_at_random_points_and_restarted_the_stream_holds_each_event_once(
        scenario: Scenario, stream: Any) -> None:
    name, prefix = stream
    events = driven(scenario, 40)
    env = {**os.environ, "RENOVATION_DB": scenario.rt.settings.db,
           "RENOVATION_SECRETS_DIR": str(scenario.rt.settings.secrets_dir),
           "RENOVATION_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from renovation.cli import main; main()", "stream",
               "relay", "--nats", NATS, "--stream", name, "--prefix", prefix]
    rng, kills = random.Random(7), []
    for _ in range(4):
        before = asyncio.run(count(name))
        relay = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        while asyncio.run(count(name)) == before and relay.poll() is None:
            time.sleep(0.005)  # until it is publishing
        time.sleep(rng.uniform(0, 0.05))
        relay.send_signal(signal.SIGKILL)
        relay.wait()
        kills.append(asyncio.run(count(name)))
    assert 0 < kills[0] < len(events), f"killed after {kills}: not mid-stream"
    subprocess.run([*command, "--once"], env=env, check=True, stdout=subprocess.DEVNULL,
                   timeout=120)
    assert asyncio.run(held(name, prefix)) == events


async def count(name: str) -> int:
    client = await nats.connect(NATS)
    js = client.jetstream()
    try:
        return int((await js.stream_info(name)).state.messages)
    except nats.js.errors.NotFoundError:
        return 0
    finally:
        await client.drain()


@pytest.fixture
def scenario(runtime: Any, clock: Any) -> Scenario:
    return Scenario(runtime, clock)
