"""查阅记录 — recording reads of a case (history viewed, archive exported, data unmasked).

Each read is an event of the case's `CaseAccessLog`, saved in the same store and so chained and
checkpointed like the case's own events. Concurrent readers of one case race for the next
version of its log; the loser reloads and appends again (`Pipeline.record`).
"""

from __future__ import annotations

from typing import Any

from renovation.aggregates.access import AccessKind, CaseAccessLog, access_log_id
from renovation.aggregates.base import Actor
from renovation.aggregates.case import case_id
from renovation.application.pipeline import Pipeline
from renovation.application.unit_of_work import UnitOfWork
from renovation.audit.records import read_records


class AccessLog:
    """Writes and lists the access records of cases."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline, self.app = pipeline, pipeline.app

    def record(
        self, case_ref: str, kind: AccessKind, actor: Actor, reason: str | None,
        fields: tuple[str, ...] = (), detail: str | None = None,
    ) -> int:
        """Append one access record; returns the log's new version."""
        today = self.pipeline.today()

        def decide(uow: UnitOfWork) -> CaseAccessLog:
            log = uow.find(access_log_id(case_ref), CaseAccessLog)
            if log is None:
                log = CaseAccessLog(case_ref=case_ref, case_id=case_id(case_ref), kind=kind,
                                    reason=reason, fields=fields, detail=detail, actor=actor,
                                    occurred_on=today)
                uow.add(log)
            else:
                log.record(kind, reason, fields, detail, actor, today)
            return log

        return self.pipeline.record(f"access.{kind.value}", decide, ).value.version

    def entries(self, case_ref: str) -> list[dict[str, Any]]:
        """Every access record of the case, oldest first."""
        out = []
        for record in read_records(self.app, access_log_id(case_ref)):
            e: Any = self.app.mapper.to_domain_event(record.stored_event())
            kind = e.kind.value if record.version == 1 else _KINDS[type(e).__name__]
            out.append({
                "version": record.version, "position": record.position, "action": kind,
                "actor": {"id": e.actor.id, "role": e.actor.role.value,
                          "jurisdiction": e.actor.jurisdiction,
                          "recorded_by": e.actor.recorded_by},
                "occurred_on": e.occurred_on.isoformat(),
                "recorded_at": e.timestamp.isoformat(), "reason": e.reason,
                "fields": list(e.fields), "detail": e.detail,
            })
        return out


_KINDS = {
    "CaseHistoryViewed": AccessKind.HISTORY_VIEWED.value,
    "CaseDossierExported": AccessKind.DOSSIER_EXPORTED.value,
    "PersonalDataUnmasked": AccessKind.PERSONAL_DATA_UNMASKED.value,
    "CaseFoundByIdentity": AccessKind.FOUND_BY_IDENTITY.value,
}
