"""The irregularity rules (违规线索): id, severity, and what each one means, in both languages.

Rule ids are stable: findings, reviews and reports refer to them. The patterns are the ones
audits and discipline inspections found (domain research §2); the seeds name the duty to catch
them: "防止套取骗取、重复申领和挤占、挪用、克扣、拖欠、截留、滞留补助资金" (seed 003 §四(五)).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title_zh: str
    title_en: str


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("duplicate_benefit", Severity.HIGH, "重复享受补助",
         "the same person is in more than one supported case, outside the re-entry rule"),
    Rule("paid_before_acceptance", Severity.HIGH, "验收前拨付",
         "money requested or paid before the county acceptance passed"),
    Rule("short_paid", Severity.HIGH, "克扣补助资金",
         "less than the approved subsidy was paid"),
    Rule("over_paid", Severity.HIGH, "虚报冒领",
         "more than the approved subsidy was paid"),
    Rule("payee_mismatch", Severity.HIGH, "资金未拨付至农户一卡通",
         "paid to an account that is neither the household's nor the agreement's payee"),
    Rule("shared_account", Severity.MEDIUM, "多户共用银行账户",
         "one bank account is given by several unrelated households"),
    Rule("shared_phone", Severity.MEDIUM, "多户共用联系电话",
         "one phone number is given by several unrelated households"),
    Rule("duties_not_separated", Severity.MEDIUM, "职责未分离或审核人为申请户成员",
         "the same officer reviewed and approved, or an officer belongs to the household"),
    Rule("notice_irregular", Severity.MEDIUM, "公示不足或公示期未满即决定",
         "a notice shorter than the policy's period, or a decision before it closed"),
    Rule("backdated", Severity.MEDIUM, "补录倒签",
         "acts recorded long after their business date, later than the case's other acts"),
    Rule("built_before_approval", Severity.HIGH, "未批先建",
         "construction started before county approval or the agreement"),
    Rule("completed_too_fast", Severity.MEDIUM, "竣工过快（疑似已建房屋套取补助）",
         "construction completed implausibly fast for the renovation mode"),
    Rule("area_out_of_bounds", Severity.LOW, "建筑面积超出标准",
         "new house smaller than the policy minimum or larger than its cap"),
    Rule("not_demolished", Severity.MEDIUM, "建新未拆旧",
         "a new-build or relocation case closed without the old house demolished"),
    Rule("unpaid_overdue", Severity.HIGH, "拖欠补助资金",
         "accepted but nothing paid beyond the policy's limit"),
    Rule("paid_late", Severity.LOW, "滞留补助资金",
         "a tranche paid after the month's payment day"),
    Rule("approved_ineligible", Severity.HIGH, "不符合条件获批",
         "approved without a C/D grade or no-house status, or without a valid certification"),
    Rule("reused_evidence", Severity.MEDIUM, "同一照片用于多户",
         "the same photo or scan (content hash) is filed in more than one case"),
    Rule("paid_but_check_failed", Severity.HIGH, "已拨付但市级抽查不合格",
         "money was paid for a house the city's spot check then failed"),
    Rule("proxy_signing", Severity.MEDIUM, "疑似代签代填",
         "one operator entered applications for many households within minutes"),
    Rule("approved_without_survey", Severity.MEDIUM, "无摸排记录获批",
         "approved where the monitoring rules require a prior survey finding, without one"),
    Rule("no_home_visit", Severity.MEDIUM, "乡镇审核未入户核实",
         "the township approved the application without visiting the household"),
    Rule("members_registered_elsewhere", Severity.MEDIUM, "申请家庭成员户籍不在本户",
         "several members listed on the application are registered in other households"),
    Rule("payment_delayed", Severity.HIGH, "拖欠后才拨付",
         "the first payment came later after the acceptance than the policy allows"),
    Rule("photo_before_after", Severity.MEDIUM, "改造前后使用同一照片",
         "the completion or acceptance photo is the photo of the house before renovation"),
    Rule("grade_implausible", Severity.MEDIUM, "鉴定等级存疑",
         "a young house of sound structure was graded D"),
    Rule("account_changed_after_approval", Severity.HIGH, "审批后变更收款账户",
         "the household's account changed after approval and payment was asked to it"),
    # 数据比对 (seed 003 §四(一)): judged against the registry snapshot in force
    Rule("category_not_on_list", Severity.HIGH, "认定身份不在部门名单",
         "certified in a category whose department's list does not show the household"),
    Rule("registry_vehicle", Severity.MEDIUM, "家庭成员名下有机动车",
         "a household member owns a registered car or truck"),
    Rule("registry_company", Severity.MEDIUM, "家庭成员经营企业",
         "a household member ran or owned a registered company when applying"),
    Rule("registry_other_house", Severity.HIGH, "另有住房",
         "a household member owns another registered residential property"),
    Rule("registry_public_employee", Severity.HIGH, "家庭成员为财政供养人员",
         "a household member is paid from public funds"),
    Rule("registry_deceased", Severity.HIGH, "已故人员享受补助",
         "a household member had died before the money was paid"),
    Rule("household_split", Severity.MEDIUM, "疑似拆户申请",
         "the head split from another household shortly before applying"),
    Rule("favoured_relative", Severity.HIGH, "优亲厚友",
         "an official who acted on the case is registered in the applicant's household"),
    Rule("hidden_member", Severity.HIGH, "隐瞒家庭成员",
         "a person registered in the head's household, left off the application, would have"
         " disqualified it (public employee, vehicle, company, another home)"),
    Rule("household_registered_twice", Severity.HIGH, "同一户籍户重复申请",
         "cases of one programme apply for people of one registered household never split"),
    # 串通与异常 (domain research §2 F1, F13): judged when asked, over many cases (anomaly.py)
    Rule("assessor_outlier", Severity.MEDIUM, "鉴定结果异常集中",
         "an assessor's share of D grades far above the county's, or too many gradings a day"),
    Rule("acceptance_overload", Severity.MEDIUM, "一日验收过多或跨乡镇",
         "one inspector led more acceptances, or in more townships, in a day than can be visited"),
    Rule("builder_concentration", Severity.MEDIUM, "同一工匠或收款账户跨乡镇承建",
         "one builder or payee account behind many quick builds across several townships"),
    Rule("applications_exceed_survey", Severity.LOW, "申请数远超台账发现",
         "a village's applications far above the unsafe houses its ledger found that year"),
)}
"""Every rule, by id."""
