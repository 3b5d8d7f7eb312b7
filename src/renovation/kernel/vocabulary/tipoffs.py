"""举报投诉 — the closed sets of values of a tip-off, each with its Chinese term.

Kept apart from `enums` so the tip-off capability owns its words; the members behave like the
shared vocabulary (`LabelledEnum`: a stable English value, a Chinese `label`).
"""

from __future__ import annotations

from renovation.kernel.vocabulary.enums import LabelledEnum


class _Labelled(LabelledEnum):
    """A `LabelledEnum` whose labels live in this module's `_LABELS`."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value)


class TipOffChannel(_Labelled):
    """受理渠道 — how the tip-off reached the programme."""

    PUBLIC_PAGE = "public_page"
    HOTLINE = "hotline"
    OBJECTION = "objection"


class TipOffSubject(_Labelled):
    """举报事项 — what the complainant says went wrong."""

    ELIGIBILITY_FRAUD = "eligibility_fraud"
    SUBSIDY_WITHHELD = "subsidy_withheld"
    POOR_QUALITY = "poor_quality"
    FAVOURING_RELATIVES = "favouring_relatives"
    OTHER = "other"


class TipOffStatus(_Labelled):
    """办理状态 — where the tip-off stands."""

    LODGED = "lodged"
    HANDED_OVER = "handed_over"
    INVESTIGATING = "investigating"
    CONCLUDED = "concluded"


class TipOffOutcome(_Labelled):
    """办理结果 — what the investigation found."""

    SUBSTANTIATED = "substantiated"
    PARTLY = "partly"
    UNSUBSTANTIATED = "unsubstantiated"

    @property
    def substantiates(self) -> bool:
        return self is not TipOffOutcome.UNSUBSTANTIATED


_LABELS: dict[LabelledEnum, str] = {
    TipOffChannel.PUBLIC_PAGE: "网上举报（公示页面）",
    TipOffChannel.HOTLINE: "电话举报（代为登记）",
    TipOffChannel.OBJECTION: "公示异议转举报",
    TipOffSubject.ELIGIBILITY_FRAUD: "虚报冒领、不符合条件纳入",
    TipOffSubject.SUBSIDY_WITHHELD: "截留、克扣、挪用补助资金",
    TipOffSubject.POOR_QUALITY: "工程质量问题",
    TipOffSubject.FAVOURING_RELATIVES: "优亲厚友",
    TipOffSubject.OTHER: "其他违法违规问题",
    TipOffStatus.LODGED: "已受理，待移交",
    TipOffStatus.HANDED_OVER: "已移交",
    TipOffStatus.INVESTIGATING: "查处中",
    TipOffStatus.CONCLUDED: "已办结",
    TipOffOutcome.SUBSTANTIATED: "属实",
    TipOffOutcome.PARTLY: "部分属实",
    TipOffOutcome.UNSUBSTANTIATED: "不属实",
}

TIPOFF_RULE_MESSAGES: dict[str, str] = {
    "tipoff.exists": "没有此举报",
    "tipoff.jurisdiction_within_county": "请填写县（市、区）或以下的区划代码",
    "tipoff.case_in_jurisdiction": "所涉案件不在所举报的区域内",
    "tipoff.not_in_future": "日期不能晚于今天",
    "tipoff.after_previous_act": "日期不能早于上一办理环节",
    "tipoff.handed_over_once": "已移交；如需改由他人办理，请改派",
    "tipoff.handed_over_first": "尚未移交，不能进行此操作",
    "tipoff.open": "已办结，不能再办理",
    "tipoff.reassign_changes": "已由此人承办",
    "tipoff.investigation_started_once": "已开始查处",
    "tipoff.by_assignee": "只有承办人或上级纪检监察人员可以办理",
    "tipoff.handler_not_involved": "承办人经办过所涉案件，应当回避",
    "tipoff.assignee_may_handle": "被指派人无权办理该区域的举报",
    "tipoff.findings_need_substantiation": "结果为不属实时不能确认线索",
    "tipoff.objection_escalated_once": "该公示异议已转为举报",
    "tipoff.objection_exists": "没有此公示异议",
    "tipoff.channel_actor": "受理渠道与登记人不符",
}
"""Chinese words for the refusals of tip-offs, for pages (the CLI and API give the rule)."""
