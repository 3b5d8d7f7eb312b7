"""The HTTP door as a test drives it: the app over a test runtime, in process, with tokens."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

from renovation.api import create_app
from renovation.application.directory import Principal
from renovation.bootstrap import Runtime


@contextmanager
def api_client(runtime: Runtime) -> Iterator[TestClient]:
    """A client of the server over `runtime`; the read models are caught up at start and after
    every command (no follower thread: tests decide when time passes)."""
    with TestClient(create_app(runtime=runtime, follow=False)) as client:
        yield client


def token(runtime: Runtime, staff_id: str) -> dict[str, str]:
    """The Authorization header of a fresh API token of `staff_id`."""
    issued = runtime.staff.issue_token(Principal.local("ops"), staff_id, days=366, label="test")
    return {"Authorization": f"Bearer {issued.token}"}


def catch_up(client: TestClient) -> None:
    client.app.state.follower.catch_up_now()  # type: ignore[attr-defined]


def body(response: Any) -> Any:
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()


@contextmanager
def served(runtime: Runtime) -> Iterator[str]:
    """The server over `runtime` on a loopback port, in a thread: its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(runtime=runtime, follow=False),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
