"""Rules from application to county approval: 一申二评三审四批 with three-level notices."""

from __future__ import annotations

from datetime import timedelta

import pytest

from renovation.aggregates.case.errors import (
    BusinessDateOrderError,
    CaseIsFinishedError,
    CertifyingDepartmentError,
    IneligibleHouseholdError,
    NoticeNotClosedError,
    NoticePeriodTooShortError,
    ObjectionUpheldError,
    ProcedureOrderError,
    QuorumNotMetError,
    SeparationOfDutiesError,
)
from renovation.aggregates.case.values import Assessor, VoteCount
from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    GradingMethod,
    MeetingType,
    NoticeLevel,
    ReviewDecision,
    Role,
    Stage,
)
from renovation.policy import assess_eligibility, decide_subsidy, load_policy
from tests.support.domain import (
    APPROVER,
    ASSESSOR,
    CERTIFIER,
    CLERK,
    GUILIN,
    PHOTO,
    START,
    TOWNSHIP_OFFICER,
    Driver,
    actor,
    new_case,
    votes,
)

ASSESSMENT = Assessor(name="鉴定组", organisation="县住建局")
DAY = START + timedelta(days=1)


def certified():
    case = new_case()
    case.certify_category(Department.CIVIL_AFFAIRS, "C-1", None, False, CERTIFIER, DAY)
    return case


def test_only_the_competent_department_may_certify_a_category() -> None:
    case = new_case(category=Category.DIBAO)
    rural = actor(Role.RURAL_REVITALIZATION_OFFICER, "450321000000")
    with pytest.raises(CertifyingDepartmentError) as caught:
        case.certify_category(Department.CIVIL_AFFAIRS, "C-1", None, False, rural, DAY)
    assert caught.value.rule == "category.certifier_role"


def test_a_certificate_cannot_expire_before_it_is_issued() -> None:
    case = new_case()
    with pytest.raises(BusinessDateOrderError) as caught:
        case.certify_category(Department.CIVIL_AFFAIRS, "C-1", START, False, CERTIFIER, DAY)
    assert caught.value.field == "valid_until"


def test_identity_is_certified_before_the_house_is_graded() -> None:
    case = new_case()
    with pytest.raises(ProcedureOrderError) as caught:
        case.grade_house(Grade.D, GradingMethod.OVERALL_DANGER, ASSESSMENT, "J", (), ASSESSOR, DAY)
    assert caught.value.rule == "procedure.house_grading_after_certification"


def test_a_grading_cannot_be_dated_before_the_certification() -> None:
    case = certified()
    with pytest.raises(BusinessDateOrderError) as caught:
        case.grade_house(
            Grade.D, GradingMethod.OVERALL_DANGER, ASSESSMENT, "J", (), ASSESSOR, START
        )
    assert caught.value.rule == "dates.procedural_order"


def test_a_graded_house_cannot_also_be_no_house() -> None:
    case = certified()
    case.grade_house(Grade.C, GradingMethod.OVERALL_DANGER, ASSESSMENT, "J", (), ASSESSOR, DAY)
    with pytest.raises(ProcedureOrderError) as caught:
        case.record_no_house("无房", (), TOWNSHIP_OFFICER, DAY)
    assert caught.value.rule == "procedure.grading_or_no_house"


def test_the_democratic_review_follows_the_grading() -> None:
    case = certified()
    with pytest.raises(ProcedureOrderError) as caught:
        case.hold_democratic_review(votes(), (), CLERK, DAY)
    assert caught.value.rule == "procedure.review_after_grading"


@pytest.mark.parametrize(
    ("meeting", "eligible", "attended", "rule"),
    [
        (MeetingType.VILLAGERS_MEETING, 100, 50, "review.quorum_villagers_meeting"),
        (MeetingType.REPRESENTATIVES_MEETING, 30, 19, "review.quorum_representatives_meeting"),
        (MeetingType.REPRESENTATIVES_MEETING, 30, 31, "review.attendance_within_eligible"),
    ],
)
def test_a_review_without_quorum_is_refused(
    meeting: MeetingType, eligible: int, attended: int, rule: str
) -> None:
    case = certified()
    case.record_no_house("外出返乡无住房", PHOTO, TOWNSHIP_OFFICER, DAY)
    count = VoteCount(
        meeting_type=meeting,
        eligible=eligible,
        attended=attended,
        votes_for=min(attended, eligible),
        votes_against=0,
        abstentions=0,
    )
    with pytest.raises(QuorumNotMetError) as caught:
        case.hold_democratic_review(count, (), CLERK, DAY)
    assert caught.value.rule == rule


def test_more_votes_than_people_present_is_refused() -> None:
    case = certified()
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, DAY)
    with pytest.raises(QuorumNotMetError) as caught:
        too_many = VoteCount(
            meeting_type=MeetingType.REPRESENTATIVES_MEETING,
            eligible=35,
            attended=30,
            votes_for=30,
            votes_against=5,
            abstentions=0,
        )
        case.hold_democratic_review(too_many, (), CLERK, DAY)
    assert caught.value.rule == "review.votes_within_attendance"


