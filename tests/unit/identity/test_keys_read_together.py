"""Keys of many households read in one query, for a batch: the same answers `get` gives alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from renovation.identity import (
    BlindIndexer,
    HouseholdKeyStore,
    KeyDestroyedError,
    PiiProtector,
    generate_key,
)

KEK = generate_key()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'keys.db'}"


@pytest.fixture
def store(url: str) -> Iterator[HouseholdKeyStore]:
    with HouseholdKeyStore(url, KEK) as keystore:
        yield keystore


def test_live_and_unknown_keys_are_read_together_and_destroyed_ones_left_out(
    store: HouseholdKeyStore, url: str
) -> None:
    live, gone = generate_key(), generate_key()
    store.put_many_if_absent({"live": live, "gone": gone})
    store.destroy("gone", "retention period ended")
    expected = {"live": live, "unknown": None}
    assert store.get_many(["live", "unknown", "gone", "live"]) == expected
    with HouseholdKeyStore(url, KEK) as fresh:  # nothing cached: all from the table
        assert fresh.get_many(["live", "unknown", "gone"]) == expected
        assert fresh.get("live") == live  # and remembered
        with pytest.raises(KeyDestroyedError):
            fresh.get("gone")


def test_a_sealer_begins_with_a_key_read_ahead_and_reads_the_others(
    store: HouseholdKeyStore,
) -> None:
    protector = PiiProtector(store, BlindIndexer(generate_key()))
    stored = generate_key()
    store.put_if_absent("stored", stored)
    known = protector.known_keys(["stored", "new"])
    assert known == {"stored": stored, "new": None}
    store.destroy("stored", "erased")  # after the batch read it: the batch keeps what it read
    assert protector.begin("stored", known).is_new_key is False
    assert protector.begin("new", known).is_new_key is True
    with pytest.raises(KeyDestroyedError):
        protector.begin("stored")
    with pytest.raises(KeyDestroyedError):
        protector.begin("stored", {"other": None})
