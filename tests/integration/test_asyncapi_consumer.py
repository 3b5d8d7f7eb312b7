"""A consumer written only from the AsyncAPI document follows the running demo live.

It knows the document and nothing of our code: the NATS channel's address, with `{county}`
any county and `{type}` the types it counts, and each message's payload schema, against which
it checks what it receives. The relay follows `renovation demo` as it writes; the consumer must
see events before the demo ends, and in the end exactly the store's events of its types."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from typing import Any

import nats
import orjson
from jsonschema import Draft202012Validator

from renovation.stream.asyncapi import asyncapi_document
from renovation.stream.feed import Feed
from tests.integration.test_relay import NATS, count, needs_nats, scenario, stream  # noqa: F401
from tests.support.app import Scenario

WANTED = ("case.county_approval_granted", "case.payment_disbursed")


class DocumentConsumer:
    """Subjects and validators from the document alone; the prefix and stream are settings."""

    def __init__(self, document: dict[str, Any], prefix: str, stream_name: str) -> None:
        address = document["channels"]["events"]["address"]
        self.stream = stream_name
        self.subjects = [re.sub(r"^[^.]+", prefix, address)
                         .replace("{county}", "*").replace("{type}", kind) for kind in WANTED]
        messages = document["components"]["messages"]
        self.validators = {
            kind: Draft202012Validator({"$ref": messages[kind.replace(".", "_")]["payload"]
                                        ["$ref"], "components": document["components"]})
            for kind in WANTED}
        self.received: list[tuple[float, dict[str, Any]]] = []

    async def follow(self, done: Any) -> None:
        client = await nats.connect(NATS)
        js = client.jetstream()
        subscriptions = [await js.subscribe(subject, stream=self.stream, ordered_consumer=True,
                                            cb=self._receive) for subject in self.subjects]
        while not await done(js):
            await asyncio.sleep(0.1)
        for subscription in subscriptions:
            await subscription.unsubscribe()
        await client.drain()

    async def _receive(self, message: Any) -> None:
        event = orjson.loads(message.data)
        errors = list(self.validators[event["type"]].iter_errors(event))
        assert not errors, errors[0].message
        self.received.append((time.monotonic(), event))


def test_a_consumer_written_from_the_asyncapi_document_follows_the_demo_live(
        scenario: Scenario, stream: Any) -> None:  # noqa: F811
    name, prefix = stream
    settings = scenario.rt.settings
    env = {**os.environ, "RENOVATION_DB": settings.db,
           "RENOVATION_SECRETS_DIR": str(settings.secrets_dir),
           "RENOVATION_KEK": settings.kek.get_secret_value() if settings.kek else "",
           "RENOVATION_INDEX_KEY": (settings.index_key.get_secret_value()
                                    if settings.index_key else ""),
           "RENOVATION_LOG_LEVEL": "WARNING"}
    cli = [sys.executable, "-c", "from renovation.cli import main; main()"]
    relay = subprocess.Popen([*cli, "stream", "relay", "--nats", NATS, "--stream", name,
                              "--prefix", prefix], env=env,
                             stdout=subprocess.DEVNULL)
    consumer = DocumentConsumer(asyncapi_document(), prefix, name)
    feed = Feed(scenario.rt.app)
    try:
        while asyncio.run(count(name)) == 0 and relay.poll() is None:
            time.sleep(0.05)  # the stream exists once the relay has published the programme
        demo = subprocess.Popen([*cli, "demo", "--households", "60", "--no-if-empty"],
                                env=env, stdout=subprocess.DEVNULL)
        ended: list[float] = []

        async def done(js: Any) -> bool:
            if demo.poll() is None:
                return False
            ended[:] = ended or [time.monotonic()]
            held = (await js.stream_info(name)).state.messages
            return bool(held == len(everything(feed)) and time.monotonic() - ended[0] > 2)

        asyncio.run(consumer.follow(done))
    finally:
        relay.terminate()
        relay.wait(timeout=30)
    assert demo.returncode == 0
    expected = [e for e in everything(feed) if e["type"] in WANTED]
    got = [event for _, event in consumer.received]
    assert sorted(got, key=lambda e: e["position"]) == expected and len(expected) > 20
    assert consumer.received[0][0] < ended[0], "the first events arrived while the demo ran"


def everything(feed: Feed) -> list[dict[str, Any]]:
    events, after = [], 0
    while page := feed.page(after, 1000)["events"]:
        events += page
        after = page[-1]["position"]
    return events
