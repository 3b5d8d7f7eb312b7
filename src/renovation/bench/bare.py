"""The bare eventsourcing library doing comparable writes and reads, for the ratios.

A minimal Application with a case-like aggregate: the library's default mapper and JSON
transcoder, no validation, no encryption, no audit chain, no command records. Its events carry
a payload of about the size of ours.
"""

from __future__ import annotations

import random
import time
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

PAYLOAD = {"note": "x" * 180, "actor": "clerk-450321001001", "village": "450321001001",
           "occurred_on": "2022-03-01"}


class BareCase(Aggregate):
    @event("Opened")
    def __init__(self, ref: str, payload: dict[str, Any]) -> None:
        self.ref = ref
        self.steps = 0

    @event("Progressed")
    def progress(self, step: int, payload: dict[str, Any]) -> None:
        self.steps = step


class BareApp(Application[UUID]):
    name = "bare"


def _events(case: BareCase, count: int) -> None:
    for _ in range(count):
        case.progress(case.steps + 1, PAYLOAD)


def per_save(
    env: dict[str, str], saves: int, events_per_save: int, per_case: int
) -> dict[str, Any]:
    """One command per save, as the library's own pattern: get the aggregate, change it, save.

    A new aggregate every `per_case` saves, as a case's commands follow each other.
    """
    app = BareApp(env=env)
    try:
        started, current = time.perf_counter(), None
        for n in range(saves):
            if n % per_case == 0:
                case = BareCase(f"case-{n}", PAYLOAD)
                _events(case, events_per_save - 1)
                current = case.id
            else:
                assert current is not None
                case = app.repository.get(current)
                _events(case, events_per_save)
            app.save(case)
        seconds = time.perf_counter() - started
    finally:
        app.close()
    return {"saves": saves, "seconds": seconds, "saves_per_second": saves / seconds}


def bulk(env: dict[str, str], cases: int, events_per_case: int, cases_per_save: int
         ) -> dict[str, Any]:
    """Whole cases written many to a save, as a batch of an import writes them."""
    app = BareApp(env=env)
    try:
        started, events = time.perf_counter(), 0
        for first in range(0, cases, cases_per_save):
            batch = []
            for n in range(first, min(cases, first + cases_per_save)):
                case = BareCase(f"case-{n}", PAYLOAD)
                _events(case, events_per_case - 1)
                batch.append(case)
            events += sum(len(case.pending_events) for case in batch)
            app.save(*batch)
        seconds = time.perf_counter() - started
    finally:
        app.close()
    return {"events": events, "seconds": seconds, "events_per_second": events / seconds}


def ids(env: dict[str, str], limit: int) -> list[UUID]:
    app = BareApp(env=env)
    try:
        found = app.recorder.select_notifications(1, limit, topics=[_opened_topic()])
        return [n.originator_id for n in found]  # type: ignore[misc]
    finally:
        app.close()


def _opened_topic() -> str:
    from eventsourcing.utils import get_topic

    return get_topic(BareCase.Opened)  # type: ignore[attr-defined]


def get_latencies(env: dict[str, str], samples: int, seed: int = 7) -> list[float]:
    """Milliseconds of `repository.get` of randomly chosen aggregates."""
    app = BareApp(env=env)
    try:
        chosen = _sample(ids(env, 10_000), samples, seed)
        return [_timed(lambda i=i: app.repository.get(i)) for i in chosen]
    finally:
        app.close()


def _sample(items: list[Any], samples: int, seed: int) -> list[Any]:
    rng = random.Random(seed)
    return [rng.choice(items) for _ in range(samples)] if items else []


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000
