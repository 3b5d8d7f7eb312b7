"""The commands of one case's life, dated as the plan's calendar sets them (seed 004 §四, §七).

Applications and approvals before July, construction from July to October, acceptance by the end
of November, payment in the monthly cycle (submitted by the 25th, paid by the 30th), then the
archive closes. A plan may vary the path (a return, a rejection, a withdrawal, a late build) and
carry quirks: the irregularities the fraud rules are meant to find.
"""

from __future__ import annotations

import calendar
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from renovation.kernel.vocabulary import Category, NoticeLevel, RenovationMode
from renovation.policy import Policy, SubsidyInputs, decide_subsidy
from renovation.simulation.staff import Staff

STAGES = (
    "applied", "township_approved", "county_approved", "under_construction",
    "construction_completed", "accepted", "paid", "closed",
)
VARIANTS = ("normal", "returned", "rejected", "withdrawn")
OPINIONS = {"approved": "经入户核实，符合条件", "returned": "评议材料不全，退回补正"}

__all__ = ["STAGES", "CasePlan", "Lifecycle", "Staff", "evidence"]


@dataclass
class CasePlan:
    """What the simulated case will be: who, where, which category and mode, how far it gets."""

    case_ref: str
    programme_id: str
    village: str
    household: dict[str, Any]
    category: Category
    mode: RenovationMode
    applied_on: date
    stop_after: str = "closed"
    rng: random.Random = field(default_factory=random.Random)
    variant: str = "normal"
    quirks: frozenset[str] = frozenset()
    photo_of: str | None = None  # another case whose completion photo this case reuses
    team: int = 0  # which of its township's assessors and acceptance teams (`Staff.team`)


def evidence(case_ref: str, what: str) -> list[str]:
    return [hashlib.sha256(f"{case_ref}/{what}".encode()).hexdigest()]


