"""The relay's reading half, in a process of its own: pages read ahead while the relay publishes.

Reading a page (the log, decoding, the published form, JSON) and publishing it to JetStream
each take about half a core per event; in one process they share one (the GIL), in two they
overlap. The child reads pages after a position and hands each over as ready-to-send messages,
at most `AHEAD` pages ahead; an empty page says the head was reached (it then looks again every
`poll` seconds). To read from elsewhere (after a refusal), the relay starts a new child.

The child is spawned, not forked (the parent holds connections and an event loop): a script
that runs the relay must guard its entry point with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from renovation.stream.feed import MAX_LIMIT, Feed

AHEAD = 2
PARENT_CHECK_S = 0.5
"""How often a waiting reader checks that its relay still runs: a relay killed with SIGKILL
cannot stop it, and it must not outlive it holding a connection to the store."""


@dataclass(frozen=True)
class Message:
    subject: str
    data: bytes
    event_id: str
    position: int


@dataclass(frozen=True)
class Page:
    messages: list[Message]
    next: int


def subject_of(event: dict[str, Any], prefix: str) -> str:
    return f"{prefix}.{event['county'] or event['area'] or 'none'}.{event['type']}"


def page_of(feed: Feed, prefix: str, after: int, until: int | None) -> Page:
    """The next page after `after`, never past `until`, as messages."""
    if until is not None and after >= until:
        return Page([], after)
    found = feed.page(after, MAX_LIMIT)
    events, following = found["events"], found["next"]
    if until is not None and following > until:
        events = [event for event in events if event["position"] <= until]
        following = events[-1]["position"] if events else until
    return Page([Message(subject_of(e, prefix), orjson.dumps(e), e["id"], e["position"])
                 for e in events], following)


class PageReader:
    """Pages read ahead by a child process; `start` (again) to read from another position."""

    def __init__(self, db_url: str, prefix: str, until: int | None, poll: float) -> None:
        self.db_url, self.prefix, self.until, self.poll = db_url, prefix, until, poll
        self._context = multiprocessing.get_context("spawn")
        self._child: Any = None
        self._pages: Any = None

    def start(self, after: int) -> None:
        self.close()
        pages = self._context.Queue(AHEAD)
        child = self._context.Process(
            target=_read, args=(self.db_url, self.prefix, after, self.until, self.poll, pages,
                                os.getpid()),
            name="renovation-relay-reader", daemon=True)
        child.start()
        self._child, self._pages = child, pages

    async def next(self, stop: Callable[[], bool]) -> Page | None:
        """The next page, or None once `stop()` says so."""
        while not stop():
            try:
                got = await asyncio.to_thread(self._pages.get, True, 0.5)
            except queue.Empty:
                if not self._child.is_alive():
                    raise RuntimeError("the relay's reader stopped without a word") from None
                continue
            if isinstance(got, str):
                raise RuntimeError(f"the relay's reader failed: {got}")
            return Page([Message(*m) for m in got[0]], got[1])
        return None

    def close(self) -> None:
        if self._child is not None:
            self._child.terminate()
            self._child.join(timeout=10)
            self._pages.close()
            self._child = self._pages = None


def _read(db_url: str, prefix: str, after: int, until: int | None, poll: float,
          pages: Any, relay: int) -> None:
    import signal
    import time

    from renovation.application.app import RenovationApp

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the relay decides when to stop; Ctrl-C is its
    # The relay's pid comes from the relay: read here, it would be the new parent's when the relay
    # was killed while this process was still starting, and the reader would never see it gone.
    pages.cancel_join_thread()  # at exit, pages the relay will never read are not waited on

    def hand_over(item: Any) -> bool:
        """Put `item` for the relay; False once the relay is gone (killed: nobody stops us)."""
        while os.getppid() == relay:
            try:
                pages.put(item, timeout=PARENT_CHECK_S)
                return True
            except queue.Full:
                continue
        return False

    try:
        feed = Feed(RenovationApp(db_url))
        while True:
            page = page_of(feed, prefix, after, until)
            if not hand_over(([(m.subject, m.data, m.event_id, m.position)
                               for m in page.messages], page.next)):
                return
            if not page.messages:
                time.sleep(min(poll, PARENT_CHECK_S))
            after = page.next
    except Exception as error:  # the relay reports it; a reader never dies silently
        first_line = (str(error).splitlines() or [""])[0]
        hand_over(f"{type(error).__name__}: {first_line}"[:300])
