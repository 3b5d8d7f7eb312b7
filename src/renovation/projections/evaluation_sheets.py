"""年度绩效评价 as worksheets: a cover (programme, scope, as-of date, the policy's rules), the
overall table, the figures of the scope with their definitions, then one sheet per county.

Shared by `renovation report evaluation --xlsx` and the page's Excel download; written with
`workbook.write_report_workbook`, so numbers stay numbers (ratios as decimals) and dates dates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from renovation.projections.queries.figures import GROUPS, UNITS
from renovation.projections.workbook import Sheet

COUNTING_RULE = "只计业务日期在截至日期当日及之前的事件；各指标口径见“口径”列。"
FIGURE_COLUMNS = [
    ("group", "类别"), ("id", "指标代码"), ("label_zh", "指标"), ("label_en", "Figure"),
    ("value", "数值"), ("unit", "单位"), ("target", "目标"), ("met", "是否达标"),
    ("due", "考核起始日"), ("definition_zh", "口径"), ("definition_en", "Definition"),
    ("note", "说明"), ("as_of", "截至日期"),
]


def met_word(figure: Mapping[str, Any]) -> str:
    """达标 / 未达标, or why it is not judged: no target, or not due yet."""
    if figure["met"] is not None:
        return "达标" if figure["met"] else "未达标"
    if figure["target"] is None:
        return "—"
    return "未到期" if figure["due"] else "无数据"


def number(value: Any, unit: str) -> Any:
    """A figure's value for a cell: ratios as decimals, counts and yuan as integers."""
    if value is None:
        return None
    return Decimal(value) if unit == "ratio" else value


def evaluation_sheets(answer: Mapping[str, Any]) -> Iterator[Sheet]:
    as_of = date.fromisoformat(answer["as_of"])
    yield "说明", [("item", "项目"), ("value", "内容")], _cover(answer)
    yield "总表", _overall_columns(answer), _overall_rows(answer, as_of)
    scope = answer["county_name"] or answer["county"] or "合计"
    yield f"指标 {scope}", FIGURE_COLUMNS, _figure_rows(answer["figures"], as_of)
    for county in answer["counties"]:
        title = f"{county['name'] or ''} {county['code'][:6]}".strip()
        yield title, FIGURE_COLUMNS, _figure_rows(county["figures"], as_of)


def _cover(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    p, rules = answer["programme"], answer["rules"]
    scope = (f"{answer['county_name'] or ''}（{answer['county']}）" if answer["county"]
             else f"全部县（市、区）（{p['jurisdiction']}）")
    return [
        {"item": "年度计划", "value": f"{p['title']}（{p['programme']}）"},
        {"item": "评价范围", "value": scope},
        {"item": "截至日期", "value": date.fromisoformat(answer["as_of"])},
        {"item": "计入规则", "value": COUNTING_RULE},
        {"item": "政策", "value": p["policy"]},
        {"item": "时间节点", "value": f"{rules['start_by']} 前开工，{rules['complete_by']} 前竣工，"
                                      f"{rules['accept_by']} 前验收"},
        {"item": "拨付规则", "value": f"每月 {rules['submit_by_day']} 日前提交，当月"
                                      f" {rules['pay_by_day']} 日前拨付；验收后"
                                      f" {rules['max_days_after_acceptance']} 天内全额拨付"},
        {"item": "市级抽查比例", "value": f"不低于 {rules['city_spot_check_min_ratio']}（按县）"},
    ]


def _overall_columns(answer: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [("code", "区划代码"), ("name", "名称"),
            *((c["id"], c["label_zh"]) for c in answer["overall"]["columns"]),
            ("figures_met", "达标指标数"), ("figures_judged", "考核指标数"), ("as_of", "截至日期")]


def _overall_rows(answer: Mapping[str, Any], as_of: date) -> list[dict[str, Any]]:
    units = {f["id"]: f["unit"] for f in answer["figures"]}
    return [{**row, **{key: number(value, units.get(key, "")) for key, value
                       in row["values"].items()}, "as_of": as_of}
            for row in answer["overall"]["rows"]]


def _figure_rows(figures: list[Mapping[str, Any]], as_of: date) -> list[dict[str, Any]]:
    return [{**f, "group": GROUPS.get(f["group"], (f["group"],))[0],
             "value": number(f["value"], f["unit"]), "target": number(f["target"], f["unit"]),
             "unit": UNITS.get(f["unit"], f["unit"]) or "比例", "met": met_word(f),
             "due": date.fromisoformat(f["due"]) if f["due"] else None, "as_of": as_of}
            for f in figures]
