"""Domain errors of the renovation case. Each class name states the rule that was broken.

All are `RuleViolation`s: they carry a stable rule id, the field and the offending value. Raising
one means nothing was recorded.
"""

from __future__ import annotations

from renovation.kernel.errors import RuleViolation


class CaseIsFinishedError(RuleViolation):
    """A closed, withdrawn or rejected case accepts no further acts."""


class ProcedureOrderError(RuleViolation):
    """An act came before the act the procedure requires first."""


class BusinessDateOrderError(RuleViolation):
    """A business date precedes the date of the act it depends on."""


class FutureBusinessDateError(RuleViolation):
    """A business date lies after today."""


class NoticeNotClosedError(ProcedureOrderError):
    """A decision was taken while the public notice it depends on was still open."""


class NoticePeriodTooShortError(RuleViolation):
    """A public notice ran (or was planned) for fewer days than the policy requires."""


class ObjectionUpheldError(RuleViolation):
    """An approval followed a notice whose objections were upheld."""


class QuorumNotMetError(RuleViolation):
    """The democratic review's attendance or counts break the Villagers' Committee law."""


class SeparationOfDutiesError(RuleViolation):
    """One person would hold two duties the procedure keeps apart."""


class ActorIsApplicantError(SeparationOfDutiesError):
    """The actor belongs to the applicant household."""


class CertifyingDepartmentError(RuleViolation):
    """The category was certified by a department not competent for it."""


class IneligibleHouseholdError(RuleViolation):
    """The household fails one of the policy's eligibility conditions."""


class HouseholdCompositionError(RuleViolation):
    """The household's size does not fit its listed members."""


class AgreementTermsError(RuleViolation):
    """The agreement's terms contradict the approval or the construction mode."""


class AreaBelowMinimumError(RuleViolation):
    """The accepted floor area is below the policy minimum for the household size."""


class AcceptanceInconsistentError(RuleViolation):
    """An acceptance marked passed carries a failing rating, failed items or no consent."""


class PaymentBeforeAcceptanceError(ProcedureOrderError):
    """Money was requested before the county acceptance passed."""


class PaymentExceedsApprovedError(RuleViolation):
    """Requested money would exceed the approved amount of a fund source."""


class PayeeNotAgreedError(RuleViolation):
    """The payee is neither the household nor the third party the agreement names."""


class DuplicateReferenceError(RuleViolation):
    """A document number is used twice within the case."""


class PaymentNotPendingError(RuleViolation):
    """Finance disbursed a request that is unknown or already paid."""


class CloseoutIncompleteError(RuleViolation):
    """The archive cannot close: something is unpaid, unaccepted or not demolished."""


class MakerCheckerError(RuleViolation):
    """A correction was approved by the person who made it."""


class CorrectionError(RuleViolation):
    """A correction names an unknown field, a wrong value type, or changes nothing."""
