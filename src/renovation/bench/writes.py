"""Write figures: online commands one commit each, and the bulk import of whole lifecycles."""

from __future__ import annotations

import time
from itertools import islice
from typing import Any

import orjson

from renovation.application.importing import import_commands, jsonl_lines
from renovation.bench import bare
from renovation.bench.stores import IMPORT_OPENED, Stores
from renovation.bench.workload import command_file, head, opened, peak_rss_mb, programme
from renovation.simulation.demo import MANAGER, commands
from renovation.simulation.staff import principal


def online(stores: Stores, cases: int) -> dict[str, Any]:
    """`cases` whole lifecycles, one `execute` (one atomic write) per command; the bare library
    does as many saves of as many events just before and just after (the load drifts)."""
    sent = list(commands(programme(cases)))
    shape = (len(sent), 2, max(1, round(len(sent) / cases)))  # ~2 events per command
    before = _bare_online(stores, "online_1", *shape)
    stores.reset("online")
    with opened(stores.settings("online"), cases) as runtime:
        manager = principal(runtime, MANAGER)
        first = head(runtime)
        started = time.perf_counter()
        for command in sent:
            runtime.service.execute(command, manager)
        seconds = time.perf_counter() - started
        events = head(runtime) - first
    after = _bare_online(stores, "online_2", *shape)
    bare_seconds = (before["seconds"] + after["seconds"]) / 2
    return {"commands": len(sent), "events": events, "seconds": seconds,
            "commands_per_second": len(sent) / seconds, "events_per_command": events / len(sent),
            "bare": {"saves": len(sent), "seconds": bare_seconds, "runs": [before, after],
                     "saves_per_second": len(sent) / bare_seconds}}


def _bare_online(stores: Stores, name: str, saves: int, events: int, per_case: int
                 ) -> dict[str, Any]:
    stores.reset_bare(name)
    return bare.per_save(stores.bare_env(name), saves, events, per_case)


def bulk_import(stores: Stores, cases: int, batch_size: int) -> dict[str, Any]:
    """The JSONL import path (`renovation import`) of `cases` full lifecycles into a new store."""
    path, lines = command_file(stores.root, cases)
    stores.reset("main")
    with opened(stores.settings("main"), cases) as runtime:
        stores.marker(IMPORT_OPENED).touch()
        before = head(runtime)
        report = import_commands(jsonl_lines(path), runtime.service,
                                 principal(runtime, MANAGER), batch_size=batch_size)
        events = head(runtime) - before
    if report.rejected:
        raise RuntimeError(f"{report.rejected} commands were refused; the figures would lie")
    seconds = report.elapsed_seconds
    return {"cases": cases, "commands": report.applied, "events": events, "seconds": seconds,
            "events_per_second": events / seconds, "commands_per_second": report.applied / seconds,
            "file_bytes": path.stat().st_size, "batch_size": batch_size, "lines": lines,
            "rss_mb": peak_rss_mb()}


def bare_bulk(stores: Stores, cases: int, events_per_case: int, cases_per_save: int
              ) -> dict[str, Any]:
    stores.reset_bare("bulk")
    result = bare.bulk(stores.bare_env("bulk"), cases, events_per_case, cases_per_save)
    return {**result, "cases": cases, "events_per_case": events_per_case,
            "cases_per_save": cases_per_save}


def first_commands(cases: int, count: int) -> list[bytes]:
    """A sample of the programme's command lines (for tests and profiles)."""
    return [orjson.dumps(c) for c in islice(commands(programme(cases)), count)]
