"""事件订阅 — the ordered feed of published events, from any position, for one area.

A consumer keeps the `next` position of each page and asks from it again: it never misses nor
repeats an event across restarts. Positions are the log's notification ids. On PostgreSQL they
have gaps (rolled-back saves), but the library writes under an exclusive table lock, so ids
become visible in the order they are issued: once a reader sees id N, every smaller id that
will ever exist is visible too, and "everything after my last position" is safe to ask (the
projections rely on the same; tests/faults checks it under concurrent writers).

Which area an event belongs to comes from its aggregate's first event (the application names
the case's village; the programme its jurisdiction), read once and kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable
from typing import Any
from uuid import UUID

from renovation.aggregates.case import case_id
from renovation.application.app import RenovationApp
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import covers
from renovation.stream.published import publish, published_classes, type_of

MAX_LIMIT = 1000
SCAN_PAGES = 20
"""At most this many log pages are read for one answer; a consumer filtering for a small area
then gets an empty page with `next` moved on, rather than a request that reads the whole log."""
Where = tuple[str | None, str | None]
"""(area, case_ref) of an aggregate."""


class Origins:
    """The area and case reference of each aggregate, from its first event, kept for reuse."""

    def __init__(self, app: RenovationApp, size: int = 100_000) -> None:
        self.app, self.size = app, size
        self._kept: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, originator_id: UUID) -> Any:
        with self._lock:
            if originator_id in self._kept:
                return self._kept[originator_id]
        (stored,) = self.app.recorder.select_events(originator_id, lte=1, limit=1)
        event = self.app.mapper.to_domain_event(stored)
        with self._lock:
            self._kept[originator_id] = event
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return event

    def where(self, family: str, event: Any) -> Where:
        if family == "objection":
            return event.village, event.case_ref
        if family == "programme":
            allocation = getattr(event, "allocation", None)
            if allocation is not None:
                return allocation.jurisdiction, None
            return self.first(event.originator_id).jurisdiction, None
        if family == "finding":
            refs = self.first(event.originator_id).case_refs
            return (self.case(refs[0])[0], refs[0]) if refs else (None, None)
        first = event if event.originator_version == 1 else self.first(event.originator_id)
        return first.village_code, first.case_ref

    def case(self, case_ref: str) -> Where:
        first = self.first(case_id(case_ref))
        return first.village_code, first.case_ref


class Feed:
    """Pages of published events after a position, optionally of some types, for an area."""

    def __init__(self, app: RenovationApp) -> None:
        self.app = app
        self.origins = Origins(app)
        self.topics = {type_of(cls.TOPIC): cls.TOPIC for cls in published_classes().values()}

    def page(self, after: int, limit: int = 100, types: Collection[str] | None = None,
             within: str | None = None) -> dict[str, Any]:
        """`{"events": [...], "next": position}`; `next` is where to ask from next time."""
        topics = self._topics(types)
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInputError("feed.limit", "limit", limit,
                                    f"limit is 1 to {MAX_LIMIT}")
        if after < 0:
            raise InvalidInputError("feed.cursor", "after", after,
                                    "after is a position of the log, 0 or more")
        events: list[dict[str, Any]] = []
        cursor = after
        for _ in range(SCAN_PAGES):
            wanted = limit - len(events)
            page = self.app.recorder.select_notifications(
                start=cursor, limit=wanted, topics=topics, inclusive_of_start=False)
            for notification in page:
                cursor = notification.id
                published = self._published(notification, within)
                if published is not None:
                    events.append(published)
            if len(events) >= limit or len(page) < wanted:
                break
        return {"events": events, "next": cursor}

    def _topics(self, types: Collection[str] | None) -> list[str]:
        if not types:
            return sorted(self.topics.values())
        unknown = sorted(set(types) - set(self.topics))
        if unknown:
            raise InvalidInputError("feed.type_known", "types", ",".join(unknown),
                                    f"unknown event types: {', '.join(unknown)}; see"
                                    " `renovation schema events`")
        return sorted(self.topics[name] for name in set(types))

    def _published(self, notification: Any, within: str | None) -> dict[str, Any] | None:
        event = self.app.mapper.to_domain_event(notification)
        kind = type_of(notification.topic)
        assert kind is not None
        area, case_ref = self.origins.where(kind.partition(".")[0], event)
        if within is not None and (area is None or not (covers(within, area)
                                                        or covers(area, within))):
            return None
        return publish(notification.id, notification.topic, event, area, case_ref)


def published_types() -> Iterable[str]:
    return published_classes().keys()
