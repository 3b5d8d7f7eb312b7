"""Rows written through the batch path read back exactly as SQLAlchemy's own insert stores them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, select

from renovation.projections.base import upsert
from renovation.projections.batch import execute_rows
from renovation.projections.database import ViewsDatabase

ROWS: list[dict[str, Any]] = [
    {"id": "a", "n": 1, "flag": True, "on": date(2022, 3, 1), "doc": {"k": [1, "二"]},
     "note": None},
    {"id": "b", "n": 2, "flag": False, "on": None, "doc": [], "note": "乡镇审核"},
]


def _table(metadata: MetaData, name: str) -> Table:
    return Table(name, metadata, Column("id", String(8), primary_key=True),
                 Column("n", Integer, nullable=False), Column("flag", Boolean, nullable=False),
                 Column("on", Date), Column("doc", JSON, nullable=False),
                 Column("note", String(20)))


def _read(views: ViewsDatabase, table: Table) -> list[dict[str, Any]]:
    with views.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]


def test_batch_rows_store_what_sqlalchemy_would(views: ViewsDatabase) -> None:
    metadata = MetaData(schema=views.schema)
    ours, theirs = _table(metadata, "rv_t_batch"), _table(metadata, "rv_t_plain")
    metadata.create_all(views.engine)
    with views.engine.begin() as conn:
        execute_rows(conn, ours, ("insert",), ours.insert, ROWS)
        conn.execute(theirs.insert(), ROWS)
    assert _read(views, ours) == _read(views, theirs) == ROWS


def test_an_upsert_updates_existing_rows_and_adds_new_ones(views: ViewsDatabase) -> None:
    metadata = MetaData(schema=views.schema)
    table = _table(metadata, "rv_t_upsert")
    metadata.create_all(views.engine)
    changed = [{**ROWS[1], "n": 20, "flag": True}, {**ROWS[0], "id": "c"}]
    with views.engine.begin() as conn:
        upsert(conn, table, ROWS, ("id",))
        upsert(conn, table, changed, ("id",))
    assert _read(views, table) == [ROWS[0], changed[0], changed[1]]
