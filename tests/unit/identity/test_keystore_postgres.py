"""The household key store on PostgreSQL, inside a throw-away schema."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from renovation.identity import HouseholdKeyStore, KeyDestroyedError, generate_key

pytestmark = pytest.mark.postgres


def test_the_key_store_works_on_postgresql_inside_its_schema(pg_schema: tuple[str, str]) -> None:
    url, schema = pg_schema
    kek, key_id = generate_key(), "e" * 64
    first, second = generate_key(), generate_key()
    with HouseholdKeyStore(url, kek, schema=schema) as store:
        assert store.get(key_id) is None
        assert store.put_if_absent(key_id, first) == first
        assert store.put_if_absent(key_id, second) == first
    with HouseholdKeyStore(url, kek, schema=schema) as store:
        assert store.get(key_id) == first
        store.destroy(key_id, "retention period over")
        store.destroy(key_id, "again")
        assert store.is_destroyed(key_id)
        with pytest.raises(KeyDestroyedError):
            store.get(key_id)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        count = conn.execute(text(f"SELECT count(*) FROM {schema}.household_keys")).scalar_one()
    engine.dispose()
    assert count == 1


def test_concurrent_writers_on_postgresql_agree_on_one_key(pg_schema: tuple[str, str]) -> None:
    url, schema = pg_schema
    kek, key_id = generate_key(), "f" * 64
    stores = [HouseholdKeyStore(url, kek, schema=schema) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list[bytes] = []

    def write(store: HouseholdKeyStore) -> None:
        barrier.wait()
        results.append(store.put_if_absent(key_id, generate_key()))

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in stores:
        store.close()
    assert len(results) == len(stores)
    assert len(set(results)) == 1
