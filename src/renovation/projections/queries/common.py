"""What the queries share: the live tables, jurisdiction filters, dates in JSON form."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.engine import Connection

from renovation.kernel.jurisdiction import level_of
from renovation.policy import Policy, load_policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.registry import REGISTRY

LEVELS = ("province", "city", "county", "township", "village")


class ReadModelsMissingError(RuntimeError):
    """The read models have not been built in this database yet."""


def tables(db: ViewsDatabase) -> dict[str, Table]:
    """Every live read-model table, by name."""
    return {spec.name: spec.define(db.metadata, spec.name, 0)
            for cls in REGISTRY for spec in cls.specs}


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def level_column(code: str) -> str:
    """The column of `rv_cases` holding codes at the level of `code` (county, township…)."""
    return level_of(code).name.lower()


def within(table: Table, code: str | None) -> list[ColumnElement[bool]]:
    """A filter keeping rows inside the jurisdiction `code` (any level), or none."""
    if not code:
        return []
    return [table.c[level_column(code)] == code]


def policies(conn: Connection, t: dict[str, Table]) -> dict[str, Policy]:
    """The policy of each programme, by programme."""
    rows = conn.execute(select(t["rv_programmes"].c.programme, t["rv_programmes"].c.policy_id))
    return {row.programme: load_policy(row.policy_id) for row in rows}


def plain(row: Any) -> dict[str, Any]:
    """A result row as a dict with dates in ISO form."""
    return {k: iso(v) if isinstance(v, date) else v for k, v in row._mapping.items()}
