"""个人信息删除 — erase a household's personal data by destroying its key (PIPL Art. 47).

An authorised official (county officer or programme manager of the case's area) names a case of
the household and states why. The act is recorded first (`HouseholdErasure`), then the key is
destroyed, so no key is ever destroyed without its record; a crash between the two is finished
by erasing again. The household's cases must all be over (closed, withdrawn or rejected): an
open case could not be carried on without its data. The events stay as they were, so the audit
chain still verifies; readers show the values as erased, and the household cannot be recorded
again.
"""

from __future__ import annotations

from typing import Any

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.erasure import HouseholdErasure, erasure_id
from renovation.aggregates.household import HouseholdLedger, ledger_id
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.service import UnknownCaseError
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import HouseholdKeyStore
from renovation.kernel.errors import InvalidInputError, RuleViolation

ACTION = "erase_personal_data"


class HouseholdErasures:
    """Records erasures and destroys the households' keys."""

    def __init__(self, pipeline: Pipeline, keystore: HouseholdKeyStore) -> None:
        self.pipeline, self.keystore = pipeline, keystore

    def erase(self, principal: Principal, case_ref: str, reason: str | None) -> dict[str, Any]:
        """Erase the personal data of the household of `case_ref`."""
        text = _reason(reason)
        case = self._case(case_ref)
        actor = self.pipeline.acting(principal, ACTION, case.village_code)
        household = case.household.ref
        self._all_over(case, household)
        today = self.pipeline.today()

        def decide(uow: UnitOfWork) -> HouseholdErasure:
            done = uow.find(erasure_id(household), HouseholdErasure)
            if done is not None:
                return done  # recorded before; the key is destroyed below if it was not
            erased = HouseholdErasure(household_ref=household, case_ref=case.case_ref,
                                      reason=text, actor=actor, occurred_on=today)
            uow.add(erased)
            return erased

        recorded = self.pipeline.record("household.erased", decide)
        self.keystore.destroy(household, f"erasure recorded for case {recorded.value.case_ref}")
        return {"case_ref": case.case_ref, "household_ref": household,
                "erased_on": recorded.value.erased_on.isoformat(),
                "erased_by": recorded.value.erased_by,
                "recorded_at": recorded.position}

    def _case(self, case_ref: str) -> RenovationCase:
        case = self.pipeline.app.find(case_id(case_ref), RenovationCase)
        if case is None:
            raise UnknownCaseError("case.exists", "case_ref", case_ref,
                                   f"there is no case {case_ref}")
        return case

    def _all_over(self, case: RenovationCase, household: str) -> None:
        ledger = self.pipeline.app.find(ledger_id(household), HouseholdLedger)
        refs = {case.case_ref, *(ledger.supported.values() if ledger else ())}
        for ref in sorted(refs):
            other = self._case(ref)
            if not other.stage.is_terminal:
                raise ErasureRefusedError(
                    "erasure.cases_over", "case_ref", ref,
                    f"case {ref} of this household is {other.stage.value}: erase once every"
                    " case of the household is closed, withdrawn or rejected")


class ErasureRefusedError(RuleViolation):
    """The household's data cannot be erased now."""


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not 4 <= len(text) <= 500:
        raise InvalidInputError("erasure.reason_required", "reason", None,
                                "reason: erasing a household's data needs a stated reason of 4"
                                " to 500 characters (e.g. the request and its legal basis)")
    return text
