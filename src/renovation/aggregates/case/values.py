"""Value objects carried by the case's events: the household (protected), the house, the forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from renovation.kernel.protected import BlindIndex, ProtectedValue
from renovation.kernel.staff import identity_keys
from renovation.kernel.types import (
    INTEGRAL,
    AreaM2,
    HouseholdSize,
    Reference,
    Sha256Hex,
    Text,
    Yuan,
)
from renovation.kernel.vocabulary import (
    HouseStructure,
    MeetingType,
    PriorSupportKind,
    Role,
)

Evidence = Annotated[tuple[Sha256Hex, ...], Field(max_length=50)]
"""Content hashes of photos and scanned forms filed with an act."""

Relationship = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(_Value):
    """A household member as events carry them: name and ID number sealed, ID blind-indexed."""

    name: ProtectedValue
    id_number: ProtectedValue
    relationship: Relationship

    @property
    def ref(self) -> BlindIndex:
        assert self.id_number.ref is not None
        return self.id_number.ref


class BankAccount(_Value):
    """一卡（折）通 account: the bank's name in clear, the number sealed and blind-indexed."""

    bank: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    number: ProtectedValue


class Household(_Value):
    """户 — the applicant household; `head` is 户主."""

    head: Person
    members: tuple[Person, ...] = ()
    size: HouseholdSize
    phone: ProtectedValue | None = None
    account: BankAccount | None = None
    group: Annotated[str, StringConstraints(max_length=40)] | None = None

    @property
    def ref(self) -> BlindIndex:
        """The household's blind index: its head's ID number."""
        return self.head.ref

    def person_refs(self) -> frozenset[str]:
        return frozenset([self.head.ref, *(m.ref for m in self.members)])


class HouseCondition(_Value):
    """The house before renovation, as surveyed (调查登记表)."""

    structure: HouseStructure
    year_built: int | None = Field(default=None, ge=1900, le=2100)
    storeys: int = Field(default=1, ge=1, le=10)
    floor_area_m2: AreaM2 | None = None
    cave_count: int = Field(default=0, ge=0, le=20)
    evidence: Evidence = ()


class PriorSupport(_Value):
    """Earlier rural-housing support the household declares (or the archive shows)."""

    kind: PriorSupportKind
    year: int = Field(ge=1990, le=2100)


class Assessor(_Value):
    """鉴定人/机构 — who graded the house."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    organisation: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    qualification: Reference | None = None


class VoteCount(_Value):
    """民主评议 attendance and votes, as minuted."""

    meeting_type: MeetingType
    eligible: Annotated[int, Field(strict=True, ge=1, le=100_000), INTEGRAL]
    attended: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL]
    votes_for: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL]
    votes_against: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL]
    abstentions: Annotated[int, Field(strict=True, ge=0, le=100_000), INTEGRAL]


class Payee(_Value):
    """The third party paid under a unified-build or 代建 agreement."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    bank: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    account: ProtectedValue


class Builder(_Value):
    """施工单位或工匠 — the contractor or trained craftsman."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    licence: Reference | None = None


class StaffRef(_Value):
    """A staff member named on a form (an acceptance team member, a correction's approver).

    The application resolves the id against the staff directory: it records the canonical id
    and the blind index of the member's ID number (`person_ref`), never what the caller said.
    """

    id: Reference
    role: Role
    person_ref: BlindIndex | None = None

    @property
    def identity(self) -> frozenset[str]:
        return identity_keys(self.id, self.person_ref)


class AcceptanceResult(_Value):
    """竣工验收表 — the county team's findings."""

    passed: bool
    measured_area_m2: AreaM2
    safety_rating: Annotated[str, StringConstraints(pattern=r"^[ABCD]$")]
    failed_items: tuple[Text, ...] = ()
    household_agrees: bool
    team: tuple[StaffRef, ...] = Field(min_length=2, max_length=20)
    evidence: Evidence = ()


class Amounts(_Value):
    """An amount per fund source, in yuan."""

    by_source: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,30}$")], Yuan]

    @property
    def total(self) -> int:
        return sum(self.by_source.values())


class PaymentRequest(_Value):
    """A tranche submitted to finance (拨付申请) and, once paid, its voucher."""

    request_no: Reference
    tranche: str
    amounts: Amounts
    channel: str
    payee_ref: BlindIndex
    payee_masked: str
    requested_on: date
    paid_on: date | None = None
    voucher_no: Reference | None = None


def area(value: Decimal | int | str) -> Decimal:
    """Quantise an area to two decimals (the stored precision)."""
    return Decimal(value).quantize(Decimal("0.01"))
