"""案卷 — the case list (masked), one case, its history and access log (recorded reads)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from renovation.api.scope import CasesScope, ViewsDep, scoped
from renovation.api.security import PrincipalDep, RuntimeDep
from renovation.application.views import case_summary
from renovation.audit.dossier_archive import dossier_zip
from renovation.kernel.vocabulary import Category, Department, RenovationMode, Stage
from renovation.projections.queries import CaseFilter, list_cases
from renovation.projections.queries.cases import DATE_FIELDS
from renovation.projections.queries.identities import ReadModelIdentities

router = APIRouter(prefix="/api/cases", tags=["cases"])

CaseRef = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")]
Reason = Annotated[str | None, Query(max_length=500, description="Why you read it (recorded)")]
AsOf = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{1,6}|\d{4}-\d{2}-\d{2})$",
                                   description="a version N or a date YYYY-MM-DD")]


@router.get("", summary="The case list of an area, by reference, paged by `after`")
def cases(
    views: ViewsDep, scope: CasesScope,
    stage: Annotated[list[Stage] | None, Query()] = None,
    category: Category | None = None, department: Department | None = None,
    mode: RenovationMode | None = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
    date_field: Literal[DATE_FIELDS] = "applied_on",  # type: ignore[valid-type]
    date_from: date | None = None, date_to: date | None = None,
    name: Annotated[str | None, Query(max_length=20, description="part of the masked name")
                    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    where = CaseFilter(
        programme=programme, within=scope, stages=tuple(s.value for s in stage or ()),
        category=category.value if category else None,
        department=department.value if department else None,
        mode=mode.value if mode else None, date_field=date_field, date_from=date_from,
        date_to=date_to, name=name)
    return list_cases(views, where, limit, after=after)


class Search(BaseModel):
    """Exactly one of `id_number` and `full_name`, and why (recorded on every case found)."""

    model_config = ConfigDict(extra="forbid")

    id_number: Annotated[str, Field(min_length=15, max_length=30)] | None = None
    full_name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]


@router.post("/search", summary="Find cases by exact ID number or full name (recorded)")
def search(body: Search, rt: RuntimeDep, me: PrincipalDep, views: ViewsDep
           ) -> list[dict[str, str]]:
    return rt.inspection.find(me, ReadModelIdentities(views), body.reason, body.id_number,
                              body.full_name)


@router.get("/{case_ref}", summary="Where a case stands (masked personal data)")
def case(case_ref: CaseRef, rt: RuntimeDep, me: PrincipalDep) -> dict[str, Any]:
    found = rt.service.load_case(case_ref)
    scoped(rt, me, "view_cases", found.village_code)
    return case_summary(found)


@router.get("/{case_ref}/history", summary="Every act, both clocks, what changed (recorded)")
def history(
    case_ref: CaseRef, rt: RuntimeDep, me: PrincipalDep, as_of: AsOf = None,
    reason: Reason = None,
) -> dict[str, Any]:
    return rt.inspection.history(me, case_ref, as_of, reason).to_dict()


@router.get("/{case_ref}/access-log", summary="Who viewed, exported or unmasked the case")
def access_log(case_ref: CaseRef, rt: RuntimeDep, me: PrincipalDep) -> list[dict[str, Any]]:
    return rt.inspection.access_log(me, case_ref)


class DossierRequest(BaseModel):
    """Why the archive is exported (recorded), whether with personal data, and as of when."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=500)]
    unmask: bool = False
    as_of: Annotated[str, Field(pattern=r"^(\d{1,6}|\d{4}-\d{2}-\d{2})$")] | None = None


@router.post("/{case_ref}/dossier", summary="一户一档: the archive as a zip, proofs included",
             response_class=Response, responses={200: {"content": {"application/zip": {}},
                                                       "description": "dossier.json and .html"}})
def dossier(case_ref: CaseRef, body: DossierRequest, rt: RuntimeDep, me: PrincipalDep
            ) -> Response:
    """The files `renovation case dossier` writes, as one zip; the export (and any unmasking)
    is recorded in the case's access log. Verify it offline with `renovation audit
    verify-dossier`."""
    download = dossier_zip(rt.inspection, rt.settings, me, case_ref, body.reason, body.unmask,
                           body.as_of)
    return Response(download.content, media_type="application/zip", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(download.filename)}",
        "Cache-Control": "no-store"})
