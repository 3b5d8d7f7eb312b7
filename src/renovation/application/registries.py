"""参照数据导入 — loading other departments' registry snapshots (数据比对's reference data).

The signed-in principal must hold a role that may `import_registries` (programme managers, civil
affairs and rural revitalisation officers; county level and above). The steps, in order:

1. the request (kind, date, department) is checked; a date after today is refused
   (`registry.as_of`) before the file is read;
2. the file's SHA-256 is taken; a snapshot of the kind and date loaded from the same file is
   answered as already imported, writing nothing; from another file, refused
   (`registry.snapshot_unique`);
3. the file is read to the end into a temporary spool: a missing required column refuses it
   (`registry.columns`), rejected rows go to the rejects sink, and a file whose every row was
   rejected is refused (`registry.no_valid_rows`);
4. the snapshot and all its rows are written in one transaction, then the load is recorded
   (`RegistrySnapshotImported`, in the chained log). If the write fails, nothing of it stays;
   if the process stops between the two, running the same import again finds the rows and
   records the load. The comparison reads a snapshot only once its load is recorded, and by
   then every row of it is there.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.exc import IntegrityError

from renovation.aggregates.base import Actor
from renovation.aggregates.registry import (
    DepartmentName,
    RegistryKind,
    RegistryRuleError,
    RegistrySnapshot,
    check_as_of,
    snapshot_id,
)
from renovation.application.commands import input_error_from
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import BlindIndexer
from renovation.kernel.errors import RuleViolation
from renovation.logging import get_logger
from renovation.registry.kinds import spec_of
from renovation.registry.readers import file_digest
from renovation.registry.spool import RejectSink, spool_file
from renovation.registry.store import RegistryStore, Snapshot, SnapshotRecord

ACTION = "import_registries"


class RegistryImportRequest(BaseModel):
    """What the file itself does not say: which registry, as of when, from which department."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RegistryKind
    as_of: date
    department: DepartmentName


@dataclass(frozen=True)
class RegistryImportReport:
    """The outcome of one import: the snapshot, its counts, and whether it was there before."""

    snapshot_id: str
    kind: str
    as_of: str
    department: str
    source_name: str
    sha256: str
    rows: int
    rejected: int
    entries_sha256: str
    imported_at: str
    imported_by: str
    already_imported: bool
    ignored_columns: tuple[str, ...] = ()
    elapsed_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ignored_columns": list(self.ignored_columns),
                "elapsed_seconds": round(self.elapsed_seconds, 3)}


