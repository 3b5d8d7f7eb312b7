"""The envelope every command shares, and the input forms of personal data (plaintext at the edge).

A command is `{command_id, type, case_ref, actor, occurred_on, payload}`. Personal data arrives in
plaintext here and is validated, sealed and blind-indexed before anything is recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.staff import StaffIdInput
from renovation.kernel.types import HouseholdSize, Reference
from renovation.kernel.vocabulary import Role

PlainText = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class Input(BaseModel):
    """Base of every input model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorInput(Input):
    """The acting official: who did the act on paper, in which role.

    Resolved against the staff directory (`application.directory`): the id is compared in its
    canonical form, the official must hold the role on the business date in a jurisdiction
    covering the case (`jurisdiction` picks one when they hold the role in several), and the
    directory supplies what the events record about them. Omitted, the authenticated
    principal acts themselves.
    """

    id: StaffIdInput
    role: Role
    jurisdiction: DivisionCode | None = None


class PersonInput(Input):
    name: PlainText
    id_number: PlainText
    relationship: Annotated[str, StringConstraints(min_length=1, max_length=20)] = "户主"


class BankAccountInput(Input):
    """一卡（折）通: a bank card (Luhn-checked) or a passbook account."""

    bank: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    kind: Literal["card", "passbook"]
    number: PlainText


class HouseholdInput(Input):
    head: PersonInput
    members: tuple[PersonInput, ...] = Field(default=(), max_length=29)
    size: HouseholdSize
    phone: PlainText | None = None
    account: BankAccountInput | None = None
    group: Annotated[str, StringConstraints(max_length=40)] | None = None


class PayeeInput(Input):
    """The third party (township, village committee or builder) paid under 统建/代建."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    bank: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    kind: Literal["card", "passbook"]
    account: PlainText


class Command(Input):
    """The envelope. Subclasses fix `type` and the `payload` model.

    `needs_policy` says whether the case method the command reaches applies the programme's
    policy. `actor` is the acting official; without it the authenticated principal acts.
    """

    needs_policy: ClassVar[bool] = False

    command_id: Reference
    type: str
    case_ref: Reference
    actor: ActorInput | None = None
    occurred_on: date
    payload: Input
