"""The data-comparison read model's tables: cases, the persons they name, registry hits.

`rv_compare_persons` holds every household member's and every acting official's ID-number blind
index with the case it belongs to; `rv_compare_hits` holds each registry row whose person is one
of them. Both directions are filled as events arrive (a new case is looked up in every snapshot,
a new snapshot is matched against every person), so the hits are the same whichever came first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String

from renovation.projections.base import TableSpec


def _cases() -> list[Column[Any]]:
    return [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("policy_id", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("village", String(12), nullable=False),
        Column("category", String(40), nullable=False),
        Column("active", Boolean, nullable=False),
        Column("applied_on", Date, nullable=False),
        Column("certified_on", Date),
        Column("approved_on", Date),
        Column("paid_on", Date),  # the first disbursement
        Column("evidence", JSON, nullable=False),  # event name → evidence item
    ]


COMPARE_CASES = TableSpec("rv_compare_cases", _cases, indexes=(("county",),))


def _persons() -> list[Column[Any]]:
    return [
        Column("person_ref", String(128), primary_key=True),
        Column("case_id", String(36), primary_key=True),
        # head, member, or official:<role> for a member of staff who acted on the case
        Column("role", String(48), primary_key=True),
        Column("actor_id", String(64)),
        Column("evidence", JSON, nullable=False),
    ]


COMPARE_PERSONS = TableSpec("rv_compare_persons", _persons, indexes=(("case_id",),))


def _hits() -> list[Column[Any]]:
    return [
        Column("snapshot_id", String(36), primary_key=True),
        Column("row_no", Integer, primary_key=True),
        Column("kind", String(32), nullable=False),
        Column("person_ref", String(128), nullable=False),
        Column("household_ref", String(128)),
        Column("masked_id", String(32), nullable=False),
        Column("attrs", JSON, nullable=False),
    ]


COMPARE_HITS = TableSpec("rv_compare_hits", _hits,
                         indexes=(("person_ref",), ("household_ref",)))


def _snapshots() -> list[Column[Any]]:
    return [
        Column("snapshot_id", String(36), primary_key=True),
        Column("kind", String(32), nullable=False),
        Column("department", String(80), nullable=False),
        Column("as_of", Date, nullable=False),
        Column("rows", Integer, nullable=False),
        Column("position", Integer, nullable=False),
    ]


COMPARE_SNAPSHOTS = TableSpec("rv_compare_snapshots", _snapshots)
