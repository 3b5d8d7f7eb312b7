"""参照数据导入, through the application service on SQLite and PostgreSQL: a snapshot is loaded
whole or not at all, once per kind and date, recorded in the chained log, and read back as the
snapshot in force on a date."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select

from renovation.aggregates.registry import RegistrySnapshot, snapshot_id
from renovation.application.registries import RegistryImports
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.registry.parsing import RegistryFileError, RowReject
from renovation.registry.samples import example_row, write_csv
from renovation.registry.spool import entry_line
from renovation.registry.store import RegistryStore
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.people import id_number
from renovation.simulation.staff import principal
from tests.support.app import staffed, store_fingerprint

TODAY = date(2022, 7, 1)
AS_OF = date(2022, 6, 30)
PEOPLE = [id_number("450321", n) for n in range(6)]


@pytest.fixture
def rt(runtime: Runtime, clock: SimulatedClock) -> Runtime:
    staffed(runtime)
    clock.business_day(TODAY)
    runtime.registries.store.ensure_tables()
    return runtime


def dibao(path: Path, people: Iterable[str] = PEOPLE, **values: Any) -> Path:
    return write_csv(path, "dibao", [example_row("dibao", p, **values) for p in people])


def load(rt: Runtime, path: Path, kind: str = "dibao", as_of: date = AS_OF,
         by: str = "pm-4503", service: RegistryImports | None = None,
         rejects: list[RowReject] | None = None) -> Any:
    return (service or rt.registries).import_file(
        principal(rt, by), path, kind=kind, as_of=as_of, department="灵川县民政局",
        rejects=(rejects.append if rejects is not None else None))


def counts(store: RegistryStore) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(store.snapshots)) or 0,
                conn.scalar(select(func.count()).select_from(store.entries)) or 0)


def events(rt: Runtime, kind: str = "dibao", as_of: date = AS_OF) -> list[Any]:
    return list(rt.app.events.get(snapshot_id(kind, as_of)))


def refused(rt: Runtime, path: Path, **kwargs: Any) -> RuleViolation:
    before = store_fingerprint(rt)
    with pytest.raises(RuleViolation) as caught:
        load(rt, path, **kwargs)
    assert store_fingerprint(rt) == before
    return caught.value


def test_a_snapshot_is_stored_recorded_and_read_back_as_the_snapshot_in_force(
    rt: Runtime, tmp_path: Path,
) -> None:
    report = load(rt, dibao(tmp_path / "d.csv"))
    assert (report.rows, report.rejected, report.already_imported) == (6, 0, False)
    store = rt.registries.store
    snapshot = store.snapshot_in_force("dibao", date(2022, 12, 31))
    assert snapshot is not None and snapshot.snapshot_id == report.snapshot_id
    assert (snapshot.kind, snapshot.as_of, snapshot.rows, snapshot.source_name) == (
        "dibao", AS_OF, 6, "d.csv")
    assert store.snapshot_in_force("dibao", date(2022, 6, 29)) is None
    (event,) = events(rt)
    assert isinstance(event, RegistrySnapshot.RegistrySnapshotImported)
    assert (event.actor.id, event.actor.role, event.occurred_on) == (
        "pm-4503", "programme_manager", TODAY)
    digest = hashlib.sha256((tmp_path / "d.csv").read_bytes()).hexdigest()
    assert (event.sha256, event.rows, event.entries_sha256) == (
        digest, 6, report.entries_sha256)


def test_the_recorded_digest_is_recomputed_from_the_stored_rows(
    rt: Runtime, tmp_path: Path,
) -> None:
    load(rt, dibao(tmp_path / "d.csv"))
    digest = hashlib.sha256()
    for batch in rt.registries.store.iter_entries("dibao", AS_OF, batch=4):
        for e in batch:
            digest.update(entry_line({"row_no": e.row_no, "person_ref": e.person_ref,
                                      "masked_id": e.masked_id,
                                      "household_ref": e.household_ref, "attrs": e.attrs}))
    assert digest.hexdigest() == events(rt)[0].entries_sha256


def test_readers_get_the_rows_of_the_latest_snapshot_on_or_before_the_date(
    rt: Runtime, tmp_path: Path,
) -> None:
    march = write_csv(tmp_path / "m.csv", "household_registration", [
        example_row("household_registration", PEOPLE[0], household_no="H1"),
        example_row("household_registration", PEOPLE[1], household_no="H1",
                    relationship="配偶")])
    june = write_csv(tmp_path / "j.csv", "household_registration", [
        example_row("household_registration", PEOPLE[0], household_no="H1"),
        example_row("household_registration", PEOPLE[1], household_no="H2",
                    previous_household_no="H1", relationship="户主",
                    joined_on=date(2022, 6, 1))])
    load(rt, march, "household_registration", date(2022, 3, 31))
    load(rt, june, "household_registration", AS_OF)
    store, index = rt.registries.store, rt.registries.indexer
    h1, h2 = index.ref("household_no", "H1"), index.ref("household_no", "H2")
    assert [e.person_ref for e in store.entries_by_household([h1], date(2022, 5, 1))] == [
        index.ref("id_number", p) for p in PEOPLE[:2]]
    (moved,) = store.entries_by_household([h2], TODAY)
    assert moved.attrs["previous_household_ref"] == h1 and moved.row_no == 3
    found = store.entries_for("household_registration",
                              [index.ref("id_number", p) for p in PEOPLE], TODAY)
    assert [(e.row_no, e.household_ref) for e in found] == [(2, h1), (3, h2)]
    assert store.entries_for("dibao", [found[0].person_ref], TODAY) == []
    batches = list(store.iter_entries("household_registration", date(2022, 4, 1), batch=1))
    assert [[e.row_no for e in b] for b in batches] == [[2], [3]]


def test_importing_the_same_file_again_writes_nothing_and_answers_already_imported(
    rt: Runtime, tmp_path: Path,
) -> None:
    path = dibao(tmp_path / "d.csv")
    first = load(rt, path)
    before = store_fingerprint(rt)
    again = load(rt, path)
    assert again.already_imported and again.snapshot_id == first.snapshot_id
    assert (again.rows, again.sha256) == (first.rows, first.sha256)
    assert store_fingerprint(rt) == before


def test_another_file_for_a_kind_and_date_already_loaded_is_refused(
    rt: Runtime, tmp_path: Path,
) -> None:
    load(rt, dibao(tmp_path / "d.csv"))
    error = refused(rt, dibao(tmp_path / "other.csv", PEOPLE[:3]))
    assert (error.rule, error.field, error.value) == (
        "registry.snapshot_unique", "as_of", "2022-06-30")


def test_a_snapshot_dated_in_the_future_is_refused_before_the_file_is_read(
    rt: Runtime, tmp_path: Path,
) -> None:
    error = refused(rt, tmp_path / "never-read.csv", as_of=date(2022, 7, 2))
    assert (error.rule, error.value) == ("registry.as_of", "2022-07-02")


def test_a_file_missing_a_required_column_is_refused_and_nothing_written(
    rt: Runtime, tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "d.csv", "dibao", [example_row("dibao", PEOPLE[0])],
                     columns=["id_number", "valid_from"])
    error = refused(rt, path)
    assert isinstance(error, RegistryFileError)
    assert (error.rule, error.value) == ("registry.columns", "division_code")


def test_rejected_rows_are_reported_and_the_valid_rows_imported(
    rt: Runtime, tmp_path: Path,
) -> None:
    bad = PEOPLE[2][:-1] + ("0" if PEOPLE[2][-1] != "0" else "1")
    rows = [example_row("dibao", p) for p in PEOPLE[:2]] + [
        example_row("dibao", bad), example_row("dibao", PEOPLE[3], valid_from="2022-13-01")]
    rejects: list[RowReject] = []
    report = load(rt, write_csv(tmp_path / "d.csv", "dibao", rows), rejects=rejects)
    assert (report.rows, report.rejected) == (2, 2)
    assert [(r.row, r.rule, r.field) for r in rejects] == [
        (4, "identity.id_number.check_digit", "id_number"), (5, "registry.date", "valid_from")]
    assert bad not in repr([r.to_dict() for r in rejects])
    assert events(rt)[0].rejected == 2


def test_a_file_whose_every_row_is_rejected_is_refused(rt: Runtime, tmp_path: Path) -> None:
    error = refused(rt, dibao(tmp_path / "d.csv", valid_from="someday"))
    assert error.rule == "registry.no_valid_rows"


class FailingStore(RegistryStore):
    """A store whose disk fills after `batches` batches of rows (a fake, not a mock)."""

    def __init__(self, url: str, batches: int) -> None:
        super().__init__(url)
        self.left = batches

    def insert_entries(self, conn: Any, snapshot: Any, rows: list[dict[str, Any]]) -> None:
        if self.left == 0:
            raise OSError("database or disk is full")
        self.left -= 1
        super().insert_entries(conn, snapshot, rows)


def test_a_failure_part_way_leaves_no_snapshot_and_no_rows_and_a_rerun_finishes_it(
    rt: Runtime, tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "d.csv", "dibao",
                     (example_row("dibao", id_number("450321", n)) for n in range(2500)))
    failing = FailingStore(rt.settings.db, batches=2)
    service = RegistryImports(rt.pipeline, rt.registries.indexer, failing)
    with pytest.raises(OSError, match="disk is full"):
        load(rt, path, service=service)
    failing.close()
    assert failing.left == 0 and counts(rt.registries.store) == (0, 0)
    assert rt.registries.store.snapshot_in_force("dibao", TODAY) is None
    report = load(rt, path)
    assert (report.rows, report.already_imported) == (2500, False)
    assert counts(rt.registries.store) == (1, 2500)
    assert len(events(rt)) == 1  # the load was recorded once, by the first run


class StaleStore(RegistryStore):
    """A store whose first look for the snapshot misses it, as a process racing another's
    import would."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.looked = False

    def find(self, kind: str, as_of: date) -> Any:
        if not self.looked:
            self.looked = True
            return None
        return super().find(kind, as_of)


