"""What each command does to the aggregates, beyond calling the case method it names.

Most commands map their payload one-to-one onto the case method `Command.action`. The handlers
here cover the rest: opening a case (sealing the household, taking the household's claim),
sealing a payee or a corrected personal value, and moving the claim and the household's ledger
when a case ends. Every mutation comes after every check, so a refused command changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import JsonValue, ValidationError

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.claim import HouseholdClaim, claim_id
from renovation.aggregates.household import HouseholdLedger, ledger_id
from renovation.application import sealing
from renovation.application.commands.base import BankAccountInput, Command
from renovation.application.commands.delivery import CorrectData, SignAgreement
from renovation.application.commands.selection import SubmitApplication
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import HouseholdSealer, KeyDestroyedError, PiiProtector
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.policy import Policy

# A case's id is derived (uuid5) for each of its commands; a batch holds many per case.
case_id_of = lru_cache(maxsize=1 << 14)(case_id)


class CaseRefTakenError(RuleViolation):
    """A new application reused the reference of an existing case."""


@dataclass
class Handlers:
    protector: PiiProtector

    def sealer_for(self, uow: UnitOfWork, household_ref: str) -> HouseholdSealer:
        pending = uow.new_key(household_ref)
        if pending is not None:
            return pending
        try:
            return self.protector.begin(household_ref, uow.keys)
        except KeyDestroyedError:
            raise InvalidInputError(
                "identity.household_erased", "payload.household.head.id_number", "***",
                "this household's personal data was erased; it cannot be recorded again",
            ) from None

    def read_ahead(self, uow: UnitOfWork, commands: Iterable[SubmitApplication]) -> None:
        """Read what opening many cases needs in two queries, instead of four per case: the
        households' keys, and which of the cases, claims and ledgers exist."""
        refs, ids = [], []
        for cmd in commands:
            ids.append(case_id_of(cmd.case_ref))
            try:
                number = sealing.head_id_number(cmd.payload.household)
            except RuleViolation:
                continue  # refused when its turn comes
            ref = self.protector.household_ref(number)
            refs.append(ref)
            ids += (ledger_id(ref), claim_id(ref, cmd.payload.programme_id))
        uow.keys.update(self.protector.known_keys(refs))
        uow.read_ahead(ids)

    def submit(
        self, uow: UnitOfWork, cmd: SubmitApplication, actor: Actor, policy: Policy
    ) -> RenovationCase:
        """Open a case, taking (or re-taking) the household's claim on the programme."""
        p = cmd.payload
        sealer = self.sealer_for(
            uow, self.protector.household_ref(sealing.head_id_number(p.household))
        )
        household = sealing.seal_household(sealer, p.household)
        if uow.find(case_id_of(cmd.case_ref), RenovationCase) is not None:
            raise CaseRefTakenError(
                "case.ref_unique", "case_ref", cmd.case_ref,
                f"a case with reference {cmd.case_ref} already exists",
            )
        ledger = uow.find(ledger_id(sealer.key_id), HouseholdLedger)
        supported = tuple(sorted(set(ledger.supported) - {p.programme_id})) if ledger else ()
        case = RenovationCase.submit(
            policy=policy, actor=actor, occurred_on=cmd.occurred_on, case_ref=cmd.case_ref,
            programme_id=p.programme_id, village_code=p.village_code, channel=p.channel,
            on_behalf_reason=p.on_behalf_reason, household=household, house=p.house,
            category=p.category, extremely_low_income=p.extremely_low_income,
            planned_mode=p.planned_mode, prior_support=p.prior_support,
            reentry_reason=p.reentry_reason, supported_in_programmes=supported,
        )
        claim = uow.find(claim_id(sealer.key_id, p.programme_id), HouseholdClaim)
        if claim is None:
            claim = HouseholdClaim(
                household_ref=sealer.key_id, programme_id=p.programme_id, case_id=case.id,
                case_ref=cmd.case_ref, actor=actor, occurred_on=cmd.occurred_on,
            )
        else:
            claim.reopen(case.id, cmd.case_ref, actor, cmd.occurred_on)
        uow.add(case, claim)
        uow.keep_key(sealer)
        return case

    def apply(
        self, uow: UnitOfWork, case: RenovationCase, cmd: Command, actor: Actor,
        policy: Policy | None,
    ) -> None:
        """Call the case method the command names, with its payload as arguments."""
        # iter(): dict() of the model itself first asks it for `keys`, a costly miss in pydantic.
        arguments: dict[str, Any] = dict(iter(cmd.payload))
        sealer = None
        if isinstance(cmd, SignAgreement) and cmd.payload.payee is not None:
            sealer = self.sealer_for(uow, case.household.ref)
            arguments["payee"] = sealing.seal_payee(sealer, cmd.payload.payee, "payload.payee")
        elif isinstance(cmd, CorrectData) and cmd.payload.personal():
            sealer = self.sealer_for(uow, case.household.ref)
            arguments["new"] = _sealed_correction(sealer, cmd)
        if cmd.needs_policy:
            arguments["policy"] = policy
        getattr(case, cmd.action)(actor=actor, occurred_on=cmd.occurred_on, **arguments)
        uow.keep_key(sealer)
        if cmd.action in ("withdraw", "reject", "close"):
            self._case_ended(uow, case, actor, cmd)

    def _case_ended(
        self, uow: UnitOfWork, case: RenovationCase, actor: Actor, cmd: Command
    ) -> None:
        claim = uow.find(claim_id(case.household.ref, case.programme_id), HouseholdClaim)
        assert claim is not None, f"case {case.case_ref} has no household claim"
        if cmd.action != "close":
            claim.release(case.id, case.stage.value, actor, cmd.occurred_on)
            return
        claim.fulfil(case.id, actor, cmd.occurred_on)
        ledger = uow.find(ledger_id(case.household.ref), HouseholdLedger)
        if ledger is None:
            ledger = HouseholdLedger(
                household_ref=case.household.ref, programme=case.programme_id,
                case_ref=case.case_ref, actor=actor, occurred_on=cmd.occurred_on,
            )
            uow.add(ledger)
        else:
            ledger.record(case.programme_id, case.case_ref, actor, cmd.occurred_on)


def _sealed_correction(sealer: HouseholdSealer, cmd: CorrectData) -> JsonValue:
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
