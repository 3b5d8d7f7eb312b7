"""线索、案卷 — findings and their review; the case list and a case's recorded timeline."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renovation.api.routes.findings import FindingMissingError, with_reason
from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.application.findings import FindingRef
from renovation.fraud.catalogue import RULES
from renovation.fraud.queries import list_findings, show_finding
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import CODE_PATTERN, covers
from renovation.kernel.vocabulary import (
    FINDING_STATUS,
    SEVERITY,
    Category,
    Stage,
    section_of,
)
from renovation.projections.queries import CaseFilter, list_cases
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.identities import ReadModelIdentities
from renovation.web.pages import Me, china_today, may, render

router = APIRouter(include_in_schema=False)
COLUMNS = (("title", "线索", "text"), ("severity", "严重程度", "text"), ("status", "状态", "text"),
           ("cases", "案件", "text"), ("explanation", "说明", "text"))
FindingId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]


@router.get("/findings", response_class=HTMLResponse)
def findings(
    request: Request, rt: RuntimeDep, views: ViewsDep, me: Me,
    status: Annotated[str | None, Query(pattern="^(open|confirmed|dismissed)?$")] = None,
    rule: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    area = scoped(rt, me, "view_findings", None)
    answer = list_findings(views, china_today(), rule or None, area, status or None)
    rows = [{"title": item["title_zh"], "severity": SEVERITY[item["severity"]],
             "status": FINDING_STATUS[item["status"]], "cases": "、".join(item["case_refs"]),
             "explanation": item["explanation_zh"],
             "_links": {"title": f"/findings/{item['finding_id']}"},
             "_class": "behind" if item["status"] == "open" else None}
            for item in answer["findings"]]
    filters = [
        {"name": "status", "label": "状态", "value": status or "",
         "choices": [("", "全部"), *FINDING_STATUS.items()]},
        {"name": "rule", "label": "线索类型", "value": rule or "",
         "choices": [("", "全部"), *((r.id, r.title_zh) for r in RULES.values())]},
    ]
    return render(request, "report.html", me, rt, title="违规线索", filters=filters,
                  intro=f"共 {len(rows)} 条；点击线索查看证据与核查。",
                  sections=[{"columns": COLUMNS, "rows": rows}])


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
def finding(request: Request, finding_id: FindingId, rt: RuntimeDep, views: ViewsDep, me: Me,
            ) -> HTMLResponse:
    return _finding_page(request, rt, views, me, finding_id)


@router.post("/findings/{finding_id}/decisions", response_model=None)
def decide(
    request: Request, finding_id: FindingId, rt: RuntimeDep, views: ViewsDep, me: Me,
    decision: Annotated[str, Form(pattern="^(confirmed|dismissed)$")],
    reason: Annotated[str, Form(max_length=1000)],
) -> Response:
    item = _found(rt, views, me, finding_id)
    ref = FindingRef(item["finding_id"], item["rule"], tuple(item["case_refs"]), item["county"])
    try:
        rt.findings.decide(me, ref, decision, reason)
    except RuleViolation as refusal:
        request.app.state.follower.catch_up_now()
        return _finding_page(request, rt, views, me, finding_id, error=refusal.message,
                             reason=reason, status_code=409)
    request.app.state.follower.catch_up_now()
    return RedirectResponse(f"/findings/{finding_id}", status_code=303)


@router.get("/cases", response_class=HTMLResponse)
def cases(
    request: Request, rt: RuntimeDep, views: ViewsDep, me: Me,
    ref: Annotated[str | None, Query(max_length=64)] = None,
    within: Annotated[str | None, Query(pattern=f"^(?:{CODE_PATTERN[1:-1]})?$")] = None,
    stage: Annotated[str | None, Query(max_length=30)] = None,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    if ref:
        return RedirectResponse(f"/cases/{ref.strip()}", status_code=303)
    area = scoped(rt, me, "view_cases", within or None)
    stages = tuple(s.value for s in Stage if stage in (s.value, s.label))
    answer = list_cases(views, CaseFilter(within=area, stages=stages), 50, after=after)
    names = division_names(views, [c["village"] for c in answer["cases"]])
    for case in answer["cases"]:
        case.update(village_name=names.get(case["village"], case["village"]),
                    stage_label=Stage(case["stage"]).label,
                    category_label=Category(case["category"]).label)
    query = {"within": area, "stage": stage or ""}
    next_url = (f"/cases?{urlencode({**query, 'after': answer['next']})}"
                if answer["next"] else None)
    return render(request, "cases.html", me, rt, title="案卷", cases=answer["cases"],
                  total=answer["total"], next_url=next_url, within_input=within, ref=ref,
                  stage=stage, stages=[(s.value, s.label) for s in Stage],
                  download=f"/export/cases.xlsx?{urlencode(query)}", error=None,
                  may_search=may(rt, me, "search_identity"), found=None)


@router.post("/cases/search", response_class=HTMLResponse)
def search(
    request: Request, rt: RuntimeDep, views: ViewsDep, me: Me,
    by: Annotated[str, Form(pattern="^(id_number|full_name)$")],
    value: Annotated[str, Form(max_length=60)], reason: Annotated[str, Form(max_length=500)],
) -> HTMLResponse:
    """按身份证号或姓名查找 — matched through the blind index, recorded on each case found."""
    error, found = None, None
    try:
        found = rt.inspection.find(me, ReadModelIdentities(views), reason,
                                   value if by == "id_number" else None,
                                   value if by == "full_name" else None)
    except RuleViolation as refusal:
        error = refusal.message
    names = division_names(views, [f["village"] for f in found or []])
    for item in found or []:
        item["village_name"] = names.get(item["village"], item["village"])
    response = render(request, "cases.html", me, rt, title="案卷", cases=[], total=0,
                      next_url=None, within_input=None, ref=None, stage=None,
                      stages=[(s.value, s.label) for s in Stage], download=None, error=error,
                      may_search=True, found=found)
    response.status_code = 422 if error else 200
    return response


def _found(rt: Any, views: Any, me: Any, finding_id: str) -> dict[str, Any]:
    area = scoped(rt, me, "view_findings", None)
    item = show_finding(views, finding_id, china_today())
    if item is None or not covers(area, item["county"]):
        raise FindingMissingError("finding.exists", "finding_id", finding_id,
                                  "no such finding in your area")
    return item


def _finding_page(request: Request, rt: Any, views: Any, me: Any, finding_id: str,
                  error: str | None = None, reason: str = "", status_code: int = 200
                  ) -> HTMLResponse:
    item = with_reason(views, rt, me, _found(rt, views, me, finding_id))
    try:
        rt.pipeline.acting(me, "review_finding", item["county"])
        may_review = True
    except RuleViolation:
        may_review = False
    evidence = [{**e, "act": section_of(e["event"])[1]} for e in item["evidence"]]
    response = render(request, "finding.html", me, rt, active="/findings",
                      title=f"线索：{item['title_zh']}", item=item, evidence=evidence,
                      status=FINDING_STATUS[item["status"]],
                      severity=SEVERITY[item["severity"]], may_review=may_review, error=error,
                      reason=reason)
    response.status_code = status_code
    return response
