"""Random walks through the procedure, valid and invalid acts mixed, must keep the invariants.

Whatever order acts are attempted in, and whoever attempts them: nothing is paid before the
county acceptance passes, paid never exceeds approved (per source), nobody who approved a case
accepts it, versions are contiguous, a refused act changes nothing, and replay gives the same case.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.values import Amounts, Assessor, Builder, VoteCount
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import (
    ConstructionMode,
    Department,
    Grade,
    GradingMethod,
    MeetingType,
    NoticeLevel,
    PaymentChannel,
    RenovationMode,
    ReviewDecision,
    Role,
    Stage,
    Tranche,
)
from tests.support.domain import (
    APPROVER,
    ASSESSOR,
    CERTIFIER,
    CITY,
    CLERK,
    COUNTY_CLERK,
    FINANCE,
    GUILIN,
    INSPECTOR,
    PHOTO,
    START,
    TOWNSHIP_OFFICER,
    Driver,
    acceptance,
    actor,
    new_case,
)
from tests.unit.case.test_payment_and_closure import replay

INSPECTORS = [
    INSPECTOR,
    actor(Role.COUNTY_INSPECTOR, "450321000000", APPROVER.id),
    actor(Role.COUNTY_INSPECTOR, "450321000000", TOWNSHIP_OFFICER.id),
]
APPROVERS = [APPROVER, actor(Role.COUNTY_OFFICER, "450321000000", TOWNSHIP_OFFICER.id)]
NOTICE_BY = {
    NoticeLevel.VILLAGE: CLERK,
    NoticeLevel.TOWNSHIP: TOWNSHIP_OFFICER,
    NoticeLevel.COUNTY: APPROVER,
}
SOURCES = ("central_regional", "city", "county", "province")


class CaseWorkflow(RuleBasedStateMachine):
    case: RenovationCase
    day: date

    @initialize(mode=st.sampled_from(list(RenovationMode)[:3]))
    def apply(self, mode: RenovationMode) -> None:
        self.case, self.day, self.requests = new_case(mode=mode), START, 0

    def attempt(self, gap: int, act: str, *args: object, actor: Actor) -> None:
        """Call the act one `gap` of days later; a refusal must leave the case untouched."""
        self.day += timedelta(days=gap)
        version, pending = self.case.version, len(self.case.pending_events)
        try:
            getattr(self.case, act)(*args, actor=actor, occurred_on=self.day)
        except RuleViolation:
            assert (self.case.version, len(self.case.pending_events)) == (version, pending)
        else:
            assert self.case.version == version + 1

    @rule()
    def advance(self) -> None:
        """Take the next valid step, so walks also reach acceptance, payment and closing."""
        order = Driver.ORDER
        if self.case.stage not in order or self.case.stage is Stage.CLOSED:
            return
        driver = Driver(self.case, self.day)
        try:
            driver.to(order[order.index(self.case.stage) + 1])
        except RuleViolation:
            return  # an earlier random act (a failed review, a failed spot check) blocks the path
        finally:
            self.day = driver.day
        event(f"reached {self.case.stage.value}")

    @rule(gap=st.integers(0, 3), department=st.sampled_from(list(Department)))
    def certify(self, gap: int, department: Department) -> None:
        self.attempt(gap, "certify_category", department, "C-1", None, False, actor=CERTIFIER)

    @rule(gap=st.integers(0, 3), grade=st.sampled_from(list(Grade)))
    def grade(self, gap: int, grade: Grade) -> None:
        assessor = Assessor(name="鉴定组", organisation="县住建局")
        self.attempt(
            gap,
            "grade_house",
            grade,
            GradingMethod.OVERALL_DANGER,
            assessor,
            "J",
            PHOTO,
            actor=ASSESSOR,
        )

    @rule(gap=st.integers(0, 3), attended=st.integers(15, 35), yes=st.integers(0, 35))
    def review(self, gap: int, attended: int, yes: int) -> None:
        yes = min(yes, attended)
        votes = VoteCount(
            meeting_type=MeetingType.REPRESENTATIVES_MEETING,
            eligible=35,
            attended=attended,
            votes_for=yes,
            votes_against=attended - yes,
            abstentions=0,
        )
        self.attempt(gap, "hold_democratic_review", votes, PHOTO, actor=CLERK)

    @rule(gap=st.integers(0, 3), level=st.sampled_from(list(NoticeLevel)), days=st.integers(3, 9))
    def post_notice(self, gap: int, level: NoticeLevel, days: int) -> None:
        self.attempt(gap, "post_notice", level, "N", "栏", days, GUILIN, actor=NOTICE_BY[level])

    @rule(
        gap=st.integers(0, 9),
        level=st.sampled_from(list(NoticeLevel)),
        upheld=st.sampled_from([0, 0, 1]),
    )
    def close_notice(self, gap: int, level: NoticeLevel, upheld: int) -> None:
        self.attempt(gap, "close_notice", level, 2, upheld, GUILIN, actor=NOTICE_BY[level])

    @rule(gap=st.integers(0, 3), decision=st.sampled_from(list(ReviewDecision)))
    def township(self, gap: int, decision: ReviewDecision) -> None:
        self.attempt(gap, "review_at_township", decision, "意见", True, (), actor=TOWNSHIP_OFFICER)

    @rule(gap=st.integers(0, 3), by=st.sampled_from(APPROVERS))
    def approve(self, gap: int, by: Actor) -> None:
        self.attempt(gap, "grant_county_approval", None, GUILIN, actor=by)

    @rule(gap=st.integers(0, 3))
    def agree(self, gap: int) -> None:
        mode = self.case.planned_mode
        demolition = date(2022, 12, 31) if mode.requires_demolition else None
        self.attempt(
            gap,
            "sign_agreement",
            "XY",
            mode,
            ConstructionMode.SELF_BUILD,
            None,
            date(2023, 6, 30),
            "7度设防",
            demolition,
            GUILIN,
            actor=TOWNSHIP_OFFICER,
        )

    @rule(gap=st.integers(0, 20))
    def build(self, gap: int) -> None:
        if self.case.stage is Stage.AGREEMENT_SIGNED:
            self.attempt(
                gap, "start_construction", Builder(name="工匠"), PHOTO, actor=TOWNSHIP_OFFICER
            )
        else:
            self.attempt(
                gap, "complete_construction", Decimal(55), "masonry", PHOTO, actor=TOWNSHIP_OFFICER
            )

    @rule(
        gap=st.integers(0, 10),
        by=st.sampled_from(INSPECTORS),
        area=st.sampled_from(["35", "55"]),
        rating=st.sampled_from("ABC"),
    )
    def accept(self, gap: int, by: Actor, area: str, rating: str) -> None:
        result = acceptance(area, rating, passed=rating != "C")
        self.attempt(gap, "record_county_acceptance", result, GUILIN, actor=by)

    @rule(gap=st.integers(0, 5), passed=st.booleans())
    def spot_check(self, gap: int, passed: bool) -> None:
        self.attempt(gap, "record_city_spot_check", passed, "D", (), PHOTO, actor=CITY)

    @rule(gap=st.integers(0, 5))
    def demolish(self, gap: int) -> None:
        self.attempt(gap, "record_demolition", PHOTO, actor=TOWNSHIP_OFFICER)

    @rule(
        gap=st.integers(0, 10),
        source=st.sampled_from(SOURCES),
        amount=st.integers(1, 20000),
        tranche=st.sampled_from(list(Tranche)),
    )
    def request_payment(self, gap: int, source: str, amount: int, tranche: Tranche) -> None:
        self.requests += 1
        self.attempt(
            gap,
            "request_payment",
            f"BF-{self.requests}",
            tranche,
            Amounts(by_source={source: amount}),
            PaymentChannel.ONE_CARD,
            GUILIN,
            actor=COUNTY_CLERK,
        )

    @rule(gap=st.integers(0, 5), n=st.integers(1, 6))
    def disburse(self, gap: int, n: int) -> None:
        self.attempt(gap, "disburse_payment", f"BF-{n}", "PZ", actor=FINANCE)

    @rule(gap=st.integers(0, 5))
    def close(self, gap: int) -> None:
        self.attempt(gap, "close", actor=COUNTY_CLERK)

    @rule(gap=st.integers(0, 5), level=st.sampled_from([NoticeLevel.TOWNSHIP, NoticeLevel.COUNTY]))
    def reject(self, gap: int, level: NoticeLevel) -> None:
        self.attempt(gap, "reject", level, "不符合条件", actor=NOTICE_BY[level])

    @invariant()
    def nothing_is_paid_before_the_county_acceptance(self) -> None:
        if self.case.total_paid or self.case.requests:
            assert self.case.accepted_on is not None
            assert all(r.requested_on >= self.case.accepted_on for r in self.case.requests.values())

    @invariant()
    def paid_never_exceeds_approved(self) -> None:
        approved = self.case.subsidy.split_yuan if self.case.subsidy else {}
        for source, paid in self.case.paid_by_source.items():
            assert paid <= approved.get(source, 0)
        for source, requested in self.case.requested_by_source().items():
            assert requested <= approved.get(source, 0)

    @invariant()
    def nobody_accepts_what_they_approved(self) -> None:
        assert not (self.case.acceptors & self.case.approvers)

    @invariant()
    def versions_are_contiguous_and_replay_gives_the_same_case(self) -> None:
        events = self.case.pending_events
        assert [e.originator_version for e in events] == list(range(1, self.case.version + 1))
        again = replay(self.case)
        assert {k: v for k, v in vars(again).items() if k != "_pending_events"} == {
            k: v for k, v in vars(self.case).items() if k != "_pending_events"
        }


CaseWorkflow.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_case_workflow = CaseWorkflow.TestCase
