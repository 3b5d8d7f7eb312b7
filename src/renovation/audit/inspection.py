"""The inspector's reads (纪检核查): case history, archive export, unmasking — each authorised
(role × action × jurisdiction) and recorded in the case's access log before anything is shown.

Any door (the CLI today, an HTTP API later) calls these methods; the reads themselves live in
`history`, `dossier` and `access`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.aggregates.access import AccessKind
from renovation.aggregates.base import Actor
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.audit.access import AccessLog
from renovation.audit.dossier import dossier_document, newest_rooted
from renovation.audit.dossier_html import render
from renovation.audit.history import AsOf, CaseHistory, case_history, case_records
from renovation.audit.verify_dossier import DOSSIER_FILE
from renovation.audit.views import Reveal
from renovation.identity import (
    BlindIndexer,
    PiiProtector,
    PiiReader,
    SealedValueError,
    validate_id_number,
    validate_person_name,
)
from renovation.kernel.errors import InvalidInputError, NotAuthorizedError
from renovation.kernel.jurisdiction import covers
from renovation.kernel.protected import ProtectedValue

HTML_FILE = "dossier.html"


class IdentityIndex(Protocol):
    """Where the cases of a blind index are found (the `identities` read model)."""

    def cases(self, kind: str, ref: str) -> list[tuple[str, str]]:
        """(case reference, village code) of the cases holding `ref` of `kind`."""
        ...
ERASED = "〔已销毁〕"
"""Shown where the household's key was destroyed (crypto-shredded): the value is gone."""
SEALING_CONTEXTS = ("person.name", "person.id_number", "household.phone", "household.account",
                    "case.free_text",
                    "payee.account")


def required_reason(reason: str | None, action: str) -> str:
    text = (reason or "").strip()
    if not 1 <= len(text) <= 500:
        raise InvalidInputError("access.reason_required", "reason", reason,
                                f"reason: {action} needs a stated reason of 1 to 500 characters")
    return text


