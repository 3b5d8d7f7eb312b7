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
from pathlib import Path
from typing import Any

import nats
import orjson
import pytest

from renovation.stream.feed import Feed
from renovation.stream.relay import OtherStoreError, Relay
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


def test_killed_at_random_points_while_the_demo_writes_the_stream_ends_holding_the_log(
        scenario: Scenario, stream: Any) -> None:
    """The relay follows `renovation demo` as it writes, killed (SIGKILL) at random moments and
    restarted; once the demo is done, one `--once` run leaves the stream holding exactly the
    log's published events, each once, in order. RENOVATION_RELAY_DEMO_HOUSEHOLDS sets the
    demo's size (20000 for the acceptance run)."""
    name, prefix = stream
    settings = scenario.rt.settings
    env = {**os.environ, "RENOVATION_DB": settings.db,
           "RENOVATION_SECRETS_DIR": str(settings.secrets_dir),
           "RENOVATION_KEK": settings.kek.get_secret_value() if settings.kek else "",
           "RENOVATION_INDEX_KEY": (settings.index_key.get_secret_value()
                                    if settings.index_key else ""),
           "RENOVATION_LOG_LEVEL": "WARNING"}
    cli = [sys.executable, "-c", "from renovation.cli import main; main()"]
    relay = [*cli, "stream", "relay", "--nats", NATS, "--stream", name, "--prefix", prefix]
    households = os.environ.get("RENOVATION_RELAY_DEMO_HOUSEHOLDS", "1000")
    demo = subprocess.Popen([*cli, "demo", "--households", households, "--no-if-empty"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rng, kills = random.Random(7), []
    try:
        while demo.poll() is None:
            before = asyncio.run(count(name))
            running = subprocess.Popen(relay, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
            while asyncio.run(count(name)) == before and demo.poll() is None:
                time.sleep(0.01)  # until it is publishing
            time.sleep(rng.uniform(0, 0.3))
            readers = children(running.pid)
            running.send_signal(signal.SIGKILL)
            running.wait()
            assert gone(readers), "a killed relay's reader process outlived it"
            assert running.returncode == -signal.SIGKILL, running.stderr.read()[-2000:]
            kills.append(asyncio.run(count(name)))
    finally:
        if demo.poll() is None:
            demo.kill()
        demo.wait()
    assert demo.returncode == 0, demo.stderr.read()[-2000:] if demo.stderr else ""
    assert len(kills) >= 3 and kills[-1] > 0, f"killed after {kills}: not while it wrote"
    subprocess.run([*relay, "--once"], env=env, check=True, stdout=subprocess.DEVNULL,
                   timeout=1200)
    feed, events, after = Feed(scenario.rt.app), [], 0
    while page := feed.page(after, 1000)["events"]:
        events += page
        after = page[-1]["position"]
    assert asyncio.run(held(name, prefix)) == events


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux's /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def running(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")
    except FileNotFoundError:
        return False


def gone(pids: list[int], limit_s: float = 10) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if running(pid)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


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


def test_a_stream_holding_another_stores_events_is_refused_not_continued(
        scenario: Scenario, stream: Any) -> None:
    name, prefix = stream
    events = driven(scenario, 1)
    asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
    asyncio.run(_publish_foreign(name, prefix, events[-1]["position"]))
    with pytest.raises(OtherStoreError) as refused:
        asyncio.run(Relay(scenario.rt.app, NATS, name, prefix).run(once=True))
    assert refused.value.rule == "relay.same_store" and refused.value.value == name
    assert asyncio.run(count(name)) == len(events) + 1, "nothing more was published"


async def _publish_foreign(name: str, prefix: str, position: int) -> None:
    """A message as another store's relay would have left it, at a position this log has."""
    client = await nats.connect(NATS)
    await client.jetstream().publish(f"{prefix}.450321.case.application_submitted", b"{}",
                                     headers={"Nats-Msg-Id": str(uuid.uuid4()),
                                              "Renovation-Position": str(position)})
    await client.drain()
