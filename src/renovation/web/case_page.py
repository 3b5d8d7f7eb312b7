"""案卷页 — a case's recorded timeline, its findings, and the download of its archive (一户一档)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.api.errors import status_of
from renovation.api.scope import ViewsDep
from renovation.api.security import RuntimeDep
from renovation.audit.dossier_archive import dossier_zip
from renovation.fraud.queries import list_findings
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import (
    FIELD_LABELS,
    FINDING_STATUS,
    NoticeLevel,
    ObjectionGround,
    Role,
    value_label,
)
from renovation.kernel.vocabulary.monitoring import Discovery
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.ledger import survey_of_case
from renovation.projections.queries.objections import objections
from renovation.web.pages import Me, china_today, may, render

router = APIRouter(include_in_schema=False)
CaseRef = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")]
AS_OF = r"^(\d{1,6}|\d{4}-\d{2}-\d{2})?$"
DOSSIER_MESSAGES = {
    "dossier.anchor_configured": "本系统未配置签名检查点，暂不能导出可核验的档案，请联系系统管理员",
    "dossier.case_anchored": "本案最新记录晚于最近的签名检查点，请待签署新检查点后再导出，"
                             "或按“截至”导出此前的档案",
    "dossier.checkpoint_available": "检查点目录中没有以本公钥签名的检查点",
    "access.reason_required": "请填写导出事由（记录在案）",
    "authorization.role_action": "您的职务不能导出本案档案（或查看明文个人信息）",
    "history.as_of_format": "“截至”应为版本号或日期（YYYY-MM-DD）",
}


@router.get("/cases/{case_ref}", response_class=HTMLResponse)
def case(request: Request, case_ref: CaseRef, rt: RuntimeDep, views: ViewsDep, me: Me,
         as_of: Annotated[str | None, Query(pattern=AS_OF)] = None) -> HTMLResponse:
    return _case_page(request, rt, views, me, case_ref, as_of or None)


@router.post("/cases/{case_ref}/dossier", response_model=None)
def dossier(
    request: Request, case_ref: CaseRef, rt: RuntimeDep, views: ViewsDep, me: Me,
    reason: Annotated[str, Form(max_length=500)] = "",
    unmask: Annotated[bool, Form()] = False,
    as_of: Annotated[str, Form(pattern=AS_OF)] = "",
) -> Response:
    """下载一户一档 — the archive as a zip; the export is recorded in the case's access log."""
    try:
        download = dossier_zip(rt.inspection, rt.settings, me, case_ref, reason, unmask,
                               as_of or None)
    except RuleViolation as refusal:
        message = DOSSIER_MESSAGES.get(refusal.rule, refusal.message)
        return _case_page(request, rt, views, me, case_ref, None, error=message,
                          status_code=status_of(refusal))
    return Response(download.content, media_type="application/zip", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(download.filename)}",
        "Cache-Control": "no-store"})


def _case_page(request: Request, rt: Any, views: Any, me: Any, case_ref: str,
               as_of: str | None, error: str | None = None, status_code: int = 200
               ) -> HTMLResponse:
    history = rt.inspection.history(me, case_ref, as_of, "案卷页面查阅")
    state = history.state
    village = state.get("village_code", "")
    head = state.get("head") or {}
    place = division_names(views, [village]).get(village, village)
    summary = [("档案编号", history.case_ref), ("所在村", f"{place} {village}"),
               ("办理阶段", state.get("stage_label")), ("户主", head.get("name")),
               ("身份证号码", head.get("id_number")), ("家庭人口", state.get("household_size")),
               ("补助金额（元）", state.get("subsidy_yuan")),
               ("已拨付（元）", state.get("paid_yuan")),
               ("摸排来源", _survey(views, case_ref))]
    related = [{**item, "status_label": FINDING_STATUS[item["status"]]}
               for item in list_findings(views, china_today())["findings"]
               if case_ref in item["case_refs"]]
    lodged = [{**item, "level": NoticeLevel(item["level"]).label,
               "ground": ObjectionGround(item["ground"]).label}
              for item in objections(views, case_ref=case_ref)]
    response = render(request, "case.html", me, rt, active="/cases", title=f"案卷 {case_ref}",
                      case_ref=case_ref, summary=summary, objections=lodged,
                      entries=[_entry(e) for e in history.entries], findings=related,
                      as_of=as_of, through=history.as_of_version,
                      latest=history.current_version, dossier_error=error,
                      may_export=may(rt, me, "export_dossier"), may_unmask=may(rt, me, "unmask"))
    response.status_code = status_code
    return response


def _survey(views: Any, case_ref: str) -> str:
    """Where the case came from on the village's ledgers — or that it has no survey record."""
    found = survey_of_case(views, case_ref)
    if found is None:
        return "无摸排记录（台账中没有此前的危房发现）"
    return (f"{found['found_on']} {Discovery(found['found_by']).label}发现疑似"
            f"{found['suspected_grade']}级，{found['linked_on']} 纳入改造")


def _entry(e: Any) -> dict[str, Any]:
    recorder = e.actor.get("recorded_by") or "（人员名录启用前录入）"
    evidence = [h for key, value in e.fields.items() if key.endswith("evidence")
                for h in (value or [])]
    return {
        "version": e.version, "act": e.act, "section": e.section,
        "occurred_on": e.occurred_on.isoformat(), "gap_days": e.gap_days,
        "recorded_at": e.recorded_at.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d %H:%M"),
        "actor_id": e.actor["id"], "role": Role(e.actor["role"]).label,
        "jurisdiction": e.actor["jurisdiction"], "recorded_by": recorder,
        "policy": _policy(e.policy),
        "changes": [_change(c) for c in e.changes if c["field"] in FIELD_LABELS],
        "other_changes": [_change(c) for c in e.changes if c["field"] not in FIELD_LABELS],
        "evidence": evidence,
    }


def _policy(policy: dict[str, Any] | None) -> str | None:
    if not policy:
        return None
    version = policy.get("version")
    return policy["id"] if version is None else f"{policy['id']} 第 {version} 版"


def _change(change: dict[str, Any]) -> dict[str, str]:
    return {"label": FIELD_LABELS.get(change["field"], change["field"]),
            "before": _shown(change.get("before")), "after": _shown(change.get("after"))}


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    label = value_label(value)
    if label is not None:
        return label
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{k} {_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value) or "（空）"
    return str(value)
