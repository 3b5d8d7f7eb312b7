"""绩效评价指标 — one figure of the yearly performance evaluation, and what computes figures.

A figure has an id, a Chinese and English label, a definition (numerator, denominator, which
events count) in both languages, its value and, where the plan or the policy sets one, a target
with the day it falls due. `met` is None when there is no target, when the target is not due yet
on the as-of date, or when there is nothing to measure (a ratio over zero cases, a county
without plan households, no case accepted yet).

A provider computes figures for one programme, optionally one county of it, as of a business
date: `Provider = Callable[[ViewsDatabase, EvaluatedProgramme, str | None, date], list[Figure]]`.
`evaluation.PROVIDERS` lists them; a module adds its figures by appending one provider there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, and_, case, func, or_

from renovation.policy import Policy
from renovation.projections.database import ViewsDatabase

Value = int | Decimal | None
Rule = Literal["at_least", "at_most"]
PLACES = Decimal("0.0001")

GROUPS: dict[str, tuple[str, str]] = {
    "targets": ("任务完成", "targets met"),
    "calendar": ("时间节点", "on the policy calendar"),
    "funds": ("资金拨付", "money approved and paid"),
    "spotcheck": ("市级抽查", "the city's spot check"),
    "findings": ("问题线索", "irregularity findings"),
    "ledger": ("台账动态清零", "housing-safety ledgers zeroed"),
    "tipoffs": ("举报投诉", "tip-offs handled"),
}
"""Known groups, in report order; a provider may name another (shown by its id)."""

UNITS: dict[str, str] = {
    "households": "户", "yuan": "元", "requests": "笔", "findings": "条", "counties": "个",
    "ratio": "",
}


@dataclass(frozen=True)
class EvaluatedProgramme:
    """The programme evaluated, as the programmes read model holds it, with its policy."""

    name: str
    title: str
    jurisdiction: str
    year: int
    policy: Policy


@dataclass(frozen=True)
class Figure:
    """One evaluated figure (绩效指标); `value`, `target` in whole yuan, households or a ratio."""

    id: str
    group: str
    label_zh: str
    label_en: str
    definition_zh: str
    definition_en: str
    unit: str
    value: Value
    target: Value = None
    rule: Rule | None = None
    due: date | None = None
    met: bool | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types: ratios as decimal strings, dates in ISO form."""
        return {
            "id": self.id, "group": self.group, "label_zh": self.label_zh,
            "label_en": self.label_en, "definition_zh": self.definition_zh,
            "definition_en": self.definition_en, "unit": self.unit,
            "value": _plain(self.value), "target": _plain(self.target), "rule": self.rule,
            "due": self.due.isoformat() if self.due else None, "met": self.met,
            "note": self.note,
        }


Provider = Callable[[ViewsDatabase, EvaluatedProgramme, str | None, date], list[Figure]]
"""(read models, programme, county code or None for the whole programme, as-of date) → figures."""


def figure(
    key: str, group: str, labels: tuple[str, str], definitions: tuple[str, str], unit: str,
    value: Value, as_of: date, target: Value = None, rule: Rule = "at_least",
    due: date | None = None, note: str | None = None,
) -> Figure:
    """A figure, judged against its target on `as_of` (not judged before `due`)."""
    judged = target is not None and value is not None and (due is None or as_of >= due)
    met = None
    if judged:
        assert value is not None and target is not None
        met = value >= target if rule == "at_least" else value <= target
    return Figure(key, group, *labels, *definitions, unit, value, target,
                  rule if target is not None else None, due, met, note)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator to four places, rounded down so it never overstates; None over
    zero. Against a target of at most four places, the rounded value is met exactly when the
    exact one is."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(PLACES, rounding=ROUND_FLOOR)


def by(column: Any, day: date) -> ColumnElement[bool]:
    """The act happened, on or before `day`."""
    return and_(column.is_not(None), column <= day)


def live(cases: Table, as_of: date) -> ColumnElement[bool]:
    """Applied by `as_of` and not withdrawn or rejected by then."""
    c = cases.c
    return and_(c.applied_on <= as_of, or_(c.ended_on.is_(None), c.ended_on > as_of))


def count_if(condition: ColumnElement[bool]) -> Any:
    """How many rows meet `condition` (0 over none), portable across SQLite and PostgreSQL."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def sum_if(condition: ColumnElement[bool], amount: Any) -> Any:
    return func.coalesce(func.sum(case((condition, amount), else_=0)), 0)


def in_scope(table: Table, programme: str, county: str | None) -> list[ColumnElement[bool]]:
    """Rows of the programme, and of the county when one is named."""
    return [table.c.programme == programme, *([table.c.county == county] if county else [])]


def _plain(value: Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value
