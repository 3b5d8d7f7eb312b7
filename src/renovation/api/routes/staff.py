"""人员管理 — the staff directory for administrators of an area (names masked, tokens by id)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.directory import NewMember, staff_id_of
from renovation.application.directory.admin import DirectoryError
from renovation.kernel.jurisdiction import CODE_PATTERN, DivisionCode, covers
from renovation.kernel.staff import STAFF_ID_INPUT, StaffIdInput
from renovation.kernel.vocabulary import Role
from renovation.projections.queries.staff import list_staff, show_staff

router = APIRouter(prefix="/api/staff", tags=["staff"])
StaffIdPath = Annotated[str, Path(pattern=STAFF_ID_INPUT)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class Register(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: StaffIdInput
    name: Annotated[str, Field(min_length=1, max_length=60)]
    role: Role
    jurisdiction: DivisionCode
    valid_from: date | None = None
    valid_until: date | None = None
    id_number: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    password: Annotated[str, Field(min_length=1, max_length=256)] | None = None


class GrantInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    jurisdiction: DivisionCode
    valid_from: date | None = None
    valid_until: date | None = None


class Revoke(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant_no: Annotated[int, Field(ge=1)]
    effective_on: date | None = None
    reason: Reason


class Because(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class TokenInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Annotated[int, Field(ge=1, le=366)] = 365
    label: Annotated[str, Field(max_length=80)] | None = None


@router.get("", summary="Members with roles in an area")
def members(
    rt: RuntimeDep, me: PrincipalDep, views: ViewsDep,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    role: Role | None = None, status: Annotated[str | None, Query(
        pattern=r"^(active|disabled)$")] = None,
) -> list[dict[str, Any]]:
    area = scoped(rt, me, "manage_users", within)
    return list_staff(views, area, role.value if role else None, status)


@router.get("/{staff_id}", summary="One member: grants with dates, tokens by id")
def member(staff_id: StaffIdPath, rt: RuntimeDep, me: PrincipalDep, views: ViewsDep
           ) -> dict[str, Any]:
    area = scoped(rt, me, "manage_users", None)
    found = show_staff(views, staff_id_of(staff_id, "staff_id"))
    if found is None or not all(covers(area, g["jurisdiction"]) for g in found["grants"]):
        raise DirectoryError("staff.exists", "staff_id", staff_id,
                             f"no staff member {staff_id} in your area")
    return found


@router.post("", summary="Register a member with a first role (and a password)")
def register(body: Register, rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    added = rt.staff.register(me, NewMember(body.staff_id, body.name, body.role,
                                            body.jurisdiction, body.valid_from,
                                            body.valid_until, body.id_number))
    if body.password is not None:
        rt.staff.set_password(me, added.staff_id, body.password)
    return {"staff_id": added.staff_id, "name": added.name.masked,
            "grants": [g.model_dump(mode="json") for g in added.grants.values()]}


@router.post("/{staff_id}/grants", summary="Grant a further role")
def grant(staff_id: StaffIdPath, body: GrantInput, rt: RuntimeDep, me: PrincipalDep
          ) -> dict[str, Any]:
    given = rt.staff.grant(me, staff_id, body.role, body.jurisdiction, body.valid_from,
                           body.valid_until)
    return given.model_dump(mode="json")


@router.post("/{staff_id}/revocations", summary="End a role")
def revoke(staff_id: StaffIdPath, body: Revoke, rt: RuntimeDep, me: PrincipalDep
           ) -> dict[str, Any]:
    rt.staff.revoke(me, staff_id, body.grant_no, body.effective_on, body.reason)
    return {"staff_id": staff_id, "grant_no": body.grant_no, "revoked": True}


@router.post("/{staff_id}/disable", summary="Stop the account signing in")
def disable(staff_id: StaffIdPath, body: Because, rt: RuntimeDep, me: PrincipalDep
            ) -> dict[str, Any]:
    rt.staff.disable(me, staff_id, body.reason)
    return {"staff_id": staff_id, "status": "disabled"}


@router.post("/{staff_id}/enable", summary="Let the account sign in again")
def enable(staff_id: StaffIdPath, body: Because, rt: RuntimeDep, me: PrincipalDep
           ) -> dict[str, Any]:
    rt.staff.enable(me, staff_id, body.reason)
    return {"staff_id": staff_id, "status": "active"}


@router.post("/{staff_id}/tokens", summary="Issue an API token (shown once)")
def token(staff_id: StaffIdPath, body: TokenInput, rt: RuntimeDep, me: PrincipalDep
          ) -> dict[str, Any]:
    issued = rt.staff.issue_token(me, staff_id, body.days, body.label)
    return {"token_id": issued.token_id, "staff_id": issued.staff_id,
            "expires_at": issued.expires_at.isoformat(), "token": issued.token}


@router.delete("/tokens/{token_id}", summary="Revoke a token by its id")
def revoke_token(token_id: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")], body: Because,
                 rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    rt.staff.revoke_token(me, token_id, body.reason)
    return {"token_id": token_id, "revoked": True}