def test_two_imports_of_one_snapshot_at_once_store_it_once(rt: Runtime, tmp_path: Path) -> None:
    path = dibao(tmp_path / "d.csv")
    first = load(rt, path)
    stale = StaleStore(rt.settings.db)
    try:
        second = load(rt, path, service=RegistryImports(rt.pipeline, rt.registries.indexer,
                                                        stale))
    finally:
        stale.close()
    assert second.already_imported and second.snapshot_id == first.snapshot_id
    assert counts(rt.registries.store) == (1, 6) and len(events(rt)) == 1


@pytest.mark.parametrize(("staff_id", "rule"), [
    ("vc-450321100201", "authorization.role_action"),
    ("dj-4503", "authorization.role_action"),
    ("tw-450321100", "authorization.role_action"),
])
def test_only_managers_and_certifying_officers_import_registries(
    rt: Runtime, tmp_path: Path, staff_id: str, rule: str,
) -> None:
    assert refused(rt, dibao(tmp_path / "d.csv"), by=staff_id).rule == rule


@pytest.mark.parametrize("staff_id", ["ca-450321", "rr-450321"])
def test_county_civil_affairs_and_rural_revitalisation_officers_import_registries(
    rt: Runtime, tmp_path: Path, staff_id: str,
) -> None:
    load(rt, dibao(tmp_path / "d.csv"), by=staff_id)
    (event,) = events(rt)
    assert (event.actor.id, event.actor.jurisdiction) == (staff_id, "450321000000")


def test_the_snapshot_id_is_the_recorded_aggregate(rt: Runtime, tmp_path: Path) -> None:
    report = load(rt, dibao(tmp_path / "d.csv"))
    assert UUID(report.snapshot_id) == snapshot_id("dibao", AS_OF)
    listed = rt.registries.snapshots("dibao")
    assert [r.snapshot.snapshot_id for r in listed] == [report.snapshot_id]
    assert listed[0].imported_by == "pm-4503" and listed[0].rejected == 0
