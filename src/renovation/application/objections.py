"""公示异议 — a member of the public objects to a household on an open notice.

Nobody signs in: the door (the public notice page) limits how often one client may lodge, and
this service takes the form, reads what the case says of the notice at that level, and records
`ObjectionLodged` on a new `NoticeObjection` — refused, with nothing written, when the form is
invalid, the case unknown or the notice not open. The statement and the contact are sealed with
a key of the objection's own (not the household's: they are the objector's words), so erasing
the household leaves the objection legible to those routing it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.objection import NoticeObjection, NoticeState
from renovation.application.commands import input_error_from
from renovation.application.pipeline import Pipeline
from renovation.application.service import UnknownCaseError
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import PiiProtector, validate_phone
from renovation.kernel.types import Reference
from renovation.kernel.vocabulary import NoticeLevel, ObjectionGround

STATEMENT = "objection.statement"
CONTACT = "objection.contact"
STATEMENT_SHOWN = "（异议内容已加密保存）"
Statement = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10,
                                             max_length=500)]
Contact = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]


class ObjectionForm(BaseModel):
    """What the objector fills in: which notice, why, their words, optionally a phone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_ref: Reference
    level: NoticeLevel
    ground: ObjectionGround
    statement: Statement
    contact: Contact | None = None


class PublicObjections:
    """Records objections lodged against open notices."""

    def __init__(self, pipeline: Pipeline, protector: PiiProtector) -> None:
        self.pipeline, self.protector = pipeline, protector

    def lodge(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        form = _parsed(raw)
        phone = validate_phone(form.contact, "contact") if form.contact else None
        today = self.pipeline.today()

        def decide(uow: UnitOfWork) -> NoticeObjection:
            case = uow.find(case_id(form.case_ref), RenovationCase)
            if case is None:
                raise UnknownCaseError("case.exists", "case_ref", form.case_ref,
                                       f"there is no case {form.case_ref}")
            sealer = self.protector.begin(
                self.protector.record_ref("objection", secrets.token_hex(16)))
            objection = NoticeObjection.lodge(
                case_ref=form.case_ref, level=form.level, notice=_notice(case, form.level),
                village=case.village_code, ground=form.ground,
                statement=sealer.text(form.statement, STATEMENT, STATEMENT_SHOWN),
                contact=sealer.phone(phone, CONTACT) if phone else None, today=today)
            sealer.commit()
            uow.add(objection)
            return objection

        recorded = self.pipeline.record("objection.lodged", decide)
        objection = recorded.value
        return {"receipt": objection.receipt, "case_ref": objection.case_ref,
                "level": objection.level.value, "notice_no": objection.notice_no,
                "lodged_on": today.isoformat(), "position": recorded.position}


def _notice(case: RenovationCase, level: NoticeLevel) -> NoticeState | None:
    notice = case.notices.get(level)
    if notice is None:
        return None
    return NoticeState(notice_no=notice.notice_no, posted_on=notice.posted_on,
                       planned_days=notice.planned_days, closed_on=notice.closed_on)


def _parsed(raw: Mapping[str, Any]) -> ObjectionForm:
    try:
        return ObjectionForm.model_validate(dict(raw))
    except ValidationError as error:
        raise input_error_from(error.errors(include_url=False)[0]) from None
