"""查阅记录 — recording reads of a case (history viewed, archive exported, data unmasked).

Each read is an event of the case's `CaseAccessLog`, saved in the same store and so chained and
checkpointed like the case's own events. Concurrent readers of one case race for the next
version of its log; the loser reloads and appends again (`Pipeline.record`).

The stated reason may name people (a tip-off's informant, say), so it is sealed with a key of
the case's access log: the log and the feed hold its length, `entries` the words. The key is
not the household's: a household's erasure leaves the record of who read its case and why.
"""

from __future__ import annotations

from typing import Any

from renovation.aggregates.access import AccessKind, CaseAccessLog, access_log_id
from renovation.aggregates.base import Actor
from renovation.aggregates.case import case_id
from renovation.application.pipeline import Pipeline
from renovation.application.unit_of_work import UnitOfWork
from renovation.audit.records import read_records
from renovation.identity import PiiProtector, PiiReader
from renovation.kernel.protected import ProtectedValue

REASON_FIELD = "access.reason"


class AccessLog:
    """Writes and lists the access records of cases."""

    def __init__(self, pipeline: Pipeline, protector: PiiProtector, reader: PiiReader) -> None:
        self.pipeline, self.app = pipeline, pipeline.app
        self.protector, self.reader = protector, reader

    def record(
        self, case_ref: str, kind: AccessKind, actor: Actor, reason: str | None,
        fields: tuple[str, ...] = (), detail: str | None = None,
    ) -> int:
        """Append one access record; returns the log's new version."""
        today = self.pipeline.today()
        sealer = self.protector.begin(self.protector.record_ref("access_log", case_ref))
        sealed = (sealer.text(reason, REASON_FIELD, f"〔{len(reason)}字，已加密〕")
                  if reason else None)

        def decide(uow: UnitOfWork) -> CaseAccessLog:
            log = uow.find(access_log_id(case_ref), CaseAccessLog)
            if log is None:
                log = CaseAccessLog(case_ref=case_ref, case_id=case_id(case_ref), kind=kind,
                                    reason=sealed, fields=fields, detail=detail, actor=actor,
                                    occurred_on=today)
                uow.add(log)
            else:
                log.record(kind, sealed, fields, detail, actor, today)
            if sealed is not None:
                sealer.commit()
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
                "recorded_at": e.timestamp.isoformat(), "reason": self._words(e.reason),
                "fields": list(e.fields), "detail": e.detail,
            })
        return out

    def _words(self, reason: str | ProtectedValue | None) -> str | None:
        if not isinstance(reason, ProtectedValue):
            return reason
        words = self.reader.reveal(reason, REASON_FIELD)
        return "〔已删除〕" if words is None else words


_KINDS = {
    "CaseHistoryViewed": AccessKind.HISTORY_VIEWED.value,
    "CaseDossierExported": AccessKind.DOSSIER_EXPORTED.value,
    "PersonalDataUnmasked": AccessKind.PERSONAL_DATA_UNMASKED.value,
    "CaseFoundByIdentity": AccessKind.FOUND_BY_IDENTITY.value,
}
