"""举报投诉 — tip-offs of the reader's area, one tip-off, a hotline entry, and the acts on one.

Bodies are the service's own models, so the schema states what the service takes. A tip-off
outside the reader's area is answered as one that does not exist (404). Words are shown to
someone who may handle tip-offs of the county, masked to anyone else.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Path, Query, Request

from renovation.api.routes.reports import today
from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.tipoff_inputs import Assignment, Conclusion, Escalation, HotlineTipOff
from renovation.application.tipoffs import VIEW
from renovation.kernel.jurisdiction import CODE_PATTERN, covers
from renovation.projections.queries.tipoffs import list_tipoffs, show_tipoff

router = APIRouter(prefix="/api/tipoffs", tags=["tipoffs"])
KEY_PATTERN = r"^(?:[0-9a-f-]{36}|JB-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})$"
TipOffKey = Annotated[str, Path(pattern=KEY_PATTERN,
                                description="The tip-off's id, or its receipt (JB-…)")]
Status = Literal["lodged", "handed_over", "investigating", "concluded"]


@router.get("", summary="Tip-offs of an area (newest first), with overdue judged on a day")
def tipoffs(
    views: ViewsDep, rt: RuntimeDep, me: PrincipalDep,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    status: Status | None = None, overdue: bool = False,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    as_of: date | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    area = scoped(rt, me, VIEW, within)
    return list_tipoffs(views, as_of or today(), area, status, overdue, assignee, limit)


@router.get("/{key}", summary="One tip-off; the complainant's words for those who may handle it")
def tipoff(key: TipOffKey, views: ViewsDep, rt: RuntimeDep, me: PrincipalDep,
           as_of: date | None = None) -> dict[str, Any]:
    item = found(views, rt, me, key, as_of or today())
    return {**item, **rt.tipoffs.words(me, UUID(item["tipoff_id"]))}


@router.post("", summary="电话举报: a hotline call entered by the official who took it")
def lodge(body: HotlineTipOff, request: Request, rt: RuntimeDep, me: PrincipalDep
          ) -> dict[str, Any]:
    return _caught_up(request, rt.tipoffs.lodge_hotline(me, body.model_dump(mode="json")))


@router.post("/escalations", summary="公示异议转举报: take a notice objection up as a tip-off")
def escalate(body: Escalation, request: Request, rt: RuntimeDep, me: PrincipalDep
             ) -> dict[str, Any]:
    return _caught_up(request, rt.tipoffs.escalate(me, body.model_dump(mode="json")))


@router.post("/{key}/assignment", summary="移交 (or 改派) to a discipline inspector")
def assign(key: TipOffKey, body: Assignment, request: Request, views: ViewsDep,
           rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    tipoff_id = UUID(found(views, rt, me, key, today())["tipoff_id"])
    return _caught_up(request, rt.tipoffs.assign(me, tipoff_id, body.model_dump()))


@router.post("/{key}/investigation", summary="开始查处")
def investigate(key: TipOffKey, request: Request, views: ViewsDep, rt: RuntimeDep,
                me: PrincipalDep) -> dict[str, Any]:
    tipoff_id = UUID(found(views, rt, me, key, today())["tipoff_id"])
    return _caught_up(request, rt.tipoffs.start_investigation(me, tipoff_id))


@router.post("/{key}/conclusion", summary="办结: outcome, confirmed findings, conclusion")
def conclude(key: TipOffKey, body: Conclusion, request: Request, views: ViewsDep,
             rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    tipoff_id = UUID(found(views, rt, me, key, today())["tipoff_id"])
    return _caught_up(request, rt.tipoffs.conclude(me, tipoff_id, body.model_dump(mode="json")))


def found(views: Any, rt: Any, me: Any, key: str, day: date) -> dict[str, Any]:
    """The tip-off in the reader's area, or 404 (one elsewhere is not said to exist)."""
    area = scoped(rt, me, VIEW, None)
    item = show_tipoff(views, key, day)
    if item is None or not covers(area, item["jurisdiction"]):
        raise HTTPException(404, f"no tip-off {key} in your area")
    return item


def _caught_up(request: Request, answer: dict[str, Any]) -> dict[str, Any]:
    request.app.state.follower.wait_for(answer.pop("position"))
    return answer
