"""Tampering with a real store, directly in its tables, and what verification names.

Cases are driven through the command path with `Scenario`; then rows are changed with plain SQL
(sqlite3 or psycopg) as someone with database access would, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit import report as kinds
from renovation.audit.checkpoint import key_fingerprint, write_checkpoint
from renovation.audit.report import Checkpoint, Report
from renovation.audit.verify import verify_store
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario
from tests.support.raw_store import Event, RawStore


def sign(store: RawStore, directory: Path, key: Ed25519PrivateKey) -> Checkpoint:
    """What `renovation audit checkpoint` does: verify, then sign the head."""
    report = verify_store(store.url)
    assert report.ok and report.origin, report.problems[:3]
    checkpoint = Checkpoint(report.origin, report.events, report.head, report.last_id,
                            datetime.now(UTC).replace(microsecond=0),
                            key_fingerprint(key.public_key()))
    write_checkpoint(directory, checkpoint, key)
    return checkpoint


def check(store: RawStore, directory: Path | None = None,
          key: Ed25519PrivateKey | None = None) -> Report:
    return verify_store(store.url, directory, key.public_key() if key else None)


def broken_at(report: Report, kind: str, position: int) -> None:
    assert report.first is not None, "the change went unnoticed"
    assert (report.first.kind, report.first.position) == (kind, position), report.first


@pytest.fixture
def store(runtime: Runtime, clock: SimulatedClock) -> Iterator[RawStore]:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan("450321-2022-0001"))
    scenario.drive(scenario.plan("450321-2022-0002", stop_after="county_approved"))
    runtime.close()
    yield RawStore(runtime.settings.db)


def middle(store: RawStore) -> Event:
    events = store.events()
    return events[len(events) // 2]


def test_an_honest_store_verifies(store: RawStore) -> None:
    report = check(store)
    assert report.ok, report.problems[:3]
    assert report.events == report.chain_rows == len(store.events()) > 20
    assert report.origin and report.origin.startswith("renovation/audit-chain/")


def test_an_edited_payload_is_named_with_its_aggregate_and_version(store: RawStore) -> None:
    event = middle(store)
    store.run("UPDATE {events} SET state = ? WHERE {id} = ?", b'{"edited":true}', event.position)
    report = check(store)
    broken_at(report, kinds.CONTENT_MISMATCH, event.position)
    assert report.first is not None
    assert (report.first.originator_id, report.first.originator_version, report.first.topic) == (
        event.originator_id, event.version, event.topic)


@pytest.mark.parametrize(
    ("column", "value"),
    [("topic", "renovation.case:CaseClosed"), ("originator_version", 99), ("originator_id", None)],
)
def test_edited_topic_or_metadata_is_a_content_mismatch(
    store: RawStore, column: str, value: Any
) -> None:
    event = middle(store)
    value = store.uuid(uuid4()) if value is None else value
    store.run(f"UPDATE {{events}} SET {column} = ? WHERE {{id}} = ?", value, event.position)
    broken_at(check(store), kinds.CONTENT_MISMATCH, event.position)


def test_a_deleted_middle_row(store: RawStore) -> None:
    event = middle(store)
    following = next(e for e in store.events() if e.position > event.position)
    store.run("DELETE FROM {events} WHERE {id} = ?", event.position)
    broken_at(check(store), kinds.EXTRA_CHAIN_ROW, event.position)
    store.run("DELETE FROM {chain} WHERE notification_id = ?", event.position)
    broken_at(check(store), kinds.CHAIN_MISMATCH, following.position)


def test_a_deleted_tail_is_caught_by_the_checkpoint(store: RawStore, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    sign(store, tmp_path, key)
    last = store.events()[-1]
    store.run("DELETE FROM {events} WHERE {id} = ?", last.position)
    store.run("DELETE FROM {chain} WHERE notification_id = ?", last.position)
    assert check(store).ok  # nothing inside the store shows it...
    broken_at(check(store, tmp_path, key), kinds.CHECKPOINT_TRUNCATED, last.position)


def test_an_inserted_row(store: RawStore) -> None:
    last = store.events()[-1]
    store.run("INSERT INTO {events} (originator_id, originator_version, topic, state)"
              " SELECT originator_id, originator_version + 1, topic, state FROM {events}"
              " WHERE {id} = ?", last.position)
    inserted = store.events()[-1]
    assert inserted.position > last.position
    broken_at(check(store), kinds.MISSING_CHAIN_ROW, inserted.position)


def test_swapped_rows_break_at_the_first(store: RawStore) -> None:
    events = store.events()
    a, b = events[3].position, events[9].position
    store.run("UPDATE {events} SET {id} = -1 WHERE {id} = ?", a)
    store.run("UPDATE {events} SET {id} = ? WHERE {id} = ?", a, b)
    store.run("UPDATE {events} SET {id} = ? WHERE {id} = -1", b)
    broken_at(check(store), kinds.CONTENT_MISMATCH, a)


def test_a_chain_recomputed_without_the_key_fails_only_against_a_checkpoint(
    store: RawStore, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign(store, tmp_path, key)
    event = middle(store)
    store.run("UPDATE {events} SET state = ? WHERE {id} = ?", b'{"forged":1}', event.position)
    store.rechain()
    assert check(store).ok
    report = check(store, tmp_path, key)
    broken_at(report, kinds.CHECKPOINT_MISMATCH, signed.last_id)
    assert report.unanchored == report.events


def test_a_checkpoint_does_not_verify_under_another_public_key(
    store: RawStore, tmp_path: Path
) -> None:
    sign(store, tmp_path, Ed25519PrivateKey.generate())
    report = check(store, tmp_path, Ed25519PrivateKey.generate())
    assert report.first is not None and report.first.kind == kinds.CHECKPOINT_SIGNATURE
    assert not report.checkpoints and report.unanchored == report.events
