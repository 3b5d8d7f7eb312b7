"""案件历史 — a case's history: every recorded act in order, who did it, what it changed.

The case is replayed event by event with the aggregate's own methods; the state before and
after each event is rendered (masked) and compared. Each entry carries both clocks — the
business date the act happened (`occurred_on`) and when the system recorded it (`timestamp`) —
and the gap between them in days, so backdating shows. Reads go through `records`, by the
case's primary key: the cost grows with the case's events, not with the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.app import RenovationApp, replay
from renovation.application.service import UnknownCaseError
from renovation.application.views import case_summary
from renovation.audit.records import StoredRecord, read_records
from renovation.audit.views import Reveal, diff_flat, fields_of, flatten, state_of
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.kernel.vocabulary import section_of

LATE_DAYS = 7
"""Recorded more than this many days after the business date: flagged as possibly backdated."""


class AsOfError(RuleViolation):
    """`--as-of` names no version or date of the case."""


@dataclass(frozen=True)
class AsOf:
    """A version number, or a date: the last version recorded by the end of that day (CST)."""

    version: int | None = None
    day: date | None = None

    @classmethod
    def parse(cls, text: str | None) -> AsOf | None:
        if text is None:
            return None
        text = text.strip()
        if re.fullmatch(r"[0-9]{1,9}", text):
            return cls(version=int(text))
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            try:
                return cls(day=date.fromisoformat(text))
            except ValueError:
                pass
        raise InvalidInputError("history.as_of_format", "as_of", text,
                                "as_of: give a version number (e.g. 7) or a date (YYYY-MM-DD)")


@dataclass
class HistoryEntry:
    """One recorded act of the case."""

    version: int
    position: int
    event: str
    section: str
    act: str
    occurred_on: date
    recorded_at: datetime
    actor: dict[str, str]
    policy: dict[str, Any] | None
    changes: list[dict[str, Any]]
    fields: dict[str, Any]

    @property
    def gap_days(self) -> int:
        """Days from the business date to the recording date (China time); >0: recorded later."""
        return (self.recorded_at.astimezone(CHINA_STANDARD_TIME).date() - self.occurred_on).days

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version, "position": self.position, "event": self.event,
            "section": self.section, "act": self.act,
            "occurred_on": self.occurred_on.isoformat(),
            "recorded_at": self.recorded_at.isoformat(), "gap_days": self.gap_days,
            "late": self.gap_days > LATE_DAYS, "actor": self.actor, "policy": self.policy,
            "changes": self.changes, "fields": self.fields,
        }


@dataclass
class CaseHistory:
    """The case's history, through `as_of_version` (the whole of it unless asked otherwise)."""

    case_ref: str
    case_id: str
    current_version: int
    as_of_version: int
    entries: list[HistoryEntry] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"case_ref": self.case_ref, "case_id": self.case_id,
                "current_version": self.current_version, "as_of_version": self.as_of_version,
                "state": self.state, "events": [e.to_dict() for e in self.entries]}


def case_records(app: RenovationApp, case_ref: str) -> list[StoredRecord]:
    """The case's stored records, or UnknownCaseError."""
    records = read_records(app, case_id(case_ref))
    if not records:
        raise UnknownCaseError("case.exists", "case_ref", case_ref, f"there is no case {case_ref}")
    return records


def case_history(
    app: RenovationApp, case_ref: str, as_of: AsOf | None = None,
    records: list[StoredRecord] | None = None, reveal: Reveal | None = None,
) -> CaseHistory:
    """The history of `case_ref`, through the version `as_of` names.

    Masked throughout, except the forms' fields and the summary when `reveal` is given.
    """
    records = records if records is not None else case_records(app, case_ref)
    events = [app.mapper.to_domain_event(r.stored_event()) for r in records]
    through = _through(case_ref, events, as_of)
    entries: list[HistoryEntry] = []
    case: Any = None
    before: dict[str, Any] = {}
    for record, domain_event in zip(records[:through], events[:through], strict=True):
        case = domain_event.mutate(case)
        after = flatten(state_of(case))
        entries.append(_entry(record, domain_event, diff_flat(before, after), case, reveal))
        before = after
    at = app.repository.get(case_id(case_ref), version=through, projector_func=replay)
    return CaseHistory(case_ref, str(case_id(case_ref)), len(records), through, entries,
                       _summary(at, reveal))


def _summary(case: RenovationCase, reveal: Reveal | None) -> dict[str, Any]:
    summary = case_summary(case)
    if reveal is not None:
        household = case.household
        summary["head"] = {"name": reveal(household.head.name, "household.head.name"),
                           "id_number": reveal(household.head.id_number,
                                               "household.head.id_number")}
        if household.phone:
            summary["phone"] = reveal(household.phone, "household.phone")
        if household.account:
            summary["account"] = reveal(household.account.number, "household.account.number")
    return summary


def _through(case_ref: str, events: list[Any], as_of: AsOf | None) -> int:
    if as_of is None:
        return len(events)
    if as_of.version is not None:
        if not 1 <= as_of.version <= len(events):
            raise AsOfError("history.as_of_version", "as_of", as_of.version,
                            f"case {case_ref} has versions 1 to {len(events)}")
        return as_of.version
    assert as_of.day is not None
    end = datetime.combine(as_of.day + timedelta(days=1), time(0), CHINA_STANDARD_TIME)
    through = 0
    for e in events:  # the versions recorded by then: a prefix, as the log only grows
        if e.timestamp >= end:
            break
        through += 1
    if through == 0:
        raise AsOfError("history.as_of_before_case", "as_of", as_of.day,
                        f"case {case_ref} was first recorded on"
                        f" {events[0].timestamp.astimezone(CHINA_STANDARD_TIME).date()}")
    return through


def _entry(
    record: StoredRecord, domain_event: Any, changes: list[dict[str, Any]],
    case: RenovationCase, reveal: Reveal | None,
) -> HistoryEntry:
    name = type(domain_event).__name__
    section, act = section_of(name)
    actor = domain_event.actor
    return HistoryEntry(
        version=record.version, position=record.position, event=name, section=section, act=act,
        occurred_on=domain_event.occurred_on, recorded_at=domain_event.timestamp,
        actor={"id": actor.id, "role": actor.role.value, "jurisdiction": actor.jurisdiction,
               "recorded_by": actor.recorded_by},
        policy=policy_applied(domain_event, case), changes=changes,
        fields=fields_of(domain_event, reveal),
    )


def policy_applied(domain_event: Any, case: Any) -> dict[str, Any] | None:
    """The policy id and version a decision applied, where the event records them."""
    subsidy = getattr(domain_event, "subsidy", None)
    policy_id = getattr(domain_event, "policy_id", None) or getattr(subsidy, "policy_id", None)
    version = getattr(domain_event, "policy_version", None) or getattr(
        subsidy, "policy_version", None)
    if policy_id is None and version is None:
        return None
    return {"id": policy_id or getattr(case, "policy_id", None), "version": version}
