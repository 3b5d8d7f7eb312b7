"""市级抽查 — drawing a county's round, and re-verifying a recorded draw."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from renovation.api.scope import ViewsDep
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.kernel.jurisdiction import COUNTY_PATTERN
from renovation.projections.queries.spotcheck import ReadModelCases

router = APIRouter(prefix="/api/spotchecks", tags=["spot checks"])
Code = Annotated[str, Path(pattern=COUNTY_PATTERN)]


class Draw(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    county: Annotated[str, Field(pattern=COUNTY_PATTERN)]
    seed_hex: Annotated[str, Field(min_length=32, max_length=256)]
    ratio: Annotated[str, Field(max_length=20)] | None = None
    round: Annotated[int, Field(ge=1, le=1000)] = 1
    occurred_on: date | None = None


@router.post("/draws", summary="抽签: draw a county's round (city inspector)")
def draw(body: Draw, rt: RuntimeDep, me: PrincipalDep, views: ViewsDep, request: Request
         ) -> dict[str, Any]:
    request.app.state.follower.catch_up_now()  # the population is every acceptance so far
    service = rt.spot_checks(ReadModelCases(views))
    drawn = service.draw(me, body.programme, body.county, body.seed_hex, body.occurred_on,
                         body.ratio, body.round)
    return drawn.to_dict()


@router.get("/draws/{programme}/{county}/{round}/verification",
            summary="复核: recompute a recorded draw and compare with the acceptances")
def verify(
    programme: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")],
    county: Code, round: Annotated[int, Path(ge=1, le=1000)], rt: RuntimeDep,
    me: PrincipalDep, views: ViewsDep,
    seed_hex: Annotated[str | None, Query(min_length=32, max_length=256)] = None,
) -> dict[str, Any]:
    return rt.spot_checks(ReadModelCases(views)).verify(programme, county, round,
                                                         seed_hex).to_dict()
