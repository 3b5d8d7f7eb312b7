"""网上举报 — beside the notices, anyone may report wrongdoing without signing in.

The channel stays open to everyone, so the door guards what it can, as the objection form does:
a form token in a SameSite=Strict cookie that the form must echo, a limit on how many tip-offs
one client lodges in an hour, and the body limit every request has. The service decides the
rest and writes nothing when it refuses. The complainant may leave no contact (anonymous).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from renovation.api.security import RuntimeDep
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import CODE_PATTERN
from renovation.kernel.vocabulary import RULE_MESSAGES
from renovation.kernel.vocabulary.tipoffs import TIPOFF_RULE_MESSAGES, TipOffSubject
from renovation.web.forms import labelled
from renovation.web.objection import ClientLimit
from renovation.web.pages import optional_page_principal, render

router = APIRouter(include_in_schema=False)
PATH = "/notices/tipoff"
FORM_COOKIE = "renovation_tipoff_form"
PER_CLIENT_PER_HOUR = 5
FIELDS = (
    ("jurisdiction", "所涉村（社区）或乡镇、县的区划代码（12位；可在公示页查询）", False, (), None),
    ("case_ref", "所涉农户的档案编号（选填，见公示）", False, (), None),
    ("subject", "举报事项", True, (("", "请选择"), *labelled(TipOffSubject)), None),
    ("statement", "具体问题（10至1000字：何人、何时、何事）", True, (), "textarea"),
    ("contact", "联系电话（选填；不填即匿名举报；加密保存）", False, (), None),
)
MESSAGES = {
    ("statement", "input.string_too_short"): "请写明具体问题，至少 10 个字",
    ("statement", "tipoff.statement_words"): "请写明具体问题，至少 10 个字",
    ("statement", "input.string_too_long"): "不超过 1000 字",
    ("subject", "input.enum"): "请选择举报事项",
    ("subject", "input.missing"): "请选择举报事项",
    ("jurisdiction", "input.string_pattern_mismatch"): "区划代码为 12 位数字",
    ("jurisdiction", "input.value_error"): "区划代码为 12 位数字",
    ("jurisdiction", "tipoff.where"): "请填写区划代码，或所涉农户的档案编号",
    ("case_ref", "case.exists"): "没有此档案编号的案件",
    ("case_refs", "case.exists"): "没有此档案编号的案件",
    ("contact", "identity.phone.format"): "请填写手机号码或带区号的固定电话",
}
INTRO = ("对农村危房改造中虚报冒领、截留克扣补助资金、工程质量、优亲厚友等违法违规问题，"
         "可在此举报，也可拨打县纪委监委举报电话。举报记入台账，移交县纪检监察机关查处；"
         "举报内容和联系电话加密保存，只有承办的纪检监察人员可以查看。")


@router.get(PATH, response_class=HTMLResponse)
def tipoff_form(
    request: Request, rt: RuntimeDep,
    within: Annotated[str | None, Query(pattern=f"^(?:{CODE_PATTERN[1:-1]})?$")] = None,
    case_ref: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    values = {"jurisdiction": within or "", "case_ref": case_ref or ""}
    response = _page(request, rt, token, values, {})
    response.set_cookie(FORM_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=PATH)
    return response


@router.post(PATH, response_class=HTMLResponse)
async def lodge(request: Request, rt: RuntimeDep) -> HTMLResponse:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name, *_ in FIELDS}
    token = request.cookies.get(FORM_COOKIE, "")
    sent = str(form.get("csrf_token") or "")
    if not token or not hmac.compare_digest(token, sent):
        return _page(request, rt, token, values, {}, status=403,
                     error="表单已过期，请重新打开本页后提交")
    if not _limit(request).allow(request.client.host if request.client else "unknown"):
        return _page(request, rt, token, values, {}, status=429,
                     error="提交过于频繁，请一小时后再试，或拨打举报电话")
    try:
        receipt = rt.tipoffs.lodge_public({name: value or None for name, value in values.items()})
    except RuleViolation as refusal:
        return _refused(request, rt, token, values, refusal)
    request.app.state.follower.wait_for(receipt.pop("position"))
    done = (f"举报已受理，受理编号 {receipt['receipt']}（{receipt['lodged_on']}）。"
            "已转县纪检监察机关办理；请记下受理编号，留有联系电话的，核查后将予答复。")
    return _page(request, rt, token, {}, {}, done=done)


def _refused(request: Request, rt: Any, token: str, values: dict[str, str],
             refusal: RuleViolation) -> HTMLResponse:
    field = {"case_refs": "case_ref"}.get(refusal.field, refusal.field)
    shown = field if field in values else None
    message = (MESSAGES.get((refusal.field, refusal.rule))
               or TIPOFF_RULE_MESSAGES.get(refusal.rule) or RULE_MESSAGES.get(refusal.rule)
               or refusal.message)
    return _page(request, rt, token, values, {shown: message} if shown else {}, status=422,
                 error=None if shown else message)


def _limit(request: Request) -> ClientLimit:
    state = request.app.state
    if not hasattr(state, "tipoff_limit"):
        state.tipoff_limit = ClientLimit(PER_CLIENT_PER_HOUR)
    limit: ClientLimit = state.tipoff_limit
    return limit


def _page(request: Request, rt: Any, token: str, values: dict[str, str],
          errors: dict[str, str], status: int = 200, error: str | None = None,
          done: str | None = None) -> HTMLResponse:
    shown = [{"name": name, "label": label, "required": required, "choices": choices,
              "type": kind, "value": values.get(name, ""), "error": errors.get(name)}
             for name, label, required, choices, kind in FIELDS]
    response = render(request, "form.html", optional_page_principal(request, rt), rt,
                      active="/notices", title="举报投诉", action=PATH,
                      fields=[] if done else shown, error=error, done=done, intro=INTRO,
                      csrf=token)
    response.status_code = status
    return response