class Inspection:
    """Authorised, recorded reads of one case."""

    def __init__(self, pipeline: Pipeline, protector: PiiProtector, reader: PiiReader,
                 indexer: BlindIndexer) -> None:
        self.pipeline, self.app, self.reader, self.indexer = pipeline, pipeline.app, reader, indexer
        self.log = AccessLog(pipeline, protector, reader)

    def find(
        self, principal: Principal, index: IdentityIndex, reason: str | None,
        id_number: str | None = None, full_name: str | None = None,
    ) -> list[dict[str, str]]:
        """The cases of the principal's area a person is in, by exact ID number or full name,
        matched through the blind index; each case found records the search (not its value)."""
        reason = required_reason(reason, "searching by ID number or name")
        if (id_number is None) == (full_name is None):
            raise InvalidInputError("search.one_identity", "id_number", None,
                                    "search by an ID number or by a full name, one of them")
        if id_number is not None:
            kind = "id_number"
            ref = self.indexer.ref("id_number", validate_id_number(id_number, "id_number"))
        else:
            kind = "name"
            name = validate_person_name(full_name or "", "full_name")
            ref = self.indexer.ref("person_name", name.casefold())
        areas = [g for g in principal.held_on(self.pipeline.today())
                 if "search_identity" in self.pipeline.authorizer.actions_of(g.role)]
        if not areas:
            raise NotAuthorizedError("authorization.role_action", "actor.role",
                                     principal.staff_id, "none of your roles may search by"
                                     " ID number or name")
        found = []
        for case_ref, village in index.cases(kind, ref):
            if any(covers(g.jurisdiction, village) for g in areas):
                actor = self.pipeline.acting(principal, "search_identity", village)
                self.log.record(case_ref, AccessKind.FOUND_BY_IDENTITY, actor, reason,
                                fields=(kind,))
                found.append({"case_ref": case_ref, "village": village})
        return found

    def history(
        self, principal: Principal, case_ref: str, as_of: str | None = None,
        reason: str | None = None,
    ) -> CaseHistory:
        """The case's history (masked), after recording that the principal viewed it."""
        point = AsOf.parse(as_of)
        records = case_records(self.app, case_ref)
        actor = self._acting(principal, "view_history", records)
        history = case_history(self.app, case_ref, point, records=records)
        self.log.record(case_ref, AccessKind.HISTORY_VIEWED, actor, (reason or "").strip() or None,
                        detail=f"as_of={as_of}" if as_of else None)
        return history

    def export_dossier(
        self, principal: Principal, case_ref: str, out: Path, checkpoints: Path,
        public_key: Ed25519PublicKey, reason: str | None, unmask: bool = False,
        as_of: str | None = None,
    ) -> dict[str, Any]:
        """Write `dossier.json` and `dossier.html` into `out`; returns what was written.

        With `as_of` (a version, or a date), the archive holds the case as it stood then.
        Everything is built first, then the export (and any unmasking) recorded, then the
        files written: a refused export writes nothing.
        """
        reason = required_reason(reason, "exporting an archive")
        point = AsOf.parse(as_of)
        records = case_records(self.app, case_ref)
        actor = self._acting(principal, "unmask" if unmask else "export_dossier", records)
        if unmask:  # the role that may unmask must also be one that may export
            self._acting(principal, "export_dossier", records)
        signed = newest_rooted(checkpoints, public_key)
        revealed: set[str] = set()
        history = case_history(self.app, case_ref, point, records=records,
                               reveal=self._revealer(revealed) if unmask else None)
        export = {"exported_at": self.pipeline.clock().isoformat(), "reason": reason,
                  "unmasked": unmask, "as_of": as_of, "through_version": history.as_of_version,
                  "actor": {"id": actor.id, "role": actor.role.value,
                            "jurisdiction": actor.jurisdiction}}
        covered = records[:history.as_of_version]
        document = dossier_document(self.app, case_ref, covered, signed, public_key, export)
        page = render(history, history.state, export,
                      {"source": signed.checkpoint.source, "key_id": document["key_id"]})
        detail = f"checkpoint={signed.checkpoint.source}" + (f" as_of={as_of}" if as_of else "")
        self.log.record(case_ref, AccessKind.DOSSIER_EXPORTED, actor, reason, detail=detail[:200])
        if unmask:
            self.log.record(case_ref, AccessKind.PERSONAL_DATA_UNMASKED, actor, reason,
                            fields=tuple(sorted(revealed))[:50], detail="dossier")
        _write_atomically(out, {DOSSIER_FILE: json.dumps(document, ensure_ascii=False, indent=1),
                                HTML_FILE: page})
        return {"out": str(out), "files": [DOSSIER_FILE, HTML_FILE],
                "events": len(document["events"]), "checkpoint": signed.checkpoint.source,
                "unmasked_fields": sorted(revealed)}

    def access_log(self, principal: Principal, case_ref: str) -> list[dict[str, Any]]:
        """The case's access records (reading them is not itself recorded)."""
        self._acting(principal, "view_history", case_records(self.app, case_ref))
        return self.log.entries(case_ref)

    def _acting(self, principal: Principal, action: str, records: list[Any]) -> Actor:
        first: Any = self.app.mapper.to_domain_event(records[0].stored_event())
        return self.pipeline.acting(principal, action, first.village_code)

    def _revealer(self, revealed: set[str]) -> Reveal:
        def reveal(value: ProtectedValue, path: str) -> str:
            for context in sorted(SEALING_CONTEXTS, key=lambda c: not _likely(c, path)):
                try:
                    text = self.reader.reveal(value, context)
                except SealedValueError:
                    continue
                revealed.add(_field_name(path))
                return ERASED if text is None else text
            return value.masked
        return reveal


def _likely(context: str, path: str) -> bool:
    return path.endswith(context.split(".")[-1])


def _field_name(path: str) -> str:
    return ".".join(p for p in path.split(".") if not p.isdigit()) or "value"


def _write_atomically(out: Path, files: dict[str, str]) -> None:
    """Each file appears whole or not at all (written beside, then renamed)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            Path(tmp).replace(out / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
