"""中继 — published events into NATS JetStream, exactly once, in the log's order.

Each event goes to subject `renovation.<county>.<type>` (a city-level programme event: the
city's code) of stream `RENOVATION` (created if missing, file storage), with `Nats-Msg-Id` the
event's stable id, so JetStream drops a repeat, and `Renovation-Position` its log position.

Where to resume is read from the stream itself: publishing waits for each acknowledgement before
the next, so the stream always holds a prefix of the log, and its last message's position is
exactly what has been relayed. Killed at any point, the relay restarts after that position; an
event published but not yet acknowledged when it died is published again and dropped by
JetStream as a duplicate (the duplicate window is an hour). Nothing is kept beside the stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nats
import orjson
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from renovation.application.app import RenovationApp
from renovation.logging import get_logger
from renovation.stream.feed import Feed

STREAM = "RENOVATION"
PREFIX = "renovation"
POSITION_HEADER = "Renovation-Position"
DUPLICATE_WINDOW_S = 3600.0
PAGE = 500


@dataclass
class RelayReport:
    published: int = 0
    position: int = 0


def subject_of(event: dict[str, Any], prefix: str = PREFIX) -> str:
    return f"{prefix}.{event['county'] or event['area'] or 'none'}.{event['type']}"


class Relay:
    """Follows the log and publishes what the stream does not hold yet."""

    def __init__(self, app: RenovationApp, url: str, stream: str = STREAM,
                 prefix: str = PREFIX) -> None:
        self.feed, self.url, self.stream, self.prefix = Feed(app), url, stream, prefix
        self._log = get_logger("renovation.relay")

    async def run(self, once: bool = False, poll: float = 0.5,
                  stop: Callable[[], bool] = lambda: False) -> RelayReport:
        """Publish up to the head (`once`), or follow until `stop()` says so."""
        client = await nats.connect(self.url, name="renovation-relay")
        try:
            js = client.jetstream()
            report = RelayReport(position=await self._ensure_stream(js))
            self._log.info("relay.resumed", stream=self.stream, position=report.position)
            while not stop():
                page = await asyncio.to_thread(self.feed.page, report.position, PAGE)
                for event in page["events"]:
                    await js.publish(subject_of(event, self.prefix), orjson.dumps(event),
                                     stream=self.stream,
                                     headers={"Nats-Msg-Id": event["id"],
                                              POSITION_HEADER: str(event["position"])})
                    report.published += 1
                report.position = page["next"]
                if not page["events"]:
                    if once:
                        break
                    await asyncio.sleep(poll)
            return report
        finally:
            await client.drain()

    async def _ensure_stream(self, js: JetStreamContext) -> int:
        """The stream (created when missing) and the position of the last event it holds."""
        try:
            info = await js.stream_info(self.stream)
        except NotFoundError:
            await js.add_stream(StreamConfig(
                name=self.stream, subjects=[f"{self.prefix}.>"], storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW_S))
            return 0
        if not info.state.messages:
            return 0
        last = await js.get_msg(self.stream, info.state.last_seq)
        return int((last.headers or {}).get(POSITION_HEADER, 0))
