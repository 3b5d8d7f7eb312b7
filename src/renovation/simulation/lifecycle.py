"""The commands of one case's life, from application to closed archive, with plausible dates."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.policy import Policy, SubsidyInputs, decide_subsidy

STAGES = (
    "applied", "township_approved", "county_approved", "under_construction",
    "construction_completed", "accepted", "paid", "closed",
)


@dataclass(frozen=True)
class Staff:
    """The officials who act on cases of one village, derived from its division code."""

    village: str

    def _actor(self, prefix: str, role: str, digits: int) -> dict[str, str]:
        code = self.village[:digits].ljust(12, "0")
        return {"id": f"{prefix}-{self.village[:digits]}", "role": role, "jurisdiction": code}

    def actor(self, duty: str) -> dict[str, str]:
        prefix, role, digits = {
            "clerk": ("vc", "village_clerk", 12),
            "civil_affairs": ("ca", "civil_affairs_officer", 6),
            "rural_revitalization": ("rr", "rural_revitalization_officer", 6),
            "assessor": ("as", "assessor", 6),
            "township": ("tw", "township_officer", 9),
            "approver": ("ap", "county_officer", 6),
            "county_clerk": ("cc", "county_officer", 6),
            "inspector": ("ci", "county_inspector", 6),
            "second_inspector": ("cj", "county_inspector", 6),
            "finance": ("fi", "finance_officer", 6),
            "city": ("cy", "city_inspector", 4),
            "province": ("pv", "provincial_inspector", 2),
        }[duty]
        return self._actor(prefix, role, digits)


@dataclass
class CasePlan:
    """What the simulated case will be: who, where, which category and mode, until when."""

    case_ref: str
    programme_id: str
    village: str
    household: dict[str, Any]
    category: Category
    mode: RenovationMode
    applied_on: date
    stop_after: str = "closed"
    rng: random.Random = field(default_factory=random.Random)


def evidence(case_ref: str, what: str) -> list[str]:
    return [hashlib.sha256(f"{case_ref}/{what}".encode()).hexdigest()]


class Lifecycle:
    """Generates the commands of a case plan, each dated after the one it depends on."""

    def __init__(self, plan: CasePlan, policy: Policy) -> None:
        self.plan, self.policy = plan, policy
        self.staff = Staff(plan.village)
        self.day = plan.applied_on
        self.count = 0

    def commands(self) -> Iterator[dict[str, Any]]:
        yield from self._selection()
        if self._reached("township_approved"):
            return
        yield from self._approval()
        if self._reached("county_approved"):
            return
        yield from self._construction()
        if self._reached("under_construction") or self._reached("construction_completed"):
            return
        yield from self._acceptance()
        if self._reached("accepted"):
            return
        yield from self._payment()

    def _reached(self, stage: str) -> bool:
        return STAGES.index(self.plan.stop_after) <= STAGES.index(stage)

    def _command(
        self, kind: str, duty: str, after_days: int, payload: dict[str, Any]
    ) -> dict[str, Any]:
        self.day += timedelta(days=after_days)
        self.count += 1
        return {
            "command_id": f"{self.plan.case_ref}/{self.count:02d}",
            "type": kind,
            "case_ref": self.plan.case_ref,
            "actor": self.staff.actor(duty),
            "occurred_on": self.day.isoformat(),
            "payload": payload,
        }

    def _gap(self, low: int, high: int) -> int:
        return self.plan.rng.randint(low, high)

    def _selection(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        department = self.policy.categories[p.category]
        yield self._command("submit_application", "clerk", 0, {
            "programme_id": p.programme_id, "village_code": p.village,
            "household": p.household, "category": p.category.value,
            "planned_mode": p.mode.value,
            "house": {"structure": "earth", "year_built": 1975 + self._gap(0, 20),
                      "floor_area_m2": "52.00", "evidence": evidence(ref, "old-house")},
        })
        if p.stop_after == "applied":
            return
        yield self._command("certify_category", department.value, self._gap(1, 5), {
            "department": department.value, "certificate_no": f"CERT-{ref}"})
        yield self._command("grade_house", "assessor", self._gap(2, 7), {
            "grade": p.rng.choice("CD"), "method": "overall_danger",
            "assessor": {"name": "县住建局鉴定组", "organisation": "县住房和城乡建设局"},
            "report_no": f"JD-{ref}", "evidence": evidence(ref, "grading")})
        yield self._command("hold_democratic_review", "clerk", self._gap(3, 10), {
            "votes": {"meeting_type": "representatives_meeting", "eligible": 35, "attended": 31,
                      "votes_for": 29, "votes_against": 1, "abstentions": 1},
            "minutes": evidence(ref, "review")})
        yield from self._notice("village", "clerk", "review_at_township")

    def _notice(self, level: str, duty: str, decision: str) -> Iterator[dict[str, Any]]:
        days = self.policy.notice_min_days[level]  # type: ignore[index]
        ref = self.plan.case_ref
        yield self._command("post_notice", duty, 1, {
            "level": level, "notice_no": f"GS-{level[0].upper()}-{ref}",
            "location": f"{level}公示栏", "planned_days": days})
        yield self._command("close_notice", duty, days + self._gap(0, 2), {"level": level})
        if decision == "review_at_township":
            yield self._command("review_at_township", "township", self._gap(1, 4), {
                "decision": "approved", "opinion": "经入户核实，符合条件", "home_visited": True})
            yield from self._notice("township", "township", "")

    def _approval(self) -> Iterator[dict[str, Any]]:
        yield self._command("grant_county_approval", "approver", self._gap(1, 5), {})
        yield from self._notice("county", "approver", "")

    def _construction(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        builds = p.mode.builds_new_house
        agreement: dict[str, Any] = {
            "agreement_no": f"XY-{ref}", "renovation_mode": p.mode.value,
            "construction_mode": "self_build",
            "deadline": self.policy.calendar.complete_by.isoformat(),
            "seismic_requirements": "按7度设防，设置圈梁构造柱",
        }
        if p.mode.requires_demolition:
            agreement["demolition_due"] = self.policy.calendar.accept_by.isoformat()
        yield self._command("sign_agreement", "township", self._gap(2, 6), agreement)
        yield self._command("start_construction", "township", self._gap(5, 20), {
            "builder": {"name": "本村建筑工匠", "licence": f"GJ-{p.village[6:9]}"},
            "evidence": evidence(ref, "start")})
        if p.stop_after == "under_construction":
            return
        yield self._command("report_progress", "township", self._gap(20, 40), {
            "milestone": "主体结构完成", "percent_complete": 60, "evidence": evidence(ref, "mid")})
        size = p.household["size"]
        minimum = self.policy.area.minimum(size)
        self.area = minimum + Decimal(self._gap(0, 15)) if builds else Decimal("52.00")
        yield self._command("complete_construction", "township", self._gap(20, 40), {
            "built_area_m2": str(self.area), "structure": "masonry" if builds else "earth",
            "evidence": evidence(ref, "completed")})

    def _acceptance(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        team = [{"id": self.staff.actor(d)["id"], "role": "county_inspector"}
                for d in ("inspector", "second_inspector")]
        yield self._command("record_county_acceptance", "inspector", self._gap(3, 15), {
            "result": {"passed": True, "measured_area_m2": str(self.area),
                       "safety_rating": p.rng.choice("AB"), "household_agrees": True,
                       "team": team, "evidence": evidence(ref, "acceptance")}})
        if p.mode.requires_demolition:
            yield self._command("record_demolition", "township", self._gap(1, 10), {
                "evidence": evidence(ref, "demolished")})

    def _payment(self) -> Iterator[dict[str, Any]]:
        p = self.plan
        split = self._approved_split()
        submit_day = self.day + timedelta(days=self._gap(1, 10))
        submit_day = submit_day if submit_day.day <= 25 else submit_day + timedelta(days=10)
        yield self._command("request_payment", "county_clerk", (submit_day - self.day).days, {
            "request_no": f"BF-{p.case_ref}", "tranche": "final",
            "amounts": {"by_source": split}, "channel": "one_card"})
        yield self._command("disburse_payment", "finance", self._gap(1, 4), {
            "request_no": f"BF-{p.case_ref}", "voucher_no": f"PZ-{p.case_ref}"})
        if p.stop_after == "paid":
            return
        yield self._command("close_case", "county_clerk", self._gap(1, 10), {})

    def _approved_split(self) -> dict[str, int]:
        decision = decide_subsidy(self.policy, SubsidyInputs(
            category=self.plan.category, department=self.policy.categories[self.plan.category],
            mode=self.plan.mode, grading_method="overall_danger", structure="earth"))
        return decision.split_yuan
