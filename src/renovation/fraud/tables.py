"""The findings read model's tables: per-case facts, shared keys, findings and their reviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Text

from renovation.projections.base import TableSpec


def _facts() -> list[Column[Any]]:
    return [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("policy_id", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("active", Boolean, nullable=False),
        Column("accepted_on", Date),
        Column("paid_yuan", Integer, nullable=False),
        # the agreement's demolition date while the accepted new house's old one stands
        Column("demolish_by", Date),
        Column("version", Integer, nullable=False),
        Column("facts", JSON, nullable=False),
    ]


# Unpaid first: the overdue-payment query then reads only the unpaid accepted cases, not every
# case accepted before its cut-off (355,000 at 1,000,000 cases, 73 ms).
FACTS = TableSpec("rv_fraud_cases", _facts,
                  indexes=(("paid_yuan", "accepted_on"), ("demolish_by",)))


def _acts() -> list[Column[Any]]:
    return [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("policy_id", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("township", String(12)),
        Column("village", String(12)),
        Column("active", Boolean, nullable=False),
        Column("applied_on", Date),
        Column("assessor", String(64)),  # who graded the house (the grading's actor)
        Column("grade", String(1)),
        Column("graded_on", Date),
        Column("acceptor", String(64)),  # who led the latest county acceptance
        Column("acceptance_on", Date),
        Column("builder", String(80)),  # licence, else a digest of the name
        Column("payee", String(128)),  # the agreement's 统建/代建 payee (blind index)
        Column("completed_on", Date),
        Column("short_build", Boolean),  # built faster than the policy's `builder_short_days`
    ]


# The collusion and anomaly rules' per-case columns (anomaly_base.py), apart from the facts: a
# facts row is rewritten on every event and SQLite rewrites each index entry on every upsert,
# while these change a few times per case and are written only then. Each rule's grouped query
# reads one covering index: a county's range, or a builder's or payee's cases.
ACTS = TableSpec("rv_fraud_acts", _acts, indexes=(
    ("county", "programme", "assessor", "graded_on", "grade"),
    ("county", "programme", "acceptor", "acceptance_on", "township"),
    ("county", "programme", "village", "active", "applied_on", "builder", "payee"),
    ("builder", "programme", "completed_on", "township", "short_build", "county"),
    ("payee", "programme", "completed_on", "township", "short_build", "county"),
))


def _keys() -> list[Column[Any]]:
    return [
        Column("kind", String(12), primary_key=True),
        Column("value", String(128), primary_key=True),
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("policy", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("head", String(128)),  # person, account, phone: whose household it is
        Column("reentry", Boolean, nullable=False),
        Column("label", String(80)),  # the masked value a notice may show
        Column("active", Boolean, nullable=False),
        Column("at", String(40)),  # proxy: when the application was entered
        Column("version", Integer, nullable=False),  # the event that gave the key
        Column("position", Integer, nullable=False),
        Column("event", String(40), nullable=False),
        Column("occurred_on", String(10), nullable=False),
        Column("recorded_at", String(32), nullable=False),
    ]


KEYS = TableSpec("rv_fraud_keys", _keys, indexes=(("case_id",),))


def _findings() -> list[Column[Any]]:
    return [
        Column("finding_id", String(36), primary_key=True),
        Column("rule", String(40), nullable=False),
        Column("severity", String(8), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("programme", String(40), nullable=False),
        Column("county", String(12), nullable=False),
        Column("case_refs", JSON, nullable=False),
        Column("explanation_zh", Text, nullable=False),
        Column("explanation_en", Text, nullable=False),
        Column("evidence", JSON, nullable=False),
        Column("digest", String(40), nullable=False),
        Column("first_position", Integer, nullable=False),
        Column("last_position", Integer, nullable=False),
    ]


FINDINGS = TableSpec("rv_findings", _findings, indexes=(("rule", "county"), ("county",)))


def _links() -> list[Column[Any]]:
    return [
        Column("finding_id", String(36), primary_key=True),
        Column("case_ref", String(64), primary_key=True),
        Column("county", String(12), nullable=False),
    ]


LINKS = TableSpec("rv_finding_cases", _links, indexes=(("case_ref",), ("county",)))


def _reviews() -> list[Column[Any]]:
    return [
        Column("finding_id", String(36), primary_key=True),
        Column("review_id", String(36), nullable=False),
        Column("decision", String(12), nullable=False),
        Column("reason", Text, nullable=False),  # as shown to any reader: masked if sealed
        Column("reason_sealed", Text, nullable=True),
        Column("actor_id", String(64), nullable=False),
        Column("actor_role", String(40), nullable=False),
        Column("decided_on", Date, nullable=False),
        Column("recorded_at", String(40), nullable=False),
        Column("decisions", Integer, nullable=False),
        Column("position", Integer, nullable=False),
    ]


REVIEWS = TableSpec("rv_finding_reviews", _reviews, unique=(("review_id",),))
