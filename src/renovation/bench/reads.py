"""Read figures: projection catch-up and rebuild, case history, dashboard queries, audit verify."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.app import RenovationApp
from renovation.audit.verify import verify_store
from renovation.bench import bare
from renovation.bench.stores import IMPORT_ENDED, IMPORT_OPENED, Stores
from renovation.bench.workload import peak_rss_mb, percentile
from renovation.fraud.queries import list_findings
from renovation.projections import CatchUpReport, Projector, open_projector, queries
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import tables
from renovation.projections.queries.spotcheck import spot_checks

CITY = "450300000000"
AS_OF = date(2022, 12, 31)


def catch_up(stores: Stores, follow: bool = False) -> dict[str, Any]:
    """Bring every read model from nothing up to the head of the log; beside it, the bare
    library reading and decoding the same notifications (the floor any projection pays).

    With `follow`, it starts beside the import and follows it to the end (a full run at
    1,000,000 cases saves the hour a catch-up afterwards takes); its rate then counts only the
    time spent applying, not the waits for the import, and is a lower bound: the two share
    the machine and each page holds what arrived since the last.
    """
    if follow:
        _wait_for_import(stores)
    with open_projector(stores.settings("main")) as projector:
        wall = time.perf_counter()
        report = _following(stores, projector) if follow else projector.catch_up()
        wall = time.perf_counter() - wall
        topics = sorted({t for p in projector.projections for t in p.topics})
        floor = _read_and_decode(projector.app, topics)
        log = int(projector.app.recorder.max_notification_id() or 0)
    return {"notifications": report.notifications, "seconds": report.seconds, "log_events": log,
            "events_per_second": report.notifications / report.seconds,
            "applied": report.applied, "bare": floor, "rss_mb": peak_rss_mb(),
            "followed_import": follow, "wall_seconds": wall, "pages": report.pages}


def _wait_for_import(stores: Stores, poll: float = 0.5) -> None:
    while not stores.marker(IMPORT_OPENED).exists():
        if stores.marker(IMPORT_ENDED).exists():
            raise RuntimeError("the import ended before it opened the store: nothing to follow")
        time.sleep(poll)


def _following(stores: Stores, projector: Projector, poll: float = 0.5) -> CatchUpReport:
    """Catch up again and again until the import has ended, then once more: the time of the
    passes that applied something is the report's `seconds`."""
    total = CatchUpReport(applied={p.name: 0 for p in projector.projections})
    while True:
        ended = stores.marker(IMPORT_ENDED).exists()  # before the pass: it then sees the end
        report = projector.catch_up()
        total.notifications += report.notifications
        total.pages += report.pages
        for name, count in report.applied.items():
            total.applied[name] += count
        if report.notifications:
            total.seconds += report.seconds
        if ended:
            return total
        if not report.notifications:
            time.sleep(poll)


def _read_and_decode(app: RenovationApp, topics: list[str]) -> dict[str, Any]:
    started, after, count = time.perf_counter(), 0, 0
    decode = app.mapper.to_domain_event
    while page := app.recorder.select_notifications(after, 1000, topics=topics,
                                                    inclusive_of_start=False):
        for notification in page:
            decode(notification)
        count += len(page)
        after = page[-1].id
    seconds = time.perf_counter() - started
    return {"notifications": count, "seconds": seconds, "events_per_second": count / seconds}


def rebuild(stores: Stores) -> dict[str, Any]:
    """Every read model rebuilt from the start of the log into shadow tables, then swapped
    (`renovation projections rebuild`), in read-model tables of its own."""
    with open_projector(stores.rebuild_settings("main")) as projector:
        started = time.perf_counter()
        applied = projector.rebuild()
        seconds = time.perf_counter() - started
    total = sum(applied.values())
    return {"applied": applied, "seconds": seconds, "events_per_second": total / seconds,
            "rss_mb": peak_rss_mb()}


