"""年度计划 — opening a programme, recording its plan rows, reading them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from renovation.aggregates.programme import Allocation
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.funding import funding_plan
from renovation.application.programmes import ProgrammeCatalog

router = APIRouter(prefix="/api/programmes", tags=["programmes"])
ProgrammeId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]


class OpenProgramme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    policy: Annotated[str, Field(min_length=1, max_length=40)]
    occurred_on: date
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class Allocate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[Allocation], Field(min_length=1, max_length=5000)]
    occurred_on: date


@router.post("", summary="Open a programme under a policy (programme manager)")
def open_programme(body: OpenProgramme, rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    opened = rt.programmes.open(me, body.programme, body.policy, body.occurred_on, body.title)
    return {"programme": opened.programme, "jurisdiction": opened.jurisdiction,
            "policy": f"{opened.policy_id}@{opened.policy_version}", "version": opened.version}


@router.post("/{programme}/allocations", summary="Record the task and fund plan rows")
def allocate(programme: ProgrammeId, body: Allocate, rt: RuntimeDep, me: PrincipalDep
             ) -> dict[str, Any]:
    changed = rt.programmes.allocate(me, programme, body.rows, body.occurred_on)
    return {"programme": programme, "rows_recorded": changed}


@router.get("/{programme}", summary="The programme, its plan rows and funding plan")
def show(programme: ProgrammeId, rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    catalog = ProgrammeCatalog(rt.app)
    found = catalog.programme(programme)
    rows = list(found.allocations.values())
    return {"programme": found.programme, "title": found.title,
            "jurisdiction": found.jurisdiction, "year": found.year,
            "policy": f"{found.policy_id}@{found.policy_version}",
            "funding_plan": [line.model_dump(mode="json") for line in
                             funding_plan(catalog.policy_for(programme), rows)] if rows else []}
