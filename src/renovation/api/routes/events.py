"""事件订阅 — the ordered feed of published events for integrators (docs/stream.md)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from renovation.api.scope import scoped
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN
from renovation.stream.feed import MAX_LIMIT, Feed
from renovation.stream.head import HeadWatcher

router = APIRouter(prefix="/events", tags=["event feed"])
PAGE = 500
HEARTBEAT_SECONDS = 15.0


def feed(request: Request) -> Feed:
    state = request.app.state
    if not hasattr(state, "feed"):
        state.feed = Feed(state.runtime.app)
    found: Feed = state.feed
    return found


def watcher(request: Request) -> HeadWatcher:
    state = request.app.state
    if not hasattr(state, "head_watcher"):
        state.head_watcher = HeadWatcher(state.runtime.app.recorder.max_notification_id)
    found: HeadWatcher = state.head_watcher
    return found


@router.get("", summary="Published events after a position, in the log's order")
def events(
    request: Request, rt: RuntimeDep, me: PrincipalDep,
    after: Annotated[int, Query(ge=0, description="the `next` of the last page (0: from the"
                                                  " start)")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    types: Annotated[str | None, Query(
        max_length=2000, description="comma-separated published types, e.g."
                                     " case.county_approval_granted,case.payment_disbursed")
    ] = None,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
) -> dict[str, Any]:
    area = scoped(rt, me, "read_event_feed", within)
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    return feed(request).page(after, limit, wanted, area)


@router.get("/stream", summary="Published events live, as Server-Sent Events",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "one `event:` per published event; `id:` is its"
                                            " position, so a reconnect resumes after it"}})
async def stream(
    request: Request, rt: RuntimeDep, me: PrincipalDep,
    after: Annotated[int | None, Query(ge=0, description="start after this position"
                                                         " (default: the head)")] = None,
    types: Annotated[str | None, Query(max_length=2000)] = None,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    # Not nullable: a documented null header would be sent as the text "null".
    last_event_id: Annotated[str, Header(pattern=r"^[0-9]{1,19}$")] = "",
) -> StreamingResponse:
    area = scoped(rt, me, "read_event_feed", within)
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    source = feed(request)
    source.topics_of(wanted)  # refuse unknown types now, not inside the stream
    if last_event_id:
        start = int(last_event_id)
    elif after is not None:
        start = after
    else:
        start = int(rt.app.recorder.max_notification_id() or 0)
    return StreamingResponse(_events(request, source, watcher(request), start, wanted, area),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _events(request: Request, source: Feed, head: HeadWatcher, after: int,
                  types: list[str] | None, area: str) -> Any:
    yield b"retry: 2000\n\n"
    while not await request.is_disconnected():
        known = await head.head()  # before reading: what the page cannot miss
        page = await run_in_threadpool(source.page, after, PAGE, types, area)
        for event in page["events"]:
            data = orjson.dumps(event)
            yield b"id: %d\nevent: %s\ndata: %s\n\n" % (event["position"],
                                                         event["type"].encode(), data)
        after = page["next"]
        if len(page["events"]) == PAGE:
            continue
        if not await head.beyond(max(known, after), HEARTBEAT_SECONDS):
            yield b": still here\n\n"  # keeps proxies from closing an idle stream
