"""参照数据 on PostgreSQL: the tables live in the store's own schema, rows carry no plaintext,
and two processes importing one snapshot at once store it once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from renovation.aggregates.registry import snapshot_id
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.registry.samples import example_row, write_csv
from renovation.registry.store import RegistryStore
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.people import id_number
from renovation.simulation.staff import principal
from tests.conftest import INDEX_KEY, KEK
from tests.support import postgres
from tests.support.app import staffed

PEOPLE = [id_number("450321", n) for n in range(40)]
AS_OF = date(2022, 6, 30)


@pytest.fixture
def schema() -> Iterator[str]:
    with postgres.fresh_schema() as name:
        yield name


def runtime(schema: str, tmp_path: Path) -> Runtime:
    clock = SimulatedClock()
    clock.business_day(date(2022, 7, 1))
    settings = Settings(db=postgres.url_with_schema(schema), kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=tmp_path / "secrets")
    return build(settings, clock=clock)


def household_file(tmp_path: Path) -> Path:
    rows = [example_row("household_registration", p, household_no=f"H{n // 4}", 姓名="欧阳锋")
            for n, p in enumerate(PEOPLE)]
    return write_csv(tmp_path / "hukou.csv", "household_registration", rows)


def rows_of(query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(postgres.PG_URL) as conn:
        return conn.execute(query, params).fetchall()


@pytest.mark.postgres
def test_the_tables_and_their_indexes_are_made_in_the_stores_schema(
    schema: str, tmp_path: Path,
) -> None:
    with runtime(schema, tmp_path) as rt:
        staffed(rt)
        rt.registries.import_file(principal(rt, "pm-4503"), household_file(tmp_path),
                                  kind="household_registration", as_of=AS_OF, department="公安")
    tables = rows_of("SELECT table_name FROM information_schema.tables"
                     " WHERE table_schema = %s AND table_name LIKE 'registry%%'", schema)
    assert sorted(t for (t,) in tables) == ["registry_entries", "registry_snapshots"]
    indexes = rows_of("SELECT indexname FROM pg_indexes WHERE schemaname = %s"
                      " AND tablename = 'registry_entries'", schema)
    assert {"registry_entries_person", "registry_entries_household"} <= {i for (i,) in indexes}
    (kind,) = rows_of("SELECT data_type FROM information_schema.columns WHERE"
                      " table_schema = %s AND table_name = 'registry_entries'"
                      " AND column_name = 'attrs'", schema)
    assert kind == ("jsonb",)
    stored = repr(rows_of(f"SELECT e.*, s.* FROM {schema}.registry_entries e"
                          f" JOIN {schema}.registry_snapshots s USING (snapshot_id)"))
    assert "H1" not in stored and "欧阳锋" not in stored
    assert not [p for p in PEOPLE if p in stored]


@pytest.mark.postgres
def test_the_store_is_read_through_a_url_with_or_without_its_schema(
    schema: str, tmp_path: Path,
) -> None:
    with runtime(schema, tmp_path) as rt:
        staffed(rt)
        rt.registries.import_file(principal(rt, "pm-4503"), household_file(tmp_path),
                                  kind="household_registration", as_of=AS_OF, department="公安")
        ref = rt.registries.indexer.ref("id_number", PEOPLE[5])
        household = rt.registries.indexer.ref("household_no", "H1")
    for store in (RegistryStore(postgres.url_with_schema(schema)),
                  RegistryStore(postgres.PG_URL, schema=schema)):
        try:
            (entry,) = store.entries_for("household_registration", [ref], date(2023, 1, 1))
            assert entry.household_ref == household and entry.row_no == 7
            assert len(store.entries_by_household([household], AS_OF)) == 4
            assert sum(len(b) for b in store.iter_entries("household_registration", AS_OF,
                                                          batch=7)) == 40
        finally:
            store.close()


@pytest.mark.postgres
def test_two_processes_importing_one_snapshot_at_once_store_it_once(
    schema: str, tmp_path: Path,
) -> None:
    path = household_file(tmp_path)
    runtimes = [runtime(schema, tmp_path) for _ in range(2)]
    staffed(runtimes[0])
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    failures: list[BaseException] = []

    def load(rt: Runtime) -> None:
        me = principal(rt, "pm-4503")
        barrier.wait()
        try:
            reports.append(rt.registries.import_file(
                me, path, kind="household_registration", as_of=AS_OF, department="公安"))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=load, args=(rt,)) for rt in runtimes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        assert len({r.snapshot_id for r in reports}) == 1 and {r.rows for r in reports} == {40}
        assert sorted(r.already_imported for r in reports) == [False, True]
        recorded = runtimes[0].app.events.get(snapshot_id("household_registration", AS_OF))
        assert len(list(recorded)) == 1
        assert [r.snapshot.rows for r in runtimes[1].registries.snapshots()] == [40]
    finally:
        for rt in runtimes:
            rt.close()
    assert rows_of(f"SELECT count(*) FROM {schema}.registry_entries") == [(40,)]