def _day_in(month: date, day: int) -> date:
    return month.replace(day=min(day, month_end(month).day))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class Lifecycle:
    """Generates the commands of a case plan, each dated after the one it depends on."""

    def __init__(self, plan: CasePlan, policy: Policy) -> None:
        self.plan, self.policy = plan, policy
        self.staff = Staff(plan.village, plan.team)
        self.day = plan.applied_on
        self.year = plan.applied_on.year
        self.count = 0
        self.area = Decimal("52.00")
        self.accepted_on = plan.applied_on
        self.ended = False

    def commands(self) -> Iterator[dict[str, Any]]:
        p = self.plan
        phases = (
            ("applied", self._application),
            ("township_approved", self._selection),
            ("county_approved", self._approval),
            ("under_construction", self._start),
            ("construction_completed", self._completion),
            ("accepted", self._acceptance),
            ("paid", self._payment),
            ("closed", self._closing),
        )
        for stage, phase in phases:
            yield from phase()
            if self.ended or stage == p.stop_after:
                return

    def _command(
        self, kind: str, duty: str, day: date, payload: dict[str, Any]
    ) -> dict[str, Any]:
        self.day = max(day, self.day)
        self.count += 1
        return {
            "command_id": f"{self.plan.case_ref}/{self.count:02d}",
            "type": kind,
            "case_ref": self.plan.case_ref,
            "actor": self.staff.actor(duty),
            "occurred_on": self.day.isoformat(),
            "payload": payload,
        }

    def _after(self, low: int, high: int) -> date:
        return self.day + timedelta(days=self.plan.rng.randint(low, high))

    def _application(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        yield self._command("submit_application", "clerk", self.day, {
            "programme_id": p.programme_id, "village_code": p.village,
            "household": p.household, "category": p.category.value, "planned_mode": p.mode.value,
            "house": {"structure": "earth", "year_built": 1970 + p.rng.randint(0, 25),
                      "floor_area_m2": "52.00", "evidence": evidence(ref, "old-house")},
        })

    def _selection(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        department = self.policy.categories[p.category]
        yield self._command("certify_category", department.value, self._after(1, 5), {
            "department": department.value, "certificate_no": f"RD-{ref}"})
        day, grade = self._after(2, 7), p.rng.choice("CD")
        outlier = "assessor_outlier" in p.quirks  # the county's own assessor: every house D
        yield self._command("grade_house", "assessor" if outlier else "township_assessor", day, {
            "grade": "D" if outlier else grade, "method": "overall_danger",
            "assessor": {"name": "县住建局鉴定组", "organisation": "县住房和城乡建设局"},
            "report_no": f"JD-{ref}", "evidence": evidence(ref, "grading")})
        rounds = 2 if p.variant == "returned" else 1
        for n in range(rounds):
            yield from self._village_round(n)
            decision = "returned" if n < rounds - 1 else "approved"
            if p.variant in ("rejected", "withdrawn"):
                yield self._ending()
                return
            yield self._command("review_at_township", "township", self._after(1, 4), {
                "decision": decision, "home_visited": True,
                "opinion": OPINIONS[decision]})
        yield from self._notice(NoticeLevel.TOWNSHIP, "township")

    def _ending(self) -> dict[str, Any]:
        self.ended = True
        if self.plan.variant == "rejected":
            return self._command("reject_case", "township", self._after(1, 4), {
                "level": "township", "reason": "入户核实家庭收入超出认定标准"})
        return self._command("withdraw_case", "township", self._after(1, 4), {
            "reason": "农户外出务工，自愿放弃本年度改造"})

    def _village_round(self, n: int) -> Iterator[dict[str, Any]]:
        yield self._command("hold_democratic_review", "clerk", self._after(3, 10), {
            "votes": {"meeting_type": "representatives_meeting", "eligible": 35, "attended": 31,
                      "votes_for": 29, "votes_against": 1, "abstentions": 1},
            "minutes": evidence(self.plan.case_ref, f"review-{n}")})
        yield from self._notice(NoticeLevel.VILLAGE, "clerk", suffix=str(n))

    def _notice(self, level: NoticeLevel, duty: str, suffix: str = "") -> Iterator[dict[str, Any]]:
        days = self.policy.notice_min_days[level]
        yield self._command("post_notice", duty, self._after(1, 2), {
            "level": level.value,
            "notice_no": f"GS-{level.value[0].upper()}{suffix}-{self.plan.case_ref}",
            "location": f"{level.label}栏", "planned_days": days})
        closed = self._after(days, days + 2)
        yield self._command("close_notice", duty, closed, {"level": level.value})

    def _approval(self) -> Iterator[dict[str, Any]]:
        yield self._command("grant_county_approval", "approver", self._after(1, 5), {})
        yield from self._notice(NoticeLevel.COUNTY, "approver")

    def _start(self) -> Iterator[dict[str, Any]]:
        p = self.plan
        agreement: dict[str, Any] = {
            "agreement_no": f"XY-{p.case_ref}", "renovation_mode": p.mode.value,
            "construction_mode": "self_build",
            "deadline": self.policy.calendar.complete_by.replace(year=self.year).isoformat(),
            "seismic_requirements": "按7度设防，设置圈梁构造柱",
        }
        if p.mode.requires_demolition:
            agreement["demolition_due"] = self.policy.calendar.accept_by.replace(
                year=self.year).isoformat()
        yield self._command("sign_agreement", "township", self._after(2, 6), agreement)
        ref = p.case_ref
        if p.mode is RenovationMode.REBUILD_IN_PLACE:  # the old house comes down on the same site
            yield self._command("record_demolition", "township", self._after(1, 5), {
                "evidence": evidence(ref, "demolished")})
        july = date(self.year, 7, 1) + timedelta(days=p.rng.randint(0, 25))
        builder = {"name": "本村建筑工匠", "licence": f"GJ-{p.village[:6]}-{p.village[6:]}"}
        if "builder_concentration" in p.quirks:
            builder = {"name": "外来施工队", "licence": f"GJ-{p.village[:6]}-W1"}
        yield self._command("start_construction", "township", max(july, self._after(1, 3)), {
            "builder": builder,
            "evidence": evidence(ref, "start")})

    def _completion(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        quick = "builder_concentration" in p.quirks  # the outside team's 40-day builds
        if "too_fast" not in p.quirks:  # an "already built" house needs no site inspection
            on = self._after(20, 40)
            if quick:
                on = self.day + timedelta(days=20)
            yield self._command("report_progress", "township", on, {
                "milestone": "主体结构完成", "percent_complete": 60,
                "evidence": evidence(ref, "mid")})
        size = p.household["size"]
        minimum = self.policy.area.minimum(size)
        builds = p.mode.builds_new_house
        self.area = minimum + Decimal(p.rng.randint(0, 12)) if builds else Decimal("52.00")
        if "over_area" in p.quirks:
            self.area = Decimal(150)
        done = min(self._after(25, 60), date(self.year, 10, 31))
        if "unpaid_overdue" in p.quirks:  # finished and accepted early, then never paid
            done = date(self.year, 8, 20)
        if "too_fast" in p.quirks:
            done = self.day + timedelta(days=4)
        if quick:
            done = self.day + timedelta(days=20)
        photo = evidence(p.photo_of or ref, "completed")
        yield self._command("complete_construction", "township", done, {
            "built_area_m2": str(self.area), "structure": "masonry" if builds else "earth",
            "evidence": photo})

    def _acceptance(self) -> Iterator[dict[str, Any]]:
        p, ref = self.plan, self.plan.case_ref
        overload = "acceptance_overload" in p.quirks  # the county's inspector, four townships
        lead, second = (("inspector", "second_inspector") if overload
                        else ("acceptor", "second_acceptor"))  # the township's county team
        team = [{"id": self.staff.actor(d)["id"], "role": "county_inspector"}
                for d in (lead, second)]
        day = min(self._after(3, 20), date(self.year, 11, 30))
        if overload:
            day = date(self.year, 11, 10)
        self.accepted_on = day
        yield self._command("record_county_acceptance", lead, day, {
            "result": {"passed": True, "measured_area_m2": str(self.area),
                       "safety_rating": p.rng.choice("AB"), "household_agrees": True,
                       "team": team, "evidence": evidence(ref, "acceptance")}})
        if p.mode is RenovationMode.RELOCATE:  # 建新拆旧: the old house comes down after moving
            yield self._command("record_demolition", "township", self._after(1, 10), {
                "evidence": evidence(ref, "demolished")})

    def _payment(self) -> Iterator[dict[str, Any]]:
        """Submitted to finance by the 25th, paid by the 30th (seed 004 §四(八))."""
        p = self.plan
        split = self._approved_split()
        if "short_paid" in p.quirks:
            split = {**split, "central_regional": split["central_regional"] - 3500}
        rules = self.policy.payment
        submit = self._after(1, 10)
        if submit.day > rules.submit_by_day:  # too late for this month: early in the next
            submit = month_end(submit) + timedelta(days=p.rng.randint(1, 5))
        # The county pays within the policy's days after acceptance (seed 004 §四(八)): when
        # the acceptance month's batch is still open, the request makes it.
        cutoff = _day_in(self.accepted_on, rules.submit_by_day)
        latest = self.accepted_on + timedelta(days=rules.max_days_after_acceptance)
        if self.day <= cutoff < submit:
            submit = cutoff
        pay = submit.replace(day=min(rules.pay_by_day, month_end(submit).day))
        pay = max(submit + timedelta(days=1), pay - timedelta(days=p.rng.randint(0, 3)))
        pay = max(submit + timedelta(days=1), min(pay, latest))
        if "paid_late" in p.quirks:
            pay = month_end(submit) + timedelta(days=3)
        yield self._command("request_payment", "county_clerk", submit, {
            "request_no": f"BF-{p.case_ref}", "tranche": "final",
            "amounts": {"by_source": split}, "channel": "one_card"})
        yield self._command("disburse_payment", "finance", pay, {
            "request_no": f"BF-{p.case_ref}", "voucher_no": f"PZ-{p.case_ref}"})

    def _closing(self) -> Iterator[dict[str, Any]]:
        if "short_paid" in self.plan.quirks:
            return
        yield self._command("close_case", "county_clerk", self._after(1, 3), {})

    def _approved_split(self) -> dict[str, int]:
        decision = decide_subsidy(self.policy, SubsidyInputs(
            category=self.plan.category, department=self.policy.categories[self.plan.category],
            mode=self.plan.mode, grading_method="overall_danger", structure="earth"))
        return dict(decision.split_yuan)
