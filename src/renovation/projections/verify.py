"""核对 — verify read models: replay the log into scratch tables, compare with the live ones.

A read model can be changed behind the runner's back (`DELETE FROM rv_findings WHERE …` in the
views database) and still report itself current. Verification replays the log into scratch
tables (`rv_findings__verify`) up to the position the live tables claim, a page per
transaction; then, in ONE transaction that holds the live tracking rows (so the runner cannot
move them meanwhile), it replays what arrived since and compares table by table with SQL's
EXCEPT both ways: rows only the replay has (deleted or changed in the live table) and rows only
the live table has (inserted or changed). Rows on both sides under one primary key are reported
as changed, with the columns that differ. The outcome is kept in `rv_verifications`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    delete,
    except_,
    func,
    select,
)
from sqlalchemy.engine import Connection

from renovation.gc_tuning import fewer_collections
from renovation.projections import tracking
from renovation.projections.base import Projection
from renovation.projections.rebuild import apply_page, read_page, topics_of

if TYPE_CHECKING:
    from renovation.projections.runner import Projector

SCRATCH_GENERATION = 10**9  # index names of scratch tables never meet a live generation's
SHOWN = 20  # differing rows named per table
VERIFICATIONS = "rv_verifications"


@dataclass
class Difference:
    """One row that differs: `missing` from the live table, `extra` in it, or `changed`."""

    table: str
    kind: str
    key: dict[str, Any]
    columns: list[str] = field(default_factory=list)

    def describe(self) -> str:
        key = ", ".join(f"{k}={v}" for k, v in self.key.items())
        what = {"missing": "missing from the live table (deleted?)",
                "extra": "in the live table only (inserted?)",
                "changed": f"differs in {', '.join(self.columns)}"}[self.kind]
        return f"{self.table} ({key}): {what}"


@dataclass
class Verification:
    projection: str
    position: int = 0
    rows: int = 0
    differing: int = 0
    differences: list[Difference] = field(default_factory=list)
    seconds: float = 0.0
    built: bool = True

    @property
    def ok(self) -> bool:
        return self.built and self.differing == 0

    def to_dict(self) -> dict[str, Any]:
        return {"projection": self.projection, "ok": self.ok, "built": self.built,
                "position": self.position, "rows": self.rows, "differing": self.differing,
                "differences": [{"table": d.table, "kind": d.kind, "key": d.key,
                                 "columns": d.columns} for d in self.differences],
                "seconds": round(self.seconds, 3)}


def verifications_table(metadata: MetaData) -> Table:
    """When each read model was last verified, and how it came out."""
    key = f"{metadata.schema}.{VERIFICATIONS}" if metadata.schema else VERIFICATIONS
    if key in metadata.tables:
        return metadata.tables[key]
    return Table(VERIFICATIONS, metadata,
                 Column("projection", String(64), primary_key=True),
                 Column("verified_at", DateTime(timezone=True), nullable=False),
                 Column("position", Integer, nullable=False),
                 Column("ok", Boolean, nullable=False),
                 Column("differing", Integer, nullable=False),
                 Column("first", Text, nullable=True))


def verify_projections(projector: Projector, chosen: Sequence[Projection]) -> list[Verification]:
    """Verify each projection against a replay of the log; record and return the outcomes."""
    with fewer_collections():
        return _verify(projector, chosen)


def _verify(projector: Projector, chosen: Sequence[Projection]) -> list[Verification]:
    db = projector.db
    started = time.perf_counter()
    positions = projector.positions()
    built = [p for p in chosen if p.name in positions]
    outcomes = {p.name: Verification(p.name, built=p.name in positions) for p in chosen}
    scratch = {p.name: (SCRATCH_GENERATION, _scratch(projector, p)) for p in built}
    record = verifications_table(db.metadata)
    with db.writer.begin() as conn:
        record.create(conn, checkfirst=True)
        for _, tables in scratch.values():
            for table in tables.values():
                table.drop(conn, checkfirst=True)
                table.create(conn)
    applied = dict.fromkeys(scratch, 0)
    position = _replay(projector, built, scratch, applied, 0, min(positions.values(), default=0))
    try:
        with db.writer.begin() as conn:
            held = tracking.positions(conn, projector.tracking, projector.app.name,
                                      [p.name for p in built], lock=True)
            _replay_in(projector, conn, built, scratch, applied, position, held)
            for p in built:
                outcome = outcomes[p.name]
                outcome.position = held.get(p.name, 0)
                _compare(conn, projector, p, scratch[p.name][1], outcome)
                outcome.seconds = time.perf_counter() - started
                _remember(conn, record, outcome)
    finally:
        with db.writer.begin() as conn:
            for _, tables in scratch.values():
                for table in tables.values():
                    table.drop(conn, checkfirst=True)
                    db.metadata.remove(table)
    return [outcomes[p.name] for p in chosen]


def _scratch(projector: Projector, projection: Projection) -> dict[str, Table]:
    return {spec.name: spec.define(projector.db.metadata, f"{spec.name}__verify",
                                   SCRATCH_GENERATION) for spec in projection.specs}


def _replay(projector: Projector, built: Sequence[Projection],
            scratch: dict[str, tuple[int, dict[str, Table]]], applied: dict[str, int],
            position: int, until: int) -> int:
    """Pages up to `until`, each in a transaction of its own."""
    topics = topics_of(built)
    while position < until and (page := read_page(projector, topics, position)):
        page = [n for n in page if n.id <= until]
        if not page:
            break
        with projector.db.writer.begin() as conn:
            apply_page(projector, built, conn, scratch, page, applied)
        position = page[-1].id
    return position


def _replay_in(projector: Projector, conn: Connection, built: Sequence[Projection],
               scratch: dict[str, tuple[int, dict[str, Table]]], applied: dict[str, int],
               position: int, held: dict[str, int]) -> None:
    """The rest, inside the comparing transaction: each projection up to its held position."""
    topics = topics_of(built)
    until = max(held.values(), default=0)
    while position < until and (page := read_page(projector, topics, position)):
        page = [n for n in page if n.id <= until]
        if not page:
            break
        for p in built:
            mine = [n for n in page if n.id <= held.get(p.name, 0)]
            if mine:
                apply_page(projector, [p], conn, scratch, mine, applied)
        position = page[-1].id


def _compare(conn: Connection, projector: Projector, projection: Projection,
             scratch: dict[str, Table], outcome: Verification) -> None:
    live = projector.live_tables(projection)
    for name, replayed in scratch.items():
        current = live[name]
        outcome.rows += conn.execute(select(func.count()).select_from(replayed)).scalar_one()
        only_replayed = except_(_comparable(replayed), _comparable(current)).subquery()
        only_live = except_(_comparable(current), _comparable(replayed)).subquery()
        missing = conn.execute(select(func.count()).select_from(only_replayed)).scalar_one()
        extra = conn.execute(select(func.count()).select_from(only_live)).scalar_one()
        outcome.differing += max(missing, extra)
        if missing or extra:
            _name(conn, current, only_replayed, only_live, outcome)


def _comparable(table: Table) -> Any:
    # JSON has no equality operator on PostgreSQL: compared as the text both sides stored.
    return select(*(cast(c, Text).label(c.name) if isinstance(c.type, JSON) else c
                    for c in table.columns))


def _name(conn: Connection, live: Table, only_replayed: Any, only_live: Any,
          outcome: Verification) -> None:
    keys = [c.name for c in live.primary_key.columns] or [c.name for c in live.columns]
    replayed = {_key(r, keys): r for r in conn.execute(select(only_replayed).limit(SHOWN))
                .mappings()}
    current = {_key(r, keys): r for r in conn.execute(select(only_live).limit(SHOWN))
               .mappings()}
    table = live.name
    for key in sorted(replayed.keys() | current.keys(), key=repr)[:SHOWN]:
        named = dict(zip(keys, key, strict=True))
        if key in replayed and key in current:
            columns = [c for c in replayed[key] if replayed[key][c] != current[key][c]]
            outcome.differences.append(Difference(table, "changed", named, columns))
        else:
            kind = "missing" if key in replayed else "extra"
            outcome.differences.append(Difference(table, kind, named))


def _key(row: Any, keys: list[str]) -> tuple[Any, ...]:
    return tuple(row[k] for k in keys)


def _remember(conn: Connection, record: Table, outcome: Verification) -> None:
    first = outcome.differences[0].describe() if outcome.differences else None
    conn.execute(delete(record).where(record.c.projection == outcome.projection))
    conn.execute(record.insert().values(
        projection=outcome.projection, verified_at=datetime.now(UTC), position=outcome.position,
        ok=outcome.ok, differing=outcome.differing, first=first))


def last_verified(conn: Connection, metadata: MetaData) -> dict[str, Any]:
    """Per projection, its last verification (none when never verified)."""
    record = verifications_table(metadata)
    if not conn.dialect.has_table(conn, VERIFICATIONS, schema=metadata.schema):
        return {}
    return {row.projection: row for row in conn.execute(select(record))}
