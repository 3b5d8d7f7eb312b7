"""Excel everywhere a manager looks: each report and the case list as .xlsx, Chinese headers,
names beside codes, real numbers and dates, written streaming into a temporary file."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN, Level, level_of
from renovation.kernel.vocabulary import Stage
from renovation.projections import queries, report_sheets
from renovation.projections.queries import CaseFilter, iter_cases
from renovation.projections.queries.divisions import division_names
from renovation.projections.workbook import write_case_workbook, write_report_workbook
from renovation.web.pages import Me, china_today

router = APIRouter(include_in_schema=False)
Within = Annotated[str | None, Query(pattern=CODE_PATTERN)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BY_LEVEL = {Level.PROVINCE: "county", Level.CITY: "county", Level.COUNTY: "township",
            Level.TOWNSHIP: "village", Level.VILLAGE: "village"}


def xlsx_file(name: str, write: Any) -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write(path)
    return FileResponse(path, media_type=XLSX, filename=name,
                        background=BackgroundTask(path.unlink, missing_ok=True))


@router.get("/export/progress.xlsx")
def progress(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    answer = queries.progress(views, BY_LEVEL[level_of(area)], None, area, as_of=china_today())
    names = division_names(views, [row["code"] for row in answer["rows"]])
    return xlsx_file(f"progress-{area}.xlsx", lambda path: write_report_workbook(
        report_sheets.progress_sheets(answer, names), path))


@router.get("/export/funds.xlsx")
def funds(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    answer = queries.funds(views, None, area, by="township")
    names = division_names(views, [t["code"] for item in answer["programmes"]
                                   for t in item["townships"]])
    return xlsx_file(f"funds-{area}.xlsx", lambda path: write_report_workbook(
        report_sheets.funds_sheets(answer, names), path))


@router.get("/export/overdue.xlsx")
def overdue(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
            as_of: date | None = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    answer = queries.overdue(views, as_of or china_today(), None, area)
    return xlsx_file(f"overdue-{area}.xlsx", lambda path: write_report_workbook(
        report_sheets.overdue_sheets(answer), path))


@router.get("/export/cases.xlsx")
def cases(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
          stage: Annotated[str | None, Query(max_length=30)] = None) -> FileResponse:
    area = scoped(rt, me, "view_cases", within)
    stages = tuple(s.value for s in Stage if stage in (s.value, s.label))
    where = CaseFilter(within=area, stages=stages)
    return xlsx_file(f"cases-{area}.xlsx",
                 lambda path: write_case_workbook(iter_cases(views, where), path))
