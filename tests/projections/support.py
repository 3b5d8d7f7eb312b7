"""Helpers for the projection tests: projectors over a runtime, table dumps, every answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from renovation.aggregates.programme import Allocation
from renovation.bootstrap import Runtime
from renovation.projections import Projector, ViewsDatabase, open_database, queries
from renovation.projections.progress import ROLLUPS
from renovation.projections.queries.common import tables
from renovation.projections.spotchecks import TALLIES, county_tally
from renovation.simulation.guilin import PROGRAMME, plan_rows
from renovation.simulation.staff import principal
from tests.support import postgres
from tests.support.app import MANAGER

AS_OF = date(2022, 12, 31)


def allocate(rt: Runtime, households: int = 1173) -> None:
    """Record the Guilin 2022 plan rows (the programme must be open)."""
    rows = [
        Allocation(jurisdiction=str(r["county_code"]).ljust(12, "0"), name=str(r["county_name"]),
                   **{k: v for k, v in r.items() if k not in ("county_code", "county_name")})
        for r in plan_rows(households)
    ]
    rt.programmes.allocate(principal(rt, MANAGER), PROGRAMME, rows, date(2022, 2, 15))


@contextmanager
def views_beside(rt: Runtime, tmp_path: Path, name: str) -> Iterator[ViewsDatabase]:
    """Another, empty read-model database on the same backend as the runtime's store."""
    if not rt.settings.is_postgres:
        db = open_database(f"sqlite:///{tmp_path}/{name}.db")
        try:
            yield db
        finally:
            db.dispose()
        return
    with postgres.fresh_schema() as schema:
        db = open_database(postgres.url_with_schema(schema))
        try:
            yield db
        finally:
            db.dispose()


def projector(rt: Runtime, db: ViewsDatabase, page_size: int = 1000) -> Projector:
    return Projector(rt.app, db, page_size=page_size)


def dump(db: ViewsDatabase) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table, sorted: equal dumps mean equal read models."""
    with db.engine.connect() as conn:
        return {
            name: sorted(tuple(row) for row in conn.execute(select(table)))
            for name, table in sorted(tables(db).items())
        }


def answers(db: ViewsDatabase, as_of: date = AS_OF) -> bytes:
    """Every query's answer, serialised as the CLI prints it."""
    everything = {
        "progress": [queries.progress(db, by) for by in ("county", "township", "village")],
        "funds": queries.funds(db),
        "construction": queries.construction(db),
        "overdue": queries.overdue(db, as_of),
        "notices": queries.open_notices(db),
        "notices_then": queries.open_notices(db, as_of=date(2022, 4, 20)),
        "cases": queries.list_cases(db, limit=10_000),
    }
    return json.dumps(everything, ensure_ascii=False, indent=2).encode()


def spot_check_counts_match_the_case_rows(db: ViewsDatabase) -> bool:
    """The spot checks' running counts per county equal a recount of their case rows."""
    t = tables(db)
    expected: dict[tuple[str, str], list[int]] = {}
    with db.engine.connect() as conn:
        for row in conn.execute(select(t["rv_spotcheck_cases"])).mappings():
            total = expected.setdefault((row["programme"], row["county"]), [0] * len(TALLIES))
            total[:] = [a + b for a, b in zip(total, county_tally(dict(row)), strict=True)]
        kept = {(r["programme"], r["county"]): [r[name] for name in TALLIES]
                for r in conn.execute(select(t["rv_spotcheck_counties"])).mappings()}
    return kept == {key: counts for key, counts in expected.items() if any(counts)}


def progress_counts_match_the_case_rows(db: ViewsDatabase) -> bool:
    """Every table of running counts equals a count over the case rows made from scratch."""
    t = tables(db)
    with db.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(select(t["rv_cases"])).mappings()]
        for rollup in ROLLUPS:
            expected: dict[tuple[Any, ...], list[int]] = {}
            for row in rows:
                for key, part in rollup.parts(row):
                    total = expected.setdefault(key, [0] * len(part))
                    for i, n in enumerate(part):
                        total[i] += n
            kept = {tuple(r[k] for k in rollup.key): [r[c] for c in rollup.counts]
                    for r in conn.execute(select(t[rollup.spec.name])).mappings()}
            if kept != expected:
                return False
    return True
