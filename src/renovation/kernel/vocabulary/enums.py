"""The closed sets of values the plans name, each member with its Chinese term (`label`).

Values are stable English identifiers (they appear in stored events and in the import format);
`label` gives the term an official would read.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members have a Chinese label (see `_LABELS`)."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value)


class Category(LabelledEnum):
    """农村低收入群体等重点对象 — the six priority categories (seed 003 §二, seed 004 §三(一))."""

    MONITORING = "monitoring"
    DIBAO = "dibao"
    TEKUN = "tekun"
    SEVERE_HARDSHIP = "severe_hardship"
    DIBAO_MARGINAL = "dibao_marginal"
    OTHER_LIFTED = "other_lifted"
    URBAN_DIBAO_RURAL_HUKOU = "urban_dibao_rural_hukou"
    """享受城市低保的农村户籍人口: counted as 农村低保户 only where the policy says so (seed 004
    §三(一) 视为农村低保户); elsewhere it is no category of the programme."""


class Department(LabelledEnum):
    """认定部门 — the department that certifies a household's category."""

    CIVIL_AFFAIRS = "civil_affairs"
    RURAL_REVITALIZATION = "rural_revitalization"


class Grade(LabelledEnum):
    """危险等级 — house danger grade."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class GradingMethod(LabelledEnum):
    """鉴定方法 — overall danger (整体危险程度) or seismic fitness (防灾措施/抗震性能)."""

    OVERALL_DANGER = "overall_danger"
    SEISMIC = "seismic"


class HouseStructure(LabelledEnum):
    """房屋结构."""

    EARTH = "earth"
    WOOD = "wood"
    BRICK_WOOD = "brick_wood"
    MASONRY = "masonry"
    REINFORCED_CONCRETE = "reinforced_concrete"
    STEEL = "steel"
    CAVE = "cave"
    OTHER = "other"


class RenovationMode(LabelledEnum):
    """改造方式 (seed 003 §三(一))."""

    REBUILD_IN_PLACE = "rebuild_in_place"
    RELOCATE = "relocate"
    REINFORCE = "reinforce"
    SWAP = "swap"
    TURNOVER_HOUSING = "turnover_housing"
    PUBLIC_RENTAL = "public_rental"

    @property
    def builds_new_house(self) -> bool:
        return self in (RenovationMode.REBUILD_IN_PLACE, RenovationMode.RELOCATE)

    @property
    def requires_demolition(self) -> bool:
        """建新拆旧 — a new house replaces the old one, which must come down (seed 004 §四(七))."""
        return self.builds_new_house


class ConstructionMode(LabelledEnum):
    """建设方式: self-build, or unified/commissioned building with a third-party payee."""

    SELF_BUILD = "self_build"
    UNIFIED_BUILD = "unified_build"
    COMMISSIONED_BUILD = "commissioned_build"

    @property
    def has_third_party_payee(self) -> bool:
        return self is not ConstructionMode.SELF_BUILD


class ApplicationChannel(LabelledEnum):
    """Who filed the application: the household, or the village committee on its behalf."""

    HOUSEHOLD = "household"
    VILLAGE_COMMITTEE_ON_BEHALF = "village_committee_on_behalf"


class MeetingType(LabelledEnum):
    """民主评议 meeting type (村民委员会组织法 Art. 21-26)."""

    VILLAGERS_MEETING = "villagers_meeting"
    REPRESENTATIVES_MEETING = "representatives_meeting"


class NoticeLevel(LabelledEnum):
    """公示 level: 村、镇、县三级公示 (seed 004 §二(二))."""

    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"


class ObjectionGround(LabelledEnum):
    """异议事由 — what a member of the public says is wrong with a household on a notice."""

    NOT_DILAPIDATED = "not_dilapidated"
    NOT_ELIGIBLE = "not_eligible"
    HAS_OTHER_HOUSING = "has_other_housing"
    ALREADY_SUPPORTED = "already_supported"
    CONNECTED_TO_OFFICIAL = "connected_to_official"
    WRONG_FACTS = "wrong_facts"
    OTHER = "other"


class ReviewDecision(LabelledEnum):
    """乡镇审核 outcome short of rejection (rejection is its own event)."""

    APPROVED = "approved"
    RETURNED = "returned"


class PaymentChannel(LabelledEnum):
    """一卡（折）通 to the household, or the builder's account under a unified/代建 agreement."""

    ONE_CARD = "one_card"
    BUILDER_ACCOUNT = "builder_account"


