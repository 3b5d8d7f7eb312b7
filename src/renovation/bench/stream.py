"""Stream figures: the feed's read rate, the relay into JetStream beside a bare publisher, and
how soon a live stream (SSE) delivers an event after its commit.

- feed: `Feed.page` of 1,000 from position 0 over the caught-up store, up to `events` events;
- relay: `Relay.run(once=True)` of the same events into a new stream of the local JetStream,
  from its first page to the last acknowledgement (the reader process's start, about a second
  and a half, is in `seconds` but not in the rate: a relay runs for days); beside it, the
  bare rate of the same client publishing as many messages of the same mean size with
  acknowledgements awaited per 1,000 (what the relay does, without reading the store);
- sse: a server (`renovation serve`, one worker) on a new store of its own, an integrator's
  live stream open on it, and commands executed one commit each at `sse_rate` a second: the
  delay from each commit's return to the arrival of its events, p95.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from datetime import date
from typing import Any

import httpx2 as httpx
import nats
import orjson
from nats.js.api import StorageType, StreamConfig

from renovation.application.app import RenovationApp
from renovation.application.directory import NewMember, Principal
from renovation.bench.stores import Stores
from renovation.bench.web import free_port, serve, wait_until_up
from renovation.bench.workload import head, opened, percentile, programme
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import MANAGER, commands
from renovation.simulation.staff import principal
from renovation.stream.feed import MAX_LIMIT, Feed
from renovation.stream.relay import Relay

NATS_URL = os.environ.get("RENOVATION_BENCH_NATS", "nats://127.0.0.1:4222")
INTEGRATOR = "int-bench"


def stream(stores: Stores, events: int, sse_seconds: float, sse_rate: float) -> dict[str, Any]:
    app = RenovationApp(stores.settings("main").db)
    try:
        read = feed_rate(app, events)
        relayed = asyncio.run(relay_rate(app, read["until"]))
        bare = asyncio.run(bare_publish_rate(min(read["events"], 50_000),
                                             read["mean_bytes"]))
    finally:
        app.close()
    return {"feed": read, "relay": {**relayed, "bare": bare},
            "sse": sse_delay(stores, sse_seconds, sse_rate)}


def feed_rate(app: RenovationApp, events: int) -> dict[str, Any]:
    feed, after, read, size = Feed(app), 0, 0, 0
    started = time.perf_counter()
    while read < events:
        page = feed.page(after, MAX_LIMIT)
        if not page["events"]:
            break
        read += len(page["events"])
        size += sum(len(orjson.dumps(event)) for event in page["events"][:20])
        after = page["next"]
    seconds = time.perf_counter() - started
    sampled = min(read, 20 * -(-read // MAX_LIMIT))
    return {"events": read, "seconds": seconds, "events_per_second": read / seconds,
            "until": after, "mean_bytes": size // max(1, sampled)}


async def relay_rate(app: RenovationApp, until: int) -> dict[str, Any]:
    name = f"BENCH_{uuid.uuid4().hex[:8].upper()}"
    started = time.perf_counter()
    try:
        report = await Relay(app, NATS_URL, name, name.lower()).run(once=True, until=until)
        seconds = time.perf_counter() - started
    finally:
        await _delete(name)
    publishing = seconds - ((report.first_page_at or started) - started)
    return {"events": report.published, "seconds": seconds, "resyncs": report.resyncs,
            "publishing_seconds": publishing,
            "events_per_second": report.published / publishing}


async def bare_publish_rate(messages: int, size: int) -> dict[str, Any]:
    name = f"BARE_{uuid.uuid4().hex[:8].upper()}"
    client = await nats.connect(NATS_URL)
    js = client.jetstream(publish_async_max_pending=2 * MAX_LIMIT)
    payload = os.urandom(max(1, size) // 2 + 1).hex().encode()[:size]
    try:
        await js.add_stream(StreamConfig(name=name, subjects=[f"{name.lower()}.>"],
                                         storage=StorageType.FILE))
        started = time.perf_counter()
        for first in range(0, messages, MAX_LIMIT):
            acks = [await js.publish_async(f"{name.lower()}.450321.case.bench", payload,
                                           headers={"Nats-Msg-Id": str(n)})
                    for n in range(first, min(messages, first + MAX_LIMIT))]
            await asyncio.gather(*acks)
        seconds = time.perf_counter() - started
    finally:
        await js.delete_stream(name)
        await client.drain()
    return {"messages": messages, "bytes": size, "seconds": seconds,
            "messages_per_second": messages / seconds}


async def _delete(name: str) -> None:
    client = await nats.connect(NATS_URL)
    try:
        await client.jetstream().delete_stream(name)
    except nats.js.errors.NotFoundError:
        pass
    finally:
        await client.drain()


def sse_delay(stores: Stores, seconds: float, rate: float) -> dict[str, Any]:
    stores.reset("sse")
    settings = stores.settings("sse")
    cases = max(10, int(seconds * rate / 15) + 5)
    runtime = opened(settings, cases)
    try:
        runtime.staff.register(Principal.local("bench"), NewMember(
            INTEGRATOR, "接口压测", Role.INTEGRATOR, "450300000000",
            valid_from=date(2022, 1, 1)))
        token = runtime.staff.issue_token(Principal.local("bench"), INTEGRATOR).token
        port = free_port()
        server = serve(settings.db, str(stores.secrets), port)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server)
            committed, arrived = _write_while_listening(runtime, base, token, seconds, rate,
                                                        cases)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        runtime.close()
    delays = [(arrived[p] - at) * 1000 for p, at in committed.items() if p in arrived]
    return {"events": len(delays), "missing": len(committed) - len(delays),
            "rate_per_second": rate, "p50_ms": percentile(delays, 0.5),
            "p95_ms": percentile(delays, 0.95), "max_ms": max(delays, default=0.0)}


def _write_while_listening(runtime: Any, base: str, token: str, seconds: float, rate: float,
                           cases: int) -> tuple[dict[int, float], dict[int, float]]:
    """Commit times of the published positions, and when the stream delivered each."""
    arrived: dict[int, float] = {}
    opened_stream = threading.Event()
    threading.Thread(target=_listen, args=(base, token, arrived, opened_stream),
                     daemon=True).start()
    if not opened_stream.wait(60):
        raise RuntimeError("the live stream did not open")
    time.sleep(0.5)
    manager = principal(runtime, MANAGER)
    committed: dict[int, float] = {}
    began = time.perf_counter()
    for sent, command in enumerate(commands(programme(cases)), start=1):
        if time.perf_counter() - began > seconds:
            break
        before = head(runtime)
        runtime.service.execute(command, manager)
        done = time.monotonic()
        for position in range(before + 1, head(runtime) + 1):
            committed[position] = done
        time.sleep(max(0.0, began + sent / rate - time.perf_counter()))
    time.sleep(2.0)  # the last events' delivery; the listener ends with the server
    feed, after, published = Feed(runtime.app), 0, set()
    while page := feed.page(after, MAX_LIMIT)["events"]:
        published |= {e["position"] for e in page}  # command records and the like stay in
        after = page[-1]["position"]
    return {p: at for p, at in committed.items() if p in published}, dict(arrived)


def _listen(base: str, token: str, arrived: dict[int, float],
            opened_stream: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=None) as client, \
                client.stream("GET", "/events/stream") as response:
            response.raise_for_status()
            opened_stream.set()
            for line in response.iter_lines():
                if line.startswith("id: "):
                    arrived[int(line[4:])] = time.monotonic()
    except httpx.HTTPError:
        return  # the server stopped at the end of the phase
