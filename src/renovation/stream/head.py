"""The head of the log, watched once for every live stream of a server.

A live stream waits for the log to grow past what it has sent. Rather than each stream asking
the store every few hundred milliseconds, one poller per server asks for the head position (an
index lookup) every `interval` seconds while anyone is waiting, and wakes them all when it
moves: the delay after a commit is about half the interval, whatever the number of streams.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class HeadWatcher:
    """Wakes waiting streams when the log's last position moves."""

    def __init__(self, read_head: Callable[[], int | None], interval: float = 0.05) -> None:
        self._read_head, self.interval = read_head, interval
        self.position = 0
        self._moved = asyncio.Event()
        self._waiting = 0
        self._poller: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def head(self) -> int:
        """The head now (read afresh when nobody is watching)."""
        if not self._watching():
            await self._read()
        return self.position

    def _watching(self) -> bool:
        """Whether a poller runs, on this loop (a test client may run the app on several)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._moved, self._poller = loop, asyncio.Event(), None
        return self._poller is not None and not self._poller.done()

    async def beyond(self, position: int, timeout: float) -> bool:
        """Wait until the head passes `position`: True, or False after `timeout` seconds."""
        self._waiting += 1
        try:
            if not self._watching():
                self._poller = asyncio.create_task(self._poll())
            async with asyncio.timeout(timeout):
                while self.position <= position:
                    await self._moved.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting -= 1

    async def _poll(self) -> None:
        while self._waiting:
            await self._read()
            await asyncio.sleep(self.interval)

    async def _read(self) -> None:
        head = int(await asyncio.to_thread(self._read_head) or 0)
        if head != self.position:
            self.position = head
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()
