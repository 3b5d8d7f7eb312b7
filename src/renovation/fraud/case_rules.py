"""The rules that judge one case from its facts; each answers a `Hit` or None.

A hit carries its explanation in Chinese and English and the events that are its evidence. The
rules run again whenever the case changes, so a finding follows the case: it appears with the
event that completes the pattern and clears if a later event undoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from renovation.fraud.facts import Facts
from renovation.kernel.vocabulary import RenovationMode
from renovation.policy import load_policy


@dataclass(frozen=True)
class Hit:
    zh: str
    en: str
    evidence: tuple[dict[str, Any], ...]


def _ev(f: Facts, *names: str) -> tuple[dict[str, Any], ...]:
    return tuple(f["ev"][n] for n in names if n in f["ev"])


def paid_before_acceptance(f: Facts) -> Hit | None:
    policy = load_policy(f["policy"])
    allowed = Decimal(f["approved_yuan"] or 0) * policy.payment.advance_after_start_max_ratio
    early = [item for item in f["early_pay"]
             if item["tranche"] != "advance" or "started" not in f["ev"] or item["yuan"] > allowed]
    if not early:
        return None
    return Hit(f"县级验收通过前已申请拨付 {len(early)} 笔资金",
               f"{len(early)} payment request(s) before the county acceptance passed",
               tuple(early))


def paid_amount(f: Facts, short: bool) -> Hit | None:
    if not (f["final_paid"] or f["closed"]) or f["approved_yuan"] is None:
        return None
    approved, paid = f["approved_yuan"], f["paid"]
    if (short and paid >= approved) or (not short and paid <= approved):
        return None
    gap = abs(approved - paid)
    word = ("少付", "less") if short else ("多付", "more")
    return Hit(f"核定补助 {approved} 元，实际拨付 {paid} 元，{word[0]} {gap} 元",
               f"approved {approved} yuan, paid {paid} yuan: {gap} yuan {word[1]}",
               (*_ev(f, "approved"), *f["pay_ev"]))


def payee_mismatch(f: Facts) -> Hit | None:
    if not f["payee_issues"]:
        return None
    masked = ", ".join(sorted({item["payee"] for item in f["payee_issues"]}))
    return Hit(f"资金申请拨付至非本户一卡通且无统建/代建协议约定的账户（{masked}）",
               f"payment requested to {masked}, neither the household's account nor the"
               " agreement's payee", tuple(f["payee_issues"]))


def duties_not_separated(f: Facts) -> Hit | None:
    items, zh, en = list(f["insiders"]), [], []
    if items:
        zh.append("经办或审批人员为申请户家庭成员")
        en.append("an officer who acted belongs to the applicant household")
    if f["reviewer"] and f["reviewer"] == f["approver"]:
        items += _ev(f, "reviewed", "approved")
        zh.append(f"乡镇审核与县级审批为同一人（{f['approver']}）")
        en.append(f"the township review and the county approval by the same officer"
                  f" ({f['approver']})")
    if f["approver"] and f["approver"] in f["team"]:
        items += _ev(f, "approved", "acceptance")
        zh.append(f"审批人 {f['approver']} 参加了竣工验收")
        en.append(f"the approver {f['approver']} sat on the acceptance team")
    return Hit("；".join(zh), "; ".join(en), tuple(items)) if items else None


def notice_irregular(f: Facts) -> Hit | None:
    issues = f["notice_issues"]
    if not issues:
        return None
    whys = ", ".join(item["why"] for item in issues)
    return Hit(f"公示期不足或公示期未满即作出决定（{whys}）",
               f"a notice below the policy's days, or a decision before it closed ({whys})",
               tuple(issues))


def backdated(f: Facts) -> Hit | None:
    late = f["late"]
    if not late:
        return None
    first = late[0]
    return Hit(f"{len(late)} 项业务在业务日期之后 {first['lag_days']} 天及以上才录入"
               f"（首项 {first['event']}，业务日期 {first['occurred_on']}）",
               f"{len(late)} act(s) recorded {first['lag_days']}+ days after their business"
               f" date (first {first['event']} dated {first['occurred_on']})", tuple(late))


def built_before_approval(f: Facts) -> Hit | None:
    started = f["ev"].get("started")
    if started is None:
        return None
    missing = [name for name in ("approved", "agreement")
               if name not in f["ev"] or f["ev"][name]["position"] > started["position"]]
    if not missing:
        return None
    names = {"approved": "县级审批", "agreement": "改造协议"}
    return Hit(f"开工时尚无{'、'.join(names[m] for m in missing)}",
               f"construction started before the {' and '.join(missing)}", (started,))


def completed_too_fast(f: Facts) -> Hit | None:
    if "started_on" not in f or "completed_on" not in f:
        return None
    minimum = load_policy(f["policy"]).fraud.min_build_days.get(RenovationMode(f["mode"]))
    days = (date.fromisoformat(f["completed_on"]) - date.fromisoformat(f["started_on"])).days
    if minimum is None or days >= minimum:
        return None
    return Hit(f"开工后 {days} 天即竣工，低于该改造方式的合理工期 {minimum} 天",
               f"completed {days} days after the start; {minimum} is the plausible minimum",
               _ev(f, "started", "completed"))


def area_out_of_bounds(f: Facts) -> Hit | None:
    if "area" not in f or not RenovationMode(f["mode"]).builds_new_house:
        return None
    rules, area = load_policy(f["policy"]).area, Decimal(f["area"])
    low, high = rules.minimum(f["size"]), rules.maximum(f["size"])
    if area < low:
        zh, en = f"低于 {f['size']} 人户最低面积 {low} m²", f"below the minimum {low} m²"
    elif high is not None and area > high:
        zh, en = f"超过 {f['size']} 人户面积上限 {high} m²", f"above the cap {high} m²"
    else:
        return None
    return Hit(f"新建住房 {area} m²，{zh}",
               f"new house of {area} m² for {f['size']} person(s): {en}", _ev(f, "completed"))


def not_demolished(f: Facts) -> Hit | None:
    if not f["closed"] or f["demolished"]:
        return None
    if not RenovationMode(f["mode"]).requires_demolition:
        return None
    return Hit("建新拆旧案件销档时旧危房未拆除", "closed without the old house demolished",
               _ev(f, "agreement", "closed"))


def paid_late(f: Facts) -> Hit | None:
    late = f["late_pay"]
    if not late:
        return None
    first = late[0]
    return Hit(f"应于 {first['due']} 前拨付，实际 {first['occurred_on']} 拨付（滞留）",
               f"due by {first['due']}, paid on {first['occurred_on']}",
               tuple(item for entry in late for item in (entry["requested"], _bare(entry))))


def _bare(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("due", "requested")}


def approved_ineligible(f: Facts) -> Hit | None:
    approved = f["ev"].get("approved")
    if approved is None:
        return None
    eligible = load_policy(f["policy"]).eligibility
    zh, en = [], []
    if not f["no_house"] and (f["grade"] is None or f["grade"] not in eligible.grades):
        zh.append(f"房屋等级为 {f['grade'] or '未鉴定'}")
        en.append(f"house grade {f['grade'] or 'none'}")
    until = f["cert_until"]
    if not f["certified"] or (until is not None and until < approved["occurred_on"]):
        zh.append("无有效身份认定")
        en.append("no valid category certification")
    if not zh:
        return None
    return Hit(f"县级审批时{'、'.join(zh)}", f"approved with {' and '.join(en)}",
               (approved, *_ev(f, "graded", "certified")))


def paid_but_check_failed(f: Facts) -> Hit | None:
    check = f.get("check")
    if check is None or check["passed"] or f["paid"] == 0:
        return None
    why = "；".join(check["findings"]) or "未通过"
    return Hit(f"已拨付 {f['paid']} 元，市级抽查（{check['occurred_on']}）不合格：{why}",
               f"{f['paid']} yuan paid, then the city spot check on {check['occurred_on']}"
               f" failed: {why}", (*f["pay_ev"], _bare_check(check)))


def _bare_check(check: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in check.items() if k not in ("passed", "findings")}


CASE_RULES: dict[str, Callable[[Facts], Hit | None]] = {
    "paid_before_acceptance": paid_before_acceptance,
    "short_paid": lambda f: paid_amount(f, short=True),
    "over_paid": lambda f: paid_amount(f, short=False),
    "payee_mismatch": payee_mismatch,
    "duties_not_separated": duties_not_separated,
    "notice_irregular": notice_irregular,
    "backdated": backdated,
    "built_before_approval": built_before_approval,
    "completed_too_fast": completed_too_fast,
    "area_out_of_bounds": area_out_of_bounds,
    "not_demolished": not_demolished,
    "paid_late": paid_late,
    "approved_ineligible": approved_ineligible,
    "paid_but_check_failed": paid_but_check_failed,
}
"""Rules judged per case as its events arrive (unpaid_overdue is judged at query time)."""
