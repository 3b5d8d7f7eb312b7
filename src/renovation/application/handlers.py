"""What each command does to the aggregates: opening a case, or one act on it.

Opening a case seals the household and takes the household's claim; an act on a case runs the
command's typed handler (`case_handlers.CASE_HANDLERS`), keeps a household key it sealed with
only once the case accepted it, and moves the claim and the household's ledger when a case
ends. Every mutation comes after every check, so a refused command changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.case.values import StaffRef
from renovation.aggregates.claim import HouseholdClaim, claim_id
from renovation.aggregates.command_record import command_record_id
from renovation.aggregates.household import HouseholdLedger, ledger_id
from renovation.application import sealing
from renovation.application.case_handlers import CASE_HANDLERS, Act
from renovation.application.commands.base import Command
from renovation.application.commands.delivery import CloseCase
from renovation.application.commands.selection import RejectCase, SubmitApplication, WithdrawCase
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import HouseholdSealer, KeyDestroyedError, PiiProtector
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.policy import Policy
from renovation.policy.comparison import ListCheck

# A case's id is derived (uuid5) for each of its commands; a batch holds many per case.
case_id_of = lru_cache(maxsize=1 << 14)(case_id)


class CaseRefTakenError(RuleViolation):
    """A new application reused the reference of an existing case."""


ListLookup = Callable[[RenovationCase, date], ListCheck | None]


@dataclass
class Handlers:
    protector: PiiProtector
    lists: ListLookup = lambda case, day: None  # 名单核对, where the policy refuses the unlisted

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
            ids += (case_id_of(cmd.case_ref), command_record_id(cmd.command_id))
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
            on_behalf_reason=(sealing.seal_text(sealer, p.on_behalf_reason)
                              if p.on_behalf_reason else None),
            household=household, house=p.house,
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
        policy: Policy | None, staff: Callable[[StaffRef, str], StaffRef],
    ) -> None:
        """Run the command's handler on the case (see `case_handlers`)."""
        act = Act(actor, cmd.occurred_on, policy, staff,
                  partial(self.sealer_for, uow, case.household.ref),
                  listing=partial(self.lists, case, cmd.occurred_on))
        CASE_HANDLERS[type(cmd)](case, cmd, act)
        for sealer in act.sealers:
            uow.keep_key(sealer)
        if isinstance(cmd, WithdrawCase | RejectCase | CloseCase):
            self._case_ended(uow, case, act.actor, cmd)

    def _case_ended(
        self, uow: UnitOfWork, case: RenovationCase, actor: Actor, cmd: Command
    ) -> None:
        claim = uow.find(claim_id(case.household.ref, case.programme_id), HouseholdClaim)
        assert claim is not None, f"case {case.case_ref} has no household claim"
        if not isinstance(cmd, CloseCase):
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
