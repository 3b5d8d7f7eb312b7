"""拨付补助资金 — money flows only after acceptance, only to the household or the agreed builder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.errors import (
    DuplicateReferenceError,
    PayeeNotAgreedError,
    PaymentBeforeAcceptanceError,
    PaymentExceedsApprovedError,
    PaymentNotPendingError,
)
from renovation.aggregates.case.state import CaseState
from renovation.aggregates.case.values import Amounts
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.vocabulary import PaymentChannel, Stage, Tranche
from renovation.policy import Policy

if TYPE_CHECKING:
    _Base = CaseState
else:
    _Base = object

_ADVANCE_STAGES = (Stage.UNDER_CONSTRUCTION, Stage.CONSTRUCTION_COMPLETED, Stage.ACCEPTED)
_ANY_PAYABLE_STAGE = (Stage.AGREEMENT_SIGNED, *_ADVANCE_STAGES)


class PaymentCommands(_Base):
    """Payment requests to finance and their disbursement."""

    def request_payment(
        self, request_no: str, tranche: Tranche, amounts: Amounts, channel: PaymentChannel,
        policy: Policy, actor: Actor, occurred_on: date,
    ) -> None:
        """拨付申请 — the final tranche after county acceptance; advances if the policy allows."""
        guards.acting(self, actor, occurred_on, _ANY_PAYABLE_STAGE, "payment_request")
        self._require_payable_stage(tranche, policy, occurred_on)
        if request_no in self.requests:
            raise DuplicateReferenceError(
                "payment.request_no_unique", "request_no", request_no,
                f"payment request {request_no} already exists on case {self.case_ref}",
            )
        self._require_within_approval(tranche, amounts, policy)
        payee = self._payee_account(channel)
        self._payment_requested(
            request_no=request_no, tranche=tranche, amounts=amounts, channel=channel,
            payee_ref=payee.ref, payee_masked=payee.masked, actor=actor, occurred_on=occurred_on,
        )

    def disburse_payment(
        self, request_no: str, voucher_no: str, actor: Actor, occurred_on: date
    ) -> None:
        """资金拨付 — finance pays a pending request in full."""
        guards.acting(self, actor, occurred_on, _ANY_PAYABLE_STAGE, "payment_disbursement")
        request = self.requests.get(request_no)
        if request is None or request.paid_on is not None:
            state = "unknown" if request is None else f"already paid on {request.paid_on}"
            raise PaymentNotPendingError(
                "payment.disburse_pending_request", "request_no", request_no,
                f"payment request {request_no} is {state}",
            )
        guards.not_before(occurred_on, request.requested_on, "the payment request")
        guards.distinct_from([actor], self.approvers | self.acceptors,
                             "duties.payer_is_not_approver_or_acceptor", "approved or accepted")
        self._payment_disbursed(
            request_no=request_no, amounts=request.amounts, voucher_no=voucher_no, actor=actor,
            occurred_on=occurred_on,
        )

    def _require_payable_stage(self, tranche: Tranche, policy: Policy, occurred_on: date) -> None:
        if tranche is Tranche.FINAL:
            if self.stage is not Stage.ACCEPTED:
                raise PaymentBeforeAcceptanceError(
                    "payment.requires_county_acceptance", "stage", self.stage,
                    "the final payment requires a passed county acceptance; the case is"
                    f" {self.stage.value}",
                )
            guards.not_before(occurred_on, self.accepted_on, "the county acceptance")
            if self.spot_check_passed is False:
                raise PaymentBeforeAcceptanceError(
                    "payment.spot_check_not_failed", "spot_check_passed", False,
                    "the city spot check failed; payment waits for a passed re-check",
                )
            return
        if policy.payment.advance_after_start_max_ratio == 0:
            raise PaymentBeforeAcceptanceError(
                "payment.requires_county_acceptance", "tranche", tranche,
                f"policy {policy.ref} pays nothing before the county acceptance passes",
            )
        if self.stage not in _ADVANCE_STAGES:
            raise PaymentBeforeAcceptanceError(
                "payment.advance_after_start", "stage", self.stage,
                "an advance requires construction to have started",
            )

    def _require_within_approval(self, tranche: Tranche, amounts: Amounts, policy: Policy) -> None:
        assert self.subsidy is not None
        if amounts.total <= 0:
            raise PaymentExceedsApprovedError(
                "payment.positive", "amounts", amounts.total, "a payment request must be positive"
            )
        requested = self.requested_by_source()
        for source, amount in amounts.by_source.items():
            approved = self.subsidy.split_yuan.get(source)
            if approved is None:
                raise PaymentExceedsApprovedError(
                    "payment.source_approved", f"amounts.{source}", amount,
                    f"fund source {source} has no approved amount on case {self.case_ref}",
                )
            remaining = approved - requested.get(source, 0)
            if amount > remaining:
                raise PaymentExceedsApprovedError(
                    "payment.within_approved", f"amounts.{source}", amount,
                    f"{source}: {amount} yuan requested but only {remaining} of {approved}"
                    " approved remains",
                )
        if tranche is Tranche.ADVANCE:
            cap = Decimal(self.subsidy.amount_yuan) * policy.payment.advance_after_start_max_ratio
            if sum(requested.values()) + amounts.total > cap:
                raise PaymentExceedsApprovedError(
                    "payment.advance_cap", "amounts", amounts.total,
                    f"advances may not exceed {cap} yuan under policy {policy.ref}",
                )

    def _payee_account(self, channel: PaymentChannel) -> ProtectedValue:
        """The household's own 一卡通, or the third party named in the agreement."""
        if channel is PaymentChannel.ONE_CARD:
            if self.household.account is None:
                raise PayeeNotAgreedError(
                    "payment.household_account", "channel", channel,
                    f"case {self.case_ref} has no household bank account on record",
                )
            return self.household.account.number
        assert self.agreement is not None
        if self.agreement.payee is None:
            raise PayeeNotAgreedError(
                "payment.builder_named_in_agreement", "channel", channel,
                "a builder account can be paid only under a unified-build or 代建 agreement"
                " that names it",
            )
        return self.agreement.payee.account
