"""Excel everywhere a manager looks: each report and the case list as .xlsx, Chinese headers,
names beside codes, real numbers and dates, written streaming into a temporary file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN, Level, level_of
from renovation.kernel.vocabulary import OVERDUE_KINDS, PROGRESS_STEPS, Stage
from renovation.projections import queries
from renovation.projections.queries import CaseFilter, iter_cases
from renovation.projections.queries.divisions import division_names
from renovation.projections.workbook import Sheet, write_case_workbook, write_report_workbook
from renovation.web.pages import Me, china_today

router = APIRouter(include_in_schema=False)
Within = Annotated[str | None, Query(pattern=CODE_PATTERN)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BY_LEVEL = {Level.PROVINCE: "county", Level.CITY: "county", Level.COUNTY: "township",
            Level.TOWNSHIP: "village", Level.VILLAGE: "village"}


def _file(name: str, write: Any) -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write(path)
    return FileResponse(path, media_type=XLSX, filename=name,
                        background=BackgroundTask(path.unlink, missing_ok=True))


@router.get("/export/progress.xlsx")
def progress(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    by = BY_LEVEL[level_of(area)]
    answer = queries.progress(views, by, None, area, as_of=china_today())
    names = division_names(views, [row["code"] for row in answer["rows"]])
    rows = [{"code": row["code"], "name": row["name"] or names.get(row["code"]),
             "target": row["target_households"], **row["funnel"],
             "withdrawn": row["stages"]["withdrawn"], "rejected": row["stages"]["rejected"],
             "behind": "、".join(row["behind"]) or "正常"} for row in answer["rows"]]
    columns = [("code", "区划代码"), ("name", "名称"), ("target", "任务数"),
               *PROGRESS_STEPS.items(), ("withdrawn", "撤回"), ("rejected", "未通过"),
               ("behind", "进度")]
    return _file(f"progress-{area}.xlsx",
                 lambda path: write_report_workbook([("改造进度", columns, rows)], path))


@router.get("/export/funds.xlsx")
def funds(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    columns = [("code", "区划代码"), ("name", "名称"), ("source", "资金来源"),
               ("planned_yuan", "计划（元）"), ("approved_yuan", "核定（元）"),
               ("requested_yuan", "申请拨付（元）"), ("paid_yuan", "已拨付（元）"),
               ("outstanding_yuan", "未拨付（元）")]

    def sheets() -> Iterator[Sheet]:
        for item in queries.funds(views, None, area)["programmes"]:
            rows = [{"code": county["code"], "name": county["name"],
                     **line, "source": line["label"] or line["source"]}
                    for county in item["counties"] for line in county["sources"]]
            yield item["programme"], columns, rows

    return _file(f"funds-{area}.xlsx", lambda path: write_report_workbook(sheets(), path))


@router.get("/export/overdue.xlsx")
def overdue(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
            as_of: date | None = None) -> FileResponse:
    area = scoped(rt, me, "view_reports", within)
    answer = queries.overdue(views, as_of or china_today(), None, area)
    rows = [{**item, "kind": OVERDUE_KINDS.get(item["kind"], item["kind"]),
             "due_on": date.fromisoformat(item["due_on"])} for item in answer["items"]]
    columns = [("kind", "逾期事项"), ("case_ref", "案件编号"), ("ref", "单号"),
               ("county", "县（市、区）"), ("village", "行政村"), ("due_on", "应完成日期"),
               ("days_overdue", "逾期天数")]
    return _file(f"overdue-{area}.xlsx",
                 lambda path: write_report_workbook([("逾期事项", columns, rows)], path))


@router.get("/export/cases.xlsx")
def cases(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
          stage: Annotated[str | None, Query(max_length=30)] = None) -> FileResponse:
    area = scoped(rt, me, "view_cases", within)
    stages = tuple(s.value for s in Stage if stage in (s.value, s.label))
    where = CaseFilter(within=area, stages=stages)
    return _file(f"cases-{area}.xlsx",
                 lambda path: write_case_workbook(iter_cases(views, where), path))
