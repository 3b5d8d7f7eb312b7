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
    team = f.get("team_persons", [])
    if len(set(team)) < len(team):
        items += _ev(f, "acceptance")
        zh.append("验收组成员中同一人以两个账号出现")
        en.append("one person sits twice on the acceptance team, under two accounts")
    if f.get("self_paid"):
        items += f["self_paid"]
        zh.append("同一人（同一身份证号）既申请拨付又执行拨付")
        en.append("one person (one ID number) both requested and disbursed the payment")
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
    """建新拆旧: closed, or paid in full after the agreement's demolition date, with the old
    house still standing."""
    due = f.get("demolition_due")
    if f["demolished"] or not RenovationMode(f["mode"]).requires_demolition or (
            f["no_house"] and not due):
        return None
    late = [item for item in f["pay_ev"] if due and item["occurred_on"] > due]
    if f["closed"]:
        return Hit("建新拆旧案件销档时旧危房未拆除", "closed without the old house demolished",
                   _ev(f, "agreement", "closed"))
    if not (f["final_paid"] and late):
        return None
    return Hit(f"协议约定 {due} 前拆除旧危房，{late[-1]['occurred_on']} 已全额拨付而旧房未拆除",
               f"paid in full on {late[-1]['occurred_on']}, after the agreement's demolition"
               f" date {due}, with the old house still standing", (*_ev(f, "agreement"), *late))


def no_home_visit(f: Facts) -> Hit | None:
    """未入户核实 — the township approved without visiting the household: 乡镇审核 (seed 004
    §二(一)) checks the applicant at home, and its form records whether it did."""
    if f.get("home_visited", True):
        return None
    return Hit("乡镇审核通过时未入户核实", "the township approved without a home visit",
               _ev(f, "reviewed"))


def payment_delayed(f: Facts) -> Hit | None:
    """拖欠 — the first money reached the household beyond the policy's days after acceptance."""
    accepted, paid = f.get("accepted_on"), f.get("first_paid_on")
    if not accepted or not paid:
        return None
    limit = load_policy(f["policy"]).payment.max_days_after_acceptance
    days = (date.fromisoformat(paid) - date.fromisoformat(accepted)).days
    if days <= limit:
        return None
    return Hit(f"{accepted} 验收合格，{paid} 才首次拨付，相隔 {days} 天（政策时限 {limit} 天）",
               f"accepted on {accepted}, first paid on {paid}: {days} days (limit {limit})",
               (*_ev(f, "accepted"), f["pay_ev"][0]))


def photo_before_after(f: Facts) -> Hit | None:
    """同一照片充当改造前后 — the completion, acceptance or demolition photo is the house as it
    stood before renovation."""
    same = sorted(set(f.get("before", ())) & set(f.get("after", ())))
    if not same:
        return None
    label = same[0][:12]
    return Hit(f"竣工、验收或拆旧照片（摘要 {label}…）与改造前房屋照片相同",
               f"the completion, acceptance or demolition photo (sha256 {label}…) shows the"
               " house before renovation",
               _ev(f, "applied", "graded", "completed", "acceptance", "demolished"))


def grade_implausible(f: Facts) -> Hit | None:
    """鉴定等级存疑 — a young house of sound structure graded D."""
    rules = load_policy(f["policy"]).fraud
    built, graded = f.get("year_built"), f.get("graded_on")
    if f["grade"] != "D" or not built or not graded or f.get("structure") not in {
            s.value for s in rules.sound_structures}:
        return None
    age = date.fromisoformat(graded).year - built
    if age >= rules.young_house_years:
        return None
    return Hit(f"{built} 年建成的{f['structure']}结构房屋，{age} 年后被鉴定为 D 级危房",
               f"a {f['structure']} house built in {built} graded D {age} years later",
               _ev(f, "applied", "graded"))


def account_changed_after_approval(f: Facts) -> Hit | None:
    """审批后变更收款账户 — the 一卡通 account changed after approval, then money was asked for."""
    changes = f.get("account_changes") or []
    if not changes:
        return None
    after = [r["ev"] for r in f["requests"].values()
             if r["ev"]["position"] > changes[0]["position"]]
    if not after:
        return None
    return Hit(f"县级审批后于 {changes[0]['occurred_on']} 变更一卡通账户，其后申请拨付至新账户",
               f"the household's account changed on {changes[0]['occurred_on']}, after the"
               " approval, and payment was then requested to it",
               (*_ev(f, "approved"), *changes, *after))


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
    """Money paid on a house the city's spot check or the provincial verification failed."""
    for key, zh, en in (("check", "市级抽查", "city spot check"),
                        ("province_check", "省级核验", "provincial verification")):
        check = f.get(key)
        if check is None or check["passed"] or f["paid"] == 0:
            continue
        why = "；".join(check["findings"]) or "未通过"
        return Hit(f"已拨付 {f['paid']} 元，{zh}（{check['occurred_on']}）不合格：{why}",
                   f"{f['paid']} yuan paid on a house the {en} on {check['occurred_on']}"
                   f" failed: {why}", (*f["pay_ev"], _bare_check(check)))
    return None


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
    "payment_delayed": payment_delayed,
    "no_home_visit": no_home_visit,
    "photo_before_after": photo_before_after,
    "grade_implausible": grade_implausible,
    "account_changed_after_approval": account_changed_after_approval,
}
"""Rules judged per case as its events arrive (unpaid_overdue is judged at query time)."""
