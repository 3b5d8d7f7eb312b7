"""年度绩效评价 — the printable evaluation page (A4), its Excel download, and the same report as
one standalone HTML file (`renovation report evaluation --html`).

The page is scoped like every report: a reader sees the programme when a role of theirs may
view reports over its whole area, otherwise their own county of it.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import select
from starlette.background import BackgroundTask

from renovation.api.scope import scoped
from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.kernel.jurisdiction import Level, at_level, covers, level_of
from renovation.projections.database import ViewsDatabase
from renovation.projections.evaluation_sheets import COUNTING_RULE, evaluation_sheets, met_word
from renovation.projections.queries.common import tables
from renovation.projections.queries.evaluation import (
    check_as_of,
    check_county,
    evaluate,
    programme_of,
)
from renovation.projections.queries.figures import GROUPS, UNITS
from renovation.projections.workbook import write_report_workbook
from renovation.web.assets import STATIC
from renovation.web.pages import TEMPLATES, china_today, render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown(value: Any, unit: str) -> str:
    """A value as printed: ratios as percentages, counts and yuan with thousands separators."""
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{Decimal(value) * 100:.2f}%"
    return f"{value:,}{UNITS.get(unit, '')}"


def view(answer: dict[str, Any], link: str | None = None) -> dict[str, Any]:
    """What the templates print; `link` (the page's path) makes county names links."""
    p, county = answer["programme"], answer["county"]
    units = {f["id"]: f["unit"] for f in answer["figures"]}
    query = {"programme": p["programme"], "as_of": answer["as_of"]}
    rows = [{"name": row["name"] or row["code"] or "合计",
             "href": f"{link}?{urlencode({**query, 'county': row['code']})}"
             if link and row["code"] and not county else None,
             "cells": [(shown(row["values"].get(c["id"]), units.get(c["id"], "")),
                        row["met"].get(c["id"])) for c in answer["overall"]["columns"]],
             "score": f"{row['figures_met']}/{row['figures_judged']}"}
            for row in answer["overall"]["rows"]]
    return {
        "title": f"{p['title']} 年度绩效评价",
        "scope": f"{answer['county_name'] or ''}（{county}）" if county
        else f"全部县（市、区）（{p['jurisdiction']}）",
        "programme": p, "as_of": answer["as_of"], "rules": answer["rules"],
        "counting_rule": COUNTING_RULE, "columns": answer["overall"]["columns"], "rows": rows,
        "groups": _groups(answer["figures"]),
    }


def _groups(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = list(dict.fromkeys(f["group"] for f in figures))
    return [{"label": GROUPS.get(g, (g,))[0], "figures": [
        {**f, "value_text": shown(f["value"], f["unit"]),
         "target_text": shown(f["target"], f["unit"]) if f["target"] is not None else "—",
         "met_text": met_word(f),
         "met_class": {True: "ok", False: "behind"}.get(f["met"], "none")}
        for f in figures if f["group"] == g]} for g in order]


def standalone_html(answer: dict[str, Any]) -> str:
    """The report as one self-contained HTML file (styles inlined), ready to print on A4."""
    css = "\n".join((STATIC / name).read_text(encoding="utf-8")
                    for name in ("app.css", "evaluation.css"))
    return TEMPLATES.env.get_template("evaluation_print.html").render(e=view(answer), css=css)


def _programmes(views: ViewsDatabase) -> list[tuple[str, str]]:
    t = tables(views)["rv_programmes"]
    with views.engine.connect() as conn:
        return [(row.programme, row.title) for row in
                conn.execute(select(t.c.programme, t.c.title).order_by(t.c.programme))]


def answer_for(rt: Runtime, views: ViewsDatabase, me: Principal, programme: str,
               county: str | None, as_of: str | None) -> dict[str, Any]:
    """The evaluation the reader may see: the programme, or the reader's own county of it."""
    p = programme_of(views, programme)
    day = check_as_of(as_of, china_today())
    code = check_county(p, county)
    if code is None:
        area = scoped(rt, me, "view_reports", None)
        if not covers(area, p.jurisdiction) and level_of(area) >= Level.COUNTY:
            code = at_level(area, Level.COUNTY)
    scoped(rt, me, "view_reports", code or p.jurisdiction)
    return evaluate(views, p.name, day, code)


def page(request: Request, rt: Runtime, views: ViewsDatabase, me: Principal,
         programme: str | None, county: str | None, as_of: str | None) -> HTMLResponse:
    programmes = _programmes(views)
    if not programmes:
        return render(request, "evaluation.html", me, rt, title="年度绩效评价", e=None,
                      filters=[], intro="尚无年度计划。")
    answer = answer_for(rt, views, me, programme or programmes[0][0], county, as_of)
    query = {"programme": answer["programme"]["programme"], "as_of": answer["as_of"],
             **({"county": answer["county"]} if answer["county"] else {})}
    filters = [
        {"name": "programme", "label": "年度计划", "value": query["programme"],
         "choices": [(name, f"{title}（{name}）") for name, title in programmes]},
        {"name": "county", "label": "县（市、区）代码", "value": answer["county"],
         "pattern": r"\d{6}000000"},
        {"name": "as_of", "label": "截至日期", "value": answer["as_of"], "type": "date"},
    ]
    return render(request, "evaluation.html", me, rt, title="年度绩效评价",
                  e=view(answer, link=request.url.path), filters=filters,
                  download=f"/export/evaluation.xlsx?{urlencode(query)}")


def workbook(rt: Runtime, views: ViewsDatabase, me: Principal, programme: str,
             county: str | None, as_of: str | None) -> FileResponse:
    answer = answer_for(rt, views, me, programme, county, as_of)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write_report_workbook(evaluation_sheets(answer), path)
    name = f"evaluation-{programme}-{answer['county'] or 'all'}-{answer['as_of']}.xlsx"
    return FileResponse(path, media_type=XLSX, filename=name,
                        background=BackgroundTask(path.unlink, missing_ok=True))
