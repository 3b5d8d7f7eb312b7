"""资金 — per case and fund source what was approved, requested and paid; each payment request.

The payee appears only in the masked form the event carries (an account's last four digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.case import RenovationCase
from renovation.policy import load_policy
from renovation.projections.base import Applied, Projection, Row, Rows, TableSpec

C = RenovationCase

CASE_FUNDS = TableSpec(
    "rv_case_funds",
    lambda: [
        Column("case_id", String(36), primary_key=True),
        Column("source", String(32), primary_key=True),
        Column("approved_yuan", Integer, nullable=False),
        Column("requested_yuan", Integer, nullable=False),
        Column("paid_yuan", Integer, nullable=False),
        Column("policy_id", String(40)),  # of the approval: its payment days date the requests
    ],
)

PAYMENTS = TableSpec(
    "rv_payments",
    lambda: [
        Column("case_id", String(36), primary_key=True),
        Column("request_no", String(64), primary_key=True),
        Column("tranche", String(16), nullable=False),
        Column("channel", String(24), nullable=False),
        Column("payee", String(64), nullable=False),
        Column("requested_on", Date, nullable=False),
        Column("requested_yuan", Integer, nullable=False),
        Column("paid_on", Date),
        Column("paid_yuan", Integer),
        Column("voucher_no", String(64)),
        # Judged when the request and the payment are recorded, by the case's policy, so the
        # overdue list finds exceptions by index instead of dating every request again.
        Column("pay_by", Date),
        Column("submitted_late", Boolean, nullable=False),
        Column("paid_late", Boolean, nullable=False),
    ],
    indexes=(("requested_on",), ("paid_on",), ("submitted_late",), ("paid_late",)),
)


class Payments(Projection):
    """资金拨付 — approved, requested and paid amounts by fund source, and the requests."""

    name = "payments"
    version = 2  # 2: the payment days judged per request
    specs = (CASE_FUNDS, PAYMENTS)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(cls.TOPIC for cls in
                     (C.CountyApprovalGranted, C.PaymentRequested, C.PaymentDisbursed))

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        case_ids = {str(e.originator_id) for _, e in events}
        funds = Rows(conn, tables[CASE_FUNDS.name], ("case_id", "source"))
        funds.load("case_id", case_ids)
        payments = Rows(conn, tables[PAYMENTS.name], ("case_id", "request_no"))
        payments.load("case_id", case_ids)
        policy_of = {c: row["policy_id"] for (c, _), row in funds.rows.items() if row["policy_id"]}
        for _, e in events:
            case = str(e.originator_id)
            if isinstance(e, C.CountyApprovalGranted):
                policy_of[case] = e.subsidy.policy_id
                for source, amount in e.subsidy.split_yuan.items():
                    row = _fund(funds, case, source)
                    row["approved_yuan"], row["policy_id"] = amount, e.subsidy.policy_id
            elif isinstance(e, C.PaymentRequested):
                _add(funds, case, e.amounts.by_source, "requested_yuan")
                payments.put(_request(case, e, policy_of.get(case)))
            elif isinstance(e, C.PaymentDisbursed):
                _add(funds, case, e.amounts.by_source, "paid_yuan")
                _disbursed(payments, case, e)
        funds.flush()
        payments.flush()


def _fund(funds: Rows, case: str, source: str) -> Row:
    row = funds.get(case, source)
    if row is None:
        row = {"case_id": case, "source": source, "approved_yuan": 0, "requested_yuan": 0,
               "paid_yuan": 0, "policy_id": None}
    return funds.put(row)


def _add(funds: Rows, case: str, amounts: Mapping[str, int], column: str) -> None:
    for source, amount in amounts.items():
        _fund(funds, case, source)[column] += amount


def _request(case: str, e: Any, policy_id: str | None) -> Row:
    rules = load_policy(policy_id).payment if policy_id else None
    due = rules.days_for(e.occurred_on) if rules else None
    return {
        "case_id": case, "request_no": e.request_no, "tranche": e.tranche.value,
        "channel": e.channel.value, "payee": e.payee_masked, "requested_on": e.occurred_on,
        "requested_yuan": e.amounts.total, "paid_on": None, "paid_yuan": None, "voucher_no": None,
        "pay_by": due[1] if due else None, "submitted_late": bool(due and e.occurred_on > due[0]),
        "paid_late": False,
    }


def _disbursed(payments: Rows, case: str, e: Any) -> None:
    row = payments.get(case, e.request_no)
    assert row is not None, f"payment {e.request_no} of case {case} was never requested"
    row.update(paid_on=e.occurred_on, paid_yuan=e.amounts.total, voucher_no=e.voucher_no,
               paid_late=row["pay_by"] is not None and e.occurred_on > row["pay_by"])
    payments.changed(row)
