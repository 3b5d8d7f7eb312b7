"""见证 — signed chain heads kept outside the database, so truncation cannot go unnoticed.

`RENOVATION_WITNESS` names where: `file:///path/witness.log` (an append-only log of JSON lines;
put it on another volume than the store) or `nats://host:4222` (a JetStream stream
`RENOVATION_WITNESS`, file storage, its own retention; `?stream=NAME` for another). The writing
process offers every signed head; one is sent at least every `every` commits or `seconds`
seconds, and on close, so the tail a witness has not seen stays short. A witness that cannot be
reached never stops a commit: it is logged, and `audit verify` reports the unwitnessed tail.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from renovation.audit.heads import HeadFormatError, SignedHead, head_from_record
from renovation.logging import get_logger

EVERY_COMMITS, EVERY_SECONDS = 100, 10.0
NATS_STREAM, NATS_PREFIX = "RENOVATION_WITNESS", "renovation.witness"
MAX_RECORD_BYTES = 4096
_log = get_logger("renovation.audit")


class Sink(Protocol):
    def send(self, head: SignedHead) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Witnessed:
    """What a witness holds for one store: its heads in the order received, and records it
    could not read (each a line number or sequence with the reason)."""

    heads: list[SignedHead]
    unreadable: list[tuple[str, str]]


class Witness:
    """Offered every signed head after its commit; sends the latest at least every `every`
    commits or `seconds` seconds, and on `flush`/`close`."""

    def __init__(self, sink: Sink, every: int = EVERY_COMMITS,
                 seconds: float = EVERY_SECONDS) -> None:
        self.sink, self.every, self.seconds = sink, every, seconds
        self._lock = threading.Lock()
        self._pending: SignedHead | None = None
        self._count, self._sent_at = 0, time.monotonic()
        # A process that stops writing still has its last heads sent within `seconds`.
        self._stop = threading.Event()
        self._timer = threading.Thread(target=self._tick, name="audit-witness-timer",
                                       daemon=True)
        self._timer.start()

    def _tick(self) -> None:
        while not self._stop.wait(self.seconds):
            self.flush()

    def offer(self, head: SignedHead) -> None:
        with self._lock:
            if self._pending is None or head.last_id > self._pending.last_id:
                self._pending = head
            self._count += 1
            due = (self._count >= self.every
                   or time.monotonic() - self._sent_at >= self.seconds)
        if due:
            self.flush()

    def flush(self) -> None:
        """Send the latest head not yet sent, if any."""
        with self._lock:
            head, self._pending = self._pending, None
            self._count, self._sent_at = 0, time.monotonic()
        if head is None:
            return
        try:
            self.sink.send(head)
        except Exception as error:  # a witness outage never stops the store
            _log.warning("audit.witness_unreachable", error=type(error).__name__,
                         last_id=head.last_id)

    def close(self) -> None:
        self._stop.set()
        self._timer.join()
        self.flush()
        self.sink.close()


class FileSink:
    """Appends one JSON line per head (O_APPEND, fsync)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, head: SignedHead) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, orjson.dumps(head.to_record()) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        return None


