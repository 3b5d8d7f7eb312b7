"""Dashboard pages under load: a real server on loopback, many signed-in users at once.

The server is `renovation serve --no-projections` in its own process over the caught-up store
(one uvicorn worker, as `scripts/run` starts it); the users are asyncio tasks of this process,
each with its own session, asking in turn for 总览 of the city, a county's drill-down (its
townships), a township's villages and the county's money, with a pause between pages (`think`
seconds on average: people read a page before the next click; with none, the figure is a
saturation test, every user's next request queued behind all the others). Server time is the
server's own `Server-Timing` header (up to the response's start, so it includes waiting for a
worker thread); the client's time is beside it.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select

from renovation.application.directory import Principal
from renovation.bench.reads import largest_county
from renovation.bench.stores import Stores
from renovation.bench.workload import percentile
from renovation.bootstrap import build
from renovation.projections.database import open_database
from renovation.projections.queries.common import tables

USER = "pm-4503"
PASSWORD = "bench password for pages"
TIMED = ("overview", "county")
"""The pages the target is for; the others are measured for information."""


def pages(stores: Stores, users: int, seconds: float, think: float = 1.0) -> dict[str, Any]:
    settings = stores.settings("main")
    with build(settings) as rt:
        rt.staff.set_password(Principal.local("bench"), USER, PASSWORD)
    county, township = _largest_units(settings.views_url())
    paths = {"overview": "/", "county": f"/?within={county}",
             "township": f"/?within={township}", "funds": f"/funds?within={county}"}
    port = free_port()
    server = serve(settings.db, str(stores.secrets), port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        found = asyncio.run(_load(base, paths, users, seconds, think))
    finally:
        server.terminate()
        server.wait(timeout=30)
    by_page = {name: _summary(samples) for name, samples in found["samples"].items()}
    worst = max(TIMED, key=lambda name: by_page[name]["server_p95_ms"])
    requests = sum(page["requests"] for page in by_page.values())
    return {"users": users, "think_seconds": think, "seconds": found["seconds"], "county": county,
            "township": township, "pages": by_page, "requests": requests,
            "requests_per_second": requests / found["seconds"], "errors": found["errors"],
            "worst": worst, "worst_server_p95_ms": by_page[worst]["server_p95_ms"]}


def _largest_units(views_url: str) -> tuple[str, str]:
    db = open_database(views_url)
    try:
        cases = tables(db)["rv_cases"]
        county = largest_county(db)
        with db.engine.connect() as conn:
            township = str(conn.execute(
                select(cases.c.township).where(cases.c.county == county)
                .group_by(cases.c.township).order_by(func.count().desc()).limit(1)).scalar_one())
    finally:
        db.dispose()
    return county, township


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: str, secrets: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RENOVATION_DB": db, "RENOVATION_SECRETS_DIR": secrets,
           "RENOVATION_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-c", "from renovation.cli import main; main()", "serve",
         "--no-projections", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(base: str, server: subprocess.Popen[bytes], limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stderr.read()[-2000:]!r}"
                               if server.stderr else "the server stopped")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start in time")


async def _load(base: str, paths: dict[str, str], users: int, seconds: float, think: float
                ) -> dict[str, Any]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits)
               for _ in range(users)]
    try:
        await asyncio.gather(*(_sign_in(client) for client in clients))
        for client in clients[:1]:  # warm every page once, outside the timing
            for path in paths.values():
                await client.get(path)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(_user(n, client, paths, deadline, think, samples, errors)
                               for n, client in enumerate(clients)))
        took = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return {"samples": samples, "errors": errors[:20] + ([f"… {len(errors)} in all"]
                                                          if len(errors) > 20 else []),
            "seconds": took}


async def _sign_in(client: httpx.AsyncClient) -> None:
    answer = await client.post("/login", data={"staff_id": USER, "password": PASSWORD,
                                               "next": "/"})
    if "renovation_session" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {answer.status_code}")


async def _user(n: int, client: httpx.AsyncClient, paths: dict[str, str], deadline: float,
                think: float, samples: dict[str, list[tuple[float, float]]], errors: list[str]
                ) -> None:
    names = list(paths)
    turn = n  # users start on different pages, as people do
    pauses = random.Random(n)
    await asyncio.sleep(pauses.uniform(0, think))  # not all at the same instant
    while time.perf_counter() < deadline:
        await asyncio.sleep(pauses.uniform(0.5, 1.5) * think)
        name = names[turn % len(names)]
        turn += 1
        sent = time.perf_counter()
        try:
            answer = await client.get(paths[name])
        except httpx.HTTPError as error:
            errors.append(f"{name}: {type(error).__name__}")
            continue
        client_ms = (time.perf_counter() - sent) * 1000
        if answer.status_code != 200:
            errors.append(f"{name}: HTTP {answer.status_code}")
            continue
        samples[name].append((_server_ms(answer), client_ms))


def _server_ms(answer: httpx.Response) -> float:
    timing = answer.headers.get("server-timing", "")
    _, _, duration = timing.partition("dur=")
    return float(duration) if duration else float("nan")


def _summary(samples: list[tuple[float, float]]) -> dict[str, Any]:
    server = [s for s, _ in samples]
    client = [c for _, c in samples]
    return {"requests": len(samples),
            "server_p50_ms": percentile(server, 0.5), "server_p95_ms": percentile(server, 0.95),
            "server_p99_ms": percentile(server, 0.99),
            "client_p50_ms": percentile(client, 0.5), "client_p95_ms": percentile(client, 0.95)}
