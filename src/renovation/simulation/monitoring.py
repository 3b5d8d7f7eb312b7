"""The demo's housing-safety monitoring (农房安全动态监测): the survey behind the cases, and the
houses that never needed one.

Deterministic from the seed. Most cases begin with a survey finding in the January sweep — a
patrol, a self-report or a data comparison — signed to the township by 30 March (a few late),
and the township links the case once it is opened; some cases have no survey record at all.
Per village, more houses are found unsafe and resolved without renovation (the household moves,
the old house is demolished, an ordinary household repairs it), some stay outstanding, some are
graded safe; houses left on the ledger and elderly occupancy are patrolled monthly, with gaps.
All acts are entered in December, as a village catching up its ledgers would; so are a few
hotline tip-offs in one county, handed over to its discipline inspector, one concluded.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.simulation.clock import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, evidence
from renovation.simulation.people import People
from renovation.simulation.staff import principal

ENTERED_ON = date(2022, 12, 1)
SWEEP = date(2022, 1, 10)
FOUND_BY = ("patrol_house", "report_unsafe_house", "flag_house_by_comparison")


TIPOFF_COUNTY = "450323"
"""灵川县: the county whose discipline inspector (dj-450323) is one of the demo's sign-ins."""
TIPOFFS = (
    ("2022-05-10", "favouring_relatives", "村干部把自家亲戚报成危房户，房子是去年新盖的",
     "unsubstantiated"),
    ("2022-08-16", "subsidy_withheld", "改造补助到账比公示金额少了两千元，村里说是管理费", None),
    ("2022-11-02", "poor_quality", "新房墙体开裂，施工队没有按图纸放圈梁", None),
)

CONCLUSION = "经核查，该户房屋确为C级危房，群众反映不属实"


@dataclass
class MonitoringReport:
    acts: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    houses: int = 0
    tipoffs: int = 0


class _Village:
    """Enters one village's acts as its clerk, township officer or assessor."""

    def __init__(self, runtime: Runtime, report: MonitoringReport) -> None:
        self.rt, self.report = runtime, report

    def act(self, who: str, day: date, **act: Any) -> dict[str, Any] | None:
        try:
            done = self.rt.houses.act(principal(self.rt, who), {"occurred_on": day.isoformat(),
                                                                **act})
        except RuleViolation as refusal:
            self.report.refused[refusal.rule] += 1
            return None
        self.report.acts += 1
        return done


def simulate_monitoring(runtime: Runtime, clock: SimulatedClock, plans: Iterable[CasePlan],
                        seed: int) -> MonitoringReport:
    """Enter the survey and monitoring acts of the cases in `plans` and of their villages."""
    clock.business_day(ENTERED_ON)
    report = MonitoringReport()
    village = _Village(runtime, report)
    villages: set[str] = set()
    for plan in plans:
        if plan.village not in villages:
            villages.add(plan.village)
            _other_houses(village, plan.village, seed)
        rng = random.Random(f"{seed}/survey/{plan.case_ref}")
        unsurveyed = "applications_exceed_survey" in plan.quirks  # applied beyond the ledger
        if rng.random() < 0.85 and not unsurveyed:
            _surveyed_case(village, plan, rng)
    tipoff_village = next((v for v in sorted(villages) if v.startswith(TIPOFF_COUNTY)), None)
    if tipoff_village is not None and report.houses:  # a rerun records no house: nor tip-offs
        _tipoffs(runtime, clock, tipoff_village, report)
    return report


def _tipoffs(runtime: Runtime, clock: SimulatedClock, village: str,
             report: MonitoringReport) -> None:
    """A few hotline tip-offs in one county, handed over late in the year, one concluded."""
    clerk, inspector = principal(runtime, f"vc-{village}"), principal(runtime, "dj-450323")
    for received, subject, statement, outcome in TIPOFFS:
        try:
            lodged = runtime.tipoffs.lodge_hotline(clerk, {
                "jurisdiction": village, "subject": subject, "statement": statement,
                "received_on": received})
            report.tipoffs += 1
            if received < "2022-09-01":
                runtime.tipoffs.assign(inspector, UUID(lodged["tipoff_id"]), {"to": "dj-450323"})
            if outcome is not None:
                clock.business_day(ENTERED_ON + timedelta(days=2))
                runtime.tipoffs.conclude(inspector, UUID(lodged["tipoff_id"]), {
                    "outcome": outcome, "conclusion": CONCLUSION})
                clock.business_day(ENTERED_ON)
        except RuleViolation as refusal:
            report.refused[refusal.rule] += 1


