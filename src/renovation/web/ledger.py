"""台账 — the housing-safety ledgers of the reader's area: 动态清零 by area, the entries found,
and the houses needing a patrol, a re-assessment, the elderly moved, or a re-check."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from renovation.api.scope import ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN, level_of
from renovation.kernel.vocabulary.monitoring import Discovery, LedgerGroup, Resolution
from renovation.projections.ledger_sheets import NEEDS, STATUS, ledger_sheets
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.ledger import attention, ledger_entries, zeroing
from renovation.projections.workbook import write_report_workbook
from renovation.web.exports import BY_LEVEL, xlsx_file
from renovation.web.pages import Me, china_today, render

router = APIRouter(include_in_schema=False)
Within = Annotated[str | None, Query(pattern=CODE_PATTERN)]
Kind = Annotated[str | None, Query(pattern="^(key|ordinary)?$")]
ZEROING = (("area", "地区", "text"), ("found", "发现", "number"), ("resolved", "已销号", "number"),
           ("outstanding", "未销号", "number"), ("overdue", "逾期未报", "number"))
ENTRIES = (("village", "村", "text"), ("house_no", "房屋", "text"), ("head", "户主", "text"),
           ("ledger", "台账", "text"), ("found", "发现", "text"), ("grade", "等级", "text"),
           ("report", "报送", "text"), ("status", "状态", "text"), ("case_ref", "案卷", "text"))
HOUSES = (("village", "村", "text"), ("house_no", "房屋", "text"), ("head", "户主", "text"),
          ("needs", "待办", "text"))


@router.get("/ledger", response_class=HTMLResponse)
def ledger(request: Request, rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
           kind: Kind = None, as_of: date | None = None) -> HTMLResponse:
    area = scoped(rt, me, "view_ledgers", within)
    day, chosen = as_of or china_today(), kind or None
    counted = zeroing(views, day, BY_LEVEL[level_of(area)], area, chosen)
    found = ledger_entries(views, day, area, chosen, limit=500)
    needing = attention(views, day, area, chosen, limit=500)
    names = division_names(views, [row["code"] for row in counted["rows"]])
    total = counted["total"]
    return render(
        request, "report.html", me, rt, title="农房安全台账", within=area,
        intro=(f"截至 {day}：发现 {total['found']}，已销号 {total['resolved']}，"
               f"未销号 {total['outstanding']}，逾期未报 {total['overdue']}。"),
        filters=[
            {"name": "within", "label": "地区代码", "value": area, "pattern": CODE_PATTERN},
            {"name": "kind", "label": "台账", "value": kind or "",
             "choices": [("", "全部"), *((g.value, g.label) for g in LedgerGroup)]},
            {"name": "as_of", "label": "截至", "value": day.isoformat(), "type": "date"}],
        download="/export/ledger.xlsx?" + urlencode(
            {k: v for k, v in (("within", area), ("kind", kind), ("as_of", day)) if v}),
        sections=[
            {"title": "动态清零", "columns": ZEROING,
             "rows": [{**row, "area": names.get(row["code"], row["code"])}
                      for row in counted["rows"]]},
            {"title": "台账条目", "columns": ENTRIES, "rows": [_entry(e) for e in found["entries"]],
             "note": "只显示前 500 条，完整台账请下载 Excel。" if found["truncated"] else None},
            {"title": "本月待办", "columns": HOUSES,
             "rows": [{**h, "needs": "、".join(NEEDS[n] for n in h["needs"])}
                      for h in needing["houses"]]}])


@router.get("/export/ledger.xlsx")
def ledger_xlsx(rt: RuntimeDep, views: ViewsDep, me: Me, within: Within = None,
                kind: Kind = None, as_of: date | None = None) -> FileResponse:
    area = scoped(rt, me, "view_ledgers", within)
    day = as_of or china_today()
    answer: dict[str, Any] = ledger_entries(views, day, area, kind or None, limit=5000)
    answer["attention"] = attention(views, day, area, kind or None, limit=5000)["houses"]
    return xlsx_file(f"ledger-{area}.xlsx",
                 lambda path: write_report_workbook(ledger_sheets(answer), path))


def _entry(e: dict[str, Any]) -> dict[str, Any]:
    report = e["reported_on"] or (f"逾期（应于 {e['report_due']} 前）" if e["overdue"]
                                  else f"应于 {e['report_due']} 前")
    status = STATUS[e["status"]]
    if e["resolution"]:
        status += f"（{Resolution(e['resolution']).label}）"
    return {"village": e["village"], "house_no": e["house_no"], "head": e["head"],
            "ledger": LedgerGroup(e["ledger"]).label,
            "found": f"{e['found_on']} {Discovery(e['found_by']).label}",
            "grade": e["grade"] or f"疑似{e['suspected_grade']}", "report": report,
            "status": status, "case_ref": e["case_ref"],
            "_class": "behind" if e["overdue"] else None}
