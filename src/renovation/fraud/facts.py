"""What the rules need to know of one case, kept as it happens (a JSON document per case).

Each handler records facts from one event — never a judgement: `rules.py` judges, so a rule's
threshold and wording live in one place. `Evidence` is how a finding points back at the log:
the case, the event's version and its position in the global order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.aggregates.case import RenovationCase
from renovation.kernel.vocabulary import NoticeLevel, ReviewDecision, Tranche
from renovation.policy import load_policy

C = RenovationCase
Facts = dict[str, Any]
EvidenceItem = dict[str, Any]

PRECEDING_NOTICE = {
    "TownshipReviewed": NoticeLevel.VILLAGE, "CountyApprovalGranted": NoticeLevel.TOWNSHIP,
    "AgreementSigned": NoticeLevel.COUNTY,
}
"""The notice that must have closed before each decision (村、镇、县三级公示)."""


def evidence(f: Facts, position: int, e: Any) -> EvidenceItem:
    return {
        "case_ref": f["ref"], "version": e.originator_version, "position": position,
        "event": type(e).__name__, "occurred_on": e.occurred_on.isoformat(),
        "recorded_at": e.timestamp.isoformat(),
    }


def recorded_on(e: Any) -> date:
    """The recording date in China (the business date's own calendar)."""
    return e.timestamp.astimezone(CHINA_STANDARD_TIME).date()


def new_facts(e: Any) -> Facts:
    household = e.household
    return {
        "id": str(e.originator_id), "ref": e.case_ref, "programme": e.programme_id,
        "policy": e.policy_id,
        "county": e.village_code[:6].ljust(12, "0"),
        "head": household.ref, "persons": sorted(household.person_refs()),
        "size": household.size, "reentry": e.reentry_reason is not None,
        "mode": e.planned_mode.value, "lag0": (recorded_on(e) - e.occurred_on).days,
        "ev": {}, "notices": {}, "requests": {}, "late": [], "insiders": [], "notice_issues": [],
        "early_pay": [], "payee_issues": [], "late_pay": [], "pay_ev": [], "paid": 0,
        "final_paid": False, "grade": None, "no_house": False, "cert_until": None,
        "certified": False, "reviewer": None, "approver": None, "team": [],
        "approved_yuan": None, "payee": None,
        "account": household.account.number.ref if household.account else None,
        "phone": household.phone.ref if household.phone else None,
        "demolished": False, "closed": False, "active": True, "flags": {},
        "village": e.village_code,
    }


def observe(f: Facts, item: EvidenceItem, e: Any) -> None:
    """What every event tells: who acted (an insider?) and how late it was recorded."""
    person = e.actor.person_ref
    if person is not None and person in f["persons"]:
        f["insiders"].append(item)
    if isinstance(e, C.ApplicationSubmitted):
        return
    lag = (recorded_on(e) - e.occurred_on).days
    if lag - f["lag0"] > load_policy(f["policy"]).fraud.backdate_days:
        f["late"].append({**item, "lag_days": lag - f["lag0"]})


def _certified(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["certified"] = True
    f["cert_until"] = e.valid_until.isoformat() if e.valid_until else None
    f["ev"]["certified"] = item


def _applied(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["ev"]["applied"], f["village"] = item, e.village_code
    f["applied_on"] = e.occurred_on.isoformat()
    f["structure"], f["year_built"] = e.house.structure.value, e.house.year_built
    f["before"] = sorted(set(e.house.evidence))


def _graded(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["grade"], f["ev"]["graded"] = e.grade.value, item
    f["assessor"], f["graded_on"] = e.actor.id, e.occurred_on.isoformat()
    f["before"] = sorted({*f.get("before", ()), *e.evidence})


def _no_house(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["no_house"], f["ev"]["no_house"] = True, item


def _notice_closed(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["notices"][e.level.value] = e.occurred_on.isoformat()
    minimum = load_policy(f["policy"]).notice_min_days[e.level]
    if e.days_posted < minimum:
        f["notice_issues"].append({**item, "why": f"{e.level.value}:{e.days_posted}<{minimum}"})


def _decided(f: Facts, item: EvidenceItem, e: Any) -> None:
    """A decision must follow the closing of the notice before it."""
    level = PRECEDING_NOTICE[type(e).__name__]
    closed = f["notices"].get(level.value)
    if closed is None or closed > e.occurred_on.isoformat():
        f["notice_issues"].append({**item, "why": f"{level.value}:open"})


def _reviewed(f: Facts, item: EvidenceItem, e: Any) -> None:
    if e.decision is ReviewDecision.APPROVED:
        _decided(f, item, e)
        f["reviewer"], f["ev"]["reviewed"] = e.actor.id, item
        f["home_visited"] = e.home_visited


def _approved(f: Facts, item: EvidenceItem, e: Any) -> None:
    _decided(f, item, e)
    f["approver"], f["ev"]["approved"] = e.actor.id, item
    f["approved_yuan"], f["mode"] = e.subsidy.amount_yuan, e.approved_mode.value
    f["approved_on"] = e.occurred_on.isoformat()


def _agreed(f: Facts, item: EvidenceItem, e: Any) -> None:
    _decided(f, item, e)
    f["ev"]["agreement"], f["mode"] = item, e.renovation_mode.value
    f["payee"] = e.payee.account.ref if e.payee else None
    f["payee_label"] = e.payee.account.masked if e.payee else None
    f["demolition_due"] = e.demolition_due.isoformat() if e.demolition_due else None


def _started(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["ev"]["started"], f["started_on"] = item, e.occurred_on.isoformat()
    f["builder"] = builder_key(e.builder)


def builder_key(builder: Any) -> str:
    """施工单位或工匠 as the rules group it: the licence, else a digest of the name (not shown)."""
    if builder.licence:
        return str(builder.licence)
    return "#" + hashlib.sha256(builder.name.strip().encode()).hexdigest()[:16]


def _completed(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["ev"]["completed"], f["completed_on"] = item, e.occurred_on.isoformat()
    f["area"] = str(e.built_area_m2)
    f["after"] = sorted({*f.get("after", ()), *e.evidence})


def _accepted(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["team"] = [member.id for member in e.result.team]
    f["team_persons"] = [member.person_ref for member in e.result.team if member.person_ref]
    f["ev"]["acceptance"] = item
    f["acceptor"], f["acceptance_on"] = e.actor.id, e.occurred_on.isoformat()
    f["after"] = sorted({*f.get("after", ()), *e.result.evidence})
    if e.result.passed:
        f["ev"]["accepted"], f["accepted_on"] = item, e.occurred_on.isoformat()


def _requested(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["requests"][e.request_no] = {"on": e.occurred_on.isoformat(), "ev": item,
                                   "tranche": e.tranche.value, "by": e.actor.person_ref}
    if "accepted" not in f["ev"]:
        f["early_pay"].append({**item, "tranche": e.tranche.value, "yuan": e.amounts.total})
    if e.payee_ref not in (f["account"], f["payee"]):
        f["payee_issues"].append({**item, "payee": e.payee_masked})


def _disbursed(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["paid"] += e.amounts.total
    f["pay_ev"].append(item)
    f.setdefault("first_paid_on", e.occurred_on.isoformat())
    request = f["requests"].get(e.request_no)
    if request is None:
        return
    if e.actor.person_ref and request.get("by") == e.actor.person_ref:
        f.setdefault("self_paid", []).extend((request["ev"], item))
    if request["tranche"] == Tranche.FINAL.value:
        f["final_paid"] = True
    due = payment_due(date.fromisoformat(request["on"]), f["policy"])
    if e.occurred_on > due:
        f["late_pay"].append({**item, "due": due.isoformat(), "requested": request["ev"]})


def payment_due(requested: date, policy_id: str) -> date:
    """Submitted by the 25th, paid by the 30th of that month; later submissions join the next."""
    return load_policy(policy_id).payment.days_for(requested)[1]


def _spot_checked(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["check"] = {**item, "passed": e.passed, "findings": list(e.findings)}


def _province_checked(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["province_check"] = {**item, "passed": e.passed, "findings": list(e.findings)}


def _demolished(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["demolished"], f["ev"]["demolished"] = True, item
    f["after"] = sorted({*f.get("after", ()), *e.evidence})  # the site cleared, not the house


def _closed(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["closed"], f["ev"]["closed"] = True, item


def _ended(f: Facts, item: EvidenceItem, e: Any) -> None:
    f["active"] = False


def _corrected(f: Facts, item: EvidenceItem, e: Any) -> None:
    if e.field == "household.size":
        f["size"] = e.new
    elif e.field == "household.phone":
        f["phone"] = e.new["ref"] if e.new else None
    elif e.field == "household.account":
        f["account"] = e.new["number"]["ref"] if e.new else None
        if "approved" in f["ev"]:  # the money's destination changed once the subsidy was set
            f.setdefault("account_changes", []).append(item)


HANDLERS: dict[type, Callable[[Facts, EvidenceItem, Any], None]] = {
    C.ApplicationSubmitted: _applied,
    C.CategoryCertified: _certified,
    C.HouseGraded: _graded,
    C.NoHouseStatusRecorded: _no_house,
    C.PublicNoticeClosed: _notice_closed,
    C.TownshipReviewed: _reviewed,
    C.CountyApprovalGranted: _approved,
    C.AgreementSigned: _agreed,
    C.ConstructionStarted: _started,
    C.ConstructionCompleted: _completed,
    C.CountyAcceptanceRecorded: _accepted,
    C.PaymentRequested: _requested,
    C.PaymentDisbursed: _disbursed,
    C.CitySpotCheckRecorded: _spot_checked,
    C.ProvincialAcceptanceRecorded: _province_checked,
    C.OldHouseDemolished: _demolished,
    C.CaseClosed: _closed,
    C.CaseWithdrawn: _ended,
    C.CaseRejected: _ended,
    C.DataCorrected: _corrected,
}
