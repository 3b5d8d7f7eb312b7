"""公示异议 — the form beside each open notice where anyone may object, without signing in.

Nobody is authenticated here, so the door guards what it can: a form token in a SameSite=Strict
cookie that the form must echo (a page of another site cannot post it), a limit on how many
objections one client lodges in an hour, and the body limit every request has. The service
decides the rest (the notice must be open) and writes nothing when it refuses.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from renovation.api.security import RuntimeDep
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import RULE_MESSAGES, NoticeLevel, ObjectionGround
from renovation.web.forms import labelled
from renovation.web.pages import optional_page_principal, render

router = APIRouter(include_in_schema=False)
FORM_COOKIE = "renovation_objection_form"
PER_CLIENT_PER_HOUR = 5
FIELDS = (
    ("ground", "异议事由", True, (("", "请选择"), *labelled(ObjectionGround)), None),
    ("statement", "具体事实（10至500字，请勿填写与异议无关的个人信息）", True, (), "textarea"),
    ("contact", "联系电话（选填，便于核实后答复；加密保存）", False, (), None),
)
MESSAGES = {
    ("statement", "input.string_too_short"): "请写明异议的具体事实，至少 10 个字",
    ("statement", "input.string_too_long"): "不超过 500 字",
    ("statement", "input.missing"): "请写明异议的具体事实，至少 10 个字",
    ("contact", "identity.phone.format"): "请填写手机号码或带区号的固定电话",
}


class ClientLimit:
    """At most `limit` acts per client in a sliding hour, kept in memory: a public form's
    brake on floods from one address, not an identity of anyone."""

    def __init__(self, limit: int, window_s: float = 3600.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget_quiet(now)
            seen = self._seen[client]
            while seen and seen[0] <= now - self.window_s:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True

    def _forget_quiet(self, now: float) -> None:
        """Drop clients with nothing in the window, so the table holds only recent ones."""
        if len(self._seen) > 10_000:
            for key in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window_s]:
                del self._seen[key]


@router.get("/notices/{case_ref}/{level}/objection", response_class=HTMLResponse)
def objection_form(request: Request, case_ref: str, level: str, rt: RuntimeDep
                   ) -> HTMLResponse:
    _known(level)
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    response = _page(request, rt, case_ref, level, token, {"ground": "", "statement": "",
                                                           "contact": ""}, {})
    response.set_cookie(FORM_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/notices")
    return response


@router.post("/notices/{case_ref}/{level}/objection", response_class=HTMLResponse)
async def lodge(request: Request, case_ref: str, level: str, rt: RuntimeDep) -> HTMLResponse:
    _known(level)
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name, *_ in FIELDS}
    token = request.cookies.get(FORM_COOKIE, "")
    sent = str(form.get("csrf_token") or "")
    if not token or not hmac.compare_digest(token, sent):
        return _page(request, rt, case_ref, level, token, values, {}, status=403,
                     error="表单已过期，请重新打开本页后提交")
    if not _limit(request).allow(request.client.host if request.client else "unknown"):
        return _page(request, rt, case_ref, level, token, values, {}, status=429,
                     error="提交过于频繁，请一小时后再试，或向乡镇人民政府反映")
    try:
        receipt = rt.objections.lodge({
            "case_ref": case_ref, "level": level, "ground": values["ground"] or None,
            "statement": values["statement"], "contact": values["contact"] or None})
    except RuleViolation as refusal:
        field = refusal.field if refusal.field in values else None
        message = (MESSAGES.get((field or "", refusal.rule)) or RULE_MESSAGES.get(refusal.rule)
                   or refusal.message)
        errors = {field: message} if field else {}
        return _page(request, rt, case_ref, level, token, values, errors,
                     status=404 if refusal.rule == "case.exists" else 422,
                     error=None if field else message)
    request.app.state.follower.wait_for(receipt.pop("position"))
    done = (f"异议已受理，受理编号 {receipt['receipt']}（{receipt['lodged_on']}）。"
            "请记下受理编号；核实处理情况可凭此编号向乡镇人民政府或县住房城乡建设部门查询。")
    return _page(request, rt, case_ref, level, token, {}, {}, done=done)


def _known(level: str) -> None:
    """An unknown level is an unknown page (404); the case reference is the service's to judge."""
    if level not in {lvl.value for lvl in NoticeLevel}:
        raise HTTPException(404, "no such notice level")


def _limit(request: Request) -> ClientLimit:
    state = request.app.state
    if not hasattr(state, "objection_limit"):
        state.objection_limit = ClientLimit(PER_CLIENT_PER_HOUR)
    limit: ClientLimit = state.objection_limit
    return limit


def _page(request: Request, rt: Any, case_ref: str, level: str, token: str,
          values: dict[str, str], errors: dict[str, str], status: int = 200,
          error: str | None = None, done: str | None = None) -> HTMLResponse:
    shown = [{"name": name, "label": label, "required": required, "choices": choices,
              "type": kind, "value": values.get(name, ""), "error": errors.get(name)}
             for name, label, required, choices, kind in FIELDS]
    title = f"对公示提出异议 · {NoticeLevel(level).label} · {case_ref}"
    intro = ("对公示对象有异议的，可在公示期内在此提出，"
             "也可向所在乡镇人民政府或县住房城乡建设部门反映。"
             "异议记入案卷，不可删改；联系电话与异议内容加密保存，只有核查人员可以查看。")
    response = render(request, "form.html", optional_page_principal(request, rt), rt,
                      active="/notices", title=title, action=request.url.path,
                      fields=[] if done else shown, error=error, done=done, intro=intro,
                      csrf=token)
    response.status_code = status
    return response
