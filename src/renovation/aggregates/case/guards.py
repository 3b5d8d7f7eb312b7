"""Checks shared by the case's commands. Each raises a named domain error or returns quietly."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from renovation.aggregates.base import Actor, recorded_today
from renovation.aggregates.case.errors import (
    ActorIsApplicantError,
    BusinessDateOrderError,
    CaseIsFinishedError,
    FutureBusinessDateError,
    NoticeNotClosedError,
    ObjectionUpheldError,
    ProcedureOrderError,
    QuorumNotMetError,
    SeparationOfDutiesError,
)
from renovation.aggregates.case.state import CaseState
from renovation.aggregates.case.values import StaffRef, VoteCount
from renovation.kernel.staff import same_person
from renovation.kernel.vocabulary import MeetingType, NoticeLevel, Stage


def business_date(occurred_on: date) -> None:
    """A business date may not lie in the future of the recording clock."""
    today = recorded_today()
    if occurred_on > today:
        raise FutureBusinessDateError(
            "dates.not_in_future",
            "occurred_on",
            occurred_on,
            f"business date {occurred_on} is after today ({today})",
        )


def not_before(occurred_on: date, earlier: date | None, what: str) -> None:
    """An act cannot be dated before the act it depends on."""
    if earlier is not None and occurred_on < earlier:
        raise BusinessDateOrderError(
            "dates.procedural_order",
            "occurred_on",
            occurred_on,
            f"business date {occurred_on} is before {what} on {earlier}",
        )


def open_case(case: CaseState) -> None:
    if case.stage.is_terminal:
        raise CaseIsFinishedError(
            "case.open",
            "stage",
            case.stage,
            f"case {case.case_ref} is {case.stage.value}; it accepts no further acts",
        )


def stage_in(case: CaseState, allowed: Iterable[Stage], act: str) -> None:
    allowed = tuple(allowed)
    open_case(case)
    if case.stage not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise ProcedureOrderError(
            f"procedure.{act}",
            "stage",
            case.stage,
            f"{act.replace('_', ' ')} requires the case to be {names}; it is {case.stage.value}",
        )


def acting(
    case: CaseState, actor: Actor, occurred_on: date, stages: Iterable[Stage], act: str
) -> None:
    """What every act checks: the stage allows it, the date is real, the actor is impartial."""
    stage_in(case, stages, act)
    business_date(occurred_on)
    not_household_member(case, actor)


def not_household_member(case: CaseState, actor: Actor) -> None:
    """Nobody acts on a case where they are the applicant or a member of the household."""
    if actor.person_ref and actor.person_ref in case.household.person_refs():
        raise ActorIsApplicantError(
            "duties.not_own_household",
            "actor.id",
            actor.id,
            f"actor {actor.id} belongs to the applicant household of case {case.case_ref}",
        )


def distinct_from(
    people: Iterable[Actor | StaffRef], others: Collection[str], rule: str, duty: str
) -> None:
    """None of `people` may also have performed `duty` on this case.

    People are compared by identity keys (folded staff id, ID-number blind index), so neither
    the letter case of an id nor a second account of the same person gets round the rule.
    """
    for person in people:
        if same_person(person.identity, others):
            raise SeparationOfDutiesError(
                rule,
                "actor.id",
                person.id,
                f"{person.id} already {duty} this case and cannot also act here",
            )


def notice_closed(
    case: CaseState, level: NoticeLevel, occurred_on: date, decision: str, *, approving: bool
) -> None:
    """A decision waits for the closing of the notice it depends on (and heeds its objections)."""
    notice = case.notices.get(level)
    if notice is None or notice.closed_on is None:
        state = "has not been posted" if notice is None else "is still open"
        raise NoticeNotClosedError(
            f"notice.{level.value}_closed_before_{decision}",
            "notices",
            level,
            f"{decision.replace('_', ' ')} requires the {level.value} notice to have closed;"
            f" it {state}",
        )
    not_before(occurred_on, notice.closed_on, f"the close of the {level.value} notice")
    if approving and notice.objections_upheld:
        raise ObjectionUpheldError(
            f"notice.{level.value}_objections",
            "objections_upheld",
            notice.objections_upheld,
            f"the {level.value} notice closed with upheld objections; it cannot lead to approval",
        )


def quorum(votes: VoteCount) -> bool:
    """Check the counts against 村民委员会组织法 Art. 22/26; return whether the motion passed.

    A villagers' meeting needs more than half of the adult villagers (`eligible`); a
    representatives' meeting needs two thirds of its members. A motion passes with more than
    half of those present.
    """
    counted = votes.votes_for + votes.votes_against + votes.abstentions
    if votes.attended > votes.eligible:
        raise QuorumNotMetError(
            "review.attendance_within_eligible", "votes.attended", votes.attended,
            f"attendance {votes.attended} exceeds the {votes.eligible} eligible participants",
        )
    if counted > votes.attended:
        raise QuorumNotMetError(
            "review.votes_within_attendance", "votes.votes_for", votes.votes_for,
            f"{counted} votes counted but only {votes.attended} attended",
        )
    if votes.meeting_type is MeetingType.VILLAGERS_MEETING:
        enough, need = votes.attended * 2 > votes.eligible, "more than half"
    else:
        enough, need = votes.attended * 3 >= votes.eligible * 2, "at least two thirds"
    if not enough:
        raise QuorumNotMetError(
            f"review.quorum_{votes.meeting_type.value}", "votes.attended", votes.attended,
            f"a {votes.meeting_type.value.replace('_', ' ')} needs {need} of its"
            f" {votes.eligible} members present; {votes.attended} attended",
        )
    return votes.votes_for * 2 > votes.attended