class NatsSink:
    """Publishes heads to JetStream from a thread of its own, so a commit never waits on it."""

    def __init__(self, url: str, stream: str) -> None:
        self.url, self.stream = url, stream
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="audit-witness",
                                        daemon=True)
        self._thread.start()
        self._client: Any = None
        self._last: Future[None] | None = None
        self._one_at_a_time: asyncio.Lock | None = None  # created in the sink's own loop

    def send(self, head: SignedHead) -> None:
        self._last = asyncio.run_coroutine_threadsafe(self._publish(head), self._loop)
        self._last.add_done_callback(_logged)

    async def _publish(self, head: SignedHead) -> None:
        if self._one_at_a_time is None:
            self._one_at_a_time = asyncio.Lock()
        async with self._one_at_a_time:  # one connection, the stream created once
            await self._publish_one(head)

    async def _publish_one(self, head: SignedHead) -> None:
        import nats

        if self._client is None or self._client.is_closed:
            self._client = await nats.connect(self.url, connect_timeout=2,
                                              max_reconnect_attempts=3)
            await _ensure_stream(self._client.jetstream(), self.stream)
        await self._client.jetstream().publish(
            subject_of(head.origin), orjson.dumps(head.to_record()), stream=self.stream,
            timeout=5)

    def close(self) -> None:
        last = self._last
        if last is not None:
            with contextlib.suppress(Exception):  # already logged by its callback
                last.result(timeout=10)
        if self._client is not None:
            asyncio.run_coroutine_threadsafe(self._client.drain(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _logged(done: Future[None]) -> None:
    error = done.exception()
    if error is not None:
        _log.warning("audit.witness_unreachable", error=type(error).__name__)


async def _ensure_stream(js: Any, stream: str) -> None:
    from nats.js.api import StorageType, StreamConfig
    from nats.js.errors import NotFoundError

    try:
        await js.stream_info(stream)
    except NotFoundError:
        await js.add_stream(StreamConfig(name=stream, subjects=[f"{NATS_PREFIX}.>"],
                                         storage=StorageType.FILE))


def subject_of(origin: str) -> str:
    """One subject per store; an origin's characters are not all allowed in a subject."""
    return f"{NATS_PREFIX}.{hashlib.sha256(origin.encode()).hexdigest()[:32]}"


def open_witness(url: str, every: int = EVERY_COMMITS,
                 seconds: float = EVERY_SECONDS) -> Witness:
    """The witness a `RENOVATION_WITNESS` URL names; ValueError for any other scheme."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Witness(FileSink(_file_path(url)), every, seconds)
    if parts.scheme == "nats":
        return Witness(NatsSink(_nats_url(url), _nats_stream(url)), every, seconds)
    raise ValueError(f"a witness is file:///path or nats://host:port, not {parts.scheme!r}")


def _file_path(url: str) -> Path:
    path = unquote(urlsplit(url).path)
    if not path or path.endswith("/"):
        raise ValueError("a file witness names a file: file:///var/witness/renovation.log")
    return Path(path)


def _nats_url(url: str) -> str:
    return urlsplit(url)._replace(query="").geturl()


def _nats_stream(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("stream", [NATS_STREAM])[0]


def read_witness(url: str, origin: str) -> Witnessed:
    """Every head the witness holds for `origin`, in the order it received them."""
    if urlsplit(url).scheme == "file":
        return _read_file(_file_path(url), origin)
    if urlsplit(url).scheme == "nats":
        return asyncio.run(_read_nats(_nats_url(url), _nats_stream(url), origin))
    raise ValueError(f"a witness is file:///path or nats://host:port, not {url!r}")


def _read_file(path: Path, origin: str) -> Witnessed:
    heads: list[SignedHead] = []
    unreadable: list[tuple[str, str]] = []
    if not path.is_file():
        return Witnessed(heads, unreadable)
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            _take(line, f"line {number}", origin, heads, unreadable)
    return Witnessed(heads, unreadable)


def _take(data: bytes, where: str, origin: str, heads: list[SignedHead],
          unreadable: list[tuple[str, str]]) -> None:
    if len(data) > MAX_RECORD_BYTES:
        unreadable.append((where, "longer than any witness record"))
        return
    try:
        head = head_from_record(orjson.loads(data))
    except (orjson.JSONDecodeError, HeadFormatError) as error:
        unreadable.append((where, str(error) or "not JSON"))
        return
    if head.origin == origin:
        heads.append(head)


async def _read_nats(url: str, stream: str, origin: str) -> Witnessed:
    import nats
    from nats.js.errors import NotFoundError

    heads: list[SignedHead] = []
    unreadable: list[tuple[str, str]] = []
    client = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=1)
    try:
        js = client.jetstream()
        subject = subject_of(origin)
        try:
            info = await js.stream_info(stream, subjects_filter=subject)
        except NotFoundError:
            return Witnessed(heads, unreadable)
        # Counted before reading: a consumer's own pending count falls as messages arrive.
        held = (info.state.subjects or {}).get(subject, 0)
        sub = await js.subscribe(subject, stream=stream, ordered_consumer=True)
        for _ in range(held):
            msg = await sub.next_msg(timeout=10)
            _take(msg.data, f"message {msg.metadata.sequence.stream}", origin, heads,
                  unreadable)
        await sub.unsubscribe()
    finally:
        await client.drain()
    return Witnessed(heads, unreadable)
