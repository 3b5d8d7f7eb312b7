"""What officials enter about a house (农房安全动态监测), validated at the door.

One JSON object per act, chosen by `type`. A house is named by the `house_id` the record gave,
or by village, the head's ID number and the house number (the ID number is matched by its keyed
hash, never stored as typed).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from renovation.application.commands.base import PlainText
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import Reference, Sha256Hex
from renovation.kernel.vocabulary import Category, Grade, GradingMethod
from renovation.kernel.vocabulary.monitoring import (
    DisasterKind,
    LedgerGroup,
    PatrolMethod,
    Resolution,
)

HouseNo = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{1,20}$")]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HouseKey(_Input):
    """Which house: its id, or village + head's ID number + house number."""

    house_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")] | None = None
    village: DivisionCode | None = None
    head_id_number: PlainText | None = None
    house_no: HouseNo = "1"

    @model_validator(mode="after")
    def _one_way(self) -> HouseKey:
        by_parts = self.village is not None and self.head_id_number is not None
        if (self.house_id is not None) != by_parts:
            return self
        raise ValueError("name the house by house_id, or by village and head_id_number")


class HeadInput(_Input):
    name: PlainText
    id_number: PlainText


class _Act(_Input):
    occurred_on: date


class RecordHouse(_Act):
    type: Literal["record_house"]
    village: DivisionCode
    house_no: HouseNo = "1"
    head: HeadInput
    ledger: LedgerGroup
    category: Category | None = None
    built_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    seismic_measures: bool | None = None
    sole_dwelling: bool = True


class _OnHouse(_Act):
    house: HouseKey


class ReportUnsafeHouse(_OnHouse):
    type: Literal["report_unsafe_house"]
    suspected_grade: Grade


class PatrolHouse(_OnHouse):
    type: Literal["patrol_house"]
    method: PatrolMethod
    suspected_grade: Grade | None = None
    photos: tuple[Sha256Hex, ...] = Field(default=(), max_length=20)


class FlagHouse(_OnHouse):
    type: Literal["flag_house_by_comparison"]
    suspected_grade: Grade
    source: Reference


class ReportDisasterDamage(_OnHouse):
    type: Literal["report_disaster_damage"]
    disaster: DisasterKind
    suspected_grade: Grade


class AssessHouse(_OnHouse):
    type: Literal["assess_house"]
    grade: Grade
    method: GradingMethod
    report: Sha256Hex | None = None


class ReportToTownship(_OnHouse):
    type: Literal["report_to_township"]


class RecordOccupancy(_OnHouse):
    type: Literal["record_occupancy"]
    elderly_in_unsafe_house: bool
    two_homes: bool


class LinkCase(_OnHouse):
    type: Literal["link_case"]
    case_ref: Reference
    fallback: bool = False


class OrderSelfRepair(_OnHouse):
    type: Literal["order_self_repair"]


class ResolveHouse(_OnHouse):
    type: Literal["resolve_house"]
    resolution: Resolution


HouseAct = Annotated[
    RecordHouse | ReportUnsafeHouse | PatrolHouse | FlagHouse | ReportDisasterDamage
    | AssessHouse | ReportToTownship | RecordOccupancy | LinkCase | OrderSelfRepair
    | ResolveHouse,
    Field(discriminator="type"),
]
HOUSE_ACT_TYPES = ("record_house", "report_unsafe_house", "patrol_house",
                   "flag_house_by_comparison", "report_disaster_damage", "assess_house",
                   "report_to_township", "record_occupancy", "link_case", "order_self_repair",
                   "resolve_house")
ACTION_OF: dict[str, str] = {
    **dict.fromkeys(HOUSE_ACT_TYPES, "monitor_houses"),
    "assess_house": "assess_house", "report_to_township": "report_house_to_township",
    "link_case": "link_house_case",
}
