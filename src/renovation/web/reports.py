"""资金、进度、逾期、抽查 — the managers' pages, each scoped to the reader's area."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from renovation.api.scope import AnswersDep, ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN, Level, covers, level_of
from renovation.kernel.vocabulary import OVERDUE_KINDS
from renovation.projections import queries
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.funding import paid_by_month
from renovation.projections.queries.spotcheck import spot_checks
from renovation.web import evaluation as evaluation_report
from renovation.web.pages import Me, china_today, render

router = APIRouter(include_in_schema=False)
Within = Annotated[str | None, Query(pattern=CODE_PATTERN)]
AMOUNT_COLUMNS = (("planned", "计划", "n"), ("approved", "核定", "n"),
                  ("requested", "申请拨付", "n"), ("paid", "已拨付", "n"),
                  ("outstanding", "未拨付", "n"))


def yuan(value: int | None) -> str | None:
    return None if value is None else f"{value:,}"


@router.get("/funds", response_class=HTMLResponse)
def funds(request: Request, rt: RuntimeDep, views: ViewsDep, kept: AnswersDep, me: Me,
          within: Within = None) -> HTMLResponse:
    area = scoped(rt, me, "view_reports", within)
    by = "township" if level_of(area) >= Level.COUNTY else "county"
    local = by == "township"
    answer = kept.get(views, ("funds", area, by),
                      lambda: queries.funds(views, None, area, by=by))  # type: ignore[arg-type]
    sections: list[dict[str, Any]] = []
    for item in answer["programmes"]:
        sources = [{"label": line["label"] or line["source"], **_amounts(line)}
                   for line in item["sources"]]
        sections.append({"title": f"{item['programme']} 资金来源（元）",
                         "columns": [("label", "资金来源", "text"), *AMOUNT_COLUMNS],
                         "rows": sources})
        units = item["townships"] if local else item["counties"]
        names = division_names(views, [unit["code"] for unit in units])
        rows = [{"name": unit.get("name") or names.get(unit["code"], unit["code"]),
                 **_amounts(_summed(unit["sources"])),
                 "_links": {} if local else {"name": f"/funds?within={unit['code']}"}}
                for unit in units]
        heading = "乡镇" if local else "县（市、区）"
        sections.append({"title": f"各{heading}（元）", "rows": rows,
                         "note": "计划资金按县下达，乡镇只列核定与拨付。" if local else
                                 "点击县名查看该县各乡镇。",
                         "columns": [("name", heading, "text"), *AMOUNT_COLUMNS],
                         "chart": _bars([r["name"] for r in rows], {
                             "核定": [_raw(r, "approved") for r in rows],
                             "已拨付": [_raw(r, "paid") for r in rows]}, "元")})
    months = kept.get(views, ("paid_by_month", area), lambda: paid_by_month(views, None, area))
    sections.append({"title": "按月拨付（元）", "chart": _line_chart(months),
                     "columns": [("month", "月份", "text"), ("paid", "当月拨付", "n"),
                                 ("cumulative", "累计", "n")],
                     "rows": [{"month": m["month"], "paid": yuan(m["paid_yuan"]),
                               "cumulative": yuan(m["cumulative_yuan"])} for m in months]})
    return render(request, "report.html", me, rt, title="资金", sections=sections,
                  download=f"/export/funds.xlsx?within={area}",
                  intro=f"计划、核定、申请拨付、已拨付与未拨付金额，范围 {_name(views, area)}。")


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None
             ) -> HTMLResponse:
    area = scoped(rt, me, "view_reports", within)
    sections = []
    for item in queries.construction(views, None, area)["programmes"]:
        months = item["months"]
        calendar = item["calendar"]
        sections.append({
            "title": f"{item['programme']} 每月开工、竣工、验收（户）",
            "note": f"计划：{calendar['start_by']} 前开工，{calendar['complete_by']} 前竣工，"
                    f"{calendar['accept_by']} 前验收。",
            "chart": _bars([m["month"] for m in months], {
                "开工": [m["start"] for m in months], "竣工": [m["complete"] for m in months],
                "验收": [m["accept"] for m in months]}, "户"),
            "columns": [("month", "月份", "text"), ("start", "开工", "n"),
                        ("start_total", "累计开工", "n"), ("complete", "竣工", "n"),
                        ("complete_total", "累计竣工", "n"), ("accept", "验收", "n"),
                        ("accept_total", "累计验收", "n")],
            "rows": months})
        sections.append({
            "title": "时间节点完成情况（户）",
            "columns": [("milestone", "节点", "text"), ("due", "截止日期", "text"),
                        ("on_time", "按期完成", "n"), ("late", "逾期完成", "n"),
                        ("not_yet", "尚未完成", "n"), ("target", "任务数", "n")],
            "rows": [{**m, "milestone": {"start": "开工", "complete": "竣工",
                                         "accept": "验收"}[m["milestone"]]}
                     for m in item["milestones"]]})
    return render(request, "report.html", me, rt, title="进度", sections=sections,
                  intro=f"范围 {_name(views, area)}。")


@router.get("/overdue", response_class=HTMLResponse)
def overdue(
    request: Request, rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
    as_of: date | None = None, page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    area = scoped(rt, me, "view_reports", within)
    day = as_of or china_today()
    answer = queries.overdue(views, day, None, area)
    items, size = answer["items"], 100
    shown = items[(page - 1) * size: page * size]
    rows = [{**item, "kind": OVERDUE_KINDS.get(item["kind"], item["kind"]),
             "_links": {"case_ref": f"/cases/{item['case_ref']}"}} for item in shown]
    counts = "，".join(f"{OVERDUE_KINDS.get(k, k)} {n} 项" for k, n in answer["counts"].items())
    more = f"/overdue?within={area}&as_of={day}&page={page + 1}" if len(items) > page * size \
        else None
    intro = f"截至 {day}，{_name(views, area)} 逾期事项 {len(items)} 项：{counts or '无'}。"
    return render(request, "report.html", me, rt, title="逾期", next_url=more, intro=intro,
                  download=f"/export/overdue.xlsx?within={area}&as_of={day}",
                  sections=[{"columns": [("kind", "逾期事项", "text"), ("case_ref", "案件", "text"),
                                         ("ref", "单号", "text"),
                                         ("due_on", "应完成日期", "text"),
                                         ("days_overdue", "逾期天数", "n")], "rows": rows}])


@router.get("/spotchecks", response_class=HTMLResponse)
def spotchecks(request: Request, rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None
               ) -> HTMLResponse:
    area = scoped(rt, me, "view_reports", within)
    counties = [row for row in spot_checks(views)["counties"]
                if covers(area, row["county"]) or covers(row["county"], area)]
    rows = [{**row, "name": row["name"] or row["county"],
             "achieved": f"{float(row['achieved_ratio']) * 100:.1f}%",
             "meets": "达标" if row["meets_minimum"] else "未达标",
             "_class": None if row["meets_minimum"] else "behind"} for row in counties]
    return render(request, "report.html", me, rt, title="市级抽查", sections=[{
        "columns": [("name", "县（市、区）", "text"), ("accepted", "验收合格", "n"),
                    ("drawn", "抽中", "n"), ("checked", "已抽查", "n"), ("failed", "不合格", "n"),
                    ("achieved", "抽查比例", "n"), ("meets", "是否达到比例要求", "text")],
        "rows": rows}], intro="市级抽查比例不低于 10%（按县统计）。")


Programme = Annotated[str | None, Query(max_length=40)]
Text = Annotated[str | None, Query(max_length=20)]  # checked by the evaluation, naming the rule


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation(request: Request, rt: RuntimeDep, views: ViewsDep, me: Me,
               programme: Programme = None, county: Text = None, as_of: Text = None
               ) -> HTMLResponse:
    """年度绩效评价 — printable on A4; the reader's programme area or their own county."""
    return evaluation_report.page(request, rt, views, me, programme, county, as_of)


