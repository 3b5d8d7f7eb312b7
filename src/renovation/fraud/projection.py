"""违规线索 — the findings projection: facts per case, shared keys, findings, reviews.

Per page: each case event updates its case's facts and adds its keys; then the per-case rules
judge every case the page touched and the group rules judge every group a new or retired key
belongs to. A finding's id is derived from its rule and subject, so a replay or a rebuild writes
the same findings under the same ids, and a finding that no longer holds is kept, marked
inactive, rather than deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from renovation.aggregates.case.events import CaseEvent
from renovation.aggregates.finding import FindingReview
from renovation.fraud.anomaly_base import record_acts
from renovation.fraud.case_rules import CASE_RULES
from renovation.fraud.demolition_rule import demolish_by
from renovation.fraud.facts import HANDLERS, evidence, new_facts, observe
from renovation.fraud.findings import FindingWriter, finding_id
from renovation.fraud.groups import GROUP_RULES, RULE_OF_KIND, Key, keys_of, retired_kinds
from renovation.fraud.tables import ACTS, FACTS, FINDINGS, KEYS, LINKS, REVIEWS
from renovation.kernel.protected import ProtectedValue
from renovation.projections.base import (
    Applied,
    Projection,
    ProjectionGapError,
    Row,
    Rows,
    TableSpec,
    dispatch,
)
from renovation.projections.batch import execute_rows
from renovation.projections.cases import case_event_classes

R = FindingReview


class Findings(Projection):
    """违规线索 — the irregularity rules' findings, with their evidence and review status."""

    name = "findings"
    version = 7  # 2: paid_but_check_failed; 3: narrow key rows; 4: unpaid-first index;
    # 5: review reasons sealed; 6: each case's row of the collusion and anomaly rules
    # (rv_fraud_acts: who graded, accepted and built it, where, when) and the facts they read;
    # 7: the demolition date an accepted case's old house is still due by (demolish_by)
    specs: tuple[TableSpec, ...] = (FACTS, KEYS, FINDINGS, LINKS, REVIEWS, ACTS)

    @property
    def topics(self) -> tuple[str, ...]:
        reviews = (R.FindingReviewOpened, R.FindingConfirmed, R.FindingDismissed)
        return (*(cls.TOPIC for cls in case_event_classes()), *(cls.TOPIC for cls in reviews))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        case_events = [(p, e) for p, e in events if isinstance(e, CaseEvent)]
        facts = Rows(conn, tables[FACTS.name], ("case_id",))
        facts.load("case_id", (str(e.originator_id) for _, e in case_events))
        pending: dict[tuple[str, str, str], Key] = {}
        retired: dict[str, set[str]] = {}
        for position, e in case_events:
            row = self._case_row(facts, e)
            f = row["facts"]
            item = evidence(f, position, e)
            observe(f, item, e)
            dispatch(HANDLERS, e, f, item)
            _retire(pending, retired, row["case_id"], retired_kinds(e))
            for key in keys_of(f, item, e):
                pending.setdefault((key["kind"], key["value"], key["case_id"]), key)
            row["version"], row["active"], row["paid_yuan"] = e.originator_version, \
                f["active"], f["paid"]
            accepted = f["ev"].get("accepted")
            row["accepted_on"] = date.fromisoformat(accepted["occurred_on"]) if accepted else None
            row["demolish_by"] = demolish_by(f)
            facts.touched(row["case_id"])
        writer = FindingWriter(conn, tables[FINDINGS.name], tables[LINKS.name])
        for key in sorted(facts.dirty):
            _judge_case(writer, facts.rows[key])
        record_acts(conn, tables[ACTS.name], [facts.rows[key] for key in facts.dirty])
        facts.flush()
        keys = tables[KEYS.name]
        groups = _store_keys(conn, keys, pending, retired)
        _judge_groups(conn, writer, keys, groups)
        writer.flush()
        _record_reviews(conn, tables[REVIEWS.name], events)

    @staticmethod
    def _case_row(facts: Rows, e: Any) -> Row:
        case = str(e.originator_id)
        row = facts.get(case)
        if row is None and e.originator_version == 1:
            f = new_facts(e)
            row = facts.put({"case_id": case, "case_ref": f["ref"], "programme": f["programme"],
                             "policy_id": f["policy"], "county": f["county"], "active": True,
                             "accepted_on": None, "paid_yuan": 0, "demolish_by": None,
                             "version": 0, "facts": f})
        if row is None or e.originator_version != row["version"] + 1:
            expected = 1 if row is None else row["version"] + 1
            raise ProjectionGapError(
                f"case {case}: {type(e).__name__} has version {e.originator_version};"
                f" the findings expected version {expected}")
        return row


def _retire(pending: dict[tuple[str, str, str], Key], retired: dict[str, set[str]], case: str,
            kinds: Iterable[str]) -> None:
    for kind in kinds:
        retired.setdefault(case, set()).add(kind)
        for key in pending.values():
            if key["case_id"] == case and key["kind"] == kind:
                key["active"] = False


