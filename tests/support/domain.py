"""Building cases directly on the aggregate, without the application: for pure domain tests."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.values import (
    AcceptanceResult,
    Amounts,
    Assessor,
    BankAccount,
    Builder,
    HouseCondition,
    Household,
    Person,
    StaffRef,
    VoteCount,
)
from renovation.kernel.protected import ProtectedValue, Sealed
from renovation.kernel.vocabulary import (
    ApplicationChannel,
    Category,
    ConstructionMode,
    Department,
    Grade,
    GradingMethod,
    HouseStructure,
    MeetingType,
    NoticeLevel,
    PaymentChannel,
    RenovationMode,
    ReviewDecision,
    Role,
    Stage,
    Tranche,
)
from renovation.policy import load_policy

GUILIN = load_policy("guilin-2022")
VILLAGE = "450321100201"
TOWNSHIP = "450321100000"
COUNTY = "450321000000"
START = date(2022, 3, 1)


def ref(seed: object) -> str:
    """A blind-index-shaped value."""
    return hashlib.sha256(str(seed).encode()).hexdigest()


def protected(masked: str, key: str = "household-1", index: object | None = None) -> ProtectedValue:
    """A sealed value whose ciphertext is a stand-in: domain rules never open it."""
    sealed = Sealed(key_id=ref(key), nonce="A" * 16, ciphertext="c2VhbGVk")
    return ProtectedValue(sealed=sealed, masked=masked, ref=None if index is None else ref(index))


def person(n: int, relationship: str = "户主") -> Person:
    return Person(
        name=protected("张*"),
        id_number=protected("450321********0001", index=f"person-{n}"),
        relationship=relationship,
    )


def household(size: int = 3, members: int = 1, account: bool = True) -> Household:
    return Household(
        head=person(0),
        members=tuple(person(n, "配偶") for n in range(1, members + 1)),
        size=size,
        phone=protected("138****0000", index="phone-1"),
        account=BankAccount(bank="桂林银行", number=protected("****1234", index="account-1"))
        if account
        else None,
    )


def actor(role: Role, code: str, name: str | None = None, person_ref: str | None = None) -> Actor:
    return Actor(
        id=name or f"{role.value}-{code}", role=role, jurisdiction=code, person_ref=person_ref
    )


CLERK = actor(Role.VILLAGE_CLERK, VILLAGE)
CERTIFIER = actor(Role.CIVIL_AFFAIRS_OFFICER, COUNTY)
ASSESSOR = actor(Role.ASSESSOR, COUNTY)
TOWNSHIP_OFFICER = actor(Role.TOWNSHIP_OFFICER, TOWNSHIP)
APPROVER = actor(Role.COUNTY_OFFICER, COUNTY, "approver")
COUNTY_CLERK = actor(Role.COUNTY_OFFICER, COUNTY, "county-clerk")
INSPECTOR = actor(Role.COUNTY_INSPECTOR, COUNTY, "inspector-1")
FINANCE = actor(Role.FINANCE_OFFICER, COUNTY)
CITY = actor(Role.CITY_INSPECTOR, "450300000000")
TEAM = (
    StaffRef(id="inspector-1", role=Role.COUNTY_INSPECTOR),
    StaffRef(id="inspector-2", role=Role.COUNTY_INSPECTOR),
)
PHOTO = (ref("photo"),)


def new_case(
    case_ref: str = "450321-2022-0001",
    *,
    mode: RenovationMode = RenovationMode.REBUILD_IN_PLACE,
    category: Category = Category.DIBAO,
    members: Household | None = None,
    on: date = START,
    by: Actor = CLERK,
) -> RenovationCase:
    return RenovationCase.submit(
        policy=GUILIN,
        actor=by,
        occurred_on=on,
        case_ref=case_ref,
        programme_id="guilin-2022",
        village_code=VILLAGE,
        channel=ApplicationChannel.HOUSEHOLD,
        on_behalf_reason=None,
        household=members or household(),
        category=category,
        extremely_low_income=False,
        house=HouseCondition(structure=HouseStructure.EARTH, year_built=1978),
        planned_mode=mode,
        prior_support=(),
        reentry_reason=None,
        supported_in_programmes=(),
    )


def votes(eligible: int = 35, attended: int = 30, yes: int = 28, no: int = 1) -> VoteCount:
    return VoteCount(
        meeting_type=MeetingType.REPRESENTATIVES_MEETING,
        eligible=eligible,
        attended=attended,
        votes_for=yes,
        votes_against=no,
        abstentions=attended - yes - no,
    )


def acceptance(area: str = "60", rating: str = "A", passed: bool = True) -> AcceptanceResult:
    return AcceptanceResult(
        passed=passed,
        measured_area_m2=Decimal(area),
        safety_rating=rating,
        household_agrees=True,
        team=TEAM,
    )


class Driver:
    """Moves a case forward with valid acts, one business day apart (notices: their minimum)."""

    ORDER = (
        Stage.APPLIED,
        Stage.TOWNSHIP_APPROVED,
        Stage.COUNTY_APPROVED,
        Stage.AGREEMENT_SIGNED,
        Stage.UNDER_CONSTRUCTION,
        Stage.CONSTRUCTION_COMPLETED,
        Stage.ACCEPTED,
        Stage.CLOSED,
    )

    def __init__(self, case: RenovationCase, day: date = START) -> None:
        self.case, self.day = case, day

    def next_day(self, days: int = 1) -> date:
        self.day += timedelta(days=days)
        return self.day

    def notice(self, level: NoticeLevel, by: Actor) -> None:
        self.case.post_notice(
            level,
            f"N-{level.value}",
            "公示栏",
            GUILIN.notice_min_days[level],
            GUILIN,
            by,
            self.next_day(),
        )
        self.case.close_notice(
            level, 0, 0, GUILIN, by, self.next_day(GUILIN.notice_min_days[level])
        )

    def until_village_notice_closed(self) -> RenovationCase:
        c = self.case
        c.certify_category(
            Department.CIVIL_AFFAIRS, "CERT-1", None, False, CERTIFIER, self.next_day()
        )
        c.grade_house(
            Grade.D,
            GradingMethod.OVERALL_DANGER,
            Assessor(name="鉴定组", organisation="县住建局"),
            "JD-1",
            PHOTO,
            ASSESSOR,
            self.next_day(),
        )
        c.hold_democratic_review(votes(), PHOTO, CLERK, self.next_day())
        self.notice(NoticeLevel.VILLAGE, CLERK)
        return c

    def to(self, stage: Stage) -> RenovationCase:
        c = self.case
        steps = {
            Stage.TOWNSHIP_APPROVED: self._township,
            Stage.COUNTY_APPROVED: self._county,
            Stage.AGREEMENT_SIGNED: self._agreement,
            Stage.UNDER_CONSTRUCTION: lambda: c.start_construction(
                Builder(name="工匠"), PHOTO, TOWNSHIP_OFFICER, self.next_day()
            ),
            Stage.CONSTRUCTION_COMPLETED: lambda: c.complete_construction(
                Decimal("60"), HouseStructure.MASONRY, PHOTO, TOWNSHIP_OFFICER, self.next_day()
            ),
            Stage.ACCEPTED: lambda: c.record_county_acceptance(
                acceptance(), GUILIN, INSPECTOR, self.next_day()
            ),
            Stage.CLOSED: self._paid_and_closed,
        }
        for step in self.ORDER[self.ORDER.index(c.stage) + 1 : self.ORDER.index(stage) + 1]:
            steps[step]()
        assert c.stage is stage, c.stage
        return c

    def _township(self) -> None:
        self.until_village_notice_closed()
        self.case.review_at_township(
            ReviewDecision.APPROVED, "符合条件", True, (), TOWNSHIP_OFFICER, self.next_day()
        )

    def _county(self) -> None:
        self.notice(NoticeLevel.TOWNSHIP, TOWNSHIP_OFFICER)
        self.case.grant_county_approval(None, GUILIN, APPROVER, self.next_day())

    def _agreement(self) -> None:
        self.notice(NoticeLevel.COUNTY, APPROVER)
        mode = self.case.planned_mode
        self.case.sign_agreement(
            "XY-1",
            mode,
            ConstructionMode.SELF_BUILD,
            None,
            date(2022, 10, 31),
            "7度设防",
            date(2022, 11, 30) if mode.requires_demolition and not self.case.no_house_on
            else None,
            GUILIN,
            TOWNSHIP_OFFICER,
            self.next_day(),
        )

    def _paid_and_closed(self) -> None:
        c = self.case
        assert c.subsidy is not None and c.agreement is not None
        if c.demolition_required:
            c.record_demolition(PHOTO, TOWNSHIP_OFFICER, self.next_day())
        c.request_payment(
            "BF-1",
            Tranche.FINAL,
            Amounts(by_source=c.subsidy.split_yuan),
            PaymentChannel.ONE_CARD,
            GUILIN,
            COUNTY_CLERK,
            self.next_day(),
        )
        c.disburse_payment("BF-1", "PZ-1", FINANCE, self.next_day())
        c.close(COUNTY_CLERK, self.next_day())
