"""数据比对线索 — the registry comparison's findings, judged on the day asked about.

For each registry kind, the snapshot in force is the latest one dated on or before the day.
Its hits (registry rows naming a person of a case) are judged per case; every finding carries
the case events and, beside them, the registry rows (snapshot, row number, supplying
department) that are its evidence. Nothing here reads a personal value: persons are matched by
blind index and shown masked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, exists, select
from sqlalchemy.engine import Connection

from renovation.fraud.case_rules import Hit
from renovation.fraud.comparison import as_date
from renovation.fraud.comparison_tables import (
    COMPARE_CASES,
    COMPARE_HITS,
    COMPARE_PERSONS,
    COMPARE_SNAPSHOTS,
)
from renovation.fraud.findings import finding_id, finding_row
from renovation.kernel.jurisdiction import prefix
from renovation.policy import load_policy
from renovation.projections.database import ViewsDatabase

HOUSEHOLD = ("head", "member")


@dataclass
class CaseHits:
    """One case as the comparison sees it, with the registry rows that name its people."""

    case: dict[str, Any]
    household: list[dict[str, Any]] = field(default_factory=list)  # hits on head and members
    officials: list[dict[str, Any]] = field(default_factory=list)  # hits on acting officials
    # hits on people registered in the head's household whom the application leaves off
    registered: list[dict[str, Any]] = field(default_factory=list)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [h for h in self.household if h["kind"] == kind]


def tables(db: ViewsDatabase) -> dict[str, Table]:
    return {spec.name: spec.define(db.metadata, spec.name, 0)
            for spec in (COMPARE_CASES, COMPARE_PERSONS, COMPARE_HITS, COMPARE_SNAPSHOTS)}


def in_force(conn: Connection, t: dict[str, Table], as_of: date) -> dict[str, dict[str, Any]]:
    """Per registry kind, the latest snapshot dated on or before `as_of`."""
    snapshots = t[COMPARE_SNAPSHOTS.name]
    found: dict[str, dict[str, Any]] = {}
    query = select(snapshots).where(snapshots.c.as_of <= as_of).order_by(
        snapshots.c.as_of, snapshots.c.position)
    for row in conn.execute(query).mappings():
        found[row["kind"]] = dict(row)
    return found


def comparison_findings(db: ViewsDatabase, as_of: date, county: str | None,
                        programme: str | None, rule: str | None) -> list[dict[str, Any]]:
    """The comparison's findings as stored-finding rows (see `findings.finding_row`)."""
    from renovation.fraud.comparison_checks import CASE_CHECKS, not_on_list, shared_household
    from renovation.fraud.comparison_hidden import hidden_member

    t = tables(db)
    out: list[dict[str, Any]] = []
    with db.engine.connect() as conn:
        snapshots = in_force(conn, t, as_of)
        if not snapshots:
            return out
        by_case = _hits(conn, t, snapshots, as_of, county, programme)
        checks = {name: check for name, check
                  in {**CASE_CHECKS, "hidden_member": hidden_member}.items()
                  if rule in (None, name)}
        for case in by_case.values():
            for name, check in checks.items():
                found = check(case, snapshots, as_of)
                if found is not None:
                    out.append(_row(name, case.case, *found))
        if rule in (None, "household_registered_twice"):
            for cases, found, household in shared_household(by_case, snapshots):
                out.append(_group_row(cases, household, *found))
        if rule in (None, "category_not_on_list"):
            for case, found in not_on_list(conn, t, snapshots, by_case, as_of, county,
                                           programme):
                out.append(_row("category_not_on_list", case, *found))
    return out


def _row(rule: str, case: dict[str, Any], hit: Hit,
         registry: Iterable[dict[str, Any]]) -> dict[str, Any]:
    fid = finding_id(rule, f"case:{case['case_id']}")
    row = finding_row(fid, rule, f"case:{case['case_ref']}", hit, case["programme"],
                      case["county"], (case["case_ref"],))
    row["registry_evidence"] = list(registry)
    return row


