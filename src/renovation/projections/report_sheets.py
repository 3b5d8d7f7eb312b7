"""Each report as worksheets: the columns officials read (Chinese headers), names beside codes,
numbers as numbers, dates as dates. Shared by `renovation report … --xlsx` and the pages'
Excel downloads, so both give the same workbook."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from renovation.kernel.vocabulary import (
    OVERDUE_KINDS,
    PROGRESS_STEPS,
    Category,
    NoticeLevel,
    RenovationMode,
)
from renovation.projections.workbook import Sheet


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def progress_sheets(answer: Mapping[str, Any], names: Mapping[str, str]) -> Iterator[Sheet]:
    rows = [{"code": row["code"], "name": row["name"] or names.get(row["code"]),
             "target": row["target_households"], **row["funnel"],
             "withdrawn": row["stages"]["withdrawn"], "rejected": row["stages"]["rejected"],
             "behind": "、".join(row.get("behind") or []) or "正常"} for row in answer["rows"]]
    columns = [("code", "区划代码"), ("name", "名称"), ("target", "任务数"),
               *PROGRESS_STEPS.items(), ("withdrawn", "撤回"), ("rejected", "未通过"),
               ("behind", "进度")]
    yield "改造进度", columns, rows


def funds_sheets(answer: Mapping[str, Any], names: Mapping[str, str]) -> Iterator[Sheet]:
    """Per programme, a sheet of its counties' money by source, and one of its townships' when
    the answer has them (`by="township"`)."""
    columns = [("code", "区划代码"), ("name", "名称"), ("source", "资金来源"),
               ("planned_yuan", "计划（元）"), ("approved_yuan", "核定（元）"),
               ("requested_yuan", "申请拨付（元）"), ("paid_yuan", "已拨付（元）"),
               ("outstanding_yuan", "未拨付（元）")]
    for item in answer["programmes"]:
        for units, suffix in ((item["counties"], "各县"), (item.get("townships"), "各乡镇")):
            if units is None:
                continue
            rows = [{"code": unit["code"], **line,
                     "name": unit.get("name") or names.get(unit["code"]),
                     "source": line["label"] or line["source"]}
                    for unit in units for line in unit["sources"]]
            yield f"{item['programme']} {suffix}", columns, rows


def construction_sheets(answer: Mapping[str, Any]) -> Iterator[Sheet]:
    columns = [("month", "月份"), ("start", "开工"), ("start_total", "累计开工"),
               ("complete", "竣工"), ("complete_total", "累计竣工"), ("accept", "验收"),
               ("accept_total", "累计验收")]
    for item in answer["programmes"]:
        yield f"{item['programme']} 施工进度", columns, item["months"]


def overdue_sheets(answer: Mapping[str, Any]) -> Iterator[Sheet]:
    rows = [{**item, "kind": OVERDUE_KINDS.get(item["kind"], item["kind"]),
             "due_on": _day(item["due_on"])} for item in answer["items"]]
    columns = [("kind", "逾期事项"), ("case_ref", "案件编号"), ("ref", "单号"),
               ("county", "县（市、区）"), ("village", "行政村"), ("due_on", "应完成日期"),
               ("days_overdue", "逾期天数")]
    yield "逾期事项", columns, rows


def notices_sheets(answer: Mapping[str, Any]) -> Iterator[Sheet]:
    rows = [{**n, "level": NoticeLevel(n["level"]).label,
             "category": Category(n["category"]).label, "mode": RenovationMode(n["mode"]).label,
             "posted_on": _day(n["posted_on"]), "due_on": _day(n["due_on"])}
            for n in answer["notices"]]
    columns = [("level", "公示级别"), ("notice_no", "公示编号"), ("case_ref", "案件编号"),
               ("village", "行政村"), ("head_name", "户主"), ("head_id", "身份证号码（脱敏）"),
               ("household_size", "家庭人口"), ("category", "对象类别"), ("mode", "改造方式"),
               ("subsidy_yuan", "补助金额（元）"), ("posted_on", "公示日期"),
               ("due_on", "公示期满")]
    yield "公示", columns, rows