def test_a_failed_review_cannot_be_put_on_public_notice() -> None:
    case = certified()
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, DAY)
    case.hold_democratic_review(votes(attended=30, yes=15, no=15), (), CLERK, DAY)
    with pytest.raises(ProcedureOrderError) as caught:
        case.post_notice(NoticeLevel.VILLAGE, "N", "栏", 7, GUILIN, CLERK, DAY)
    assert caught.value.rule == "procedure.village_notice"


def test_a_notice_planned_shorter_than_the_policy_is_refused() -> None:
    case = certified()
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, DAY)
    case.hold_democratic_review(votes(), (), CLERK, DAY)
    with pytest.raises(NoticePeriodTooShortError) as caught:
        case.post_notice(NoticeLevel.VILLAGE, "N", "栏", 5, GUILIN, CLERK, DAY)
    assert (caught.value.rule, caught.value.value) == ("notice.village_min_days", 5)


def test_a_notice_cannot_close_before_its_minimum_period() -> None:
    case = certified()
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, DAY)
    case.hold_democratic_review(votes(), (), CLERK, DAY)
    case.post_notice(NoticeLevel.VILLAGE, "N", "栏", 7, GUILIN, CLERK, DAY)
    with pytest.raises(NoticePeriodTooShortError) as caught:
        case.close_notice(NoticeLevel.VILLAGE, 0, 0, GUILIN, CLERK, DAY + timedelta(days=6))
    assert caught.value.field == "occurred_on"
    case.close_notice(NoticeLevel.VILLAGE, 0, 0, GUILIN, CLERK, DAY + timedelta(days=7))


def test_the_township_reviews_only_after_the_village_notice_closed() -> None:
    case = certified()
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, DAY)
    case.hold_democratic_review(votes(), (), CLERK, DAY)
    case.post_notice(NoticeLevel.VILLAGE, "N", "栏", 7, GUILIN, CLERK, DAY)
    with pytest.raises(NoticeNotClosedError) as caught:
        case.review_at_township(ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, DAY)
    assert caught.value.rule == "notice.village_closed_before_township_review"


def test_a_township_review_cannot_be_backdated_before_the_notice_closed() -> None:
    driver = Driver(new_case())
    case = driver.until_village_notice_closed()
    with pytest.raises(BusinessDateOrderError):
        case.review_at_township(
            ReviewDecision.APPROVED,
            "同意",
            True,
            (),
            TOWNSHIP_OFFICER,
            driver.day - timedelta(days=1),
        )


def test_upheld_objections_block_approval_but_not_a_return() -> None:
    driver = Driver(new_case())
    case = driver.case
    case.certify_category(Department.CIVIL_AFFAIRS, "C", None, False, CERTIFIER, driver.next_day())
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    case.hold_democratic_review(votes(), (), CLERK, driver.next_day())
    case.post_notice(NoticeLevel.VILLAGE, "N", "栏", 7, GUILIN, CLERK, driver.next_day())
    case.close_notice(NoticeLevel.VILLAGE, 3, 1, GUILIN, CLERK, driver.next_day(7))
    with pytest.raises(ObjectionUpheldError):
        case.review_at_township(
            ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, driver.day
        )
    case.review_at_township(
        ReviewDecision.RETURNED, "异议成立，退回重议", True, (), TOWNSHIP_OFFICER, driver.day
    )
    assert case.stage is Stage.RETURNED


def test_a_returned_case_holds_its_review_and_village_notice_again() -> None:
    driver = Driver(new_case())
    case = driver.until_village_notice_closed()
    case.review_at_township(
        ReviewDecision.RETURNED, "材料不全", True, (), TOWNSHIP_OFFICER, driver.next_day()
    )
    with pytest.raises(NoticeNotClosedError):
        case.review_at_township(
            ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, driver.next_day()
        )
    case.hold_democratic_review(votes(), (), CLERK, driver.next_day())
    driver.notice(NoticeLevel.VILLAGE, CLERK)
    case.review_at_township(
        ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, driver.next_day()
    )
    assert case.stage is Stage.TOWNSHIP_APPROVED


def test_county_approval_waits_for_the_township_notice_to_close() -> None:
    driver = Driver(new_case())
    case = driver.to(Stage.TOWNSHIP_APPROVED)
    case.post_notice(
        NoticeLevel.TOWNSHIP, "N", "栏", 7, GUILIN, TOWNSHIP_OFFICER, driver.next_day()
    )
    with pytest.raises(NoticeNotClosedError) as caught:
        case.grant_county_approval(None, GUILIN, APPROVER, driver.next_day(3))
    assert caught.value.rule == "notice.township_closed_before_county_approval"
    assert case.stage is Stage.TOWNSHIP_APPROVED
    assert "CountyApprovalGranted" not in [type(e).__name__ for e in case.pending_events]


