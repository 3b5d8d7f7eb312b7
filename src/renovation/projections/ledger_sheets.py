"""The ledger as an Excel workbook: one sheet of entries, one of houses needing attention."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from renovation.kernel.vocabulary.monitoring import Discovery, LedgerGroup, Resolution
from renovation.projections.workbook import Sheet

NEEDS = {"patrol_missing": "本月未巡查", "reassessment_due": "应年度复核鉴定",
         "elderly_occupancy": "老人住危房/两头住", "recheck_due": "改造后应复查"}
STATUS = {"open": "待整改", "rectifying": "整改中", "resolved": "已销号"}
ENTRY_COLUMNS = [
    ("village", "村"), ("house_no", "房屋编号"), ("head", "户主"), ("ledger", "台账"),
    ("found_on", "发现日期"), ("found_by", "发现途径"), ("suspected_grade", "疑似等级"),
    ("grade", "鉴定等级"), ("report_due", "报送期限"), ("reported_on", "报送日期"),
    ("overdue", "逾期未报"), ("status", "状态"), ("case_ref", "改造案卷"),
    ("resolution", "销号方式"), ("resolved_on", "销号日期"),
]
HOUSE_COLUMNS = [("village", "村"), ("house_no", "房屋编号"), ("head", "户主"),
                 ("ledger", "台账"), ("needs", "待办")]


def ledger_sheets(answer: Mapping[str, Any]) -> list[Sheet]:
    return [("台账", ENTRY_COLUMNS, _entries(answer["entries"])),
            ("待办", HOUSE_COLUMNS, _houses(answer["attention"]))]


def _entries(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for e in rows:
        yield {**e, "ledger": LedgerGroup(e["ledger"]).label,
               "found_by": Discovery(e["found_by"]).label,
               "found_on": _day(e["found_on"]), "report_due": _day(e["report_due"]),
               "reported_on": _day(e["reported_on"]), "resolved_on": _day(e["resolved_on"]),
               "overdue": "是" if e["overdue"] else "", "status": STATUS[e["status"]],
               "resolution": Resolution(e["resolution"]).label if e["resolution"] else None}


def _houses(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for h in rows:
        yield {**h, "ledger": LedgerGroup(h["ledger"]).label,
               "needs": "、".join(NEEDS[n] for n in h["needs"])}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
