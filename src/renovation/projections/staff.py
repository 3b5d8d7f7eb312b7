"""工作人员名录 — the staff directory as a read model: members, their grants, their tokens.

Names are kept in their masked form only; a token is listed by its id, never its secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table
from sqlalchemy.engine import Connection

from renovation.aggregates.staff import StaffMember
from renovation.aggregates.token import ApiToken
from renovation.projections.base import Applied, Projection, Rows, TableSpec

STAFF = TableSpec(
    "rv_staff",
    lambda: [
        Column("staff_uuid", String(36), primary_key=True),
        Column("staff_id", String(64), nullable=False),
        Column("name", String(64), nullable=False),
        Column("id_number_known", Boolean, nullable=False),
        Column("status", String(10), nullable=False),
        Column("password_set", Boolean, nullable=False),
        Column("registered_on", Date, nullable=False),
        Column("registered_by", String(64), nullable=False),
    ],
    unique=(("staff_id",),),
)

GRANTS = TableSpec(
    "rv_staff_grants",
    lambda: [
        Column("staff_uuid", String(36), primary_key=True),
        Column("grant_no", Integer, primary_key=True),
        Column("staff_id", String(64), nullable=False),
        Column("role", String(40), nullable=False),
        Column("jurisdiction", String(12), nullable=False),
        Column("valid_from", Date, nullable=False),
        Column("valid_until", Date, nullable=True),
        Column("granted_by", String(64), nullable=False),
    ],
    indexes=(("jurisdiction",), ("staff_id",)),
)

TOKENS = TableSpec(
    "rv_staff_tokens",
    lambda: [
        Column("token_uuid", String(36), primary_key=True),
        Column("token_id", String(16), nullable=False),
        Column("staff_id", String(64), nullable=False),
        Column("kind", String(10), nullable=False),
        Column("label", String(80), nullable=True),
        Column("issued_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("revoked", Boolean, nullable=False),
    ],
    indexes=(("staff_id",),),
)


class StaffDirectoryView(Projection):
    """Members, grants and tokens, as `renovation users list|show` shows them."""

    name = "staff"
    version = 1
    specs = (STAFF, GRANTS, TOKENS)

    @property
    def topics(self) -> tuple[str, ...]:
        member = (StaffMember.StaffMemberRegistered, StaffMember.RoleGranted,
                  StaffMember.RoleRevoked, StaffMember.StaffMemberDisabled,
                  StaffMember.StaffMemberEnabled, StaffMember.PasswordSet)
        return (*(cls.TOPIC for cls in member), ApiToken.ApiTokenIssued.TOPIC,
                ApiToken.ApiTokenRevoked.TOPIC)

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        staff = Rows(conn, tables[STAFF.name], ("staff_uuid",))
        grants = Rows(conn, tables[GRANTS.name], ("staff_uuid", "grant_no"))
        tokens = Rows(conn, tables[TOKENS.name], ("token_uuid",))
        ids = {str(e.originator_id) for _, e in events}
        staff.load("staff_uuid", ids)
        grants.load("staff_uuid", ids)
        tokens.load("token_uuid", ids)
        for _, e in events:
            key = str(e.originator_id)
            if isinstance(e, StaffMember.StaffMemberRegistered):
                staff.put({"staff_uuid": key, "staff_id": e.staff_id, "name": e.name.masked,
                           "id_number_known": e.person_ref is not None, "status": "active",
                           "password_set": False, "registered_on": e.occurred_on,
                           "registered_by": e.actor.id})
            elif isinstance(e, ApiToken.ApiTokenIssued | ApiToken.ApiTokenRevoked):
                _token(tokens, key, e)
            else:
                _member_changed(staff, grants, _row(staff, key), e)
        staff.flush()
        grants.flush()
        tokens.flush()


def _row(rows: Rows, key: str) -> dict[str, Any]:
    row = rows.get(key)
    assert row is not None, f"a staff event before staff member {key} was registered"
    return row


def _member_changed(staff: Rows, grants: Rows, member: dict[str, Any], e: Any) -> None:
    if isinstance(e, StaffMember.RoleGranted):
        g = e.grant
        grants.put({"staff_uuid": member["staff_uuid"], "grant_no": g.grant_no,
                    "staff_id": member["staff_id"], "role": g.role.value,
                    "jurisdiction": g.jurisdiction, "valid_from": g.valid_from,
                    "valid_until": g.valid_until, "granted_by": e.actor.id})
        return
    if isinstance(e, StaffMember.RoleRevoked):
        grant = grants.get(member["staff_uuid"], e.grant_no)
        assert grant is not None, f"revoking unknown grant {e.grant_no}"
        grant["valid_until"] = e.effective_on - timedelta(days=1)
        grants.changed(grant)
        return
    if isinstance(e, StaffMember.StaffMemberDisabled | StaffMember.StaffMemberEnabled):
        disabled = isinstance(e, StaffMember.StaffMemberDisabled)
        member["status"] = "disabled" if disabled else "active"
    elif isinstance(e, StaffMember.PasswordSet):
        member["password_set"] = True
    staff.changed(member)


def _token(tokens: Rows, key: str, e: Any) -> None:
    if isinstance(e, ApiToken.ApiTokenIssued):
        tokens.put({"token_uuid": key, "token_id": e.token_id, "staff_id": e.staff_id,
                    "kind": e.kind.value, "label": e.label, "issued_at": e.timestamp,
                    "expires_at": e.expires_at, "revoked": False})
        return
    row = _row(tokens, key)
    row["revoked"] = True
    tokens.changed(row)