def test_the_township_reviewer_cannot_also_grant_county_approval() -> None:
    driver = Driver(new_case())
    case = driver.to(Stage.TOWNSHIP_APPROVED)
    driver.notice(NoticeLevel.TOWNSHIP, TOWNSHIP_OFFICER)
    reviewer_as_approver = actor(Role.COUNTY_OFFICER, "450321000000", TOWNSHIP_OFFICER.id)
    with pytest.raises(SeparationOfDutiesError) as caught:
        case.grant_county_approval(None, GUILIN, reviewer_as_approver, driver.next_day())
    assert caught.value.rule == "duties.reviewer_is_not_approver"


def test_county_approval_records_the_subsidy_and_the_policy_it_applied() -> None:
    case = Driver(new_case(category=Category.DIBAO)).to(Stage.COUNTY_APPROVED)
    # 低保户 are certified by civil affairs: 18,500 yuan in Guilin, split three ways.
    assert case.subsidy is not None
    assert case.subsidy.amount_yuan == 18500
    assert case.subsidy.split_yuan == {"central_regional": 15000, "city": 1500, "county": 2000}
    assert (case.subsidy.policy_id, case.subsidy.policy_version) == ("guilin-2022", 3)
    [approval] = [e for e in case.pending_events if type(e).__name__ == "CountyApprovalGranted"]
    assert approval.eligibility.eligible and approval.subsidy == case.subsidy
    # A reader recomputes the decision from the policy file and the recorded inputs.
    policy = load_policy(approval.subsidy.policy_id)
    assert policy.version == approval.subsidy.policy_version
    assert decide_subsidy(policy, approval.subsidy.inputs) == approval.subsidy
    assert assess_eligibility(policy, approval.eligibility.inputs) == approval.eligibility


def test_a_household_certified_by_the_wrong_department_is_ineligible() -> None:
    driver = Driver(new_case(category=Category.MONITORING))
    with pytest.raises(CertifyingDepartmentError):
        Driver(new_case(category=Category.DIBAO)).case.certify_category(
            Department.RURAL_REVITALIZATION, "C", None, False, CERTIFIER, START
        )
    case = driver.to(Stage.TOWNSHIP_APPROVED)
    driver.notice(NoticeLevel.TOWNSHIP, TOWNSHIP_OFFICER)
    with pytest.raises(IneligibleHouseholdError) as caught:
        case.grant_county_approval(None, GUILIN, APPROVER, driver.next_day())
    assert (caught.value.rule, caught.value.value) == (
        "eligibility.category_certified",
        "civil_affairs",
    )


def test_a_house_graded_b_is_not_eligible() -> None:
    driver = Driver(new_case())
    case = driver.case
    case.certify_category(Department.CIVIL_AFFAIRS, "C", None, False, CERTIFIER, driver.next_day())
    case.grade_house(
        Grade.B, GradingMethod.OVERALL_DANGER, ASSESSMENT, "J", (), ASSESSOR, driver.next_day()
    )
    case.hold_democratic_review(votes(), (), CLERK, driver.next_day())
    driver.notice(NoticeLevel.VILLAGE, CLERK)
    case.review_at_township(
        ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, driver.next_day()
    )
    driver.notice(NoticeLevel.TOWNSHIP, TOWNSHIP_OFFICER)
    with pytest.raises(IneligibleHouseholdError) as caught:
        case.grant_county_approval(None, GUILIN, APPROVER, driver.next_day())
    assert (caught.value.rule, caught.value.value) == ("eligibility.unsafe_only_house", "B")


def test_an_expired_certificate_no_longer_qualifies_the_household() -> None:
    driver = Driver(new_case())
    case = driver.case
    case.certify_category(
        Department.CIVIL_AFFAIRS,
        "C",
        START + timedelta(days=10),
        False,
        CERTIFIER,
        driver.next_day(),
    )
    case.record_no_house("无房", PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    case.hold_democratic_review(votes(), (), CLERK, driver.next_day())
    driver.notice(NoticeLevel.VILLAGE, CLERK)
    case.review_at_township(
        ReviewDecision.APPROVED, "同意", True, (), TOWNSHIP_OFFICER, driver.next_day()
    )
    driver.notice(NoticeLevel.TOWNSHIP, TOWNSHIP_OFFICER)
    with pytest.raises(IneligibleHouseholdError) as caught:
        case.grant_county_approval(None, GUILIN, APPROVER, driver.next_day())
    assert caught.value.rule == "eligibility.category_certified"


def test_only_the_township_or_county_rejects_and_a_rejected_case_is_finished() -> None:
    case = new_case()
    with pytest.raises(ProcedureOrderError):
        case.reject(NoticeLevel.VILLAGE, "不符合", CLERK, DAY)
    with pytest.raises(ProcedureOrderError):
        case.reject(NoticeLevel.COUNTY, "不符合", APPROVER, DAY)
    case.reject(NoticeLevel.TOWNSHIP, "家庭收入超标", TOWNSHIP_OFFICER, DAY)
    assert case.stage is Stage.REJECTED
    with pytest.raises(CaseIsFinishedError) as caught:
        case.certify_category(Department.CIVIL_AFFAIRS, "C", None, False, CERTIFIER, DAY)
    assert caught.value.rule == "case.open"