def _house(v: _Village, village: str, head: dict[str, Any], rng: random.Random,
           ledger: str = "key") -> str | None:
    done = v.act(f"vc-{village}", SWEEP - timedelta(days=5), type="record_house",
                 village=village, head={"name": head["name"], "id_number": head["id_number"]},
                 ledger=ledger, built_year=rng.randint(1965, 2012), seismic_measures=False)
    if done is None:
        return None
    v.report.houses += 1
    return str(done["house_id"])


def _found(v: _Village, village: str, house: str, rng: random.Random, day: date) -> None:
    kind = rng.choice(FOUND_BY)
    extra: dict[str, Any] = {"patrol_house": {"method": "visual"},
                             "report_unsafe_house": {},
                             "flag_house_by_comparison": {"source": "zj-mz-2022-01"}}[kind]
    if kind == "patrol_house":
        extra["photos"] = evidence(house, "patrol")
    v.act(f"vc-{village}", day, type=kind, house={"house_id": house},
          suspected_grade=rng.choice("CD"), **extra)


def _surveyed_case(v: _Village, plan: CasePlan, rng: random.Random) -> None:
    house = _house(v, plan.village, plan.household["head"], rng)
    if house is None:
        return
    _found(v, plan.village, house, rng, SWEEP + timedelta(days=rng.randint(0, 30)))
    reported = date(2022, 3, rng.randint(1, 29)) if rng.random() < 0.9 else date(2022, 4, 20)
    v.act(f"vc-{plan.village}", reported, type="report_to_township", house={"house_id": house})
    v.act(f"tw-{plan.village[:9]}", plan.applied_on, type="link_case", house={"house_id": house},
          case_ref=plan.case_ref)


def _other_houses(v: _Village, village: str, seed: int) -> None:
    """Houses of the village found unsafe and resolved (or not) without a renovation case.

    Each house draws from its own generator, so a rerun (whose records are refused as already
    there) makes the same choices for the houses after it."""
    people = People(seed + 7)
    clerk = f"vc-{village}"
    for n in range(random.Random(f"{seed}/village/{village}").randint(1, 3)):
        rng = random.Random(f"{seed}/house/{village}/{n}")
        head = people.household(village[:6], 2022, size=1,
                                index=900_000 + int(village[-6:]) * 4 + n)["head"]
        ledger = rng.choice(("key", "ordinary", "ordinary"))
        house = _house(v, village, head, rng, ledger)
        if house is None:
            continue
        found = SWEEP + timedelta(days=rng.randint(0, 60))
        _found(v, village, house, rng, found)
        if rng.random() < 0.8:
            v.act(clerk, found + timedelta(days=rng.randint(1, 40)), type="report_to_township",
                  house={"house_id": house})
        _settle(v, village, house, ledger, found, rng)


def _settle(v: _Village, village: str, house: str, ledger: str, found: date,
            rng: random.Random) -> None:
    clerk, fate = f"vc-{village}", rng.random()
    later = found + timedelta(days=rng.randint(30, 150))
    if fate < 0.25:
        v.act(clerk, found + timedelta(days=3), type="record_occupancy",
              house={"house_id": house}, elderly_in_unsafe_house=True, two_homes=False)
        v.act(clerk, later, type="resolve_house", house={"house_id": house},
              resolution="moved_to_safe_house")
    elif fate < 0.45:
        v.act(clerk, later, type="resolve_house", house={"house_id": house},
              resolution="old_house_demolished")
    elif fate < 0.6 and ledger == "ordinary":
        v.act(clerk, found + timedelta(days=10), type="order_self_repair",
              house={"house_id": house})
        v.act(clerk, later, type="resolve_house", house={"house_id": house},
              resolution="self_repaired")
    elif fate < 0.75:
        v.act(f"as-{village[:6]}", found + timedelta(days=20), type="assess_house",
              house={"house_id": house}, grade="B", method="overall_danger")
    else:
        _patrols(v, village, house, rng)


def _patrols(v: _Village, village: str, house: str, rng: random.Random) -> None:
    """Still outstanding: patrolled monthly through November, with the odd month missed."""
    for month in range(2, 12):
        if rng.random() < 0.85:
            v.act(f"vc-{village}", date(2022, month, rng.randint(1, 28)), type="patrol_house",
                  house={"house_id": house}, method="visual", suspected_grade="C")
