"""事件订阅 — the ordered feed of published events, from any position, for one area.

A consumer keeps the `next` position of each page and asks from it again: it never misses nor
repeats an event across restarts. Positions are the log's notification ids. On PostgreSQL they
have gaps (rolled-back saves), but the library writes under an exclusive table lock, so ids
become visible in the order they are issued: once a reader sees id N, every smaller id that
will ever exist is visible too, and "everything after my last position" is safe to ask (the
projections rely on the same; tests/integration/test_feed_concurrency.py checks it under
concurrent writers with slow commits and rollbacks).

Events are published from their stored fields without building the event objects (five times
the rate); a stored form of an older version, or one missing a field added since, goes through
its class to be upcast and filled in, so consumers see one form per type.

Which area an event belongs to comes from its aggregate's first event (the application names
the case's village; the programme its jurisdiction), read once and kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from functools import cache
from typing import Any
from uuid import UUID

from renovation.aggregates.case import case_id
from renovation.application.app import RenovationApp
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import covers
from renovation.stream.published import event_id, publish_state, published_classes, type_of

MAX_LIMIT = 1000
SCAN_PAGES = 20
"""At most this many log pages are read for one answer; a consumer filtering for a small area
then gets an empty page with `next` moved on, rather than a request that reads the whole log."""
Where = tuple[str | None, str | None]
"""(area, case_ref) of an aggregate."""


class Origins:
    """The area and case reference of each aggregate, from its first event, kept for reuse."""

    def __init__(self, app: RenovationApp, size: int = 200_000) -> None:
        self.app, self.size = app, size
        self._kept: OrderedDict[UUID, Where] = OrderedDict()
        self._lock = threading.Lock()

    def where(self, family: str, originator_id: UUID, version: int,
              state: dict[str, Any]) -> Where:
        """Where the event (its fields in JSON form) belongs."""
        if family == "objection":
            return state["village"], state["case_ref"]
        if family == "programme" and state.get("allocation"):
            return state["allocation"]["jurisdiction"], None
        if version == 1:
            return self._keep(originator_id, self._from_first(family, state))
        return self.of(family, originator_id)

    def of(self, family: str, originator_id: UUID) -> Where:
        with self._lock:
            kept = self._kept.get(originator_id)
        if kept is not None:
            return kept
        (stored,) = self.app.recorder.select_events(originator_id, lte=1, limit=1)
        _, state, _ = self.app.mapper.to_state(stored)
        return self._keep(originator_id, self._from_first(family, state))

    def _from_first(self, family: str, state: dict[str, Any]) -> Where:
        if family == "programme":
            return state["jurisdiction"], None
        if family == "finding":
            refs = state["case_refs"]
            return (self.of("case", case_id(refs[0]))[0], refs[0]) if refs else (None, None)
        return state["village_code"], state["case_ref"]

    def _keep(self, originator_id: UUID, where: Where) -> Where:
        with self._lock:
            self._kept[originator_id] = where
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return where


class Feed:
    """Pages of published events after a position, optionally of some types, for an area."""

    def __init__(self, app: RenovationApp) -> None:
        self.app = app
        self.origins = Origins(app)
        self.topics = {type_of(cls.TOPIC): cls.TOPIC for cls in published_classes().values()}

    def page(self, after: int, limit: int = 100, types: Collection[str] | None = None,
             within: str | None = None) -> dict[str, Any]:
        """`{"events": [...], "next": position}`; `next` is where to ask from next time."""
        topics = self.topics_of(types)
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

    def event_id_at(self, position: int) -> str | None:
        """The published id of the event at `position`, if the log holds one there."""
        found = self.app.recorder.select_notifications(start=position, limit=1)
        if not found or found[0].id != position:
            return None
        return event_id(found[0].originator_id, found[0].originator_version)

    def topics_of(self, types: Collection[str] | None) -> list[str]:
        """The stored topics of the published types asked for (all when none), or refused."""
        if not types:
            return sorted(self.topics.values())
        unknown = sorted(set(types) - set(self.topics))
        if unknown:
            raise InvalidInputError("feed.type_known", "types", ",".join(unknown),
                                    f"unknown event types: {', '.join(unknown)}; see"
                                    " `renovation schema events`")
        return sorted(self.topics[name] for name in set(types))

    def _published(self, notification: Any, within: str | None) -> dict[str, Any] | None:
        cls, state, current = self.app.mapper.to_state(notification)
        if not current or len(state) != _stored_fields(cls):
            state = self._dumped(cls, notification, state)
        kind = type_of(notification.topic)
        assert kind is not None
        area, case_ref = self.origins.where(kind.partition(".")[0], notification.originator_id,
                                            notification.originator_version, state)
        if within is not None and (area is None or not (covers(within, area)
                                                        or covers(area, within))):
            return None
        return publish_state(notification.id, notification.topic, cls,
                             notification.originator_id, notification.originator_version,
                             state, area, case_ref)

    @staticmethod
    def _dumped(cls: type[Any], notification: Any, state: dict[str, Any]) -> dict[str, Any]:
        """An upcast stored form, through the event class: with the defaults it fills in."""
        event = cls.model_validate({**state, "originator_id": notification.originator_id,
                                    "originator_version": notification.originator_version})
        dumped: dict[str, Any] = event.model_dump(mode="json", exclude=set(_BASE))
        return dumped


_BASE = ("originator_id", "originator_version")


@cache
def _stored_fields(cls: type[Any]) -> int:
    """How many fields a current stored form of `cls` holds (all but the two in the row)."""
    return len(cls.model_fields) - len(_BASE)
