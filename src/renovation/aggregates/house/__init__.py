"""HouseRecord — 农房安全动态监测 (see `record`)."""

from renovation.aggregates.house.events import (
    UNSAFE,
    DisasterDamageReported,
    HouseAssessed,
    HouseEvent,
    HouseFlaggedByComparison,
    HousePatrolled,
    HouseRecorded,
    HouseResolved,
    HouseRuleError,
    OccupancyRecorded,
    RenovationCaseLinked,
    SelfRepairOrdered,
    UnsafeHouseReportedToTownship,
    UnsafeHouseSelfReported,
    house_id,
)
from renovation.aggregates.house.record import HouseRecord

__all__ = [
    "UNSAFE", "DisasterDamageReported", "HouseAssessed", "HouseEvent", "HouseFlaggedByComparison",
    "HousePatrolled", "HouseRecord", "HouseRecorded", "HouseResolved", "HouseRuleError",
    "OccupancyRecorded", "RenovationCaseLinked", "SelfRepairOrdered",
    "UnsafeHouseReportedToTownship", "UnsafeHouseSelfReported", "house_id",
]
