"""录入表单 — the clerks' common steps as forms: an application, a township review, a county
acceptance, a payment request. Each form only gathers fields into the command the CLI and the
API take; the same models and rules decide, and a refusal is shown beside its field in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renovation.api.security import RuntimeDep
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import (
    RULE_MESSAGES,
    Category,
    HouseStructure,
    LabelledEnum,
    PaymentChannel,
    RenovationMode,
    ReviewDecision,
    Tranche,
)
from renovation.web.pages import Me, china_today, render

router = APIRouter(include_in_schema=False)
YES_NO = (("true", "是"), ("false", "否"))


@dataclass(frozen=True)
class Field:
    """One input: its name, label, where it goes in the command, its kind."""

    name: str
    label: str
    path: str
    kind: str = "text"  # text | date | int | bool | choice
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True


def labelled(kind: type[LabelledEnum]) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, member.label) for member in kind)


APPLICATION = (
    Field("case_ref", "档案编号", "case_ref"),
    Field("programme", "年度计划", "payload.programme_id"),
    Field("village", "所在村代码（12位）", "payload.village_code"),
    Field("occurred_on", "申请日期", "occurred_on", "date"),
    Field("head_name", "户主姓名", "payload.household.head.name"),
    Field("head_id", "户主身份证号码", "payload.household.head.id_number"),
    Field("size", "家庭人口", "payload.household.size", "int"),
    Field("phone", "联系电话", "payload.household.phone", required=False),
    Field("bank", "开户银行", "payload.household.account.bank", required=False),
    Field("account", "一卡（折）通账号", "payload.household.account.number", required=False),
    Field("category", "对象类别", "payload.category", "choice", labelled(Category)),
    Field("mode", "拟改造方式", "payload.planned_mode", "choice", labelled(RenovationMode)),
    Field("structure", "房屋结构", "payload.house.structure", "choice", labelled(HouseStructure)),
    Field("clerk", "经办的村委会经办人编号（本人经办可不填）", "actor.id", required=False),
)
REVIEW = (
    Field("decision", "审核结论", "payload.decision", "choice", labelled(ReviewDecision)),
    Field("opinion", "审核意见", "payload.opinion"),
    Field("home_visited", "已入户核实", "payload.home_visited", "bool", YES_NO),
    Field("occurred_on", "审核日期", "occurred_on", "date"),
)
ACCEPTANCE = (
    Field("passed", "验收结论：合格", "payload.result.passed", "bool", YES_NO),
    Field("area", "实测面积（㎡）", "payload.result.measured_area_m2"),
    Field("rating", "住房安全性评定", "payload.result.safety_rating", "choice",
          tuple((g, f"{g} 级") for g in "ABCD")),
    Field("agrees", "农户认可", "payload.result.household_agrees", "bool", YES_NO),
    Field("member_1", "验收组成员一（工作人员编号）", "payload.result.team.0.id"),
    Field("member_2", "验收组成员二（工作人员编号）", "payload.result.team.1.id"),
    Field("occurred_on", "验收日期", "occurred_on", "date"),
)
PAYMENT = (
    Field("request_no", "拨付申请单号", "payload.request_no"),
    Field("tranche", "拨付类别", "payload.tranche", "choice", labelled(Tranche)),
    Field("channel", "拨付渠道", "payload.channel", "choice", labelled(PaymentChannel)),
    Field("amounts", "各资金来源金额（如 central_regional=26500, city=1500, county=2000）",
          "payload.amounts.by_source"),
    Field("occurred_on", "申请日期", "occurred_on", "date"),
)
FORMS: dict[str, tuple[str, str, tuple[Field, ...]]] = {
    "review": ("review_at_township", "乡镇审核", REVIEW),
    "acceptance": ("record_county_acceptance", "县级竣工验收", ACCEPTANCE),
    "payment": ("request_payment", "拨付申请", PAYMENT),
}


@router.get("/forms/application", response_class=HTMLResponse)
def application_form(request: Request, rt: RuntimeDep, me: Me) -> HTMLResponse:
    values = {"programme": "guilin-2022", "occurred_on": china_today().isoformat(), "size": "1"}
    return _page(request, rt, me, "农户申请", "/forms/application", APPLICATION, values, {})


@router.post("/forms/application", response_model=None)
async def apply(request: Request, rt: RuntimeDep, me: Me) -> Response:
    values = await _values(request, APPLICATION)
    command: dict[str, Any] = {"command_id": f"{values.get('case_ref')}/apply",
                               "type": "submit_application",
                               "payload": {"house": {}, "household": {"head": {}}}}
    if values.get("account"):
        command["payload"]["household"]["account"] = {"kind": "card"}
    if values.get("clerk"):
        command["actor"] = {"role": "village_clerk"}
    return _submit(request, rt, me, "农户申请", "/forms/application", APPLICATION, values,
                   command)


@router.get("/cases/{case_ref}/forms/{form}", response_class=HTMLResponse)
def case_form(request: Request, case_ref: str, form: str, rt: RuntimeDep, me: Me
              ) -> HTMLResponse:
    _, title, fields = _form(form)
    values = {"occurred_on": china_today().isoformat()}
    return _page(request, rt, me, f"{title} · {case_ref}", f"/cases/{case_ref}/forms/{form}",
                 fields, values, {})


@router.post("/cases/{case_ref}/forms/{form}", response_model=None)
async def submit_case_form(request: Request, case_ref: str, form: str, rt: RuntimeDep, me: Me
                           ) -> Response:
    kind, title, fields = _form(form)
    values = await _values(request, fields)
    command: dict[str, Any] = {
        "command_id": f"{case_ref}/{form}/{values.get('occurred_on')}", "type": kind,
        "case_ref": case_ref, "payload": {}}
    if form == "acceptance":
        command["payload"]["result"] = {"team": [{"role": "county_inspector"},
                                                 {"role": "county_inspector"}]}
    return _submit(request, rt, me, f"{title} · {case_ref}", f"/cases/{case_ref}/forms/{form}",
                   fields, values, command)


def _form(name: str) -> tuple[str, str, tuple[Field, ...]]:
    if name not in FORMS:
        raise HTTPException(404, f"no form {name}")
    return FORMS[name]


async def _values(request: Request, fields: tuple[Field, ...]) -> dict[str, str]:
    form = await request.form()
    return {f.name: str(form.get(f.name) or "").strip() for f in fields}


def _submit(request: Request, rt: Any, me: Any, title: str, action: str,
            fields: tuple[Field, ...], values: dict[str, str], command: dict[str, Any]
            ) -> Response:
    errors: dict[str, str] = {}
    for f in fields:
        value = values.get(f.name, "")
        if not value:
            if f.required:
                errors[f.name] = "必填"
            continue
        _put(command, f.path, _typed(f, value))
    if errors:
        return _page(request, rt, me, title, action, fields, values, errors, status=422)
    try:
        outcome = rt.service.execute(command, me)
    except RuleViolation as refusal:
        where = next((f.name for f in fields if refusal.field.startswith(f.path)), None)
        message = RULE_MESSAGES.get(refusal.rule) or f"{refusal.message}（{refusal.rule}）"
        if where is None:
            return _page(request, rt, me, title, action, fields, values, {}, status=422,
                         error=message)
        return _page(request, rt, me, title, action, fields, values, {where: message},
                     status=422)
    request.app.state.follower.wait_for(outcome.position)
    return RedirectResponse(f"/cases/{outcome.case_ref}", status_code=303)


def _typed(field: Field, value: str) -> Any:
    if field.kind == "int":
        return int(value) if value.isascii() and value.isdigit() else value
    if field.kind == "bool":
        return value == "true"
    if field.name == "amounts":
        return _amounts(value)
    return value


def _amounts(text: str) -> Any:
    parts = [p.split("=", 1) for p in text.replace("，", ",").split(",") if p.strip()]
    if not all(len(p) == 2 and p[1].strip().isdigit() for p in parts):
        return text  # refused by the model, beside this field
    return {key.strip(): int(amount.strip()) for key, amount in parts}


def _put(command: dict[str, Any], path: str, value: Any) -> None:
    target: Any = command
    keys = path.split(".")
    for key, following in pairwise(keys):
        if key.isdigit():
            target = target[int(key)]
            continue
        target = target.setdefault(key, [] if following.isdigit() else {})
    last = keys[-1]
    target[int(last) if last.isdigit() else last] = value


def _page(request: Request, rt: Any, me: Any, title: str, action: str,
          fields: tuple[Field, ...], values: dict[str, str], errors: dict[str, str],
          status: int = 200, error: str | None = None) -> HTMLResponse:
    shown = [{"name": f.name, "label": f.label, "value": values.get(f.name, ""),
              "required": f.required, "choices": f.choices,
              "type": {"date": "date", "int": "number"}.get(f.kind),
              "error": errors.get(f.name)} for f in fields]
    response = render(request, "form.html", me, rt, active="/cases", title=title, action=action,
                      fields=shown, error=error, done=None,
                      intro="带 * 的为必填项；提交即记入案卷，不可删改。")
    response.status_code = status
    return response
