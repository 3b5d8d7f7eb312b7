"""Refusals over HTTP: the same `{rule, field, value, message}` as the CLI, with a status code.

401 authentication, 403 authorisation (role, area, recorder, duties of the reader), 404 a case
or record that does not exist, 409 a rule of the procedure or a concurrent change, 413 a body
too large, 422 input that does not fit its schema. Values are the masked ones rule violations
carry; a body that fails FastAPI's own validation is reported in the same shape, its personal
values masked the same way.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, JsonValue
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renovation.application.commands import input_error_from
from renovation.application.directory import AuthenticationError
from renovation.application.store_failure import is_store_failure, store_unavailable
from renovation.kernel.errors import (
    InvalidInputError,
    NotAuthorizedError,
    OutsideJurisdictionError,
    RuleViolation,
)
from renovation.logging import get_logger


class Refusal(BaseModel):
    """Why a request was refused: the rule, the field, its (masked) value, for a person."""

    error: str
    rule: str
    field: str
    value: JsonValue
    message: str


_log = get_logger("renovation.api")

REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Refusal, "description": description} for status, description in (
        (400, "the body is not JSON"),
        (401, "not signed in, or the credentials are not valid"),
        (403, "signed in, but no role may do this here"),
        (404, "no such case or record"),
        (409, "refused by a rule of the procedure, or a concurrent change"),
        (413, "the body is larger than 1 MiB"),
        (422, "input that does not fit its schema or the staff directory"),
        (503, "the store failed (`store.unavailable`); retry"),
    )}
"""Documented on every route: each may refuse for any of these reasons."""

NOT_FOUND_RULES = frozenset({"case.exists", "finding.exists", "staff.exists", "token.exists",
                             "programme.known", "spotcheck.draw_exists"})


def status_of(error: RuleViolation) -> int:
    if isinstance(error, AuthenticationError):
        return 403 if error.rule == "auth.csrf" else 401
    if isinstance(error, NotAuthorizedError | OutsideJurisdictionError) or error.rule.startswith(
            ("authorization.", "recorder.", "directory.not_own")):
        return 403
    if error.rule in NOT_FOUND_RULES:
        return 404
    if isinstance(error, InvalidInputError) or error.rule.startswith(
            ("input.", "identity.", "actor.")):
        return 422
    return 409


def refusal(error: RuleViolation) -> JSONResponse:
    return JSONResponse(error.to_dict(), status_code=status_of(error))


async def _rule_violation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RuleViolation)
    return refusal(error)


async def _request_invalid(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems: list[Any] = list(error.errors())
    first = dict(problems[0]) if problems else {"type": "invalid", "loc": (), "msg": "invalid"}
    loc = [str(part) for part in first.get("loc", ())]
    first["loc"] = tuple(loc[1:] if loc and loc[0] in ("body", "query", "path") else loc)
    return refusal(input_error_from(first))


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    """Errors the framework raises itself (a body that is not JSON, an unknown path) in the
    same shape as every refusal."""
    assert isinstance(error, StarletteHTTPException)
    rule = {400: "input.json", 404: "http.not_found", 405: "http.method"}.get(
        error.status_code, f"http.{error.status_code}")
    body = {"error": "HTTPException", "rule": rule, "field": "request", "value": None,
            "message": str(error.detail)}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


class CatchFailures:
    """Answers what no route turned into a refusal. Not an exception handler for `Exception`:
    Starlette re-raises after such a handler answers, and the server would log the traceback —
    the SQL and its values. A failure after the answer began (a live stream) ends it quietly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:  # everything a route did not turn into a refusal
            response = _unexpected(Request(scope), error)
            if not started:
                await response(scope, receive, send)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    """A store failure is a 503 naming `store.unavailable` and nothing of the SQL or its values;
    anything else is a 500 that says only that (the server's log has the type)."""
    if is_store_failure(error):
        refused = store_unavailable(error, request.app.state.runtime.settings.db)
        _log.error("store.unavailable", error=type(error).__name__, path=request.url.path)
        return JSONResponse(refused.to_dict(), status_code=503, headers={"Retry-After": "5"})
    _log.error("request.failed", error=type(error).__name__, path=request.url.path)
    body = {"error": "InternalError", "rule": "server.error", "field": "request", "value": None,
            "message": "the server failed on this request; nothing in its answer is partial"}
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    app.add_middleware(CatchFailures)
    app.add_exception_handler(RuleViolation, _rule_violation)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
