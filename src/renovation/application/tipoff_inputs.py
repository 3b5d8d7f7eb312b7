"""举报投诉 — what each door may send for a tip-off act, as pydantic models (extra keys refused).

A model that does not fit is refused with the first problem as `InvalidInputError` (rule
`input.<type>`, the field's path, the value masked where it may be personal), before anything
is read or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from renovation.application.commands import input_error_from
from renovation.identity.masking import mask_unknown
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import Reference
from renovation.kernel.vocabulary.tipoffs import TipOffOutcome, TipOffSubject

M = TypeVar("M", bound=BaseModel)
# No whitespace stripping here: the published schemas state these bounds exactly, and the
# service refuses words that are only blanks by its own rule (`words`).
Statement = Annotated[str, StringConstraints(min_length=10, max_length=1000)]
Contact = Annotated[str, StringConstraints(min_length=1, max_length=40)]
ConclusionText = Annotated[str, StringConstraints(min_length=4, max_length=1000)]
StaffIdText = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FindingIds = Annotated[tuple[UUID, ...], Field(max_length=20)]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PublicTipOffForm(_Input):
    """What a member of the public fills in: where (a division code, or the 档案编号 of a case
    on a notice, or both), what kind, their words, optionally a phone (left empty, the tip-off
    is anonymous)."""

    jurisdiction: DivisionCode | None = None  # else the village of `case_ref`
    subject: TipOffSubject
    statement: Statement
    contact: Contact | None = None
    case_ref: Reference | None = None


class HotlineTipOff(_Input):
    """A call to the hotline, entered by the official who took it, on the caller's behalf."""

    jurisdiction: DivisionCode
    subject: TipOffSubject
    statement: Statement
    contact: Contact | None = None
    case_refs: Annotated[tuple[Reference, ...], Field(max_length=20)] = ()
    finding_ids: FindingIds = ()
    received_on: date | None = None


class Escalation(_Input):
    """A notice objection taken up as a tip-off (its words and contact go with it)."""

    objection_id: UUID
    subject: TipOffSubject


class Assignment(_Input):
    """移交 (or 改派) to a discipline inspector of the tip-off's county, by staff id."""

    to: StaffIdText


class Conclusion(_Input):
    """办结: the outcome, the findings it confirmed, and the conclusion in words (sealed)."""

    outcome: TipOffOutcome
    conclusion: ConclusionText
    confirmed_findings: FindingIds = ()


def parsed(model: type[M], raw: Mapping[str, Any]) -> M:
    """`raw` as `model`, or the first problem as `InvalidInputError`."""
    try:
        return model.model_validate(dict(raw))
    except ValidationError as error:
        refusal = input_error_from(error.errors(include_url=False)[0])
    if refusal.field == "conclusion" and isinstance(refusal.value, str):
        refusal.value = mask_unknown(refusal.value)  # an inspector's words may name people
    raise refusal


def kept_words(text: str, field: str, least: int) -> str:
    """`text` without surrounding blanks, refused when fewer than `least` characters remain."""
    kept = text.strip()
    if len(kept) < least:
        raise InvalidInputError(f"tipoff.{field}_words", field, mask_unknown(text),
                                f"{field}: write at least {least} characters")
    return kept
