"""Turning plaintext personal data from a command into sealed, masked, blind-indexed values.

Sealing contexts name the kind of value (not its position), so a reader can open any value
knowing only what it is: `person.name`, `person.id_number`, `household.phone`,
`household.account`, `payee.account`, `case.free_text`.
"""

from __future__ import annotations

from renovation.aggregates.case.values import BankAccount, Household, Payee, Person
from renovation.application.commands.base import (
    BankAccountInput,
    HouseholdInput,
    PayeeInput,
    PersonInput,
)
from renovation.identity import (
    HouseholdSealer,
    mask_name,
    validate_bank_account,
    validate_id_number,
    validate_person_name,
    validate_phone,
)
from renovation.kernel.protected import ProtectedValue

PERSON_NAME = "person.name"
PERSON_ID_NUMBER = "person.id_number"
PHONE = "household.phone"
ACCOUNT = "household.account"
PAYEE_ACCOUNT = "payee.account"
FREE_TEXT = "case.free_text"


def seal_text(sealer: HouseholdSealer, text: str) -> ProtectedValue:
    """Free text about the household (a reason): sealed, shown as its length only."""
    return sealer.text(text, FREE_TEXT, f"〔{len(text)}字，已加密〕")


def head_id_number(household: HouseholdInput, path: str = "payload.household") -> str:
    """The head's normalised ID number: the household's identity."""
    return validate_id_number(household.head.id_number, f"{path}.head.id_number")


def seal_name(sealer: HouseholdSealer, raw: str, path: str) -> ProtectedValue:
    name = validate_person_name(raw, path)
    return sealer.person_name(name, PERSON_NAME, mask_name(name))


def seal_person(sealer: HouseholdSealer, person: PersonInput, path: str) -> Person:
    return Person(
        name=seal_name(sealer, person.name, f"{path}.name"),
        id_number=sealer.id_number(
            validate_id_number(person.id_number, f"{path}.id_number"), PERSON_ID_NUMBER
        ),
        relationship=person.relationship,
    )


def seal_phone(sealer: HouseholdSealer, raw: str, path: str) -> ProtectedValue:
    return sealer.phone(validate_phone(raw, path), PHONE)


def seal_account(sealer: HouseholdSealer, account: BankAccountInput, path: str) -> BankAccount:
    number = validate_bank_account(account.number, account.kind, f"{path}.number")
    return BankAccount(bank=account.bank, number=sealer.bank_account(number, ACCOUNT))


def seal_household(
    sealer: HouseholdSealer, household: HouseholdInput, path: str = "payload.household"
) -> Household:
    return Household(
        head=seal_person(sealer, household.head, f"{path}.head"),
        members=tuple(
            seal_person(sealer, member, f"{path}.members.{i}")
            for i, member in enumerate(household.members)
        ),
        size=household.size,
        phone=seal_phone(sealer, household.phone, f"{path}.phone") if household.phone else None,
        account=seal_account(sealer, household.account, f"{path}.account")
        if household.account
        else None,
        group=household.group,
    )


def seal_payee(sealer: HouseholdSealer, payee: PayeeInput, path: str) -> Payee:
    number = validate_bank_account(payee.account, payee.kind, f"{path}.account")
    return Payee(
        name=payee.name, bank=payee.bank, account=sealer.bank_account(number, PAYEE_ACCOUNT)
    )
