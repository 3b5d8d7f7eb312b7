"""每项指令做什么 — the case method each command calls, one typed function per command class.

A handler reads the command's payload field by field and calls the one case method that decides
it, so a type checker and the tests tie every payload to the method it reaches. What a handler
needs beyond the case and the command comes in `Act`: the checked acting official, the
programme's policy, the staff directory for officials named on a form, and the household's
sealer for personal data (kept only if the case accepts the command).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import JsonValue, ValidationError

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.values import StaffRef
from renovation.application import sealing
from renovation.application.commands import delivery as d
from renovation.application.commands import selection as s
from renovation.application.commands.base import BankAccountInput, Command
from renovation.identity import HouseholdSealer
from renovation.kernel.errors import InvalidInputError
from renovation.policy import Policy
from renovation.policy.comparison import ListCheck


@dataclass
class Act:
    """The context a handler acts in."""

    actor: Actor
    occurred_on: date
    policy_or_none: Policy | None
    staff: Callable[[StaffRef, str], StaffRef]  # (named official, field) → checked official
    open_sealer: Callable[[], HouseholdSealer]
    sealers: list[HouseholdSealer] = field(default_factory=list)
    listing: Callable[[], ListCheck | None] = lambda: None  # the household on its list?

    @property
    def policy(self) -> Policy:
        assert self.policy_or_none is not None, "the command class must set needs_policy"
        return self.policy_or_none

    def sealer(self) -> HouseholdSealer:
        sealer = self.open_sealer()
        self.sealers.append(sealer)
        return sealer


Handler = Callable[[RenovationCase, Any, Act], None]


def _certify(case: RenovationCase, cmd: s.CertifyCategory, act: Act) -> None:
    p = cmd.payload
    case.certify_category(department=p.department, certificate_no=p.certificate_no,
                          valid_until=p.valid_until, extremely_low_income=p.extremely_low_income,
                          actor=act.actor, occurred_on=act.occurred_on, listing=act.listing())


def _grade(case: RenovationCase, cmd: s.GradeHouse, act: Act) -> None:
    p = cmd.payload
    case.grade_house(grade=p.grade, method=p.method, assessor=p.assessor, report_no=p.report_no,
                     evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _no_house(case: RenovationCase, cmd: s.RecordNoHouse, act: Act) -> None:
    case.record_no_house(basis=cmd.payload.basis, evidence=cmd.payload.evidence,
                         actor=act.actor, occurred_on=act.occurred_on)


def _review(case: RenovationCase, cmd: s.HoldDemocraticReview, act: Act) -> None:
    case.hold_democratic_review(votes=cmd.payload.votes, minutes=cmd.payload.minutes,
                                actor=act.actor, occurred_on=act.occurred_on)


def _post_notice(case: RenovationCase, cmd: s.PostNotice, act: Act) -> None:
    p = cmd.payload
    case.post_notice(level=p.level, notice_no=p.notice_no, location=p.location,
                     planned_days=p.planned_days, policy=act.policy, actor=act.actor,
                     occurred_on=act.occurred_on)


def _close_notice(case: RenovationCase, cmd: s.CloseNotice, act: Act) -> None:
    p = cmd.payload
    case.close_notice(level=p.level, objections_received=p.objections_received,
                      objections_upheld=p.objections_upheld, policy=act.policy, actor=act.actor,
                      occurred_on=act.occurred_on)


def _township(case: RenovationCase, cmd: s.ReviewAtTownship, act: Act) -> None:
    p = cmd.payload
    case.review_at_township(decision=p.decision, opinion=p.opinion, home_visited=p.home_visited,
                            evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _means(case: RenovationCase, cmd: s.AssessMeans, act: Act) -> None:
    p = cmd.payload
    case.assess_means(self_funding=p.self_funding, basis=sealing.seal_text(act.sealer(), p.basis),
                      evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _approve(case: RenovationCase, cmd: s.GrantCountyApproval, act: Act) -> None:
    case.grant_county_approval(approved_mode=cmd.payload.approved_mode, policy=act.policy,
                               actor=act.actor, occurred_on=act.occurred_on,
                               listing=act.listing())


def _reject(case: RenovationCase, cmd: s.RejectCase, act: Act) -> None:
    case.reject(level=cmd.payload.level, reason=sealing.seal_text(act.sealer(), cmd.payload.reason),
                actor=act.actor, occurred_on=act.occurred_on)


def _withdraw(case: RenovationCase, cmd: s.WithdrawCase, act: Act) -> None:
    case.withdraw(reason=sealing.seal_text(act.sealer(), cmd.payload.reason),
                  evidence=cmd.payload.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _agreement(case: RenovationCase, cmd: d.SignAgreement, act: Act) -> None:
    p = cmd.payload
    payee = None
    if p.payee is not None:
        payee = sealing.seal_payee(act.sealer(), p.payee, "payload.payee")
    case.sign_agreement(agreement_no=p.agreement_no, renovation_mode=p.renovation_mode,
                        construction_mode=p.construction_mode, payee=payee, deadline=p.deadline,
                        seismic_requirements=p.seismic_requirements,
                        demolition_due=p.demolition_due, policy=act.policy, actor=act.actor,
                        occurred_on=act.occurred_on)


def _start(case: RenovationCase, cmd: d.StartConstruction, act: Act) -> None:
    case.start_construction(builder=cmd.payload.builder, evidence=cmd.payload.evidence,
                            actor=act.actor, occurred_on=act.occurred_on)


def _progress(case: RenovationCase, cmd: d.ReportProgress, act: Act) -> None:
    p = cmd.payload
    case.report_progress(milestone=p.milestone, percent_complete=p.percent_complete,
                         evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _complete(case: RenovationCase, cmd: d.CompleteConstruction, act: Act) -> None:
    p = cmd.payload
    case.complete_construction(built_area_m2=p.built_area_m2, structure=p.structure,
                               evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _accept(case: RenovationCase, cmd: d.RecordCountyAcceptance, act: Act) -> None:
    result = cmd.payload.result
    team = tuple(act.staff(member, f"payload.result.team.{n}")
                 for n, member in enumerate(result.team))
    if team != result.team:
        result = result.model_copy(update={"team": team})
    case.record_county_acceptance(result=result, policy=act.policy, actor=act.actor,
                                  occurred_on=act.occurred_on)


def _city_check(case: RenovationCase, cmd: d.RecordCitySpotCheck, act: Act) -> None:
    p = cmd.payload
    case.record_city_spot_check(passed=p.passed, draw_ref=p.draw_ref, findings=p.findings,
                                evidence=p.evidence, actor=act.actor, occurred_on=act.occurred_on)


def _provincial(case: RenovationCase, cmd: d.RecordProvincialAcceptance, act: Act) -> None:
    p = cmd.payload
    case.record_provincial_acceptance(passed=p.passed, findings=p.findings, evidence=p.evidence,
                                      actor=act.actor, occurred_on=act.occurred_on)


def _demolition(case: RenovationCase, cmd: d.RecordDemolition, act: Act) -> None:
    case.record_demolition(evidence=cmd.payload.evidence, actor=act.actor,
                           occurred_on=act.occurred_on)


def _request(case: RenovationCase, cmd: d.RequestPayment, act: Act) -> None:
    p = cmd.payload
    case.request_payment(request_no=p.request_no, tranche=p.tranche, amounts=p.amounts,
                         channel=p.channel, policy=act.policy, actor=act.actor,
                         occurred_on=act.occurred_on)


def _disburse(case: RenovationCase, cmd: d.DisbursePayment, act: Act) -> None:
    case.disburse_payment(request_no=cmd.payload.request_no, voucher_no=cmd.payload.voucher_no,
                          actor=act.actor, occurred_on=act.occurred_on)


def _close(case: RenovationCase, cmd: d.CloseCase, act: Act) -> None:
    case.close(actor=act.actor, occurred_on=act.occurred_on)


def _correct(case: RenovationCase, cmd: d.CorrectData, act: Act) -> None:
    p = cmd.payload
    new = _sealed_correction(act.sealer(), cmd) if p.personal() else p.new
    case.correct(field=p.field, new=new, reason=sealing.seal_text(act.sealer(), p.reason),
                 approved_by=act.staff(p.approved_by, "payload.approved_by"), actor=act.actor,
                 occurred_on=act.occurred_on)


def _sealed_correction(sealer: HouseholdSealer, cmd: d.CorrectData) -> JsonValue:
    new, path = cmd.payload.new, "payload.new"
    if cmd.payload.field == "household.account":
        try:
            account = BankAccountInput.model_validate(new)
        except ValidationError as error:
            problem = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise InvalidInputError(
                f"input.{problem['type']}", f"{path}.{where}".rstrip("."), "***", problem["msg"]
            ) from None
        return sealing.seal_account(sealer, account, path).model_dump(mode="json")
    if not isinstance(new, str):
        raise InvalidInputError(
            "input.correction_value", path, "***", f"{cmd.payload.field} needs a text"
        )
    if cmd.payload.field == "household.phone":
        return sealing.seal_phone(sealer, new, path).model_dump(mode="json")
    return sealing.seal_name(sealer, new, path).model_dump(mode="json")


CASE_HANDLERS: dict[type[Command], Handler] = {
    s.CertifyCategory: _certify,
    s.GradeHouse: _grade,
    s.RecordNoHouse: _no_house,
    s.HoldDemocraticReview: _review,
    s.PostNotice: _post_notice,
    s.CloseNotice: _close_notice,
    s.ReviewAtTownship: _township,
    s.AssessMeans: _means,
    s.GrantCountyApproval: _approve,
    s.RejectCase: _reject,
    s.WithdrawCase: _withdraw,
    d.SignAgreement: _agreement,
    d.StartConstruction: _start,
    d.ReportProgress: _progress,
    d.CompleteConstruction: _complete,
    d.RecordCountyAcceptance: _accept,
    d.RecordCitySpotCheck: _city_check,
    d.RecordProvincialAcceptance: _provincial,
    d.RecordDemolition: _demolition,
    d.RequestPayment: _request,
    d.DisbursePayment: _disburse,
    d.CloseCase: _close,
    d.CorrectData: _correct,
}
"""Every command on an existing case (`submit_application` opens one: `Handlers.submit`)."""
