"""举报投诉 — the list of the reader's tip-offs: status, where, who handles it, deadlines, and
what is overdue today marked. Someone who may only enter hotline calls is sent to that form."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from renovation.api.scope import scoped
from renovation.application.tipoffs import LODGE, VIEW
from renovation.kernel.vocabulary.tipoffs import TipOffStatus, TipOffSubject
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.tipoffs import list_tipoffs
from renovation.web.pages import china_today, may, render

COLUMNS = (("receipt", "受理编号", "text"), ("status", "状态", "text"),
           ("subject", "举报事项", "text"), ("place", "所涉区域", "text"),
           ("lodged_on", "受理日期", "text"), ("assignee", "承办人", "text"),
           ("hand_over_by", "移交时限", "text"), ("conclude_by", "办结时限", "text"),
           ("overdue", "逾期", "text"))


def list_page(request: Request, rt: Any, views: Any, me: Any, status: str | None,
              overdue: bool, mine: bool) -> HTMLResponse:
    """The page; a principal who may not read tip-offs but may enter calls gets the link."""
    hotline = may(rt, me, LODGE)
    if not may(rt, me, VIEW) and hotline:
        return render(request, "tipoffs.html", me, rt, active="/tipoffs", title="举报投诉",
                      intro="您的职务不能查看举报，可以代来电人登记电话举报。", sections=[],
                      filters=[], hotline=True)
    area = scoped(rt, me, VIEW, None)
    answer = list_tipoffs(views, china_today(), area, status, overdue,
                          me.staff_id if mine else None)
    names = division_names(views, [t["jurisdiction"] for t in answer["tipoffs"]])
    rows = [_row(t, names) for t in answer["tipoffs"]]
    counts = answer["counts"]
    intro = (f"共 {len(rows)} 件；待移交 {counts['lodged']} 件，逾期 {counts['overdue']} 件。"
             "时限按县级规定（未规定的按系统默认）计算。")
    filters = [
        {"name": "status", "label": "状态", "value": status or "",
         "choices": [("", "全部"), *((s.value, s.label) for s in TipOffStatus)]},
        {"name": "overdue", "label": "逾期", "value": "1" if overdue else "",
         "choices": [("", "全部"), ("1", "只看逾期")]},
        {"name": "mine", "label": "承办", "value": "1" if mine else "",
         "choices": [("", "全部"), ("1", "只看我承办的")]},
    ]
    return render(request, "tipoffs.html", me, rt, active="/tipoffs", title="举报投诉",
                  intro=intro, filters=filters, sections=[{"columns": COLUMNS, "rows": rows}],
                  hotline=hotline)


def _row(t: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    late = t["overdue"]
    marks = [text for flag, text in ((late["hand_over"], "逾期未移交"),
                                     (late["conclude"], "逾期未办结")) if flag]
    return {"receipt": t["receipt"], "status": TipOffStatus(t["status"]).label,
            "subject": TipOffSubject(t["subject"]).label,
            "place": names.get(t["jurisdiction"], t["jurisdiction"]),
            "lodged_on": t["lodged_on"], "assignee": t["assignee"],
            "hand_over_by": t["deadlines"]["hand_over_by"],
            "conclude_by": t["deadlines"]["conclude_by"], "overdue": "、".join(marks) or None,
            "_links": {"receipt": f"/tipoffs/{t['receipt']}"},
            "_class": "behind" if late["any"] else None}
