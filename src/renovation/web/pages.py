"""The dashboard's frame: templates, the signed-in page principal, sign-in and sign-out pages.

Pages authenticate with the session cookie only; a page asked without one redirects to the
sign-in page. Every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from renovation.aggregates.base import CHINA_STANDARD_TIME, recorded_now
from renovation.api.security import SESSION_COOKIE, RuntimeDep, csrf_token, principal
from renovation.application.directory import AuthenticationError, Principal
from renovation.bootstrap import Runtime
from renovation.projections.verify import last_verified
from renovation.web.assets import MANIFEST, STATIC

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.globals["assets"] = {
    name: entry["sha384"] for name, entry in
    json.loads((STATIC / "vendor" / MANIFEST).read_text(encoding="utf-8")).items()}
NAV = (("/", "总览"), ("/funds", "资金"), ("/progress", "进度"), ("/overdue", "逾期"),
       ("/findings", "线索"), ("/spotchecks", "抽查"), ("/ledger", "台账"),
       ("/tipoffs", "举报投诉"), ("/evaluation", "绩效评价"), ("/cases", "案卷"),
       ("/notices", "公示"))
AREA_PAGES = frozenset({"/", "/funds", "/progress", "/overdue", "/spotchecks", "/ledger",
                        "/cases"})


class SignInRequired(Exception):  # noqa: N818 - control flow: redirect to the sign-in page
    """The page needs a signed-in principal; the handler answers with a redirect."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


async def page_principal(request: Request, rt: RuntimeDep) -> Principal:
    """The session's principal; a form that changes something must carry its CSRF token (a
    forged one is refused, 403), any other trouble with the session leads to the sign-in."""
    if SESSION_COOKIE not in request.cookies:
        raise SignInRequired(str(request.url.path))
    try:
        return await principal(request, rt)
    except AuthenticationError as refusal:
        if refusal.rule == "auth.csrf":
            raise
        raise SignInRequired(str(request.url.path)) from None


Me = Annotated[Principal, Depends(page_principal)]


def optional_page_principal(request: Request, rt: Runtime) -> Principal | None:
    """Who is signed in on a public page, if anyone (for the page's frame only)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token is None:
        return None
    try:
        return rt.auth.authenticate(token)
    except AuthenticationError:
        return None


def china_today() -> date:
    return recorded_now().astimezone(CHINA_STANDARD_TIME).date()


def may(rt: Runtime, me: Principal, action: str) -> bool:
    """Whether a role the principal holds today may do `action` somewhere (to offer it on a
    page; the service decides for the case's area when it is done)."""
    return any(action in rt.directory.authorizer.actions_of(g.role)
               for g in me.held_on(rt.pipeline.today()))


def render(request: Request, template: str, me: Principal | None, rt: Runtime,
           **context: Any) -> HTMLResponse:
    """A page with the frame's context: who is signed in, the CSRF token, the navigation."""
    token = request.cookies.get(SESSION_COOKIE)
    who = None
    if me is not None:
        roles = "、".join(sorted({g.role.label for g in me.held_on(rt.pipeline.today())}))
        who = {"staff_id": me.staff_id, "roles": roles}
    return TEMPLATES.TemplateResponse(request, template, {
        "me": who, "csrf": csrf_token(token) if token and me else "",
        "verified": read_models_verified(request.app.state.views) if me else None,
        "nav": _nav(context.get("within") or request.query_params.get("within")),
        "active": context.pop("active", request.url.path), **context})


def read_models_verified(views: Any) -> str:
    """When the read models were last compared with the log, for the page's footer."""
    with views.engine.connect() as conn:
        found = last_verified(conn, views.metadata)
    if not found:
        return "读模型尚未与事件日志核对（renovation projections verify）"
    oldest = min(row.verified_at for row in found.values())
    differing = sum(row.differing for row in found.values() if not row.ok)
    if oldest.tzinfo is None:  # SQLite keeps the UTC time without its zone
        oldest = oldest.replace(tzinfo=UTC)
    when = oldest.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d %H:%M")
    if differing:
        return f"读模型于 {when} 核对：{differing} 行与事件日志不一致"
    return f"读模型于 {when} 与事件日志核对一致"


def _nav(within: str | None) -> list[tuple[str, str]]:
    """The navigation, keeping the area being looked at (overview → funds of 灵川县)."""
    return [(f"{href}?within={quote(within)}" if within and href in AREA_PAGES else href, label)
            for href, label in NAV]


router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, rt: RuntimeDep, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", None, rt, title="登录", next=_local(next), staff_id="",
                  error=None)


@router.post("/login", response_model=None)
def login(
    request: Request, rt: RuntimeDep, staff_id: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=256)], next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        issued = rt.auth.sign_in(staff_id, password)
    except AuthenticationError as refusal:
        message = {"auth.rate_limited": "登录失败次数过多，请稍后再试",
                   "auth.user_disabled": "该账户已停用",
                   "auth.no_role_held": "该账户当前没有在岗职务"}.get(
                       refusal.rule, "工作人员编号或密码错误")
        return render(request, "login.html", None, rt, title="登录", next=_local(next),
                      staff_id=staff_id, error=message)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, issued.token, max_age=12 * 3600, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout", response_model=None)
def logout(request: Request, rt: RuntimeDep, me: Me) -> Response:
    response = RedirectResponse("/login", status_code=303)
    rt.auth.sign_out(me)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _local(url: str) -> str:
    """Only a path of this site is followed after sign-in (never another site)."""
    return url if url.startswith("/") and not url.startswith("//") else "/"


def sign_in_redirect(error: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(error.next_url)}", status_code=303)
