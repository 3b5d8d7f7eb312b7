"""中继 — published events into NATS JetStream, exactly once, in the log's order.

Each event goes to subject `renovation.<county>.<type>` (a city-level programme event: the
city's code) of stream `RENOVATION` (created if missing, file storage), with `Nats-Msg-Id` the
event's stable id, so JetStream drops a repeat, and `Renovation-Position` its log position.

Where to resume is read from the stream itself, which always holds a prefix of the log: a page
is published without waiting for each acknowledgement, but every message names the stream
sequence it must follow (`Nats-Expected-Last-Sequence`), so once one is refused or lost, every
later one is refused too and nothing lands out of order. The relay then reads the stream's last
message again and goes on after it. Killed at any point, it restarts after that message; one
published but not yet acknowledged when it died is found in the stream, not sent twice (and a
repeat within the hour would be dropped by JetStream's de-duplication anyway). Nothing is kept
beside the stream. A second relay on the same stream makes both restart, never interleave.

Before resuming, the stream's last message is checked against the store: the same position must
hold the same event, or the stream was filled from another store and the relay refuses.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nats
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from renovation.application.app import RenovationApp
from renovation.kernel.errors import RuleViolation
from renovation.logging import get_logger
from renovation.stream.feed import MAX_LIMIT, Feed
from renovation.stream.reader import Message, PageReader

STREAM = "RENOVATION"
PREFIX = "renovation"
POSITION_HEADER = "Renovation-Position"
EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence"
DUPLICATE_WINDOW_S = 3600.0
ACK_TIMEOUT_S = 30.0
MAX_REFUSALS = 8
"""Refused pages in a row (each retried after a longer pause) before the relay gives up."""


@dataclass
class RelayReport:
    published: int = 0
    position: int = 0
    resyncs: int = 0
    """How often a refused or unacknowledged page made the relay read the stream again."""
    first_page_at: float | None = None
    """When (`time.perf_counter`) the first page was ready: the reader process then started."""


@dataclass(frozen=True)
class Tail:
    """Where the stream ends: its last sequence and the log position of its last event."""

    sequence: int = 0
    position: int = 0


class OtherStoreError(RuleViolation):
    """The stream holds events this store does not: relaying on would mix two logs."""


class RelayStalledError(RuntimeError):
    """JetStream refused the same page again and again (a stream of another configuration?)."""

    def __init__(self, stream: str, reason: str) -> None:
        super().__init__(f"JetStream stream {stream} kept refusing the relay's messages; the"
                         f" last refusal: {reason}")


class Relay:
    """Follows the log and publishes what the stream does not hold yet."""

    def __init__(self, app: RenovationApp, url: str, stream: str = STREAM,
                 prefix: str = PREFIX) -> None:
        self.app, self.url, self.stream, self.prefix = app, url, stream, prefix
        self.feed = Feed(app)
        self._log = get_logger("renovation.relay")

    async def run(self, once: bool = False, poll: float = 0.5,
                  stop: Callable[[], bool] = lambda: False,
                  until: int | None = None) -> RelayReport:
        """Publish up to the head (`once`), or follow until `stop()` says so; never past
        position `until` when given (a measured run)."""
        client = await nats.connect(self.url, name="renovation-relay")
        reader = PageReader(self.app.db_url, self.prefix, until, poll)
        try:
            js = client.jetstream(publish_async_max_pending=2 * MAX_LIMIT)
            tail = await self._ensure_stream(js)
            start, report = tail.sequence, RelayReport(position=tail.position)
            self._log.info("relay.resumed", stream=self.stream, position=tail.position)
            refusals = 0
            reader.start(tail.position)
            while (page := await reader.next(stop)) is not None:
                report.first_page_at = report.first_page_at or time.perf_counter()
                if not page.messages:
                    if once:
                        break
                    continue
                refused = await self._refusal(await self._send(js, page.messages, tail))
                if refused:
                    refusals += 1
                    if refusals > MAX_REFUSALS:
                        raise RelayStalledError(self.stream, refused)
                    await asyncio.sleep(min(0.05 * 2 ** refusals, 5.0))
                    tail, report.resyncs = await self._tail(js), report.resyncs + 1
                    self._log.warning("relay.resynced", stream=self.stream,
                                      position=tail.position, reason=refused)
                    reader.start(tail.position)
                else:
                    refusals, tail = 0, Tail(tail.sequence + len(page.messages), page.next)
                report.position, report.published = tail.position, tail.sequence - start
            return report
        finally:
            reader.close()
            await client.drain()

    async def _send(self, js: JetStreamContext, messages: list[Message],
                    tail: Tail) -> list[asyncio.Future[Any]]:
        """One page, each message naming the stream sequence it must follow."""
        sent = []
        for offset, message in enumerate(messages):
            sent.append(await js.publish_async(
                message.subject, message.data, stream=self.stream,
                headers={"Nats-Msg-Id": message.event_id,
                         POSITION_HEADER: str(message.position),
                         EXPECTED_LAST_SEQUENCE: str(tail.sequence + offset)}))
        return sent

    @staticmethod
    async def _refusal(sent: list[asyncio.Future[Any]]) -> str | None:
        """Why a message of the page was refused or lost, or None when all were stored."""
        try:
            answers = await asyncio.wait_for(asyncio.gather(*sent, return_exceptions=True),
                                             ACK_TIMEOUT_S)
        except TimeoutError:
            return f"no acknowledgement within {ACK_TIMEOUT_S:.0f} s"
        for answer in answers:
            if isinstance(answer, BaseException):
                return f"{type(answer).__name__}: {answer}"[:300]
            if answer.duplicate:
                return f"sequence {answer.seq} is already this event: another relay is running"
        return None

    async def _ensure_stream(self, js: JetStreamContext) -> Tail:
        """The stream (created when missing) and where it ends, checked against the store."""
        try:
            await js.stream_info(self.stream)
        except NotFoundError:
            await js.add_stream(StreamConfig(
                name=self.stream, subjects=[f"{self.prefix}.>"], storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW_S))
            return Tail()
        return await self._tail(js)

    async def _tail(self, js: JetStreamContext) -> Tail:
        info = await js.stream_info(self.stream)
        if not info.state.messages:
            return Tail(sequence=info.state.last_seq)
        last = await js.get_msg(self.stream, info.state.last_seq)
        headers = last.headers or {}
        position = int(headers.get(POSITION_HEADER, 0))
        ours = await asyncio.to_thread(self.feed.event_id_at, position)
        if ours is None or ours != headers.get("Nats-Msg-Id"):
            raise OtherStoreError(
                "relay.same_store", "stream", self.stream,
                f"the stream's last message (position {position}) is not this store's event"
                " at that position: it was filled from another store; relay to another"
                " --stream and --prefix, or delete the stream")
        return Tail(info.state.last_seq, position)
