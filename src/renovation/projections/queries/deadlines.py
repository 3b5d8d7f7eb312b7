"""逾期 — what is overdue on a given date, judged from the dates the events recorded.

- `notice`: a notice still up after its planned period (posted + planned days);
- `agreement_deadline`: the agreement's completion deadline passed, the house not completed;
- `unpaid_after_acceptance`: accepted more than `payment.max_days_after_acceptance` days ago
  and not fully paid;
- `payment_submitted_late`: a request submitted after the month's `payment.submit_by_day`;
- `payment_paid_late` / `payment_unpaid`: paid after, or still unpaid on, the `pay_by_day` of
  the request's batch month (the next month when it missed the submit-by day).
Cases withdrawn or rejected by that date owe nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_, select
from sqlalchemy.engine import Connection

from renovation.policy import Policy
from renovation.policy.models import PaymentRules
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, policies, tables, within

KINDS = (
    "notice", "agreement_deadline", "unpaid_after_acceptance", "payment_submitted_late",
    "payment_paid_late", "payment_unpaid",
)


def overdue(
    db: ViewsDatabase, as_of: date, programme: str | None = None, inside: str | None = None
) -> dict[str, Any]:
    """Every overdue item on `as_of`, ordered by kind, case reference and due date."""
    t = tables(db)
    cases = t["rv_cases"]
    scope = [*within(cases, inside), *([cases.c.programme == programme] if programme else []),
             or_(cases.c.ended_on.is_(None), cases.c.ended_on > as_of)]
    with db.engine.connect() as conn:
        by_policy = policies(conn, t)
        rules = [policy.payment for policy in by_policy.values()]
        if not rules:
            return _answer([], as_of, programme, inside)
        notices, payments = t["rv_notices"], t["rv_payments"]
        # SQL keeps the candidates (a superset when programmes differ in their rules);
        # each is then judged exactly against its own programme's policy.
        items = [
            *_notices(_in_scope(conn, notices, _notice_candidates(notices, as_of), cases,
                                scope), as_of),
            *_cases(conn.execute(_case_query(cases, scope, as_of, rules)), as_of, by_policy),
            *_payments(_in_scope(conn, payments, _payment_candidates(payments, as_of), cases,
                                 scope), as_of, by_policy),
        ]
    return _answer(items, as_of, programme, inside)


def _answer(
    items: list[dict[str, Any]], as_of: date, programme: str | None, inside: str | None
) -> dict[str, Any]:
    items.sort(key=lambda i: (KINDS.index(i["kind"]), i["case_ref"], i["due_on"], i["ref"]))
    counts = Counter(item["kind"] for item in items)
    return {"as_of": iso(as_of), "programme": programme, "within": inside,
            "counts": {kind: counts[kind] for kind in KINDS}, "items": items}


def _notice_candidates(n: Table, as_of: date) -> list[ColumnElement[bool]]:
    return [n.c.posted_on <= as_of, n.c.due_on < as_of, _not_by(n.c.closed_on, as_of),
            _not_by(n.c.ended_on, as_of)]


def _case_query(
    cases: Table, scope: list[ColumnElement[bool]], as_of: date, rules: list[PaymentRules]
) -> Any:
    c = cases.c
    shortest = min(rule.max_days_after_acceptance for rule in rules)
    late_build = and_(c.agreement_deadline < as_of, _not_by(c.completed_on, as_of))
    unpaid = and_(c.accepted_on < as_of - timedelta(days=shortest), _not_by(c.paid_on, as_of))
    return (select(c.case_ref, c.programme, c.county, c.village, c.stage, c.agreement_deadline,
                   c.completed_on, c.accepted_on, c.paid_on, c.paid_yuan, c.subsidy_yuan)
            .where(*scope, or_(late_build, unpaid)))


def _payment_candidates(p: Table, as_of: date) -> list[ColumnElement[bool]]:
    """Requests submitted late, paid late, or unpaid after their pay-by day (the read model
    dated each by its case's policy; `_payments` judges each again as of `as_of`)."""
    # Every term can use an index ("= true", not "IS true"); requests dated after `as_of` are
    # dropped by `_payments`, since a range on requested_on would steer SQLite to scan them all.
    return [or_(
        p.c.submitted_late == True, p.c.paid_late == True,  # noqa: E712
        and_(p.c.paid_on.is_(None), p.c.pay_by < as_of), p.c.paid_on > as_of,
    )]


def _not_by(column: Any, as_of: date) -> ColumnElement[bool]:
    """The act had not happened by `as_of` (never, or later)."""
    return or_(column.is_(None), column > as_of)


def _in_scope(conn: Connection, table: Table, where: list[ColumnElement[bool]], cases: Table,
              scope: list[ColumnElement[bool]]) -> list[Any]:
    """The exceptions first, by their indexes, then only those of cases in scope: they are
    few, and joining from the cases instead visits every notice or request of the scope (60 ms
    for a county of 20,000 cases)."""
    found = conn.execute(select(table).where(*where)).all()
    ids = sorted({row.case_id for row in found})
    scoped: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        query = select(cases.c.case_id, cases.c.case_ref, cases.c.programme, cases.c.county,
                       cases.c.village).where(*scope, cases.c.case_id.in_(ids[start:start + 500]))
        scoped.update({row.case_id: row for row in conn.execute(query)})
    return [SimpleNamespace(**{**row._mapping, **scoped[row.case_id]._mapping})
            for row in found if row.case_id in scoped]


def _item(kind: str, row: Any, ref: str, due: date, as_of: date, **detail: Any) -> dict[str, Any]:
    late_on = detail.pop("late_on", as_of)
    return {"kind": kind, "case_ref": row.case_ref, "programme": row.programme,
            "county": row.county, "village": row.village, "ref": ref, "due_on": iso(due),
            "days_overdue": (late_on - due).days, **detail}


def _notices(rows: Any, as_of: date) -> list[dict[str, Any]]:
    return [
        _item("notice", row, row.notice_no, row.due_on, as_of, level=row.level,
              posted_on=iso(row.posted_on))
        for row in rows
        if row.posted_on <= as_of and row.due_on < as_of
        and not _by(row.closed_on, as_of) and not _by(row.ended_on, as_of)
    ]


def _cases(rows: Any, as_of: date, by_policy: dict[str, Policy]) -> list[dict[str, Any]]:
    items = []
    for row in rows:
        deadline = row.agreement_deadline
        if deadline and deadline < as_of and not _by(row.completed_on, as_of):
            items.append(_item("agreement_deadline", row, row.case_ref, deadline, as_of,
                               stage=row.stage))
        policy = by_policy.get(row.programme)
        if policy and _by(row.accepted_on, as_of) and not _by(row.paid_on, as_of):
            due = row.accepted_on + timedelta(days=policy.payment.max_days_after_acceptance)
            if due < as_of:
                items.append(_item("unpaid_after_acceptance", row, row.case_ref, due, as_of,
                                   accepted_on=iso(row.accepted_on), paid_yuan=row.paid_yuan,
                                   subsidy_yuan=row.subsidy_yuan))
    return items


def _payments(rows: Any, as_of: date, by_policy: dict[str, Policy]) -> list[dict[str, Any]]:
    items = []
    for row in rows:
        policy = by_policy.get(row.programme)
        if policy is None or row.requested_on > as_of:
            continue
        submit_by, pay_by = policy.payment.days_for(row.requested_on)
        detail = {"requested_on": iso(row.requested_on), "paid_on": iso(row.paid_on),
                  "tranche": row.tranche}
        if row.requested_on > submit_by:
            items.append(_item("payment_submitted_late", row, row.request_no, submit_by, as_of,
                               late_on=row.requested_on, **detail))
        if _by(row.paid_on, as_of) and row.paid_on > pay_by:
            items.append(_item("payment_paid_late", row, row.request_no, pay_by, as_of,
                               late_on=row.paid_on, **detail))
        elif not _by(row.paid_on, as_of) and pay_by < as_of:
            items.append(_item("payment_unpaid", row, row.request_no, pay_by, as_of, **detail))
    return items


def _by(day: date | None, as_of: date) -> bool:
    """The act happened on or before `as_of`."""
    return day is not None and day <= as_of