def _group_row(cases: list[dict[str, Any]], household: str, hit: Hit,
               registry: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rule, first = "household_registered_twice", cases[0]
    fid = finding_id(rule, f"household:{first['programme']}:{household}")
    row = finding_row(fid, rule, f"household:{first['case_ref']}", hit, first["programme"],
                      first["county"], [c["case_ref"] for c in cases])
    row["registry_evidence"] = list(registry)
    return row


def registry_item(hit: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """A registry row as evidence: which snapshot, which row, who supplied it."""
    return {"registry": hit["kind"], "snapshot_id": hit["snapshot_id"], "row": hit["row_no"],
            "as_of": snapshot["as_of"].isoformat(), "department": snapshot["department"],
            "person": hit["masked_id"]}


def case_filters(query: Any, cases: Table, county: str | None, programme: str | None,
                 as_of: date) -> Any:
    query = query.where(cases.c.active.is_(True), cases.c.applied_on <= as_of)
    if county:
        query = query.where(cases.c.county.like(f"{prefix(county)}%"))
    if programme is not None:
        query = query.where(cases.c.programme == programme)
    return query


def _hits(conn: Connection, t: dict[str, Table], snapshots: dict[str, dict[str, Any]],
          as_of: date, county: str | None, programme: str | None) -> dict[str, CaseHits]:
    cases, persons, hits = t[COMPARE_CASES.name], t[COMPARE_PERSONS.name], t[COMPARE_HITS.name]
    ids = [s["snapshot_id"] for s in snapshots.values()]
    query = (select(cases, persons.c.role, persons.c.actor_id,
                    persons.c.evidence.label("person_evidence"), hits.c.snapshot_id,
                    hits.c.row_no, hits.c.kind, hits.c.person_ref, hits.c.household_ref,
                    hits.c.masked_id,
                    hits.c.attrs)
             .select_from(hits.join(persons, persons.c.person_ref == hits.c.person_ref)
                          .join(cases, cases.c.case_id == persons.c.case_id))
             .where(hits.c.snapshot_id.in_(ids)))
    by_case: dict[str, CaseHits] = {}
    hit_names = ("role", "actor_id", "person_evidence", "snapshot_id", "row_no", "kind",
                 "person_ref", "household_ref", "masked_id", "attrs")
    for row in conn.execute(case_filters(query, cases, county, programme, as_of)).mappings():
        case = {c.name: row[c.name] for c in cases.columns}
        entry = by_case.setdefault(case["case_id"], CaseHits(case))
        hit = {name: row[name] for name in hit_names}
        (entry.household if hit["role"] in HOUSEHOLD else entry.registered
         if hit["role"] == "registered" else entry.officials).append(hit)
    return by_case


def household_exists(t: dict[str, Table], snapshot_id: str) -> Any:
    """SQL: a household person of the case is on the snapshot."""
    cases, persons, hits = t[COMPARE_CASES.name], t[COMPARE_PERSONS.name], t[COMPARE_HITS.name]
    return exists().where(persons.c.case_id == cases.c.case_id,
                          persons.c.role.in_(HOUSEHOLD),
                          hits.c.person_ref == persons.c.person_ref,
                          hits.c.snapshot_id == snapshot_id)


def rules_of(case: dict[str, Any]) -> Any:
    return load_policy(case["policy_id"]).comparison


def events(case: dict[str, Any], *names: str) -> tuple[dict[str, Any], ...]:
    return tuple(case["evidence"][n] for n in names if n in case["evidence"])


def within(day: date | None, start: Any, end: Any) -> bool:
    """`day` falls in [start, end] (ISO text; an open end is no limit)."""
    if day is None:
        return False
    first, last = as_date(start), as_date(end)
    return (first is None or first <= day) and (last is None or day <= last)


def days_before(later: date, earlier: date | None, limit: int) -> bool:
    return earlier is not None and later - timedelta(days=limit) <= earlier <= later


Check = Callable[[CaseHits, dict[str, dict[str, Any]], date],
                 tuple[Hit, list[dict[str, Any]]] | None]
