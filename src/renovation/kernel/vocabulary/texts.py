"""Chinese words for what is not an enumerated value: progress steps, overdue kinds, finding
statuses, field names, refusal rules."""

from __future__ import annotations

from renovation.kernel.vocabulary.enums import _LABELS

PROGRESS_STEPS: dict[str, str] = {
    "applied": "申请", "township_approved": "乡镇审核", "county_approved": "县级审批",
    "agreement_signed": "签协议", "construction_started": "开工", "construction_completed": "竣工",
    "accepted": "验收", "paid": "拨付", "closed": "销档",
}
"""The steps of the stage funnel (`report progress`), in order, with the words officials use."""

OVERDUE_KINDS: dict[str, str] = {
    "notice": "公示期满未结束", "agreement_deadline": "协议工期届满未竣工",
    "unpaid_after_acceptance": "验收合格后逾期未拨付", "payment_submitted_late": "拨付申请逾期提交",
    "payment_paid_late": "逾期拨付", "payment_unpaid": "拨付申请逾期未拨付",
}
"""What makes an item overdue (`report overdue`)."""

FINDING_STATUS: dict[str, str] = {"open": "待核查", "confirmed": "查实", "dismissed": "排除"}
SEVERITY: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}

FIELD_LABELS: dict[str, str] = {
    "stage": "办理阶段", "category": "对象类别", "channel": "申请方式", "case_ref": "档案编号",
    "household.size": "家庭人口", "household.head.name": "户主姓名",
    "household.head.id_number": "户主身份证号码", "household.phone": "联系电话",
    "household.account": "一卡（折）通账号", "house.structure": "房屋结构",
    "house.year_built": "建造年代", "house.floor_area_m2": "房屋面积（㎡）",
    "grading.grade": "危险等级", "grading.method": "鉴定方法",
    "certification.department": "认定部门",
    "subsidy.amount_yuan": "补助金额（元）", "subsidy.split_yuan": "补助资金来源（元）",
    "agreement.renovation_mode": "改造方式", "agreement.construction_mode": "建设方式",
    "agreement.deadline": "协议竣工期限", "started_on": "开工日期", "completed_on": "竣工日期",
    "built_area_m2": "建成面积（㎡）", "accepted_on": "验收日期", "demolished_on": "拆除日期",
    "paid_by_source": "已拨付（元）", "closed_on": "销档日期", "submitted_on": "申请日期",
    "extremely_low_income": "特困低收入", "planned_mode": "拟改造方式",
    "review_passed_on": "民主评议通过日期", "spot_check_passed": "市级抽查合格",
    "provincial_passed": "省级核验合格",
}
"""Chinese labels of the case's fields, as the archive forms name them (the case page's diffs)."""


def value_label(value: object) -> str | None:
    """The Chinese label of an enumerated value of any of the vocabulary's lists, if it is one."""
    if not isinstance(value, str):
        return None
    for member, label in _LABELS.items():
        if member.value == value:
            return label
    return None


RULE_MESSAGES: dict[str, str] = {
    "identity.id_number.check_digit": "身份证号码校验位错误",
    "identity.id_number.format": "身份证号码应为18位：17位数字加1位数字或X",
    "identity.id_number.placeholder": "身份证号码不是真实号码",
    "identity.id_number.region": "身份证号码的地区码不存在",
    "identity.id_number.birth_date": "身份证号码中的出生日期不正确",
    "identity.name.format": "姓名只能由文字和间隔号（·）组成",
    "identity.phone.format": "联系电话格式不正确",
    "identity.bank_account.luhn": "银行卡号校验错误",
    "identity.bank_account.format": "银行账号格式不正确",
    "household.one_case_per_programme": "该户在本年度计划中已有在办案件",
    "case.ref_unique": "档案编号已被使用",
    "command.id_reused": "该档案编号已按不同内容提交过",
    "programme.known": "年度计划不存在",
    "dates.not_in_future": "业务日期不能晚于今天",
    "dates.procedural_order": "业务日期早于其所依赖的上一环节",
    "actor.unknown": "工作人员名录中没有该人员",
    "actor.role_not_held_on_date": "该人员在业务日期未担任此职务",
    "actor.outside_jurisdiction": "该人员的辖区不包括此村",
    "authorization.role_action": "您的职务不能办理此事项",
    "authorization.jurisdiction": "此村不在您的辖区内",
    "recorder.not_authorized": "您不能代他人录入",
    "recorder.outside_jurisdiction": "此村不在您可录入的辖区内",
    "input.missing": "必填",
    "input.string_too_short": "不能为空",
    "input.string_pattern_mismatch": "格式不正确",
    "input.int_parsing": "应为整数",
    "input.greater_than_equal": "数值过小",
    "input.less_than_equal": "数值过大",
    "input.enum": "请从列表中选择",
    "input.date_from_datetime_parsing": "日期格式应为 年-月-日",
    "input.string_too_long": "内容过长",
    "objection.notice_posted": "该户在此级别没有公示，无法提出异议",
    "objection.within_notice_period": "不在公示期内（公示已结束或已撤下）",
    "case.exists": "没有此档案编号的案件",
    "procedure.means_assessment": "自筹能力评估须在申请后、县级审批前录入",
    "subsidy.full_cost_rate_set": "该户无自筹能力、应予兜底，但尚未设定每平方米建筑成本",
    "subsidy.county_rate_set": "县级尚未制定该改造方式（周转安置、公共租赁）的补助标准",
    "subsidy.county_standard_row": "县级差异化补助标准中没有适用于该户的档次",
    "policy.county_standards_average": "县级差异化补助的计划户均与全市户均补助标准不符",
}
"""What a refusal means, in the words a clerk reads beside the field (rules not listed here
show their rule id and the English message)."""
