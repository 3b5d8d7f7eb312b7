"""The recorded acts' names in Chinese, with the archive section (一户一档) each belongs to, as
on the national forms."""

from __future__ import annotations

# event class name → (archive section, the act)
SECTIONS: dict[str, tuple[str, str]] = {
    "ApplicationSubmitted": ("申请", "农户申请"),
    "CategoryCertified": ("身份认定", "对象身份认定"),
    "HouseGraded": ("房屋危险性鉴定", "危房等级评定"),
    "NoHouseStatusRecorded": ("房屋危险性鉴定", "无房户认定"),
    "DemocraticReviewHeld": ("民主评议", "村民（代表）会议评议"),
    "PublicNoticePosted": ("公示", "张贴公示"),
    "PublicNoticeClosed": ("公示", "公示期满"),
    "TownshipReviewed": ("乡镇审核", "乡镇审核"),
    "MeansAssessed": ("乡镇审核", "自筹能力评估"),
    "CountyApprovalGranted": ("县级审批", "县级审批（核定补助）"),
    "CaseRejected": ("审核审批", "不予通过"),
    "CaseWithdrawn": ("申请", "农户撤回申请"),
    "AgreementSigned": ("改造协议", "签订改造协议"),
    "ConstructionStarted": ("施工", "开工"),
    "ConstructionProgressReported": ("施工", "施工巡查"),
    "ConstructionCompleted": ("施工", "竣工"),
    "CountyAcceptanceRecorded": ("竣工验收", "县级竣工验收"),
    "CitySpotCheckRecorded": ("竣工验收", "市级抽查"),
    "ProvincialAcceptanceRecorded": ("竣工验收", "省级核验"),
    "OldHouseDemolished": ("施工", "拆除旧危房"),
    "PaymentRequested": ("资金拨付凭证", "拨付申请"),
    "PaymentDisbursed": ("资金拨付凭证", "资金拨付"),
    "CaseClosed": ("销档", "销档"),
    "DataCorrected": ("数据更正", "数据更正"),
}

# The order of sections in a printed archive.
SECTION_ORDER = ("申请", "身份认定", "房屋危险性鉴定", "民主评议", "公示", "乡镇审核", "县级审批",
                 "审核审批", "改造协议", "施工", "竣工验收", "资金拨付凭证", "数据更正", "销档")


def section_of(event_name: str) -> tuple[str, str]:
    return SECTIONS.get(event_name, ("其他", event_name))
