"""Rules for the household key store (户密钥库) and development secrets."""

from __future__ import annotations

import base64
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from renovation.identity import (
    HouseholdKeyStore,
    KeyDestroyedError,
    KeyUnwrapError,
    generate_key,
    load_or_create_secret,
)

KEY_ID = "c" * 64


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nested' / 'dir' / 'keys.db'}"


@pytest.fixture
def kek() -> bytes:
    return generate_key()


@pytest.fixture
def store(db_url: str, kek: bytes) -> Iterator[HouseholdKeyStore]:
    with HouseholdKeyStore(db_url, kek) as keystore:
        yield keystore


def test_an_unknown_key_is_none(store: HouseholdKeyStore) -> None:
    assert store.get(KEY_ID) is None
    assert store.is_destroyed(KEY_ID) is False


def test_a_stored_key_is_returned_by_get_also_from_a_fresh_store(
    store: HouseholdKeyStore, db_url: str, kek: bytes
) -> None:
    dek = generate_key()
    assert store.put_if_absent(KEY_ID, dek) == dek
    assert store.get(KEY_ID) == dek
    with HouseholdKeyStore(db_url, kek) as fresh:
        assert fresh.get(KEY_ID) == dek


def test_the_sqlite_file_and_its_parent_directories_are_created(
    store: HouseholdKeyStore, tmp_path: Path
) -> None:
    assert (tmp_path / "nested" / "dir" / "keys.db").is_file()


def test_put_if_absent_twice_keeps_the_first_key(store: HouseholdKeyStore) -> None:
    first, second = generate_key(), generate_key()
    assert store.put_if_absent(KEY_ID, first) == first
    assert store.put_if_absent(KEY_ID, second) == first
    assert store.get(KEY_ID) == first


def test_concurrent_writers_all_end_up_with_the_same_key(db_url: str, kek: bytes) -> None:
    stores = [HouseholdKeyStore(db_url, kek) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list[bytes] = []

    def write(keystore: HouseholdKeyStore) -> None:
        barrier.wait()
        results.append(keystore.put_if_absent(KEY_ID, generate_key()))

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for keystore in stores:
        keystore.close()
    assert len(results) == len(stores)
    assert len(set(results)) == 1


def test_the_table_never_holds_the_data_key_in_plaintext(
    store: HouseholdKeyStore, db_url: str
) -> None:
    dek = generate_key()
    store.put_if_absent(KEY_ID, dek)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        wrapped = conn.execute(text("SELECT wrapped_key FROM household_keys")).scalar_one()
    engine.dispose()
    assert wrapped != dek
    assert dek not in wrapped


def test_a_destroyed_key_is_gone_and_get_says_so(store: HouseholdKeyStore, db_url: str) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    store.get(KEY_ID)  # warm the cache: destruction must still win
    store.destroy(KEY_ID, "retention period over")
    assert store.is_destroyed(KEY_ID)
    with pytest.raises(KeyDestroyedError) as caught:
        store.get(KEY_ID)
    assert caught.value.key_id == KEY_ID
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT wrapped_key, destroyed_at, destroyed_reason FROM household_keys")
        ).one()
    engine.dispose()
    assert row.wrapped_key is None
    assert row.destroyed_at is not None
    assert row.destroyed_reason == "retention period over"


def test_destroying_twice_is_harmless_and_keeps_the_first_reason(store: HouseholdKeyStore) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    store.destroy(KEY_ID, "first")
    store.destroy(KEY_ID, "second")
    assert store.is_destroyed(KEY_ID)


def test_a_destroyed_key_cannot_be_stored_again(store: HouseholdKeyStore) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    store.destroy(KEY_ID, "erased on request")
    with pytest.raises(KeyDestroyedError):
        store.put_if_absent(KEY_ID, generate_key())


def test_destroying_an_unknown_key_is_a_key_error(store: HouseholdKeyStore) -> None:
    with pytest.raises(KeyError):
        store.destroy(KEY_ID, "no such household")


def test_a_destruction_needs_a_reason(store: HouseholdKeyStore) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    with pytest.raises(ValueError):
        store.destroy(KEY_ID, "")
    assert not store.is_destroyed(KEY_ID)


def test_a_wrong_kek_is_a_key_unwrap_error(store: HouseholdKeyStore, db_url: str) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    with HouseholdKeyStore(db_url, generate_key()) as wrong, pytest.raises(KeyUnwrapError):
        wrong.get(KEY_ID)


def test_a_wrapped_key_copied_to_another_id_does_not_unwrap(
    store: HouseholdKeyStore, db_url: str, kek: bytes
) -> None:
    store.put_if_absent(KEY_ID, generate_key())
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO household_keys (key_id, wrapped_key, created_at) "
                "SELECT :other, wrapped_key, created_at FROM household_keys"
            ),
            {"other": "d" * 64},
        )
    engine.dispose()
    with pytest.raises(KeyUnwrapError):
        store.get("d" * 64)


def test_keys_and_keks_must_be_32_bytes(store: HouseholdKeyStore, db_url: str) -> None:
    with pytest.raises(ValueError):
        HouseholdKeyStore(db_url, b"short")
    with pytest.raises(ValueError):
        store.put_if_absent(KEY_ID, b"short")


def test_a_secret_file_is_created_0600_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "kek.b64"
    secret = load_or_create_secret(path)
    assert len(secret) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == secret
    assert base64.b64decode(path.read_text()) == secret


def test_a_secret_file_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kek.b64"
    path.write_text(base64.b64encode(b"x" * 16).decode())
    with pytest.raises(ValueError, match="32-byte"):
        load_or_create_secret(path)
    path.write_text("not base64 at all!")
    with pytest.raises(ValueError, match="base64"):
        load_or_create_secret(path)
