"""登录 — signing in for the pages (a session cookie), signing out, who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from renovation.api.security import (
    SESSION_COOKIE,
    PrincipalDep,
    RuntimeDep,
    bearer,
    csrf_token,
)
from renovation.application.directory.authentication import MAX_SESSION_HOURS, SESSION_HOURS
from renovation.kernel.staff import StaffIdInput

router = APIRouter(prefix="/api", tags=["session"])


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: StaffIdInput
    password: Annotated[str, Field(min_length=1, max_length=256)]
    hours: Annotated[int, Field(ge=1, le=MAX_SESSION_HOURS)] = SESSION_HOURS


@router.post("/session", summary="Sign in: sets the session cookie, returns the CSRF token")
def sign_in(body: SignIn, rt: RuntimeDep, request: Request, response: Response) -> dict[str, Any]:
    issued = rt.auth.sign_in(body.staff_id, body.password, body.hours)
    response.set_cookie(SESSION_COOKIE, issued.token, max_age=body.hours * 3600, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return {"staff_id": issued.staff_id, "expires_at": issued.expires_at.isoformat(),
            "csrf_token": csrf_token(issued.token)}


@router.delete("/session", summary="Sign out: the session token is revoked")
def sign_out(me: PrincipalDep, rt: RuntimeDep, response: Response) -> dict[str, Any]:
    rt.auth.sign_out(me)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"signed_out": me.staff_id}


@router.get("/me", summary="The signed-in principal and the roles held today")
def me(me: PrincipalDep, rt: RuntimeDep, request: Request) -> dict[str, Any]:
    session = None if bearer(request) else request.cookies.get(SESSION_COOKIE)
    return {"staff_id": me.staff_id, "token_id": me.token_id,
            "csrf_token": csrf_token(session) if session else None,
            "roles": [{"role": g.role.value, "role_label": g.role.label,
                       "jurisdiction": g.jurisdiction, "valid_from": g.valid_from.isoformat(),
                       "valid_until": g.valid_until.isoformat() if g.valid_until else None}
                      for g in me.held_on(rt.pipeline.today())]}
