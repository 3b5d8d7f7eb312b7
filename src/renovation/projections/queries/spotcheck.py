"""市级抽查 — the population a draw is made from, and the spot-check report per county.

`population` streams a county's accepted cases by reference (optionally only those accepted up
to a log position); `ReadModelCases` hands them to the spot-check service. `spot_checks`
reports per county: accepted, drawn, checked, passed, failed, the ratio achieved (checked ÷
accepted) against the policy's minimum.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Table, func, select

from renovation.application.app import RenovationApp
from renovation.projections import tracking
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import policies, tables
from renovation.projections.spotchecks import SpotChecks

PLACES = Decimal("0.0001")


def spot_check_tables(db: ViewsDatabase) -> dict[str, Table]:
    """The live tables of the spot-check projection (whether or not it is registered yet)."""
    return {spec.name: spec.define(db.metadata, spec.name, 0) for spec in SpotChecks.specs}


def population(
    db: ViewsDatabase, programme: str, county: str, up_to: int | None = None, chunk: int = 1000
) -> Iterator[tuple[str, str]]:
    """(case ref, township) of every case the county accepted, by case ref, streamed."""
    t = spot_check_tables(db)["rv_spotcheck_cases"]
    query = (select(t.c.case_ref, t.c.township)
             .where(t.c.programme == programme, t.c.county == county,
                    t.c.accepted_position.is_not(None),
                    *([t.c.accepted_position <= up_to] if up_to is not None else []))
             .order_by(t.c.case_ref))
    with db.engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk).execute(query)
        yield from ((ref, township) for ref, township in result)


class ReadModelCases:
    """The accepted cases as the spot-check read model holds them (`AcceptedCases`)."""

    def __init__(self, db: ViewsDatabase, application_name: str = RenovationApp.name) -> None:
        self.db, self.application_name = db, application_name

    def accepted(
        self, programme: str, county: str, up_to: int | None = None
    ) -> Iterator[tuple[str, str]]:
        return population(self.db, programme, county, up_to)

    def position(self) -> int:
        table, _ = tracking.machinery_tables(self.db.metadata)
        with self.db.engine.connect() as conn:
            found = tracking.position(conn, table, SpotChecks.name, self.application_name)
        return found or 0


def spot_checks(db: ViewsDatabase, programme: str | None = None) -> dict[str, Any]:
    """One row per programme and county with accepted cases, by programme and county code."""
    t = spot_check_tables(db)
    counts, draws = t["rv_spotcheck_counties"], t["rv_spotcheck_draws"]
    c = counts.c
    counted = (
        select(c.programme, c.county, c.accepted, c.drawn, c.checked, c.passed, c.failed)
        .where(c.accepted > 0, *([c.programme == programme] if programme else []))
        .order_by(c.programme, c.county)
    )
    rounds = (select(draws.c.programme, draws.c.county, func.count())
              .group_by(draws.c.programme, draws.c.county))
    with db.engine.connect() as conn:
        rows = conn.execute(counted).all()
        drawn_rounds = {(p, county): n for p, county, n in conn.execute(rounds)}
        common = tables(db)
        by_policy = policies(conn, common)
        plan = common["rv_allocations"]
        names = {(p, code): name for p, code, name in conn.execute(
            select(plan.c.programme, plan.c.jurisdiction, plan.c.name))}
    counties = []
    for name, county, accepted, drawn, checked, passed, failed in rows:
        policy = by_policy.get(name)
        required = policy.acceptance.city_spot_check_min_ratio if policy else None
        counties.append({
            "programme": name, "county": county, "name": names.get((name, county)),
            "accepted": accepted, "rounds": drawn_rounds.get((name, county), 0),
            "drawn": int(drawn), "checked": int(checked), "passed": int(passed),
            "failed": int(failed), "achieved_ratio": _ratio(int(checked), accepted),
            "required_ratio": str(required) if required is not None else None,
            "meets_minimum": required is not None
            and Fraction(int(checked), accepted) >= Fraction(required),
        })
    return {"programme": programme, "counties": counties,
            "meeting_minimum": sum(row["meets_minimum"] for row in counties)}


def _ratio(checked: int, accepted: int) -> str:
    """checked ÷ accepted to four places, rounded down so it never overstates."""
    exact = Decimal(checked) / Decimal(accepted)
    return str(exact.quantize(PLACES, rounding=ROUND_FLOOR))
