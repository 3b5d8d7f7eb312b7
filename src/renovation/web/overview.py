"""总览 — targets against the stage funnel, one area at a time: a city's counties, a county's
townships, a township's villages, each named, each marked 落后 where it is behind the calendar."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from renovation.api.scope import AnswersDep, ViewsDep, scoped
from renovation.api.security import RuntimeDep
from renovation.kernel.jurisdiction import CODE_PATTERN, Level, at_level, level_of
from renovation.kernel.vocabulary import PROGRESS_STEPS
from renovation.projections import queries
from renovation.projections.queries.divisions import division_names
from renovation.web.pages import Me, china_today, render

router = APIRouter(include_in_schema=False)
BY_LEVEL = {Level.PROVINCE: "county", Level.CITY: "county", Level.COUNTY: "township",
            Level.TOWNSHIP: "village", Level.VILLAGE: "village"}
BY_LABEL = {"county": "县（市、区）", "township": "乡镇", "village": "行政村"}
CHART_STEPS = ("applied", "county_approved", "construction_started", "construction_completed",
               "accepted")


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request, rt: RuntimeDep, views: ViewsDep, kept: AnswersDep, me: Me,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    after: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    area = scoped(rt, me, "view_reports", within)
    by = BY_LEVEL[level_of(area)]
    as_of = china_today()
    answer = kept.get(views, ("progress", by, programme, area, after, as_of),
                      lambda: queries.progress(views, by, programme, area, limit=100,
                                               after=after, as_of=as_of))
    names = division_names(views, [row["code"] for row in answer["rows"]] + _ancestors(area))
    for row in answer["rows"]:
        row["label"] = row["name"] or names.get(row["code"]) or row["code"]
    return render(
        request, "overview.html", me, rt, active="/", title=f"总览 · {names.get(area, area)}",
        rows=answer["rows"], total=answer["total"], steps=list(PROGRESS_STEPS.items()),
        by=by, by_label=BY_LABEL[by], within=area, next=answer.get("next"),
        drill=by != "village", as_of=as_of.isoformat(), calendar=_calendar(answer),
        crumbs=[(code, names.get(code, code)) for code in _ancestors(area)],
        chart=_chart(answer["rows"], BY_LABEL[by]))


def _ancestors(area: str) -> list[str]:
    """The areas above and including `area`, from the province down."""
    return [at_level(area, level) for level in Level if level <= level_of(area)]


def _calendar(answer: dict[str, Any]) -> str:
    calendar = answer.get("calendar")
    if not calendar:
        return "—"
    return (f"{calendar['start_by']} 前开工、{calendar['complete_by']} 前竣工、"
            f"{calendar['accept_by']} 前验收")


def _chart(rows: list[dict[str, Any]], by_label: str) -> dict[str, Any]:
    labels = [row["label"] for row in rows]
    series = [{"name": "任务数", "type": "bar", "data": [row["target_households"] for row in rows]}]
    series += [{"name": PROGRESS_STEPS[step], "type": "bar",
                "data": [row["funnel"][step] for row in rows]} for step in CHART_STEPS]
    return {"aria": {"enabled": True}, "tooltip": {"trigger": "axis"},
            "legend": {"top": 0}, "grid": {"left": 50, "right": 20, "bottom": 80},
            "xAxis": {"type": "category", "data": labels, "name": by_label,
                      "axisLabel": {"rotate": 30 if len(labels) > 8 else 0}},
            "yAxis": {"type": "value", "name": "户"}, "series": series}
