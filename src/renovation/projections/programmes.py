"""年度计划 — programmes and their task and fund plan rows (the targets reports compare with)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.programme import Programme
from renovation.projections.base import Applied, Projection, Rows, TableSpec

PROGRAMMES = TableSpec(
    "rv_programmes",
    lambda: [
        Column("programme_id", String(36), primary_key=True),
        Column("programme", String(40), nullable=False),
        Column("title", String(200), nullable=False),
        Column("jurisdiction", String(12), nullable=False),
        Column("year", Integer, nullable=False),
        Column("policy_id", String(40), nullable=False),
        Column("policy_version", Integer, nullable=False),
        Column("opened_on", Date, nullable=False),
    ],
    unique=(("programme",),),
)

ALLOCATIONS = TableSpec(
    "rv_allocations",
    lambda: [
        Column("programme", String(40), primary_key=True),
        Column("jurisdiction", String(12), primary_key=True),
        Column("name", String(60), nullable=False),
        Column("rural_revitalization_households", Integer, nullable=False),
        Column("civil_affairs_households", Integer, nullable=False),
        Column("central_funds_yuan", Integer, nullable=False),
        Column("work_funds_yuan", Integer, nullable=False),
        Column("set_on", Date, nullable=False),
    ],
)


class Programmes(Projection):
    """任务和资金计划 — what each programme plans, per county (the latest row counts)."""

    name = "programmes"
    version = 1
    specs = (PROGRAMMES, ALLOCATIONS)

    @property
    def topics(self) -> tuple[str, ...]:
        return (Programme.ProgrammeOpened.TOPIC, Programme.AllocationSet.TOPIC)

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        programmes = Rows(conn, tables[PROGRAMMES.name], ("programme_id",))
        programmes.load("programme_id", (str(e.originator_id) for _, e in events))
        allocations = Rows(conn, tables[ALLOCATIONS.name], ("programme", "jurisdiction"))
        for _, e in events:
            if isinstance(e, Programme.ProgrammeOpened):
                programmes.put(_opened(e))
            elif isinstance(e, Programme.AllocationSet):
                programme = programmes.get(str(e.originator_id))
                assert programme is not None, f"allocation before programme {e.originator_id}"
                allocations.put(_allocation(programme["programme"], e))
        programmes.flush()
        allocations.flush()


def _opened(e: Any) -> dict[str, Any]:
    return {
        "programme_id": str(e.originator_id), "programme": e.programme, "title": e.title,
        "jurisdiction": e.jurisdiction, "year": e.year, "policy_id": e.policy_id,
        "policy_version": e.policy_version, "opened_on": e.occurred_on,
    }


def _allocation(programme: str, e: Any) -> dict[str, Any]:
    row = e.allocation
    return {
        "programme": programme, "jurisdiction": row.jurisdiction, "name": row.name,
        "rural_revitalization_households": row.rural_revitalization_households,
        "civil_affairs_households": row.civil_affairs_households,
        "central_funds_yuan": row.central_funds_yuan, "work_funds_yuan": row.work_funds_yuan,
        "set_on": e.occurred_on,
    }
