"""案件清单 — the case list as an Excel workbook, with the column headers officials use.

Rows are streamed into a write-only workbook, so a city's list never sits in memory whole.
Personal data appears only in the masked forms the read model holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    LabelledEnum,
    RenovationMode,
    Stage,
)

HEADERS: dict[str, str] = {
    "case_ref": "案件编号", "programme": "项目", "province": "省", "city": "市",
    "county": "县（市、区）", "township": "乡镇", "village": "行政村", "stage": "当前环节",
    "category": "对象类别", "department": "认定部门", "certified": "身份已认定", "mode": "改造方式",
    "grade": "危险等级", "head_name": "户主姓名", "head_id": "户主身份证号码（脱敏）",
    "phone": "联系电话（脱敏）", "account": "一卡通账号（脱敏）", "household_size": "家庭人口",
    "subsidy_yuan": "核定补助（元）", "paid_yuan": "已拨付（元）", "applied_on": "申请日期",
    "township_approved_on": "乡镇审核日期", "approved_on": "县级审批日期",
    "agreement_on": "协议签订日期", "started_on": "开工日期", "completed_on": "竣工日期",
    "accepted_on": "验收日期", "paid_on": "拨付日期", "closed_on": "结案日期",
    "ended_on": "终止日期", "agreement_deadline": "协议完工期限", "version": "事件版本",
}
"""Column key of the case read model → header as printed on the county's 农户档案 lists."""

_LABELLED: dict[str, type[LabelledEnum]] = {
    "stage": Stage, "category": Category, "department": Department, "grade": Grade,
    "mode": RenovationMode,
}
_WIDTHS = {"case_ref": 24, "head_id": 22, "stage": 14, "account": 20}


def write_case_workbook(rows: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write the cases to `path` (.xlsx), one row each under Chinese headers; return the count."""
    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet("案件清单")
    for index, key in enumerate(HEADERS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _WIDTHS.get(key, 14)
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=label) for label in HEADERS.values()]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_shown(key, row.get(key)) for key in HEADERS])
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return count


def _shown(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _LABELLED:
        return _LABELLED[key](value).label
    if key == "certified":
        return "是" if value else "否"
    return value



Sheet = tuple[str, list[tuple[str, str]], Iterable[Mapping[str, Any]]]
"""(title, [(key, header)], rows) of one worksheet of a report."""


def write_report_workbook(sheets: Iterable[Sheet], path: Path) -> int:
    """A report as a workbook: one sheet per table, Chinese headers, numbers as numbers and
    dates as dates (the rows carry them so); returns the rows written."""
    book = Workbook(write_only=True)
    bold, count = Font(bold=True), 0
    for title, columns, rows in sheets:
        sheet: WriteOnlyWorksheet = book.create_sheet(title[:31])
        for index in range(len(columns)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 16
        header = [WriteOnlyCell(sheet, value=label) for _, label in columns]
        for cell in header:
            cell.font = bold
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(key) for key, _ in columns])
            count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return count
