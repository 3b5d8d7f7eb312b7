"""市级抽查 — per case: accepted by the county (and where in the log), drawn, checked, passed;
per draw: what was drawn from how many.

A case's row starts with its application (which gives its township and county), so every case
has one; `accepted_position` is the notification id of its passed county acceptance, which lets
a verifier ask which cases had been accepted when a draw was recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.spotcheck import SpotCheckDraw
from renovation.kernel.jurisdiction import Level, at_level
from renovation.projections.base import Applied, Projection, Row, Rows, TableSpec

C = RenovationCase
Drawn = SpotCheckDraw.SpotCheckDrawn

TALLIES = ("accepted", "drawn", "checked", "passed", "failed")

SPOTCHECK_CASES = TableSpec(
    "rv_spotcheck_cases",
    lambda: [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("township", String(12), nullable=False),
        Column("accepted_on", Date),
        Column("accepted_position", BigInteger),
        Column("drawn_ref", String(64)),  # the first draw that selected the case
        Column("checked", Boolean, nullable=False),
        Column("passed", Boolean),
        Column("checked_on", Date),
        Column("draw_ref", String(64)),  # as the spot check recorded it
    ],
    indexes=(("programme", "county", "case_ref"), ("programme", "county", "accepted_position")),
)

SPOTCHECK_DRAWS = TableSpec(
    "rv_spotcheck_draws",
    lambda: [
        Column("draw_id", String(36), primary_key=True),
        Column("draw_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("round", Integer, nullable=False),
        Column("ratio", String(40), nullable=False),
        Column("seed_hex", String(256), nullable=False),
        Column("population", Integer, nullable=False),
        Column("population_digest", String(64), nullable=False),
        Column("drawn", Integer, nullable=False),
        Column("selected", JSON, nullable=False),
        Column("recorded_position", BigInteger, nullable=False),
        Column("drawn_on", Date, nullable=False),
    ],
    unique=(("programme", "county", "round"),),
)


SPOTCHECK_COUNTIES = TableSpec(
    "rv_spotcheck_counties",
    lambda: [
        Column("programme", String(40), primary_key=True),
        Column("county", String(12), primary_key=True),
        *(Column(name, Integer, nullable=False) for name in TALLIES),
    ],
)
"""Running counts per county of the accepted cases: the report reads these, not every case."""


def county_tally(row: Row) -> tuple[int, ...]:
    """What a case row adds to its county's counts (nothing until it is accepted)."""
    if row["accepted_position"] is None:
        return (0,) * len(TALLIES)
    return (1, int(row["drawn_ref"] is not None), int(row["checked"]),
            int(row["passed"] is True), int(row["passed"] is False))


class SpotChecks(Projection):
    """市级抽查 — accepted cases, the draws made from them, and the checks recorded."""

    name = "spotchecks"
    version = 2  # 2: running counts per county
    specs = (SPOTCHECK_CASES, SPOTCHECK_DRAWS, SPOTCHECK_COUNTIES)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(cls.TOPIC for cls in (
            C.ApplicationSubmitted, C.CountyAcceptanceRecorded, C.CitySpotCheckRecorded, Drawn,
        ))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        cases = Rows(conn, tables[SPOTCHECK_CASES.name], ("case_id",))
        draws = Rows(conn, tables[SPOTCHECK_DRAWS.name], ("draw_id",))
        cases.load("case_id", {key for _, e in events for key in _case_keys(e)})
        before = {key: county_tally(row) for key, row in cases.rows.items()}
        for position, e in events:
            if isinstance(e, Drawn):
                draws.put(_draw(position, e))
                _mark_drawn(cases, e)
                continue
            if isinstance(e, C.ApplicationSubmitted):
                cases.put(_submitted(e))
                continue
            row = cases.get(str(e.originator_id))
            assert row is not None, f"case {e.originator_id} has events but no application"
            if isinstance(e, C.CountyAcceptanceRecorded):
                if e.result.passed and row["accepted_position"] is None:
                    row.update(accepted_on=e.occurred_on, accepted_position=position)
                    cases.changed(row)
            elif isinstance(e, C.CitySpotCheckRecorded):
                row.update(checked=True, passed=e.passed, checked_on=e.occurred_on,
                           draw_ref=e.draw_ref)
                cases.changed(row)
        _count(conn, tables[SPOTCHECK_COUNTIES.name], cases, before)
        cases.flush()
        draws.flush()


def _count(conn: Connection, table: Table, cases: Rows,
           before: dict[tuple[Any, ...], tuple[int, ...]]) -> None:
    """Add each changed case's difference to its county's counts."""
    deltas: dict[tuple[str, str], list[int]] = {}
    for key in cases.dirty:
        row = cases.rows[key]
        old = before.get(key, (0,) * len(TALLIES))
        change = [a - b for a, b in zip(county_tally(row), old, strict=True)]
        if any(change):
            total = deltas.setdefault((row["programme"], row["county"]), [0] * len(TALLIES))
            total[:] = [a + b for a, b in zip(total, change, strict=True)]
    if not deltas:
        return
    counties = Rows(conn, table, ("programme", "county"))
    counties.load("county", {county for _, county in deltas})
    for (programme, county), change in sorted(deltas.items()):
        row = counties.get(programme, county) or counties.put(
            {"programme": programme, "county": county, **dict.fromkeys(TALLIES, 0)})
        for name, amount in zip(TALLIES, change, strict=True):
            row[name] += amount
        counties.touched(programme, county)
    counties.flush()


def _case_keys(e: Any) -> list[str]:
    if isinstance(e, Drawn):
        return [str(case_id(ref)) for ref in e.selected]
    return [str(e.originator_id)]


def _submitted(e: Any) -> Row:
    return {
        "case_id": str(e.originator_id), "case_ref": e.case_ref, "programme": e.programme_id,
        "county": at_level(e.village_code, Level.COUNTY),
        "township": at_level(e.village_code, Level.TOWNSHIP),
        "accepted_on": None, "accepted_position": None, "drawn_ref": None, "checked": False,
        "passed": None, "checked_on": None, "draw_ref": None,
    }


def _draw(position: int, e: Any) -> Row:
    return {
        "draw_id": str(e.originator_id), "draw_ref": e.draw_ref, "programme": e.programme,
        "county": e.county, "round": e.round, "ratio": e.ratio, "seed_hex": e.seed_hex,
        "population": len(e.population), "population_digest": e.population_digest,
        "drawn": len(e.selected), "selected": list(e.selected), "recorded_position": position,
        "drawn_on": e.occurred_on,
    }


def _mark_drawn(cases: Rows, e: Any) -> None:
    for ref in e.selected:
        row = cases.get(str(case_id(ref)))
        if row is not None and row["drawn_ref"] is None:
            row["drawn_ref"] = e.draw_ref
            cases.changed(row)
