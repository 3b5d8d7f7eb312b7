"""One poller for every live stream: waiters wake when the head moves past what they have,
time out quietly when it does not, and nobody polls when nobody waits."""

from __future__ import annotations

import asyncio

from renovation.stream.head import HeadWatcher


class FakeLog:
    def __init__(self) -> None:
        self.head, self.reads = 10, 0

    def read(self) -> int:
        self.reads += 1
        return self.head


def test_every_waiter_wakes_when_the_head_passes_its_position() -> None:
    log = FakeLog()
    watcher = HeadWatcher(log.read, interval=0.01)

    async def scenario() -> list[bool]:
        assert await watcher.head() == 10
        waiting = [asyncio.create_task(watcher.beyond(10, timeout=5)) for _ in range(50)]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in waiting)
        log.head = 11
        return await asyncio.gather(*waiting)

    assert asyncio.run(scenario()) == [True] * 50


def test_a_waiter_times_out_when_nothing_is_written_and_polling_then_stops() -> None:
    log = FakeLog()
    watcher = HeadWatcher(log.read, interval=0.01)

    async def scenario() -> tuple[bool, int, int]:
        moved = await watcher.beyond(10, timeout=0.1)
        await asyncio.sleep(0.05)
        reads = log.reads
        await asyncio.sleep(0.1)
        return moved, reads, log.reads

    moved, reads, later = asyncio.run(scenario())
    assert not moved and reads >= 3
    assert later == reads, "nobody waits: nobody polls"


def test_a_head_already_past_the_position_answers_at_once() -> None:
    watcher = HeadWatcher(FakeLog().read, interval=10)
    assert asyncio.run(watcher.beyond(3, timeout=1)) is True
