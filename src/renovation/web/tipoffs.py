"""举报投诉 — the inspectors' list (overdue marked), one tip-off with its hand-over and
conclusion forms, and the hotline entry form for the officials who take calls."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renovation.api.routes.tipoffs import KEY_PATTERN
from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.application.tipoffs import HANDLE, LODGE, VIEW
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import covers
from renovation.kernel.vocabulary import RULE_MESSAGES
from renovation.kernel.vocabulary.tipoffs import (
    TIPOFF_RULE_MESSAGES,
    TipOffChannel,
    TipOffOutcome,
    TipOffStatus,
    TipOffSubject,
)
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.tipoffs import show_tipoff
from renovation.web.forms import labelled
from renovation.web.pages import Me, china_today, may, render
from renovation.web.tipoff_list import list_page

router = APIRouter(include_in_schema=False)
Key = Annotated[str, Path(pattern=KEY_PATTERN)]
HOTLINE = (
    ("jurisdiction", "所涉村（社区）或乡镇、县的区划代码（12位）", True, (), None),
    ("subject", "举报事项", True, (("", "请选择"), *labelled(TipOffSubject)), None),
    ("statement", "来电反映的问题（10至1000字）", True, (), "textarea"),
    ("contact", "来电人电话（选填；不填即匿名）", False, (), None),
    ("case_refs", "所涉案件档案编号（选填，多个用逗号分隔）", False, (), None),
    ("finding_ids", "所涉线索编号（选填，多个用逗号分隔）", False, (), None),
    ("received_on", "来电日期", False, (), "date"),
)


@router.get("/tipoffs", response_class=HTMLResponse)
def tipoffs(
    request: Request, rt: RuntimeDep, views: ViewsDep, me: Me,
    status: Annotated[str | None, Query(
        pattern="^(lodged|handed_over|investigating|concluded)?$")] = None,
    overdue: Annotated[str | None, Query(pattern="^(1)?$")] = None,
    mine: Annotated[str | None, Query(pattern="^(1)?$")] = None,
) -> HTMLResponse:
    return list_page(request, rt, views, me, status or None, overdue == "1", mine == "1")


@router.get("/tipoffs/hotline", response_class=HTMLResponse)
def hotline_form(request: Request, rt: RuntimeDep, me: Me) -> HTMLResponse:
    return _hotline_page(request, rt, me, {"received_on": china_today().isoformat()}, {})


@router.post("/tipoffs/hotline", response_class=HTMLResponse)
async def hotline(request: Request, rt: RuntimeDep, me: Me) -> HTMLResponse:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name, *_ in HOTLINE}
    raw: dict[str, Any] = {k: v or None for k, v in values.items()
                           if k not in ("case_refs", "finding_ids")}
    raw["case_refs"] = _listed(values["case_refs"])
    raw["finding_ids"] = _listed(values["finding_ids"])
    try:
        answer = rt.tipoffs.lodge_hotline(me, raw)
    except RuleViolation as refusal:
        field = refusal.field.split(".")[0]
        message = _message(refusal)
        errors = {field: message} if field in values else {}
        return _hotline_page(request, rt, me, values, errors, status=422,
                             error=None if errors else message)
    request.app.state.follower.wait_for(answer.pop("position"))
    done = (f"已登记，受理编号 {answer['receipt']}；应于 {answer['hand_over_by']} 前移交，"
            f"{answer['conclude_by']} 前办结。")
    return _hotline_page(request, rt, me, {}, {}, done=done)


@router.get("/tipoffs/{key}", response_class=HTMLResponse)
def tipoff(request: Request, key: Key, rt: RuntimeDep, views: ViewsDep, me: Me
           ) -> HTMLResponse:
    return _detail(request, rt, views, me, key)


@router.post("/tipoffs/{key}/assignment", response_model=None)
def assign(request: Request, key: Key, rt: RuntimeDep, views: ViewsDep, me: Me,
           to: Annotated[str, Form(max_length=64)]) -> Response:
    return _act(request, rt, views, me, key,
                lambda tipoff_id: rt.tipoffs.assign(me, tipoff_id, {"to": to}))


@router.post("/tipoffs/{key}/investigation", response_model=None)
def investigate(request: Request, key: Key, rt: RuntimeDep, views: ViewsDep, me: Me
                ) -> Response:
    return _act(request, rt, views, me, key,
                lambda tipoff_id: rt.tipoffs.start_investigation(me, tipoff_id))


@router.post("/tipoffs/{key}/conclusion", response_model=None)
def conclude(
    request: Request, key: Key, rt: RuntimeDep, views: ViewsDep, me: Me,
    outcome: Annotated[str, Form(max_length=20)],
    conclusion: Annotated[str, Form(max_length=1000)],
    confirmed_findings: Annotated[str, Form(max_length=800)] = "",
) -> Response:
    raw = {"outcome": outcome, "conclusion": conclusion,
           "confirmed_findings": _listed(confirmed_findings)}
    return _act(request, rt, views, me, key,
                lambda tipoff_id: rt.tipoffs.conclude(me, tipoff_id, raw), conclusion)


def _act(request: Request, rt: Any, views: Any, me: Any, key: str, act: Any,
         conclusion: str = "") -> Response:
    item = _found(rt, views, me, key)
    try:
        answer = act(UUID(item["tipoff_id"]))
    except RuleViolation as refusal:
        return _detail(request, rt, views, me, key, error=_message(refusal),
                       conclusion=conclusion, status=409)
    request.app.state.follower.wait_for(answer.pop("position"))
    return RedirectResponse(f"/tipoffs/{item['receipt']}", status_code=303)


def _found(rt: Any, views: Any, me: Any, key: str) -> dict[str, Any]:
    area = scoped(rt, me, VIEW, None)
    item = show_tipoff(views, key, china_today())
    if item is None or not covers(area, item["jurisdiction"]):
        raise HTTPException(404, "no such tip-off in your area")
    return item


def _detail(request: Request, rt: Any, views: Any, me: Any, key: str, error: str | None = None,
            conclusion: str = "", status: int = 200) -> HTMLResponse:
    item = _found(rt, views, me, key)
    item.update(rt.tipoffs.words(me, UUID(item["tipoff_id"])))
    place = division_names(views, [item["jurisdiction"]]).get(item["jurisdiction"], "")
    response = render(
        request, "tipoff.html", me, rt, active="/tipoffs", title=f"举报 {item['receipt']}",
        item=item, status=TipOffStatus(item["status"]).label,
        subject=TipOffSubject(item["subject"]).label,
        channel=TipOffChannel(item["channel"]).label, place=place,
        outcome=TipOffOutcome(item["outcome"]).label if item["outcome"] else None,
        outcomes=labelled(TipOffOutcome), may_handle=_may_handle(rt, me, item["county"]),
        error=error, conclusion=conclusion)
    response.status_code = status
    return response


def _may_handle(rt: Any, me: Any, county: str) -> bool:
    try:
        rt.pipeline.acting(me, HANDLE, county)
    except RuleViolation:
        return False
    return True


def _hotline_page(request: Request, rt: Any, me: Any, values: dict[str, str],
                  errors: dict[str, str], status: int = 200, error: str | None = None,
                  done: str | None = None) -> HTMLResponse:
    fields = [{"name": name, "label": label, "required": required, "choices": choices,
               "type": kind, "value": values.get(name, ""), "error": errors.get(name)}
              for name, label, required, choices, kind in HOTLINE]
    intro = ("代来电人登记电话举报：登记人记为受理人；来电内容与电话加密保存，"
             "只有承办的纪检监察人员可以查看。" if may(rt, me, LODGE)
             else "您的职务不能登记举报。")
    response = render(request, "form.html", me, rt, active="/tipoffs", title="登记电话举报",
                      action="/tipoffs/hotline", fields=[] if done else fields, error=error,
                      done=done, intro=intro)
    response.status_code = status
    return response


def _message(refusal: RuleViolation) -> str:
    return (TIPOFF_RULE_MESSAGES.get(refusal.rule) or RULE_MESSAGES.get(refusal.rule)
            or refusal.message)


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
