"""The feed under concurrent writers: a consumer that keeps only its last `next` position gets
every published event exactly once, in the log's order.

The writers and the saboteur are those of test_projection_concurrency: on PostgreSQL the
writers' commits are slowed while they hold the insert lock and the saboteur keeps inserting and
rolling back, so positions have gaps and slow transactions are in flight while the consumer
reads, in small pages, every few milliseconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from renovation.application.app import RenovationApp
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from renovation.stream.feed import Feed
from renovation.stream.published import event_id, type_of
from tests.integration.test_projection_concurrency import WRITERS, saboteur, writer
from tests.projections.support import allocate
from tests.support.app import Scenario


class Consumer:
    """Asks for the page after its last position, in its own application and connection."""

    def __init__(self, runtime: Runtime) -> None:
        self.app = RenovationApp(runtime.settings.db)
        self.feed = Feed(self.app)
        self.seen: list[dict[str, Any]] = []
        self.position, self.pages = 0, 0

    def poll(self) -> int:
        page = self.feed.page(self.position, limit=7)
        self.seen.extend(page["events"])
        self.position = page["next"]
        self.pages += bool(page["events"])
        return len(page["events"])


def test_a_consumer_of_the_feed_gets_every_event_once_under_concurrent_writers(
        runtime: Runtime, clock: SimulatedClock) -> None:
    Scenario(runtime, clock)
    allocate(runtime)
    consumer = Consumer(runtime)
    stop, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def consume() -> None:
        try:
            while not stop.is_set():
                if not consumer.poll():
                    time.sleep(0.003)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=writer(runtime, n, failures))
               for n in range(1, WRITERS + 1)]
    if runtime.settings.is_postgres:
        threads.append(threading.Thread(target=saboteur(runtime, done)))
    reading = threading.Thread(target=consume)
    reading.start()
    for thread in threads:
        thread.start()
    for thread in threads[:WRITERS]:
        thread.join()
    busy_pages = consumer.pages
    done.set()
    for thread in threads[WRITERS:]:
        thread.join()
    stop.set()
    reading.join()
    while consumer.poll():
        pass
    consumer.app.close()
    assert failures == []

    logged = runtime.app.recorder.select_notifications(0, 1_000_000, inclusive_of_start=False)
    stored = [n for n in logged if type_of(n.topic) is not None]
    assert [e["position"] for e in consumer.seen] == [n.id for n in stored]
    assert [e["id"] for e in consumer.seen] == [
        event_id(n.originator_id, n.originator_version) for n in stored]
    assert busy_pages >= 2, "the consumer read while the writers wrote"
    if runtime.settings.is_postgres:
        assert logged[-1].id > len(logged), "rolled-back inserts left gaps in the positions"