class Tranche(LabelledEnum):
    """Payment tranche: an advance after construction starts, or the final payment."""

    ADVANCE = "advance"
    FINAL = "final"


class SafetyRating(LabelledEnum):
    """住房安全性评定 at acceptance; only A or B passes."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class PriorSupportKind(LabelledEnum):
    """Earlier rural-housing support a household may have received."""

    DILAPIDATED_RENOVATION = "dilapidated_renovation"
    POVERTY_RELOCATION = "poverty_relocation"
    DISASTER_RECONSTRUCTION = "disaster_reconstruction"
    SEISMIC_RETROFIT = "seismic_retrofit"


class ReentryReason(LabelledEnum):
    """Why a previously supported house may be supported again (seed 004 §三(一), seed 003 §二)."""

    SMALL_NATURAL_DISASTER = "small_natural_disaster"
    LIFE_CYCLE_EXPIRED = "life_cycle_expired"


class SelfFunding(LabelledEnum):
    """自筹能力 — the household's own means to pay for its renovation, assessed by the township
    at a home visit (自筹能力评估). Seed 004 §三(三): 对无自筹能力的特殊困难农户…全额补助
    实行兜底."""

    NONE = "none"
    WEAK = "weak"
    ORDINARY = "ordinary"


class Role(LabelledEnum):
    """Who may do what: each role acts within its own administrative level."""

    VILLAGE_CLERK = "village_clerk"
    CIVIL_AFFAIRS_OFFICER = "civil_affairs_officer"
    RURAL_REVITALIZATION_OFFICER = "rural_revitalization_officer"
    ASSESSOR = "assessor"
    TOWNSHIP_OFFICER = "township_officer"
    COUNTY_OFFICER = "county_officer"
    COUNTY_INSPECTOR = "county_inspector"
    CITY_INSPECTOR = "city_inspector"
    PROVINCIAL_INSPECTOR = "provincial_inspector"
    FINANCE_OFFICER = "finance_officer"
    DISCIPLINE_INSPECTOR = "discipline_inspector"
    PROGRAMME_MANAGER = "programme_manager"
    INTEGRATOR = "integrator"
    ADMINISTRATOR = "administrator"


class Stage(LabelledEnum):
    """Where a case stands in the procedure."""

    APPLIED = "applied"
    RETURNED = "returned"
    TOWNSHIP_APPROVED = "township_approved"
    COUNTY_APPROVED = "county_approved"
    AGREEMENT_SIGNED = "agreement_signed"
    UNDER_CONSTRUCTION = "under_construction"
    CONSTRUCTION_COMPLETED = "construction_completed"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.CLOSED, Stage.WITHDRAWN, Stage.REJECTED)


_LABELS: dict[StrEnum, str] = {
    Category.MONITORING: "易返贫致贫户（防止返贫监测对象）",
    Category.DIBAO: "农村低保户",
    Category.TEKUN: "农村分散供养特困人员",
    Category.SEVERE_HARDSHIP: "突发严重困难户",
    Category.DIBAO_MARGINAL: "农村低保边缘家庭",
    Category.OTHER_LIFTED: "其他脱贫户",
    Category.URBAN_DIBAO_RURAL_HUKOU: "享受城市低保的农村户籍人口",
    Department.CIVIL_AFFAIRS: "民政部门",
    Department.RURAL_REVITALIZATION: "乡村振兴部门",
    GradingMethod.OVERALL_DANGER: "房屋整体危险程度鉴定",
    GradingMethod.SEISMIC: "抗震性能鉴定",
    HouseStructure.EARTH: "土木/生土",
    HouseStructure.WOOD: "木结构",
    HouseStructure.BRICK_WOOD: "砖木",
    HouseStructure.MASONRY: "砖混",
    HouseStructure.REINFORCED_CONCRETE: "钢筋混凝土",
    HouseStructure.STEEL: "钢结构",
    HouseStructure.CAVE: "窑洞",
    HouseStructure.OTHER: "其他",
    RenovationMode.REBUILD_IN_PLACE: "原址翻建",
    RenovationMode.RELOCATE: "异地迁建",
    RenovationMode.REINFORCE: "加固改造",
    RenovationMode.SWAP: "房屋置换",
    RenovationMode.TURNOVER_HOUSING: "周转安置",
    RenovationMode.PUBLIC_RENTAL: "公共租赁",
    ConstructionMode.SELF_BUILD: "自建",
    ConstructionMode.UNIFIED_BUILD: "统建",
    ConstructionMode.COMMISSIONED_BUILD: "代建",
    ApplicationChannel.HOUSEHOLD: "农户自愿申请",
    ApplicationChannel.VILLAGE_COMMITTEE_ON_BEHALF: "村委会代为申请",
    MeetingType.VILLAGERS_MEETING: "村民会议",
    MeetingType.REPRESENTATIVES_MEETING: "村民代表会议",
    NoticeLevel.VILLAGE: "村级公示",
    NoticeLevel.TOWNSHIP: "乡镇公示",
    NoticeLevel.COUNTY: "县级公示",
    ObjectionGround.NOT_DILAPIDATED: "住房并非危房",
    ObjectionGround.NOT_ELIGIBLE: "不属于保障对象（收入、身份等不符）",
    ObjectionGround.HAS_OTHER_HOUSING: "另有安全住房",
    ObjectionGround.ALREADY_SUPPORTED: "已享受过农房改造补助",
    ObjectionGround.CONNECTED_TO_OFFICIAL: "与经办干部有亲属等利害关系",
    ObjectionGround.WRONG_FACTS: "公示信息与事实不符",
    ObjectionGround.OTHER: "其他",
    ReviewDecision.APPROVED: "审核通过",
    ReviewDecision.RETURNED: "退回补正",
    PaymentChannel.ONE_CARD: "一卡（折）通",
    PaymentChannel.BUILDER_ACCOUNT: "代建/统建方账户",
    Tranche.ADVANCE: "预拨",
    Tranche.FINAL: "验收后拨付",
    PriorSupportKind.DILAPIDATED_RENOVATION: "农村危房改造",
    PriorSupportKind.POVERTY_RELOCATION: "易地扶贫搬迁",
    PriorSupportKind.DISASTER_RECONSTRUCTION: "因灾倒损农房恢复重建",
    PriorSupportKind.SEISMIC_RETROFIT: "农房抗震改造",
    ReentryReason.SMALL_NATURAL_DISASTER: "小型自然灾害致危",
    ReentryReason.LIFE_CYCLE_EXPIRED: "房屋生命周期到期",
    SelfFunding.NONE: "无自筹能力",
    SelfFunding.WEAK: "自筹能力弱",
    SelfFunding.ORDINARY: "具备一定自筹能力",
    Role.VILLAGE_CLERK: "村委会经办人",
    Role.CIVIL_AFFAIRS_OFFICER: "民政部门认定人员",
    Role.RURAL_REVITALIZATION_OFFICER: "乡村振兴部门认定人员",
    Role.ASSESSOR: "危房鉴定人员",
    Role.TOWNSHIP_OFFICER: "乡镇审核人员",
    Role.COUNTY_OFFICER: "县住建局审批人员",
    Role.COUNTY_INSPECTOR: "县级验收组成员",
    Role.CITY_INSPECTOR: "市级抽查人员",
    Role.PROVINCIAL_INSPECTOR: "省级核验人员",
    Role.FINANCE_OFFICER: "财政部门拨付人员",
    Role.DISCIPLINE_INSPECTOR: "纪检监察人员",
    Role.PROGRAMME_MANAGER: "住建部门计划管理人员",
    Role.INTEGRATOR: "系统对接账户",
    Role.ADMINISTRATOR: "系统管理员",
    Stage.APPLIED: "已申请",
    Stage.RETURNED: "乡镇退回",
    Stage.TOWNSHIP_APPROVED: "乡镇审核通过",
    Stage.COUNTY_APPROVED: "县级审批通过",
    Stage.AGREEMENT_SIGNED: "已签协议",
    Stage.UNDER_CONSTRUCTION: "施工中",
    Stage.CONSTRUCTION_COMPLETED: "已竣工",
    Stage.ACCEPTED: "县级验收通过",
    Stage.CLOSED: "已销档",
    Stage.WITHDRAWN: "已撤回",
    Stage.REJECTED: "未通过",
}
