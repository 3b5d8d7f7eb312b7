"""What the collusion and anomaly rules (串通与异常线索) share: each case's row of the columns they
group by, and how a rule, judging when asked, reads them.

The projection keeps one narrow row per case (`rv_fraud_acts`): where it is, who graded it and
when, who led its acceptance and when, who built it and for whom the money was meant, whether
the build was short. The rules group these rows in SQL, one grouped query each, and read the
events of a group only once it is found; at most `CASES_SHOWN` cases of a group are listed as
evidence (the explanation gives the full count), so a pathological group cannot make the list
of findings unbounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from renovation.fraud.facts import EvidenceItem, Facts
from renovation.fraud.tables import ACTS, FACTS
from renovation.kernel.jurisdiction import Level, at_level, prefix
from renovation.kernel.vocabulary import RenovationMode
from renovation.policy import load_policy
from renovation.policy.models import FraudRules, Policy
from renovation.projections.base import Row, upsert

CASES_SHOWN = 50
"""The most cases a finding lists with their events; its explanation counts them all."""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def short_build(f: Facts) -> bool | None:
    """Built faster than the policy's `builder_short_days` for the mode (None until completed)."""
    if "started_on" not in f or "completed_on" not in f:
        return None
    limit = load_policy(f["policy"]).fraud.builder_short_days.get(RenovationMode(f["mode"]))
    days = (date.fromisoformat(f["completed_on"]) - date.fromisoformat(f["started_on"])).days
    return limit is not None and days < limit


def act_row(f: Facts) -> Row:
    """The case's row of `rv_fraud_acts`, from its facts."""
    village = f.get("village")
    return {
        "case_id": f["id"], "case_ref": f["ref"], "programme": f["programme"],
        "policy_id": f["policy"], "county": f["county"],
        "township": at_level(village, Level.TOWNSHIP) if village else None, "village": village,
        "active": f["active"], "applied_on": _day(f.get("applied_on")),
        "assessor": f.get("assessor"), "grade": f["grade"], "graded_on": _day(f.get("graded_on")),
        "acceptor": f.get("acceptor"), "acceptance_on": _day(f.get("acceptance_on")),
        "builder": f.get("builder"), "payee": f["payee"],
        "completed_on": _day(f.get("completed_on")), "short_build": short_build(f),
    }


def record_acts(conn: Connection, table: Table, cases: Sequence[Row]) -> None:
    """Write the rows of these facts rows' cases that changed since last written (a digest of
    the row is kept in the facts, so nothing is read to compare)."""
    changed = []
    for case in cases:
        f = case["facts"]
        row = act_row(f)
        digest = hashlib.sha1(repr(sorted(row.items())).encode()).hexdigest()[:16]
        if f.get("acts") != digest:
            f["acts"] = digest
            changed.append(row)
    upsert(conn, table, sorted(changed, key=lambda r: r["case_id"]), ("case_id",))


def within(column: Any, county: str | None) -> list[Any]:
    """`column` (a 12-digit code) inside the division `county`, as a range an index can read."""
    if not county:
        return []
    start = prefix(county)
    return [column >= start, column < start[:-1] + chr(ord(start[-1]) + 1)]


@dataclass
class Scope:
    """One question: the day asked about, the area and programme, and the open connection."""

    conn: Connection
    tables: dict[str, Table]
    as_of: date
    county: str | None
    programme: str | None
    _policies: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def acts(self) -> Table:
        return self.tables[ACTS.name]

    def filters(self, on: Any) -> list[Any]:
        """Acts on or before the day asked about, inside the area and programme."""
        a = self.acts
        where = [on <= self.as_of, *within(a.c.county, self.county)]
        if self.programme is not None:
            where.append(a.c.programme == self.programme)
        return where

    def policy(self, programme: str, county: str) -> Policy:
        """The programme's policy (one programme, one policy), read once per question."""
        key = (programme, county)
        if key not in self._policies:
            a = self.acts
            self._policies[key] = self.conn.execute(
                select(a.c.policy_id).where(a.c.county == county, a.c.programme == programme)
                .limit(1)).scalar_one()
        return load_policy(self._policies[key])

    def rules(self, programme: str, county: str) -> FraudRules:
        """The thresholds of the programme's policy."""
        return self.policy(programme, county).fraud

    def cases(self, where: Sequence[Any], names: Sequence[str]
              ) -> tuple[list[str], list[EvidenceItem], list[Facts]]:
        """The first `CASES_SHOWN` cases matching `where` (by reference): their references,
        the events named `names` of each (in log order) and their facts."""
        a, facts = self.acts, self.tables[FACTS.name]
        query = (select(facts.c.facts).select_from(a.join(facts, facts.c.case_id == a.c.case_id))
                 .where(*where).order_by(a.c.case_ref).limit(CASES_SHOWN))
        found = [f for (f,) in self.conn.execute(query)]
        items = [f["ev"][name] for f in found for name in names if name in f["ev"]]
        return ([f["ref"] for f in found], sorted(items, key=lambda item: item["position"]),
                found)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"
