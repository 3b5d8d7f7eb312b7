"""Ending a case (销档, withdrawal) and correcting its data without editing history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import JsonValue, TypeAdapter, ValidationError

from renovation.aggregates.base import Actor
from renovation.aggregates.case import guards
from renovation.aggregates.case.errors import (
    CloseoutIncompleteError,
    CorrectionError,
    MakerCheckerError,
    ProcedureOrderError,
)
from renovation.aggregates.case.state import CaseState
from renovation.aggregates.case.values import BankAccount, StaffRef
from renovation.kernel.protected import FreeText, ProtectedValue
from renovation.kernel.staff import same_person
from renovation.kernel.types import AreaM2, HouseholdSize
from renovation.kernel.vocabulary import HouseStructure, Role, Stage

if TYPE_CHECKING:
    _Base = CaseState
else:
    _Base = object

CORRECTABLE: dict[str, TypeAdapter[Any]] = {
    "household.size": TypeAdapter(HouseholdSize),
    "household.head.name": TypeAdapter(ProtectedValue),
    "household.phone": TypeAdapter(ProtectedValue),
    "household.account": TypeAdapter(BankAccount),
    "house.structure": TypeAdapter(HouseStructure),
    "built_area_m2": TypeAdapter(AreaM2),
}
"""Fields a correction may change (attribute paths of the case), with the type of their value."""

_CORRECTION_APPROVERS = (Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER)


class ClosureCommands(_Base):
    """Closing, withdrawing and correcting."""

    def close(self, actor: Actor, occurred_on: date) -> None:
        """销档 — accepted, fully paid, the old house down where the agreement requires it."""
        guards.acting(self, actor, occurred_on, (Stage.ACCEPTED,), "closing")
        assert self.subsidy is not None and self.agreement is not None
        pending = sorted(no for no, r in self.requests.items() if r.paid_on is None)
        conditions = [
            (not pending, "payment.no_pending_requests", "requests", pending,
             f"payment requests {', '.join(pending)} are not yet paid"),
            (self.total_paid == self.subsidy.amount_yuan, "payment.fully_paid", "total_paid",
             self.total_paid, f"{self.total_paid} of {self.subsidy.amount_yuan} yuan paid"),
            (not self.demolition_required or self.demolished_on,
             "demolition.before_closing", "demolished_on", None,
             "the old house has not been demolished (建新拆旧)"),
            (self.spot_check_passed is not False, "acceptance.spot_check_passed",
             "spot_check_passed", False, "the city spot check failed"),
            (self.provincial_passed is not False, "acceptance.provincial_passed",
             "provincial_passed", False, "the provincial verification failed"),
        ]
        for ok, rule, field, value, why in conditions:
            if not ok:
                raise CloseoutIncompleteError(rule, field, value, f"cannot close: {why}")
        if self.requests:
            last_paid = max(r.paid_on for r in self.requests.values() if r.paid_on)
            guards.not_before(occurred_on, last_paid, "the last payment")
        self._case_closed(total_paid_yuan=self.total_paid, actor=actor, occurred_on=occurred_on)

    def withdraw(
        self, reason: FreeText, evidence: tuple[str, ...], actor: Actor, occurred_on: date
    ) -> None:
        """撤回 — possible until money has been paid."""
        guards.open_case(self)
        guards.business_date(occurred_on)
        guards.not_before(occurred_on, self.submitted_on, "the application")
        if self.total_paid:
            raise ProcedureOrderError(
                "withdrawal.before_payment", "total_paid", self.total_paid,
                f"{self.total_paid} yuan has been paid; the case can no longer be withdrawn",
            )
        self._case_withdrawn(reason=reason, evidence=evidence, actor=actor, occurred_on=occurred_on)

    def correct(
        self, field: str, new: Any, reason: FreeText, approved_by: StaffRef, actor: Actor,
        occurred_on: date,
    ) -> None:
        """数据更正 — a second person approves; the old value is what the case holds now."""
        guards.business_date(occurred_on)
        guards.not_household_member(self, actor)
        if same_person(approved_by.identity, actor.identity) or (
                approved_by.role not in _CORRECTION_APPROVERS):
            raise MakerCheckerError(
                "correction.second_person", "approved_by.id", approved_by.id,
                "a correction is approved by another township or county officer than its maker",
            )
        adapter = CORRECTABLE.get(field)
        if adapter is None:
            raise CorrectionError(
                "correction.field_known", "field", field,
                f"{field} cannot be corrected; correctable: {', '.join(sorted(CORRECTABLE))}",
            )
        try:
            value = adapter.validate_python(new)
        except ValidationError as error:
            raise CorrectionError(
                "correction.value_type", "new", new,
                f"not a valid {field}: {error.errors()[0]['msg']}",
            ) from None
        old: JsonValue = adapter.dump_python(current_value(self, field), mode="json")
        new_json: JsonValue = adapter.dump_python(value, mode="json")
        if old == new_json:
            raise CorrectionError(
                "correction.changes_something", "new", new_json, f"{field} already has this value"
            )
        self._data_corrected(
            field=field, old=old, new=new_json, reason=reason, approved_by=approved_by,
            actor=actor, occurred_on=occurred_on,
        )


def current_value(case: object, path: str) -> Any:
    """The value at a dotted attribute path of the case (`household.head.name`)."""
    value = case
    for part in path.split("."):
        value = getattr(value, part)
    return value


def with_value(case: object, path: str, value: Any) -> None:
    """Set the value at a dotted path, copying the frozen value objects along the way."""
    head, *rest = path.split(".")
    setattr(case, head, _replaced(getattr(case, head), rest, value))


def _replaced(model: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    inner = _replaced(getattr(model, parts[0]), parts[1:], value)
    return model.model_copy(update={parts[0]: inner})
