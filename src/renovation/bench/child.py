"""One phase of a run in its own process: `python -m renovation.bench.child PHASE JSON-ARGS`.

Its own process so that its peak RSS is its own and no phase warms another's caches. The
result is the last line of stdout, as JSON.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from renovation.bench import reads, stream, web, writes
from renovation.bench.stores import Stores
from renovation.logging import configure_logging

PROFILE_ENV = "RENOVATION_BENCH_PROFILE"
"""A directory: when set, each phase writes a pyinstrument profile there (`--profile`)."""
PHASES: dict[str, Callable[..., dict[str, Any]]] = {
    "online": writes.online,
    "import": writes.bulk_import,
    "bare_bulk": writes.bare_bulk,
    "catch_up": reads.catch_up,
    "rebuild": reads.rebuild,
    "history": reads.history,
    "queries": reads.dashboard,
    "verify": reads.audit_verify,
    "web": web.pages,
    "stream": stream.stream,
}


def main(argv: list[str]) -> None:
    name, raw = argv
    arguments = orjson.loads(raw)
    stores = Stores(arguments.pop("backend"), Path(arguments.pop("root")))
    configure_logging("console", "WARNING")
    profile = os.environ.get(PROFILE_ENV)
    if not profile:
        result = PHASES[name](stores, **arguments)
    else:
        from pyinstrument import Profiler  # the `bench` extra

        with Profiler() as profiler:
            result = PHASES[name](stores, **arguments)
        Path(profile).mkdir(parents=True, exist_ok=True)
        (Path(profile) / f"{name}.txt").write_text(profiler.output_text(color=False))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
