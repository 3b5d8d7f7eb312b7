"""Commands from the agreement to the closed archive."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field, JsonValue

from renovation.aggregates.case.values import AcceptanceResult, Amounts, Builder, Evidence, StaffRef
from renovation.application.commands.base import Command, Input, PayeeInput
from renovation.kernel.types import INTEGRAL, AreaM2, Reference, Text
from renovation.kernel.vocabulary import (
    ConstructionMode,
    HouseStructure,
    PaymentChannel,
    RenovationMode,
    Tranche,
)


class SignAgreementPayload(Input):
    agreement_no: Reference
    renovation_mode: RenovationMode
    construction_mode: ConstructionMode
    payee: PayeeInput | None = None
    deadline: date
    seismic_requirements: Text
    demolition_due: date | None = None


class SignAgreement(Command):
    """签订改造协议."""

    needs_policy: ClassVar[bool] = True
    type: Literal["sign_agreement"]
    payload: SignAgreementPayload


class StartConstructionPayload(Input):
    builder: Builder
    evidence: Evidence = ()


class StartConstruction(Command):
    """开工."""

    type: Literal["start_construction"]
    payload: StartConstructionPayload


class ReportProgressPayload(Input):
    milestone: Text
    percent_complete: Annotated[int, Field(strict=True, ge=0, le=100), INTEGRAL]
    evidence: Evidence = ()


class ReportProgress(Command):
    """施工巡查."""

    type: Literal["report_progress"]
    payload: ReportProgressPayload


class CompleteConstructionPayload(Input):
    built_area_m2: AreaM2
    structure: HouseStructure
    evidence: Evidence = ()


class CompleteConstruction(Command):
    """竣工."""

    type: Literal["complete_construction"]
    payload: CompleteConstructionPayload


class RecordCountyAcceptancePayload(Input):
    result: AcceptanceResult


class RecordCountyAcceptance(Command):
    """县级竣工验收."""

    needs_policy: ClassVar[bool] = True
    type: Literal["record_county_acceptance"]
    payload: RecordCountyAcceptancePayload


class RecordCitySpotCheckPayload(Input):
    passed: bool
    draw_ref: Reference | None = None
    findings: tuple[Text, ...] = ()
    evidence: Evidence = ()


class RecordCitySpotCheck(Command):
    """市级抽查验收."""

    type: Literal["record_city_spot_check"]
    payload: RecordCitySpotCheckPayload


class RecordProvincialAcceptancePayload(Input):
    passed: bool
    findings: tuple[Text, ...] = ()
    evidence: Evidence = ()


class RecordProvincialAcceptance(Command):
    """自治区（省级）核验."""

    type: Literal["record_provincial_acceptance"]
    payload: RecordProvincialAcceptancePayload


class RecordDemolitionPayload(Input):
    evidence: Evidence = Field(min_length=1)


class RecordDemolition(Command):
    """拆除旧危房."""

    type: Literal["record_demolition"]
    payload: RecordDemolitionPayload


class RequestPaymentPayload(Input):
    request_no: Reference
    tranche: Tranche = Tranche.FINAL
    amounts: Amounts
    channel: PaymentChannel


class RequestPayment(Command):
    """提交拨付申请."""

    needs_policy: ClassVar[bool] = True
    type: Literal["request_payment"]
    payload: RequestPaymentPayload


class DisbursePaymentPayload(Input):
    request_no: Reference
    voucher_no: Reference


class DisbursePayment(Command):
    """财政拨付."""

    type: Literal["disburse_payment"]
    payload: DisbursePaymentPayload


class CloseCasePayload(Input):
    pass


class CloseCase(Command):
    """销档."""

    type: Literal["close_case"]
    payload: CloseCasePayload = CloseCasePayload()


class CorrectDataPayload(Input):
    """`new` is the corrected value; personal data (a name, phone or account) in plaintext."""

    field: Literal[
        "household.size",
        "household.head.name",
        "household.phone",
        "household.account",
        "house.structure",
        "built_area_m2",
    ]
    new: JsonValue
    reason: Text
    approved_by: StaffRef

    def personal(self) -> bool:
        return self.field in ("household.head.name", "household.phone", "household.account")


class CorrectData(Command):
    """数据更正."""

    type: Literal["correct_data"]
    payload: CorrectDataPayload