class RegistryImports:
    """Imports registry files as snapshots; `store` is where their rows live and are read."""

    def __init__(self, pipeline: Pipeline, indexer: BlindIndexer, store: RegistryStore) -> None:
        self.pipeline, self.indexer, self.store = pipeline, indexer, store
        self._log = get_logger("renovation.registry")

    def import_file(
        self, principal: Principal, path: Path, *, kind: str, as_of: date | str,
        department: str, rejects: RejectSink | None = None,
    ) -> RegistryImportReport:
        """Load `path` as the snapshot of `kind` as of `as_of`, as `principal`."""
        started = time.perf_counter()
        request = _request(kind, as_of, department)
        today = self.pipeline.today()
        check_as_of(request.as_of, today)
        actor = self._actor(principal, today)
        sha256 = file_digest(path)
        known = self.store.find(request.kind, request.as_of)
        if known is not None:
            return self._existing(known, sha256, started, actor, today)
        spec = spec_of(request.kind)
        with spool_file(path, spec, self.indexer, request.as_of, rejects) as spool:
            if spool.rows == 0 and spool.rejected:
                raise RegistryRuleError(
                    "registry.no_valid_rows", "path", path.name,
                    f"every one of the {spool.rejected} data rows of {path.name} was rejected;"
                    " nothing was imported (see the rejects report)")
            record = SnapshotRecord(
                Snapshot(str(snapshot_id(request.kind, request.as_of)), request.kind.value,
                         request.department, request.as_of, path.name, spool.rows),
                sha256, spool.rejected, spool.entries_sha256, datetime.now(UTC), actor.id)
            try:
                self.store.write(record, spool.batches())
            except IntegrityError:  # another process wrote this snapshot meanwhile
                found = self.store.find(request.kind, request.as_of)
                if found is None:
                    raise
                return self._existing(found, sha256, started, actor, today)
            self._record(record, actor, today)
            self._log.info("registry.imported", kind=request.kind.value,
                           as_of=request.as_of.isoformat(), rows=spool.rows,
                           rejected=spool.rejected, snapshot_id=record.snapshot.snapshot_id)
            return _report(record, False, started, spool.ignored_columns)

    def snapshots(self, kind: str | None = None) -> list[SnapshotRecord]:
        """Every loaded snapshot (of `kind`), by kind and date."""
        if kind is not None:
            try:
                kind = RegistryKind(kind).value
            except ValueError:
                raise RegistryRuleError(
                    "registry.kind", "kind", kind[:40],
                    f"no registry kind {kind[:40]!r}; one of:"
                    f" {', '.join(k.value for k in RegistryKind)}") from None
        return self.store.list_snapshots(kind)

    def _actor(self, principal: Principal, today: date) -> Actor:
        """The principal's role that may import registries, acting for its own area."""
        held = principal.held_on(today)
        # With no grant held (or the local operator) `acting` refuses before reading the area.
        area = next((g.jurisdiction for g in held
                     if ACTION in self.pipeline.authorizer.actions_of(g.role)),
                    held[0].jurisdiction if held else "")
        return self.pipeline.acting(principal, ACTION, area, today)

    def _existing(self, known: SnapshotRecord, sha256: str, started: float, actor: Actor,
                  today: date) -> RegistryImportReport:
        if known.sha256 != sha256:
            raise _not_unique(known.snapshot.kind, known.snapshot.as_of, known.snapshot.source_name)
        self._record(known, actor, today)  # a run stopped between the rows and the event
        return _report(known, True, started)

    def _record(self, record: SnapshotRecord, actor: Actor, today: date) -> RegistrySnapshot:
        """Record the load once its rows are stored, unless a run of the same file did."""
        s = record.snapshot

        def decide(uow: UnitOfWork) -> RegistrySnapshot:
            done = uow.find(snapshot_id(s.kind, s.as_of), RegistrySnapshot)
            if done is not None:
                if not done.same_content(record.sha256, record.entries_sha256):
                    raise _not_unique(s.kind, s.as_of, done.source_name)
                return done
            loaded = RegistrySnapshot.load(
                kind=RegistryKind(s.kind), department=s.department, as_of=s.as_of,
                source_name=s.source_name, sha256=record.sha256, rows=s.rows,
                rejected=record.rejected, entries_sha256=record.entries_sha256, actor=actor,
                today=today)
            uow.add(loaded)
            return loaded

        return self.pipeline.record("registry.snapshot_imported", decide).value


def _request(kind: str, as_of: date | str, department: str) -> RegistryImportRequest:
    try:
        return RegistryImportRequest.model_validate(
            {"kind": kind, "as_of": as_of, "department": department})
    except ValidationError as error:
        raise input_error_from(error.errors()[0]) from None


def _not_unique(kind: str, as_of: date, source_name: str) -> RuleViolation:
    return RegistryRuleError(
        "registry.snapshot_unique", "as_of", as_of.isoformat(),
        f"a {kind} snapshot as of {as_of} was already imported from another file"
        f" ({source_name}); a date has one snapshot of a kind: date the new one as the day"
        " the department extracted it")


def _report(record: SnapshotRecord, again: bool, started: float,
            ignored: tuple[str, ...] = ()) -> RegistryImportReport:
    s = record.snapshot
    return RegistryImportReport(
        s.snapshot_id, s.kind, s.as_of.isoformat(), s.department, s.source_name, record.sha256,
        s.rows, record.rejected, record.entries_sha256, record.imported_at.isoformat(),
        record.imported_by, again, ignored, time.perf_counter() - started)
