"""Concurrent writers while a projection follows the log: no event skipped, none applied twice.

Several threads, each with its own application and connections, drive cases through the
command path. On PostgreSQL, their commits are slowed down while they hold the insert lock,
and a saboteur keeps inserting under that lock and rolling back, so the notification ids have
gaps, and slow transactions are in flight while the follower reads. Meanwhile a follower polls
every few milliseconds in small pages. At the end every case event must have been applied once:
the projected versions equal the store's, the events applied equal the events stored, and the
tables equal a fresh replay.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import select

from renovation.application.app import RenovationApp
from renovation.bootstrap import Runtime, build
from renovation.projections import CatchUpReport, Projector, ViewsDatabase
from renovation.projections.queries.common import tables
from renovation.simulation.demo import SimulatedClock
from tests.projections.support import allocate, dump, views_beside
from tests.support.app import Scenario

WRITERS, CASES_EACH = 4, 3


def writer(runtime: Runtime, n: int, failures: list[BaseException]) -> Callable[[], None]:
    """A thread's own application, connections and clock, driving its own cases."""
    # Built before the threads start, so the writers (not their start-up) run concurrently.
    clock = SimulatedClock()
    rt = build(runtime.settings, clock=clock)
    if rt.settings.is_postgres:
        _slow_commits(rt, random.Random(n))
    scenario = Scenario(rt, clock, seed=n)

    def write() -> None:
        try:
            for i in range(CASES_EACH):
                household = scenario.people.household("450321", 2022, 3, index=100 * n + i)
                ref = f"450321-2022-{n}{i:03d}"
                scenario.drive(scenario.plan(ref, household=household,
                                             stop_after=("closed", "accepted", "applied")[i]))
        except BaseException as error:
            failures.append(error)
        finally:
            rt.close()
    return write


def _slow_commits(rt: Runtime, rng: random.Random) -> None:
    """Hold the events table lock a little longer between insert and commit."""
    recorder: Any = rt.app.recorder
    fetch = recorder._fetch_ids_after_insert_events

    def slowly(*args: Any, **kwargs: Any) -> Any:
        ids = fetch(*args, **kwargs)
        time.sleep(rng.uniform(0, 0.01))
        return ids

    recorder._fetch_ids_after_insert_events = slowly


def saboteur(runtime: Runtime, done: threading.Event) -> Callable[[], None]:
    """Take the insert lock, insert, wait, roll back: each round burns notification ids."""
    url, _, query = runtime.settings.db.partition("?")
    schema = query.removeprefix("schema=")
    rng = random.Random(0)

    def burn() -> None:
        with psycopg.connect(url) as conn:
            while not done.is_set():
                conn.execute(f"LOCK TABLE {schema}.renovation_events IN EXCLUSIVE MODE")
                conn.execute(
                    f"INSERT INTO {schema}.renovation_events"
                    " (originator_id, originator_version, topic, state)"
                    " VALUES (gen_random_uuid(), 1, 'renovation.test:Burned', '\\x00')"
                )
                time.sleep(rng.uniform(0, 0.01))
                conn.rollback()
                time.sleep(rng.uniform(0, 0.005))
    return burn


def test_a_follower_applies_every_event_once_under_concurrent_writers(
    runtime: Runtime, clock: SimulatedClock, views: ViewsDatabase, tmp_path: Path
) -> None:
    Scenario(runtime, clock)  # the programme opened before the writers start
    allocate(runtime)
    follower_app = RenovationApp(runtime.settings.db)
    follower = Projector(follower_app, views, page_size=10)
    reports: list[CatchUpReport] = []
    stop, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def follow() -> None:
        try:
            follower.run(stop, interval=0.005, on_report=reports.append)
        except BaseException as error:
            failures.append(error)

    following = threading.Thread(target=follow)
    threads = [threading.Thread(target=writer(runtime, n, failures)) for n in range(1, WRITERS + 1)]
    if runtime.settings.is_postgres:
        threads.append(threading.Thread(target=saboteur(runtime, done)))
    following.start()
    deadline = time.monotonic() + 60
    while not reports and time.monotonic() < deadline:  # following before anyone writes
        time.sleep(0.01)
    for thread in threads:
        thread.start()
    for thread in threads[:WRITERS]:
        thread.join()
    done.set()
    for thread in threads[WRITERS:]:
        thread.join()
    stop.set()
    following.join()
    assert failures == []
    reports.append(follower.catch_up())
    follower_app.close()
    _assert_each_event_applied_once(runtime, views, reports, tmp_path)


def _assert_each_event_applied_once(
    runtime: Runtime, views: ViewsDatabase, reports: list[CatchUpReport], tmp_path: Path
) -> None:
    notifications = runtime.app.recorder.select_notifications(0, 1_000_000,
                                                              inclusive_of_start=False)
    case_events = [n for n in notifications if n.topic.startswith("renovation.case:")]
    assert sum(r.applied["cases"] for r in reports) == len(case_events)
    assert sum(1 for r in reports if r.applied["cases"]) >= 2, "the follower ran alongside"
    stored: dict[str, int] = {}
    for n in case_events:
        stored[str(n.originator_id)] = max(stored.get(str(n.originator_id), 0),
                                           n.originator_version)
    cases = tables(views)["rv_cases"]
    with views.engine.connect() as conn:
        projected = dict(conn.execute(select(cases.c.case_id, cases.c.version)).all())
    assert projected == stored and len(projected) == WRITERS * CASES_EACH
    if runtime.settings.is_postgres:
        ids = [n.id for n in notifications]
        assert ids[-1] > len(ids), "rolled-back inserts left gaps in the ids"
    with views_beside(runtime, tmp_path, "fresh") as fresh:
        Projector(runtime.app, fresh).catch_up()
        assert dump(fresh) == dump(views)
