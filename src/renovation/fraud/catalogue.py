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
)}
"""Every rule, by id."""
