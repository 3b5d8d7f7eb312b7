"""公示 — the notices open now, for anyone, without signing in: what the notice boards show
(names and ID numbers masked as the plans allow), by village, township and county."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from renovation.api.scope import ViewsDep
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN
from renovation.kernel.vocabulary import Category, NoticeLevel, RenovationMode
from renovation.projections import queries
from renovation.projections.queries.divisions import division_names
from renovation.web.pages import optional_page_principal, render

router = APIRouter(include_in_schema=False)
SHOWN = 300


@router.get("/notices", response_class=HTMLResponse)
def notices(
    request: Request, rt: RuntimeDep, views: ViewsDep,
    within: Annotated[str | None, Query(pattern=f"^(?:{CODE_PATTERN[1:-1]})?$")] = None,
) -> HTMLResponse:
    answer = queries.open_notices(views, None, within or None)
    items = answer["notices"][:SHOWN]
    names = division_names(views, [n["village"] for n in items])
    rows = [{**n, "level": NoticeLevel(n["level"]).label,
             "village": names.get(n["village"], n["village"]),
             "category": Category(n["category"]).label,
             "mode": RenovationMode(n["mode"]).label, "object": "提出异议",
             "_links": {"object": f"/notices/{quote(n['case_ref'])}/{n['level']}/objection"}}
            for n in items]
    columns = [("level", "公示级别", "text"), ("notice_no", "公示编号", "text"),
               ("village", "村", "text"), ("head_name", "户主", "text"),
               ("head_id", "身份证号码", "text"), ("household_size", "家庭人口", "n"),
               ("category", "对象类别", "text"), ("mode", "改造方式", "text"),
               ("subsidy_yuan", "补助金额（元）", "n"), ("posted_on", "公示日期", "text"),
               ("due_on", "公示期满", "text"), ("object", "异议", "text")]
    more = len(answer["notices"]) - len(items)
    intro = (f"正在公示 {len(answer['notices'])} 户"
             + (f"（仅显示前 {SHOWN} 户，请按区划代码查询）" if more > 0 else "")
             + "。对公示对象有异议的，可在公示期内点击该户的“提出异议”在线提交，"
             "或向所在乡镇人民政府、县住房城乡建设部门反映。")
    me = optional_page_principal(request, rt)
    return render(request, "report.html", me, rt, title="公示", intro=intro,
                  filters=[{"name": "within", "label": "区划代码", "value": within or "",
                            "pattern": "[0-9]{12}"}],
                  sections=[{"columns": columns, "rows": rows}])