def history(stores: Stores, samples: int) -> dict[str, Any]:
    """Load (replay) randomly chosen cases from the store, as `renovation case show` does."""
    settings = stores.settings("main")
    with open_projector(settings) as projector:
        refs = _case_refs(projector.db)
    rng = random.Random(11)
    chosen = [rng.choice(refs) for _ in range(samples)]
    app = RenovationApp(settings.db)
    try:
        for ref in chosen[:20]:  # warm the connection and the code paths
            app.find(case_id(ref), RenovationCase)
        timings = [_timed(lambda r=ref: app.find(case_id(r), RenovationCase)) for ref in chosen]
    finally:
        app.close()
    env = stores.bare_env("bulk")
    bare_ms = bare.get_latencies(env, samples)
    return {"samples": samples, "cases": len(refs), "p50_ms": percentile(timings, 0.5),
            "p95_ms": percentile(timings, 0.95), "p99_ms": percentile(timings, 0.99),
            "bare_p99_ms": percentile(bare_ms, 0.99) if bare_ms else None}


def _case_refs(db: ViewsDatabase) -> list[str]:
    cases = tables(db)["rv_cases"]
    with db.engine.connect() as conn:
        return list(conn.execute(select(cases.c.case_ref)).scalars())


DASHBOARD: dict[str, Callable[[ViewsDatabase, str], Any]] = {
    "progress by county (city)": lambda db, c: queries.progress(db, "county"),
    "progress by township (city)": lambda db, c: queries.progress(db, "township"),
    "progress by village (city), a page of 50": lambda db, c: queries.progress(
        db, "village", limit=50),
    "progress by village (county)": lambda db, c: queries.progress(db, "village", inside=c),
    "funds (all)": lambda db, c: queries.funds(db),
    "construction (city)": lambda db, c: queries.construction(db, inside=CITY),
    "overdue (county)": lambda db, c: queries.overdue(db, AS_OF, inside=c),
    "open notices (city)": lambda db, c: queries.open_notices(db, inside=CITY, as_of=AS_OF),
    "case list, first page (county)": lambda db, c: queries.list_cases(
        db, queries.CaseFilter(within=c)),
    "case list, by stage (county)": lambda db, c: queries.list_cases(
        db, queries.CaseFilter(within=c, stages=("under_construction",))),
    "findings (county)": lambda db, c: list_findings(db, AS_OF, county=c),
    "spot checks (all counties)": lambda db, c: spot_checks(db),
}


def dashboard(stores: Stores, repeats: int) -> dict[str, Any]:
    """Each dashboard query `repeats` times over the caught-up read models; p95 of each."""
    with open_projector(stores.settings("main")) as projector:
        db = projector.db
        county = largest_county(db)
        found: dict[str, Any] = {}
        for name, query in DASHBOARD.items():
            query(db, county)  # warm
            timings = [_timed(lambda q=query: q(db, county)) for _ in range(repeats)]
            found[name] = {"p50_ms": percentile(timings, 0.5), "p95_ms": percentile(timings, 0.95)}
    worst = max(found.items(), key=lambda item: item[1]["p95_ms"])
    return {"queries": found, "county": county, "repeats": repeats, "worst": worst[0],
            "worst_p95_ms": worst[1]["p95_ms"]}


def largest_county(db: ViewsDatabase) -> str:
    cases = tables(db)["rv_cases"]
    query = (select(cases.c.county).group_by(cases.c.county)
             .order_by(func.count().desc()).limit(1))
    with db.engine.connect() as conn:
        return str(conn.execute(query).scalar_one())


def audit_verify(stores: Stores) -> dict[str, Any]:
    """`renovation audit verify` on the store: every leaf and the chain recomputed."""
    settings = stores.settings("main")
    report = verify_store(settings.db)
    rss_mb = peak_rss_mb()  # before the bare read below: the verifier's own peak
    app = RenovationApp(settings.db)
    try:
        started, after, count = time.perf_counter(), 0, 0
        while page := app.recorder.select_notifications(after, 10_000, inclusive_of_start=False):
            count += len(page)
            after = page[-1].id
        read = time.perf_counter() - started
    finally:
        app.close()
    events = report.events
    return {"events": events, "seconds": report.seconds, "ok": report.ok,
            "events_per_second": events / report.seconds, "rss_mb": rss_mb,
            "bare": {"notifications": count, "seconds": read, "events_per_second": count / read}}


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000
