"""报表 — the dashboards' data: progress, funds, construction, overdue work, notices, spot checks.

Each is scoped to the reader's area (`within`, default the broadest area one of their roles may
read) and answers from the read models, which the server follows.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from renovation.aggregates.base import CHINA_STANDARD_TIME, recorded_now
from renovation.api.paging import paged
from renovation.api.scope import ReportsScope, ViewsDep
from renovation.kernel.jurisdiction import CODE_PATTERN, covers
from renovation.projections import queries
from renovation.projections.queries.spotcheck import spot_checks

router = APIRouter(prefix="/api/reports", tags=["reports"])

Programme = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Cursor = Annotated[str | None, Query(pattern=r"^[0-9]{1,9}$",
                                     description="`next` of the previous page")]


def today() -> date:
    return recorded_now().astimezone(CHINA_STANDARD_TIME).date()


@router.get("/progress", summary="进度: the stage funnel against targets, per area, paged")
def progress(
    views: ViewsDep, scope: ReportsScope, by: Literal["county", "township", "village"] = "county",
    programme: Programme = None, limit: Limit = 100,
    after: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
) -> dict[str, Any]:
    return queries.progress(views, by, programme, scope, limit, after)


@router.get("/funds", summary="资金: planned, approved, requested, paid per source, county and"
            " (by=township) township")
def funds(views: ViewsDep, scope: ReportsScope, programme: Programme = None,
          by: Literal["county", "township"] = "county") -> dict[str, Any]:
    return queries.funds(views, programme, scope, by=by)


@router.get("/construction", summary="施工: starts, completions, acceptances per month")
def construction(
    views: ViewsDep, scope: ReportsScope, programme: Programme = None,
) -> dict[str, Any]:
    return queries.construction(views, programme, scope)


@router.get("/overdue", summary="逾期: overdue notices, agreements and payments, paged")
def overdue(
    views: ViewsDep, scope: ReportsScope, programme: Programme = None,
    as_of: date | None = None, limit: Limit = 100, cursor: Cursor = None,
) -> dict[str, Any]:
    answer = queries.overdue(views, as_of or today(), programme, scope)
    return paged(answer, "items", limit, cursor)


@router.get("/notices", summary="公示: notices open now (or on a day)")
def notices(
    views: ViewsDep, scope: ReportsScope,
    level: Literal["village", "township", "county"] | None = None, as_of: date | None = None,
) -> dict[str, Any]:
    return queries.open_notices(views, level, scope, as_of)


@router.get("/spotchecks", summary="抽查: accepted, drawn, checked, achieved ratio per county")
def spotchecks(views: ViewsDep, scope: ReportsScope, programme: Programme = None
               ) -> dict[str, Any]:
    answer = spot_checks(views, programme)
    answer["counties"] = [row for row in answer["counties"]
                          if covers(scope, row["county"]) or covers(row["county"], scope)]
    return answer
