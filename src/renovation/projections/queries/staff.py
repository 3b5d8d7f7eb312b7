"""工作人员名录 — who is in the directory, which roles they hold where and when, their tokens.

Names masked; tokens by id only. `within` keeps members holding (or having held) a role inside
a division; `role` and `status` filter further.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select

from renovation.kernel.jurisdiction import prefix
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import iso, tables


def list_staff(
    db: ViewsDatabase, within: str | None = None, role: str | None = None,
    status: str | None = None, on: date | None = None,
) -> list[dict[str, Any]]:
    """Members in staff-id order, each with the grants matching the filters."""
    t = tables(db)
    staff, grants = t["rv_staff"], t["rv_staff_grants"]
    query = (select(grants, *(staff.c[c] for c in _MEMBER_COLUMNS))
             .join(staff, staff.c.staff_uuid == grants.c.staff_uuid)
             .order_by(grants.c.staff_id, grants.c.grant_no))
    if within:
        query = query.where(grants.c.jurisdiction.startswith(prefix(within)))
    if role:
        query = query.where(grants.c.role == role)
    if status:
        query = query.where(staff.c.status == status)
    if on:
        query = query.where(grants.c.valid_from <= on, or_(
            grants.c.valid_until.is_(None), grants.c.valid_until >= on))
    members: dict[str, dict[str, Any]] = {}
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            member = members.get(row.staff_id)
            if member is None:
                member = members[row.staff_id] = {**_member(row), "grants": []}
            member["grants"].append(_grant(row))
    return list(members.values())


def show_staff(db: ViewsDatabase, staff_id: str) -> dict[str, Any] | None:
    """One member with every grant and token, or None."""
    t = tables(db)
    staff, grants, tokens = t["rv_staff"], t["rv_staff_grants"], t["rv_staff_tokens"]
    with db.engine.connect() as conn:
        row = conn.execute(select(staff).where(staff.c.staff_id == staff_id)).first()
        if row is None:
            return None
        held = conn.execute(select(grants).where(grants.c.staff_id == staff_id)
                            .order_by(grants.c.grant_no))
        issued = conn.execute(select(tokens).where(tokens.c.staff_id == staff_id)
                              .order_by(tokens.c.issued_at, tokens.c.token_id))
        return {**_member(row), "grants": [_grant(g) for g in held],
                "tokens": [{"token_id": k.token_id, "kind": k.kind, "label": k.label,
                            "issued_at": k.issued_at.isoformat(),
                            "expires_at": k.expires_at.isoformat(), "revoked": k.revoked}
                           for k in issued]}


_MEMBER_COLUMNS = ("name", "status", "id_number_known", "password_set", "registered_on",
                   "registered_by")


def _member(row: Any) -> dict[str, Any]:
    return {"staff_id": row.staff_id, "name": row.name, "status": row.status,
            "id_number_known": row.id_number_known, "password_set": row.password_set,
            "registered_on": iso(row.registered_on), "registered_by": row.registered_by}


def _grant(g: Any) -> dict[str, Any]:
    return {"grant_no": g.grant_no, "role": g.role, "jurisdiction": g.jurisdiction,
            "valid_from": iso(g.valid_from), "valid_until": iso(g.valid_until),
            "granted_by": g.granted_by}
