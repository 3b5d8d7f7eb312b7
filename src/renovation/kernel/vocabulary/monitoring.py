"""The words of 农房安全动态监测 — dynamic housing-safety monitoring (seed 003 §四(一)).

Houses come to the village's attention in four ways (农户主动申报, 日常巡查, 定期比对筛查, 灾后上报)
and leave its ledgers (台账) by one of the resolutions below (销号).
"""

from __future__ import annotations

from renovation.kernel.vocabulary.enums import _LABELS, LabelledEnum


class LedgerGroup(LabelledEnum):
    """Which of the village's two ledgers a household is kept on (seed 000 §三(一))."""

    KEY = "key"  # 农村低收入群体等重点对象
    ORDINARY = "ordinary"  # 一般农户


class Discovery(LabelledEnum):
    """How a suspected unsafe house was found."""

    SELF_REPORT = "self_report"
    PATROL = "patrol"
    DATA_COMPARISON = "data_comparison"
    DISASTER = "disaster"
    ASSESSMENT = "assessment"


class PatrolMethod(LabelledEnum):
    """巡查方式."""

    VISUAL = "visual"
    MEASURED = "measured"
    INTERVIEW = "interview"


class DisasterKind(LabelledEnum):
    """灾种 — the disasters seed 000 and seed 003 name."""

    RAINSTORM = "rainstorm"
    SNOW_ICE = "snow_ice"
    DEBRIS_FLOW = "debris_flow"
    LANDSLIDE = "landslide"
    EARTHQUAKE = "earthquake"
    FLOOD = "flood"
    FIRE = "fire"
    WIND = "wind"


class Resolution(LabelledEnum):
    """销号 — how a ledger entry was resolved."""

    RENOVATED = "renovated"  # the linked renovation case was accepted
    MOVED_TO_SAFE_HOUSE = "moved_to_safe_house"
    OLD_HOUSE_DEMOLISHED = "old_house_demolished"
    SELF_REPAIRED = "self_repaired"
    GRADED_SAFE = "graded_safe"


_LABELS.update({
    LedgerGroup.KEY: "重点对象台账",
    LedgerGroup.ORDINARY: "一般农户台账",
    Discovery.SELF_REPORT: "农户主动申报",
    Discovery.PATROL: "日常巡查",
    Discovery.DATA_COMPARISON: "定期比对筛查",
    Discovery.DISASTER: "灾害新增",
    Discovery.ASSESSMENT: "复核鉴定",
    PatrolMethod.VISUAL: "目测",
    PatrolMethod.MEASURED: "仪器测量",
    PatrolMethod.INTERVIEW: "入户询问",
    DisasterKind.RAINSTORM: "暴雨",
    DisasterKind.SNOW_ICE: "冰雪",
    DisasterKind.DEBRIS_FLOW: "泥石流",
    DisasterKind.LANDSLIDE: "山体滑坡",
    DisasterKind.EARTHQUAKE: "地震",
    DisasterKind.FLOOD: "洪水",
    DisasterKind.FIRE: "火灾",
    DisasterKind.WIND: "风灾",
    Resolution.RENOVATED: "改造验收",
    Resolution.MOVED_TO_SAFE_HOUSE: "搬入安全住房",
    Resolution.OLD_HOUSE_DEMOLISHED: "旧房拆除",
    Resolution.SELF_REPAIRED: "自行排险",
    Resolution.GRADED_SAFE: "鉴定安全",
})
