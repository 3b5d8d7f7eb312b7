"""身份索引 — which cases a person is in, by the blind index of their ID number or full name.

For an inspector with a tip-off (a name, an ID number): the search computes the same keyed
hash and asks this table; nothing here can be read back into a name or a number. Names are
indexed from the version that seals them with a blind index on; earlier cases are found by
ID number only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase
from renovation.projections.base import Applied, Projection, Rows, TableSpec

IDENTITIES = TableSpec(
    "rv_identities",
    lambda: [
        Column("kind", String(12), primary_key=True),  # id_number | name
        Column("ref", String(64), primary_key=True),
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("village", String(12), nullable=False),
        Column("member", String(20), nullable=False),  # 户主 or the relationship
    ],
)


class Identities(Projection):
    """The blind indexes of every household member of every case."""

    name = "identities"
    version = 1
    specs = (IDENTITIES,)

    @property
    def topics(self) -> tuple[str, ...]:
        return (RenovationCase.ApplicationSubmitted.TOPIC, RenovationCase.DataCorrected.TOPIC)

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        rows = Rows(conn, tables[IDENTITIES.name], ("kind", "ref", "case_id"))
        corrected = {str(e.originator_id) for _, e in events
                     if isinstance(e, RenovationCase.DataCorrected)}
        rows.load("case_id", corrected)
        cases = {row["case_id"]: (row["case_ref"], row["village"]) for row in rows.rows.values()}
        for _, e in events:
            case = str(e.originator_id)
            if isinstance(e, RenovationCase.ApplicationSubmitted):
                cases[case] = (e.case_ref, e.village_code)
                for person in (e.household.head, *e.household.members):
                    for kind, value in (("id_number", person.id_number), ("name", person.name)):
                        if value.ref is not None:
                            rows.put(_row(case, cases[case], kind, value.ref,
                                          person.relationship))
            elif (e.field == "household.head.name" and isinstance(e.new, dict)
                  and e.new.get("ref") and case in cases):
                rows.put(_row(case, cases[case], "name", str(e.new["ref"]), "户主"))
        rows.flush()


def _row(case_id: str, case: tuple[str, str], kind: str, ref: str, member: str
         ) -> dict[str, Any]:
    return {"kind": kind, "ref": ref, "case_id": case_id, "case_ref": case[0],
            "village": case[1], "member": member[:20]}