def _judge_case(writer: FindingWriter, row: Row) -> None:
    f, flags = row["facts"], row["facts"]["flags"]
    for rule, judge in CASE_RULES.items():
        hit = judge(f)
        if hit is not None:
            fid = finding_id(rule, f"case:{row['case_id']}")
            flags[rule] = writer.put(fid, rule, f"case:{f['ref']}", hit, f["programme"],
                                     f["county"], (f["ref"],), {f["ref"]: f["county"]},
                                     known=flags.get(rule))
        elif rule in flags:
            writer.clear(finding_id(rule, f"case:{row['case_id']}"))
            del flags[rule]


def _store_keys(conn: Connection, keys: Table, pending: dict[tuple[str, str, str], Key],
                retired: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Write the page's keys; answer the groups to judge again."""
    groups = {(kind, value) for kind, value, _ in pending}
    for case, kinds in retired.items():
        where = (keys.c.case_id == case, keys.c.kind.in_(sorted(kinds)))
        groups.update((r.kind, r.value) for r in conn.execute(
            select(keys.c.kind, keys.c.value).where(*where)))
        conn.execute(update(keys).where(*where).values(active=False))
    if pending:
        execute_rows(conn, keys, ("add_keys",), lambda: _add_keys(conn, keys),
                     [pending[k] for k in sorted(pending)])
    return groups


def _add_keys(conn: Connection, keys: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(keys)
    return statement.on_conflict_do_update(index_elements=["kind", "value", "case_id"],
                                           set_={"active": statement.excluded.active})


def _judge_groups(conn: Connection, writer: FindingWriter, keys: Table,
                  groups: set[tuple[str, str]]) -> None:
    shared: list[tuple[str, str]] = []
    for kind, values in _by_kind(groups).items():  # most values belong to one case only
        for start in range(0, len(values), 500):
            query = (select(keys.c.kind, keys.c.value)
                     .where(keys.c.kind == kind, keys.c.value.in_(values[start:start + 500]))
                     .group_by(keys.c.kind, keys.c.value).having(func.count() > 1))
            shared += map(tuple, conn.execute(query))
    candidates: dict[tuple[str, str], list[Key]] = {}
    for kind, values in _by_kind(shared).items():
        for start in range(0, len(values), 500):
            query = select(keys).where(keys.c.kind == kind,
                                       keys.c.value.in_(values[start:start + 500]))
            for found in conn.execute(query).mappings():
                candidates.setdefault((kind, found["value"]), []).append(dict(found))
    known = writer.known(finding_id(RULE_OF_KIND[k], f"{k}:{v}") for k, v in candidates)
    for (kind, value), rows in sorted(candidates.items()):
        fid, rule = finding_id(RULE_OF_KIND[kind], f"{kind}:{value}"), RULE_OF_KIND[kind]
        live = [row for row in rows if row["active"]]
        hit = GROUP_RULES[kind](live) if len(live) > 1 else None
        if hit is not None:
            first = min(live, key=lambda r: r["position"])
            writer.put(fid, rule, f"{kind}:{first['label'] or first['value'][:12]}", hit,
                       first["programme"],
                       first["county"], (), {row["case_ref"]: row["county"] for row in live},
                       known=known.get(fid))
        elif fid in known:
            writer.clear(fid)


def _by_kind(groups: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, value in sorted(groups):
        out.setdefault(kind, []).append(value)
    return out


def _record_reviews(conn: Connection, table: Table, events: Applied) -> None:
    reviews = [(p, e) for p, e in events if isinstance(e, R.Event)]
    if not reviews:
        return
    rows = Rows(conn, table, ("finding_id",))
    rows.load("review_id", {str(e.originator_id) for _, e in reviews})
    finding_of = {row["review_id"]: fid for (fid,), row in rows.rows.items()}
    for position, e in reviews:
        review = str(e.originator_id)
        if isinstance(e, R.FindingReviewOpened):
            finding_of[review] = str(e.finding_id)
        fid = finding_of.get(review)
        if fid is None:
            raise ProjectionGapError(f"review {review}: a decision before the review opened")
        previous = rows.get(fid)
        rows.put({"finding_id": fid, "review_id": review, "decision": _decision(e),
                  **_reason(e.reason), "actor_id": e.actor.id, "actor_role": e.actor.role.value,
                  "decided_on": e.occurred_on, "recorded_at": e.timestamp.isoformat(),
                  "decisions": (previous["decisions"] if previous else 0) + 1,
                  "position": position})
    rows.flush()


def _reason(reason: str | ProtectedValue) -> dict[str, str | None]:
    if isinstance(reason, ProtectedValue):
        return {"reason": reason.masked, "reason_sealed": reason.model_dump_json()}
    return {"reason": reason, "reason_sealed": None}


def _decision(e: Any) -> str:
    if isinstance(e, R.FindingReviewOpened):
        return e.decision.value
    return "confirmed" if isinstance(e, R.FindingConfirmed) else "dismissed"
