"""线索 — irregularity findings of the reader's area, one finding, and decisions on them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from renovation.api.paging import paged
from renovation.api.routes.reports import Cursor, Programme, today
from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.findings import FindingRef
from renovation.fraud.queries import list_findings, sealed_reason, show_finding
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import CODE_PATTERN, covers

router = APIRouter(prefix="/api/findings", tags=["findings"])
FindingId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]


class FindingMissingError(RuleViolation):
    """No such finding holds on the day asked about."""


class DecisionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "dismissed"]
    reason: Annotated[str, Field(min_length=4, max_length=1000)]


@router.get("", summary="Findings of an area, most severe first, paged")
def findings(
    views: ViewsDep, rt: RuntimeDep, me: PrincipalDep,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    rule: Annotated[str | None, Query(max_length=40)] = None,
    status: Literal["open", "confirmed", "dismissed"] | None = None,
    programme: Programme = None, as_of: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
) -> dict[str, Any]:
    area = scoped(rt, me, "view_findings", within)
    answer = list_findings(views, as_of or today(), rule, area, status, programme)
    return paged(answer, "findings", limit, cursor)


@router.get("/{finding_id}", summary="One finding: cases, explanation, evidence, review")
def finding(finding_id: FindingId, views: ViewsDep, rt: RuntimeDep, me: PrincipalDep,
            as_of: date | None = None) -> dict[str, Any]:
    return with_reason(views, rt, me, _found(views, rt, me, finding_id, as_of or today()))


@router.post("/{finding_id}/decisions", summary="查实 or 排除, with a reason (recorded)")
def decide(finding_id: FindingId, body: DecisionInput, views: ViewsDep, rt: RuntimeDep,
           me: PrincipalDep) -> dict[str, Any]:
    item = _found(views, rt, me, finding_id, today())
    ref = FindingRef(item["finding_id"], item["rule"], tuple(item["case_refs"]), item["county"])
    return rt.findings.decide(me, ref, body.decision, body.reason)


def _found(views: Any, rt: Any, me: Any, finding_id: str, day: date) -> dict[str, Any]:
    area = scoped(rt, me, "view_findings", None)
    item = show_finding(views, finding_id, day)
    if item is None or not covers(area, item["county"]):
        raise FindingMissingError("finding.exists", "finding_id", finding_id,
                                  f"no finding {finding_id} in your area on {day}")
    return item


def with_reason(views: Any, rt: Any, me: Any, item: dict[str, Any]) -> dict[str, Any]:
    """The finding with its review's reason in words for a reader who may review it."""
    review = item.get("review")
    if review is not None:
        review["reason"] = rt.findings.reason_shown(
            me, item["county"], sealed_reason(views, item["finding_id"]), review["reason"])
    return item
