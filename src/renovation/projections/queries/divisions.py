"""Names beside codes: the divisions table, then the programme's plan rows (county names)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from renovation.projections.database import ViewsDatabase
from renovation.projections.divisions import names_of
from renovation.projections.queries.common import tables


def division_names(db: ViewsDatabase, codes: Iterable[str]) -> dict[str, str]:
    """The name of each code that has one."""
    wanted = set(codes)
    names = names_of(db, wanted)
    # Plan rows name counties; a row for a city's own work funds (桂林市本级) names no area.
    missing = sorted(code for code in wanted - set(names) if code.endswith("000000")
                     and not code.endswith("00000000"))
    if missing:
        plan = tables(db)["rv_allocations"]
        with db.engine.connect() as conn:
            for start in range(0, len(missing), 500):
                query = select(plan.c.jurisdiction, plan.c.name).where(
                    plan.c.jurisdiction.in_(missing[start:start + 500]))
                names.update(dict(conn.execute(query).all()))
    return names
