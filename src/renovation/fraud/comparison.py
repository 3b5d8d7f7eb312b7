"""数据比对 — the comparison read model: who each case names, and which registry rows name them.

Seed 003 §四(一) asks for periodic comparison of house and household data across departments.
The registries' snapshots live beside the events (`renovation registry import`); this projection
keeps, in the read-model database, only the registry rows whose person is a member of an
applicant household or an official who acted on a case. The rules that judge those hits run at
query time (`comparison_rules`), because which snapshot is in force depends on the day asked
about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.events import CaseEvent
from renovation.fraud.comparison_tables import (
    COMPARE_CASES,
    COMPARE_HITS,
    COMPARE_PERSONS,
    COMPARE_SNAPSHOTS,
)
from renovation.fraud.facts import evidence
from renovation.kernel.vocabulary import ReviewDecision
from renovation.projections.base import Applied, Projection, Row, Rows, TableSpec
from renovation.registry.store import Entry

C = RenovationCase
BATCH = 500


class RegistrySource(Protocol):
    """The registry snapshots as stored: looked up by person, or streamed one snapshot whole."""

    def entries_of_persons(self, snapshots: Sequence[tuple[str, str]],
                           person_refs: Sequence[str]) -> list[Entry]: ...

    def iter_snapshot(self, snapshot_id: str, batch: int = 1000) -> Iterator[list[Entry]]: ...

    def entries_of_households(self, snapshots: Sequence[str],
                              household_refs: Sequence[str]) -> list[Entry]: ...

    def release(self) -> None: ...


def _topics() -> tuple[str, ...]:
    from renovation.aggregates.registry import RegistrySnapshot

    cases = (C.ApplicationSubmitted, C.CategoryCertified, C.HouseGraded, C.TownshipReviewed,
             C.CountyApprovalGranted, C.CountyAcceptanceRecorded, C.PaymentDisbursed,
             C.CaseWithdrawn, C.CaseRejected)
    return (*(cls.TOPIC for cls in cases), RegistrySnapshot.RegistrySnapshotImported.TOPIC)


class Comparison(Projection):
    """数据比对 — case persons and officials, and the registry rows that name them."""

    name = "comparison"
    version = 2  # 2: people registered in a head's household but left off the application
    specs: tuple[TableSpec, ...] = (COMPARE_CASES, COMPARE_PERSONS, COMPARE_HITS,
                                    COMPARE_SNAPSHOTS)

    def __init__(self, source: RegistrySource | None = None) -> None:
        self.source = source

    def attach(self, app: Any) -> None:
        """Read the registries of the store the projector reads its events from."""
        from renovation.fraud.comparison_source import StoreSource

        if self.source is None:
            self.source = StoreSource(app.db_url)

    @property
    def topics(self) -> tuple[str, ...]:
        return _topics()

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        from renovation.aggregates.registry import RegistrySnapshot

        if self.source is None:
            raise RuntimeError("the comparison projection needs the registry store attached")
        cases = Rows(conn, tables[COMPARE_CASES.name], ("case_id",))
        cases.load("case_id", {str(e.originator_id) for _, e in events
                               if isinstance(e, CaseEvent)})
        persons: dict[tuple[str, str, str], Row] = {}
        snapshots: list[Row] = []
        for position, e in events:
            if isinstance(e, RegistrySnapshot.RegistrySnapshotImported):
                snapshots.append(_snapshot_row(position, e))
            elif isinstance(e, CaseEvent):
                _case_event(cases, persons, position, e)
        cases.flush()
        _insert(conn, tables[COMPARE_PERSONS.name], list(persons.values()),
                ("person_ref", "case_id", "role"))
        seen = tables[COMPARE_SNAPSHOTS.name]
        known = [(r.snapshot_id, r.kind) for r in conn.execute(select(seen.c.snapshot_id,
                                                                      seen.c.kind))]
        try:
            found = self._look_up(conn, tables, known, sorted({key[0] for key in persons}))
            _insert(conn, seen, snapshots, ("snapshot_id",))
            for snapshot in snapshots:
                found += self._match_snapshot(conn, tables, snapshot["snapshot_id"])
            every = [*known, *((s["snapshot_id"], s["kind"]) for s in snapshots)]
            self._registered(conn, tables, found, every)
        finally:
            self.source.release()

    def _look_up(self, conn: Connection, tables: Mapping[str, Table],
                 snapshots: Sequence[tuple[str, str]], refs: Sequence[str]) -> list[Row]:
        """The rows of the snapshots already seen that name these persons become hits."""
        assert self.source is not None
        found: list[Row] = []
        for start in range(0, len(refs) if snapshots else 0, BATCH):
            entries = self.source.entries_of_persons(snapshots, refs[start:start + BATCH])
            rows = [_hit(entry) for entry in entries]
            _insert(conn, tables[COMPARE_HITS.name], rows, ("snapshot_id", "row_no"))
            found += rows
        return found

    def _match_snapshot(self, conn: Connection, tables: Mapping[str, Table],
                        snapshot_id: str) -> list[Row]:
        """Every row of a new snapshot whose person a case names becomes a hit."""
        assert self.source is not None
        known, hits = tables[COMPARE_PERSONS.name], []
        for batch in self.source.iter_snapshot(snapshot_id, BATCH):
            refs = sorted({entry.person_ref for entry in batch})
            found = {ref for (ref,) in conn.execute(
                select(known.c.person_ref).where(known.c.person_ref.in_(refs)).distinct())}
            rows = [_hit(entry) for entry in batch if entry.person_ref in found]
            _insert(conn, tables[COMPARE_HITS.name], rows, ("snapshot_id", "row_no"))
            hits += rows
        return hits

    def _registered(self, conn: Connection, tables: Mapping[str, Table], hits: list[Row],
                    snapshots: Sequence[tuple[str, str]]) -> None:
        """户籍同户 — everyone registered in an applicant head's household becomes a person of
        the case (role `registered`) when the application leaves them off, so their own
        registry rows are compared too (a civil servant son not declared, say)."""
        assert self.source is not None
        homes: dict[str, set[str]] = {}
        for hit in hits:
            if hit["kind"] == "household_registration" and hit["household_ref"]:
                homes.setdefault(hit["person_ref"], set()).add(hit["household_ref"])
        persons = tables[COMPARE_PERSONS.name]
        by_home: dict[str, list[Row]] = {}
        named: set[tuple[str, str]] = set()
        refs = sorted(homes)
        for start in range(0, len(refs), BATCH):
            query = select(persons).where(persons.c.role == "head",
                                          persons.c.person_ref.in_(refs[start:start + BATCH]))
            for head in conn.execute(query).mappings():
                for home in homes[head["person_ref"]]:
                    by_home.setdefault(home, []).append(dict(head))
        cases = sorted({head["case_id"] for heads in by_home.values() for head in heads})
        for start in range(0, len(cases), BATCH):
            query = select(persons.c.person_ref, persons.c.case_id).where(
                persons.c.case_id.in_(cases[start:start + BATCH]),
                persons.c.role.in_(("head", "member")))
            named |= {(ref, case) for ref, case in conn.execute(query)}
        registrations = [sid for sid, kind in snapshots if kind == "household_registration"]
        added: dict[tuple[str, str, str], Row] = {}
        for entry in self.source.entries_of_households(registrations, sorted(by_home)):
            for head in by_home.get(entry.household_ref or "", []):
                if (entry.person_ref, head["case_id"]) not in named:
                    _person(added, entry.person_ref, head["case_id"], "registered", None,
                            head["evidence"])
        _insert(conn, persons, list(added.values()), ("person_ref", "case_id", "role"))
        self._look_up(conn, tables, snapshots, sorted({key[0] for key in added}))


def _snapshot_row(position: int, e: Any) -> Row:
    return {"snapshot_id": str(e.originator_id), "kind": str(e.kind),
            "department": e.department, "as_of": e.as_of, "rows": e.rows,
            "position": position}


def _hit(entry: Entry) -> Row:
    return {"snapshot_id": entry.snapshot_id, "row_no": entry.row_no, "kind": entry.kind,
            "person_ref": entry.person_ref, "household_ref": entry.household_ref,
            "masked_id": entry.masked_id, "attrs": dict(entry.attrs)}


def _case_event(cases: Rows, persons: dict[tuple[str, str, str], Row], position: int,
                e: Any) -> None:
    case = str(e.originator_id)
    if isinstance(e, C.ApplicationSubmitted):
        item = evidence({"ref": e.case_ref}, position, e)
        cases.put({"case_id": case, "case_ref": e.case_ref, "programme": e.programme_id,
                   "policy_id": e.policy_id, "county": e.village_code[:6].ljust(12, "0"),
                   "village": e.village_code, "category": e.category.value, "active": True,
                   "applied_on": e.occurred_on, "certified_on": None, "approved_on": None,
                   "paid_on": None, "evidence": {"applied": item}})
        household = e.household
        _person(persons, household.head.ref, case, "head", None, item)
        for member in household.members:
            _person(persons, member.ref, case, "member", None, item)
        _official(persons, case, e.actor, item)
        return
    row = cases.get(case)
    if row is None:
        return  # a case whose application this read model never saw cannot be compared
    item = evidence({"ref": row["case_ref"]}, position, e)
    if isinstance(e, C.CaseWithdrawn | C.CaseRejected):
        row["active"] = False
    elif isinstance(e, C.CategoryCertified):
        row["certified_on"] = e.occurred_on
        _record(row, "certified", item)
        _official(persons, case, e.actor, item)
    elif isinstance(e, C.HouseGraded) or (
            isinstance(e, C.TownshipReviewed) and e.decision is ReviewDecision.APPROVED):
        _official(persons, case, e.actor, item)
    elif isinstance(e, C.CountyApprovalGranted):
        row["approved_on"] = e.occurred_on
        _record(row, "approved", item)
        _official(persons, case, e.actor, item)
    elif isinstance(e, C.CountyAcceptanceRecorded):
        _official(persons, case, e.actor, item)
        for member in e.result.team:
            if member.person_ref:
                _person(persons, member.person_ref, case, f"official:{member.role.value}",
                        member.id, item)
    elif isinstance(e, C.PaymentDisbursed) and row["paid_on"] is None:
        row["paid_on"] = e.occurred_on
        _record(row, "paid", item)
    cases.changed(row)


def _record(row: Row, name: str, item: dict[str, Any]) -> None:
    row["evidence"] = {**row["evidence"], name: item}


def _official(persons: dict[tuple[str, str, str], Row], case: str, actor: Any,
              item: dict[str, Any]) -> None:
    if actor.person_ref:
        _person(persons, actor.person_ref, case, f"official:{actor.role.value}", actor.id, item)


def _person(persons: dict[tuple[str, str, str], Row], ref: str, case: str, role: str,
            actor_id: str | None, item: dict[str, Any]) -> None:
    persons.setdefault((ref, case, role), {"person_ref": ref, "case_id": case, "role": role,
                                           "actor_id": actor_id, "evidence": item})


def _insert(conn: Connection, table: Table, rows: list[Row], keys: Sequence[str]) -> None:
    """Insert rows, leaving the ones already stored: every row here is immutable."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), BATCH):
        statement = dialect.insert(table).on_conflict_do_nothing(index_elements=list(keys))
        conn.execute(statement, rows[start:start + BATCH])


def as_date(value: Any) -> date | None:
    """A date kept in a JSON attribute (ISO text), or None."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None
