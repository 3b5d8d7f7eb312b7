"""The HTTP server: the API under `/api`, the dashboard pages, and the read models it follows.

`create_app` wires one `Runtime` (every service, as the CLI has them) and the read-model
database; the read models follow the log in a thread of the same process unless the server is
told another process keeps them (`follow=False`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from renovation import __version__, web
from renovation.api import errors
from renovation.api.follower import Follower
from renovation.api.routes import ROUTERS
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.projections import Projector, open_database
from renovation.projections.queries.answers import Answers

MAX_BODY_BYTES = 1 << 20
"""A command is a few kilobytes; a megabyte is generous and bounds what a caller can make us
hold."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def create_app(
    settings: Settings | None = None, runtime: Runtime | None = None, *, follow: bool = True,
    interval: float = 1.0,
) -> FastAPI:
    """The server over the configured store (or a given runtime, for tests)."""
    rt = runtime or build(settings or Settings())
    views = open_database(rt.settings.views_url())
    follower = Follower(Projector(rt.app, views), interval)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        follower.catch_up_now()
        if follow:
            follower.start()
        try:
            yield
        finally:
            follower.stop()
            views.dispose()
            if runtime is None:
                rt.close()

    app = FastAPI(title="renovation — 农村危房改造", version=__version__, lifespan=lifespan,
                  docs_url="/docs", openapi_url="/openapi.json")
    app.state.runtime, app.state.views, app.state.follower = rt, views, follower
    app.state.answers = Answers()
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, responses=errors.REFUSALS)
    web.install(app)
    app.add_middleware(BodyLimit)  # type: ignore[arg-type]
    return app


class BodyLimit:
    """Refuse (413) a body over `MAX_BODY_BYTES`, whether declared or streamed, before the
    application reads it; add headers every response should carry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            await _too_large(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise _BodyTooLargeError
            return message

        started = time.perf_counter()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Server-Timing: how long the server took up to the response's start, which
                # load tests and browsers' developer tools read without access to the logs.
                took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()
                message.setdefault("headers", [])
                message["headers"] += [(b"x-content-type-options", b"nosniff"),
                                       (b"referrer-policy", b"same-origin"),
                                       (b"x-frame-options", b"DENY"),
                                       (b"server-timing", took)]
            await send(message)

        try:
            await self.app(scope, limited, with_headers)
        except _BodyTooLargeError:
            await _too_large(send)


class _BodyTooLargeError(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = (b'{"error":"InvalidInputError","rule":"input.body_too_large","field":"body",'
            b'"value":null,"message":"the request body is larger than 1 MiB"}')
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