@router.get("/export/evaluation.xlsx")
def evaluation_xlsx(rt: RuntimeDep, views: ViewsDep, me: Me,
                    programme: Annotated[str, Query(max_length=40)], county: Text = None,
                    as_of: Text = None) -> FileResponse:
    return evaluation_report.workbook(rt, views, me, programme, county, as_of)


def _amounts(line: dict[str, Any]) -> dict[str, Any]:
    keys = ("planned", "approved", "requested", "paid", "outstanding")
    return {key: yuan(line.get(f"{key}_yuan")) for key in keys} | {
        f"_{key}": line.get(f"{key}_yuan") for key in keys}


def _summed(lines: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for line in lines:
        for key, value in line.items():
            if key.endswith("_yuan") and value is not None:
                total[key] = total.get(key, 0) + value
    return total


def _raw(row: dict[str, Any], key: str) -> int:
    return int(row.get(f"_{key}") or 0)


def _name(views: Any, code: str) -> str:
    return division_names(views, [code]).get(code, code)


def _bars(labels: list[str], series: dict[str, list[Any]], unit: str) -> dict[str, Any]:
    return {"aria": {"enabled": True}, "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 70, "right": 20, "bottom": 80},
            "xAxis": {"type": "category", "data": labels,
                      "axisLabel": {"rotate": 30 if len(labels) > 8 else 0}},
            "yAxis": {"type": "value", "name": unit},
            "series": [{"name": name, "type": "bar", "data": data}
                       for name, data in series.items()]}


def _line_chart(months: list[dict[str, Any]]) -> dict[str, Any]:
    return {"aria": {"enabled": True}, "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 90, "right": 20, "bottom": 40},
            "xAxis": {"type": "category", "data": [m["month"] for m in months]},
            "yAxis": {"type": "value", "name": "元"},
            "series": [{"name": "当月拨付", "type": "bar",
                        "data": [m["paid_yuan"] for m in months]},
                       {"name": "累计拨付", "type": "line",
                        "data": [m["cumulative_yuan"] for m in months]}]}
