"""Who is calling: a bearer token (API clients) or the session cookie (pages), never a claim.

Pages sign in with a password and get the session token in an HttpOnly, SameSite=Strict cookie.
A request authenticated by that cookie that changes something must also carry the CSRF token
(header `X-CSRF-Token` or form field `csrf_token`): an HMAC of the session's own secret, which a
page of another site can neither read nor compute. Bearer requests need none (browsers never
attach them by themselves).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request

from renovation.application.directory import AuthenticationError, Principal
from renovation.bootstrap import Runtime

SESSION_COOKIE = "renovation_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def runtime(request: Request) -> Runtime:
    found: Runtime = request.app.state.runtime
    return found


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: derived from its secret, so only its holder can make it."""
    return hmac.new(session_token.encode(), b"renovation csrf", hashlib.sha256).hexdigest()


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def principal(request: Request, rt: RuntimeDep) -> Principal:
    """The authenticated principal of the request, or 401 naming the rule."""
    token = bearer(request)
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        if token is None:
            raise AuthenticationError("auth.required", "token", None,
                                      "sign in (session) or send a bearer token")
        if request.method not in SAFE_METHODS:
            await _check_csrf(request, token)
    return rt.auth.authenticate(token)


async def optional_principal(request: Request, rt: RuntimeDep) -> Principal | None:
    """The principal when the request carries valid credentials; None otherwise (pages)."""
    if bearer(request) is None and SESSION_COOKIE not in request.cookies:
        return None
    try:
        return await principal(request, rt)
    except AuthenticationError:
        return None


async def _check_csrf(request: Request, session_token: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if sent is None or not hmac.compare_digest(sent, csrf_token(session_token)):
        raise AuthenticationError("auth.csrf", CSRF_HEADER, None,
                                  "a change made with the session cookie needs its CSRF token")


PrincipalDep = Annotated[Principal, Depends(principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(optional_principal)]
