"""举报投诉 — lodging tip-offs and handing them over, investigating and concluding them.

Thin, like every service: parse the input (refused with nothing written), find the acting role
(`Pipeline.acting`: `lodge_tipoff` for the officials who take hotline calls, `handle_tipoff` for
the discipline inspectors of the tip-off's county and the inspectors above them), load, let the
`TipOff` decide, save. A member of the public lodges without signing in (the door brakes
floods). Words and contacts are sealed with a key of the tip-off's own, so erasing a household
leaves them and erasing the tip-off's key erases them all; they are shown in words only to
someone who may handle tip-offs in its county, to everyone else in their masked form.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.objection import NoticeObjection, PublicActor
from renovation.aggregates.tipoff import Assignee, TipOff, TipOffRuleError, escalated_id
from renovation.application.app import RenovationApp
from renovation.application.directory import StaffDirectory
from renovation.application.directory.lookup import UnknownStaffError, staff_id_of
from renovation.application.findings import people_involved
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.service import UnknownCaseError
from renovation.application.tipoff_inputs import (
    Assignment,
    Conclusion,
    Escalation,
    HotlineTipOff,
    PublicTipOffForm,
    kept_words,
    parsed,
)
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import PiiProtector, PiiReader, validate_phone
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.vocabulary import Role
from renovation.kernel.vocabulary.tipoffs import TipOffChannel, TipOffSubject
from renovation.policy.tipoffs import TipOffDeadlines, load_tipoff_deadlines

LODGE, HANDLE, VIEW = "lodge_tipoff", "handle_tipoff", "view_tipoffs"
STATEMENT, CONTACT, CONCLUSION = "tipoff.statement", "tipoff.contact", "tipoff.conclusion"
ERASED = "〔已删除〕"


class TipOffMissingError(TipOffRuleError):
    """No tip-off has this id."""


def masked_text(text: str) -> str:
    """What a reader who may not open the words sees: their length."""
    return f"〔{len(text)}字，已加密〕"


class TipOffs:
    """Records tip-offs and what is done about them."""

    def __init__(self, pipeline: Pipeline, directory: StaffDirectory, protector: PiiProtector,
                 reader: PiiReader, deadlines: TipOffDeadlines | None = None) -> None:
        self.pipeline, self.directory = pipeline, directory
        self.protector, self.reader = protector, reader
        self.deadlines = deadlines or load_tipoff_deadlines()

    def lodge_public(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """网上举报 — from the public page; nobody signs in."""
        form = parsed(PublicTipOffForm, raw)
        statement = kept_words(form.statement, "statement", 10)
        phone = validate_phone(form.contact, "contact") if form.contact else None
        refs = (form.case_ref,) if form.case_ref else ()
        where = form.jurisdiction or self._village_of(form.case_ref)
        return self._lodge(TipOffChannel.PUBLIC_PAGE, PublicActor(), where, form.subject, refs,
                           (), None, statement, phone, self.pipeline.today())

    def lodge_hotline(self, principal: Principal, raw: Mapping[str, Any]) -> dict[str, Any]:
        """电话举报 — the official who took the call enters it and is recorded as the actor."""
        form = parsed(HotlineTipOff, raw)
        statement = kept_words(form.statement, "statement", 10)
        phone = validate_phone(form.contact, "contact") if form.contact else None
        actor = self.pipeline.acting(principal, LODGE, form.jurisdiction)
        return self._lodge(TipOffChannel.HOTLINE, actor, form.jurisdiction, form.subject,
                           form.case_refs, form.finding_ids, None, statement, phone,
                           form.received_on or self.pipeline.today())

    def escalate(self, principal: Principal, raw: Mapping[str, Any]) -> dict[str, Any]:
        """公示异议转举报 — the objection's words and contact are sealed again as the tip-off's."""
        form = parsed(Escalation, raw)
        objection = _first(self.pipeline.app, form.objection_id,
                           NoticeObjection.ObjectionLodged)
        if objection is None:
            raise TipOffMissingError("tipoff.objection_exists", "objection_id",
                                     str(form.objection_id), "there is no such objection")
        actor = self.pipeline.acting(principal, LODGE, objection.village)
        if _first(self.pipeline.app, escalated_id(form.objection_id), TipOff.TipOffLodged):
            raise _escalated_once(form.objection_id)
        statement = self.reader.reveal(objection.statement, "objection.statement")
        phone = (self.reader.reveal(objection.contact, "objection.contact")
                 if objection.contact else None)
        return self._lodge(TipOffChannel.OBJECTION, actor, objection.village, form.subject,
                           (objection.case_ref,), (), form.objection_id,
                           statement or "（原公示异议的内容已删除）", phone,
                           self.pipeline.today())

    def assign(self, principal: Principal, tipoff_id: UUID, raw: Mapping[str, Any]
               ) -> dict[str, Any]:
        """移交 to a discipline inspector of the county; 改派 once it was handed over."""
        form = parsed(Assignment, raw)
        county = self._county(tipoff_id)
        actor = self.pipeline.acting(principal, HANDLE, county)
        assignee = self._assignee(staff_id_of(form.to, "to"), county)

        def decide(tipoff: TipOff, involved: frozenset[str], today: date) -> None:
            if tipoff.assignee is None:
                tipoff.hand_over(actor, assignee, today, involved)
            else:
                tipoff.reassign(actor, assignee, today, involved)

        return self._act(tipoff_id, "tipoff.assigned", decide)

    def start_investigation(self, principal: Principal, tipoff_id: UUID) -> dict[str, Any]:
        """开始查处."""
        actor = self.pipeline.acting(principal, HANDLE, self._county(tipoff_id))
        return self._act(tipoff_id, "tipoff.investigation_started",
                         lambda tipoff, _, today: tipoff.start_investigation(actor, today))

    def conclude(self, principal: Principal, tipoff_id: UUID, raw: Mapping[str, Any]
                 ) -> dict[str, Any]:
        """办结 — the conclusion sealed with the tip-off's key."""
        form = parsed(Conclusion, raw)
        text = kept_words(form.conclusion, "conclusion", 4)
        actor = self.pipeline.acting(principal, HANDLE, self._county(tipoff_id))
        lodged = self._lodged(tipoff_id)
        sealer = self.protector.begin(lodged.statement.sealed.key_id)
        sealed = sealer.text(text, CONCLUSION, masked_text(text))

        def decide(tipoff: TipOff, involved: frozenset[str], today: date) -> None:
            tipoff.conclude(actor, form.outcome, form.confirmed_findings, sealed, today,
                            involved)

        return self._act(tipoff_id, "tipoff.concluded", decide)

    def words(self, principal: Principal, tipoff_id: UUID) -> dict[str, str | None]:
        """The statement, contact and conclusion as `principal` may see them: in words for
        someone who may handle tip-offs in the county, else masked (erased once the key is
        gone)."""
        events = list(self.pipeline.app.events.get(tipoff_id))
        lodged = events[0] if events else None
        if not isinstance(lodged, TipOff.TipOffLodged):
            raise _missing(tipoff_id)
        concluded = next((e for e in events if isinstance(e, TipOff.TipOffConcluded)), None)
        values = {"statement": (lodged.statement, STATEMENT),
                  "contact": (lodged.contact, CONTACT),
                  "conclusion": (concluded.conclusion if concluded else None, CONCLUSION)}
        opened = self._may_handle(principal, lodged.jurisdiction)
        return {name: self._shown(value, field, opened)
                for name, (value, field) in values.items()}

    def _lodge(self, channel: TipOffChannel, actor: Actor | PublicActor, jurisdiction: str,
               subject: TipOffSubject, case_refs: tuple[str, ...], finding_ids: tuple[UUID, ...],
               objection_id: UUID | None, statement: str, phone: str | None, on: date,
               ) -> dict[str, Any]:
        sealer = self.protector.begin(self.protector.record_ref("tipoff", secrets.token_hex(16)))
        sealed = sealer.text(statement, STATEMENT, masked_text(statement))
        contact = sealer.phone(phone, CONTACT) if phone else None

        def decide(uow: UnitOfWork) -> TipOff:
            tipoff = TipOff.lodge(
                channel=channel, actor=actor, jurisdiction=jurisdiction, subject=subject,
                cases=_villages(uow, case_refs), finding_ids=finding_ids,
                objection_id=objection_id, statement=sealed, contact=contact, occurred_on=on,
                deadlines=self.deadlines)
            sealer.commit()  # the tip-off's key is kept only once the tip-off was accepted
            uow.add(tipoff)
            return tipoff

        collided = (lambda: _escalated_once(objection_id)) if objection_id else None
        recorded = self.pipeline.record("tipoff.lodged", decide, collided=collided)
        tipoff = recorded.value
        return {"tipoff_id": str(tipoff.id), "receipt": tipoff.receipt,
                "channel": channel.value, "jurisdiction": jurisdiction, "county": tipoff.county,
                "lodged_on": on.isoformat(), "hand_over_by": tipoff.hand_over_by.isoformat(),
                "conclude_by": tipoff.conclude_by.isoformat(), "position": recorded.position}

    def _act(self, tipoff_id: UUID, act: str, change: Any) -> dict[str, Any]:
        """Load the tip-off, let `change(tipoff, involved, today)` decide, save."""
        today = self.pipeline.today()

        def decide(uow: UnitOfWork) -> TipOff:
            tipoff = uow.find(tipoff_id, TipOff)
            if tipoff is None:
                raise _missing(tipoff_id)
            change(tipoff, people_involved(self.pipeline.app, tipoff.case_refs), today)
            return tipoff

        recorded = self.pipeline.record(act, decide)
        tipoff = recorded.value
        assignee = tipoff.assignee
        return {"tipoff_id": str(tipoff.id), "receipt": tipoff.receipt,
                "status": tipoff.status.value, "on": today.isoformat(),
                "assignee": assignee.model_dump(mode="json", exclude={"person_ref"})
                if assignee else None,
                "outcome": tipoff.outcome.value if tipoff.outcome else None,
                "version": tipoff.version, "position": recorded.position}

    def _assignee(self, staff_id: str, county: str) -> Assignee:
        """A discipline inspector who may handle tip-offs of the county today."""
        member = self.directory.member(staff_id)
        if member is None:
            raise UnknownStaffError("actor.unknown", "to", staff_id,
                                    f"{staff_id} is not in the staff directory")
        grants = tuple(g for g in member.grants.values() if g.role is Role.DISCIPLINE_INSPECTOR)
        candidate = Principal(staff_id=member.staff_id, person_ref=member.person_ref,
                              grants=grants)
        try:
            chosen = self.pipeline.acting(candidate, HANDLE, county)
        except RuleViolation:
            raise TipOffRuleError(
                "tipoff.assignee_may_handle", "to", staff_id,
                f"{staff_id} is not a discipline inspector serving {county} today") from None
        return Assignee(id=chosen.id, role=chosen.role, jurisdiction=chosen.jurisdiction,
                        person_ref=chosen.person_ref)

    def _village_of(self, case_ref: str | None) -> str:
        """Where a tip-off naming only a case is about: the case's village."""
        if case_ref is None:
            raise InvalidInputError("tipoff.where", "jurisdiction", None,
                                    "name the area (division code) or a case it concerns")
        case = self.pipeline.app.find(case_id(case_ref), RenovationCase)
        if case is None:
            raise UnknownCaseError("case.exists", "case_ref", case_ref,
                                   f"there is no case {case_ref}")
        return case.village_code

    def _county(self, tipoff_id: UUID) -> str:
        return at_level(self._lodged(tipoff_id).jurisdiction, Level.COUNTY)

    def _lodged(self, tipoff_id: UUID) -> Any:
        lodged = _first(self.pipeline.app, tipoff_id, TipOff.TipOffLodged)
        if lodged is None:
            raise _missing(tipoff_id)
        return lodged

    def _may_handle(self, principal: Principal, jurisdiction: str) -> bool:
        try:
            self.pipeline.acting(principal, HANDLE, jurisdiction)
        except RuleViolation:
            return False
        return True

    def _shown(self, value: ProtectedValue | None, field: str, opened: bool) -> str | None:
        if value is None:
            return None
        if not opened:
            return value.masked
        words = self.reader.reveal(value, field)
        return ERASED if words is None else words


def _villages(uow: UnitOfWork, case_refs: tuple[str, ...]) -> dict[str, str]:
    """The village of each case named (refused when one does not exist)."""
    found = {}
    for ref in case_refs:
        case = uow.find(case_id(ref), RenovationCase)
        if case is None:
            raise UnknownCaseError("case.exists", "case_refs", ref, f"there is no case {ref}")
        found[ref] = case.village_code
    return found


def _first(app: RenovationApp, aggregate_id: UUID, kind: type[Any]) -> Any:
    """The first event of an aggregate if it is of `kind` (else None: unknown, or another
    kind of record, whose id a caller may have given by mistake)."""
    for first in app.events.get(aggregate_id, lte=1):
        return first if isinstance(first, kind) else None
    return None


def _missing(tipoff_id: UUID) -> TipOffMissingError:
    return TipOffMissingError("tipoff.exists", "tipoff_id", str(tipoff_id),
                              f"there is no tip-off {tipoff_id}")


def _escalated_once(objection_id: UUID | None) -> TipOffRuleError:
    return TipOffRuleError("tipoff.objection_escalated_once", "objection_id", str(objection_id),
                           "this objection was already taken up as a tip-off")
