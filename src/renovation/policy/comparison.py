"""数据比对规则 — what a registry row must show for the comparison to flag a case.

Seed 003 §四(一) requires the departments to compare house and household data; which facts
disqualify a household is the policy's word, so the thresholds live here, per policy file, with
product defaults from the audit findings (domain research §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category


class ComparisonRules(BaseModel):
    """`vehicle_types`: registered vehicles that show means beyond the programme's households
    (a farm vehicle or a motorcycle does not). `split_window_days`: a household registered as a
    split from another this many days or less before applying is flagged (拆户).
    `members_elsewhere_min`: this many application members registered only in other households
    flag the case (one is common: a spouse whose hukou stayed behind). `lists`: the
    registry that certifies each category; `on_list`: whether a certification or approval of a
    household missing from that list is refused, only flagged, or not checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vehicle_types: frozenset[str] = frozenset({"car", "truck"})
    split_window_days: int = Field(default=365, ge=1, le=3650)
    members_elsewhere_min: int = Field(default=2, ge=1, le=30)
    lists: dict[Category, str] = Field(default_factory=lambda: {
        Category.DIBAO: "dibao", Category.URBAN_DIBAO_RURAL_HUKOU: "dibao",
        Category.TEKUN: "tekun",
        Category.DIBAO_MARGINAL: "dibao_marginal", Category.MONITORING: "monitoring",
        Category.SEVERE_HARDSHIP: "monitoring",
    })
    on_list: Literal["refuse", "flag", "off"] = "flag"
    source: str = ("product defaults after the audit findings; seed 003 §四(一) requires the"
                   " comparison")


@dataclass(frozen=True)
class ListCheck:
    """名单核对 — whether a household is on its category's certifying list on a day, by the
    list's snapshot in force then. Given only where the policy refuses unlisted households."""

    kind: str
    snapshot_as_of: date
    listed: bool


class NotOnCertifyingListError(RuleViolation):
    """The policy refuses a household its certifying department's list does not show."""


def require_listed(check: ListCheck | None, category: Category, day: date, act: str) -> None:
    """Refuse the act when the check found the household missing from its list."""
    if check is None or check.listed:
        return
    raise NotOnCertifyingListError(
        "category.on_certifying_list", "category", category.value,
        f"no member of the household is on the {check.kind} list of {check.snapshot_as_of}"
        f" valid on {day}; the policy refuses {act} of a household its department's list does"
        " not show (seed 003 §四(一) data comparison)")


def supports_certification(day: date, attrs: dict[str, object]) -> bool:
    """A certifying list's row that supports a certification on `day`: valid that day, and for
    特困 a person supported at home (分散供养) — one in an institution (集中供养) is housed."""
    if attrs.get("support_mode") == "concentrated":
        return False
    start, end = attrs.get("valid_from"), attrs.get("valid_until")
    return (not start or date.fromisoformat(str(start)) <= day) and (
        not end or day <= date.fromisoformat(str(end)))
