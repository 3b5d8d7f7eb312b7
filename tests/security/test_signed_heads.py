"""Someone with database access but without the head-signing key, against signed heads and the
witness: appends, recomputed tails and truncations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit import report as kinds
from renovation.audit.chain import chain_hash, leaf_hash
from renovation.audit.heads import SIGNED_HEAD
from renovation.audit.report import Report
from renovation.audit.verify import verify_store
from renovation.bootstrap import build
from renovation.config import Settings
from renovation.secrets_config import head_public_key
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario
from tests.support.raw_store import RawStore


@pytest.fixture
def witnessed(settings: Settings, tmp_path: Path) -> Settings:
    """Every commit's head witnessed, in a log outside the database."""
    return settings.model_copy(update={"witness": f"file://{tmp_path}/elsewhere/witness.log",
                                       "witness_every": 1})


def drive(settings: Settings, *refs: str, stop_after: str = "closed") -> None:
    clock = SimulatedClock()
    with build(settings, clock=clock) as rt:
        scenario = Scenario(rt, clock)
        for ref in refs:  # one household per case number, whichever run writes it
            household = scenario.people.household(ref[:6], 2022, 3, index=int(ref[-4:]))
            scenario.drive(scenario.plan(ref, stop_after=stop_after, household=household))


@pytest.fixture
def store(witnessed: Settings) -> Iterator[RawStore]:
    drive(witnessed, "450321-2022-0001", "450321-2022-0002", stop_after="county_approved")
    yield RawStore(witnessed.db)


def check(settings: Settings, witness: bool = True) -> Report:
    key, _ = head_public_key(settings)
    assert key is not None
    return verify_store(settings.db, head_key=key,
                        witness=settings.witness_url() if witness else None)


def kinds_of(report: Report) -> list[str]:
    return [p.kind for p in report.problems]


def meta(store: RawStore) -> str:
    table = store.names["chain"].replace("audit_chain", "audit_meta")
    return str(store.run(f"SELECT value FROM {table} WHERE name = ?", SIGNED_HEAD)[0][0])


def set_meta(store: RawStore, value: str) -> None:
    table = store.names["chain"].replace("audit_chain", "audit_meta")
    store.run(f"UPDATE {table} SET value = ? WHERE name = ?", value, SIGNED_HEAD)


def last_position(store: RawStore) -> int:
    return store.events()[-1].position


def test_every_commit_signs_the_head_and_the_witness_holds_it(
        store: RawStore, witnessed: Settings) -> None:
    report = check(witnessed)
    assert report.ok, report.problems[:3]
    assert report.signed_through == report.witnessed_through == last_position(store)
    assert report.unwitnessed_events == 0


def test_a_forged_append_with_a_correct_chain_row_is_an_unsigned_head(
        store: RawStore, witnessed: Settings) -> None:
    last = store.run("SELECT {id}, originator_id, originator_version, topic, state FROM {events}"
                     " ORDER BY {id} DESC LIMIT 1")[0]
    head = store.run("SELECT chain_hash FROM {chain} ORDER BY notification_id DESC LIMIT 1")
    position, oid = last[0] + 1, str(last[1]).replace("-", "")
    leaf = leaf_hash(position, oid, last[2] + 1, last[3], bytes(last[4]))
    store.run("INSERT INTO {events} ({id}, originator_id, originator_version, topic, state)"
              " VALUES (?, ?, ?, ?, ?)", position, last[1], last[2] + 1, last[3], last[4])
    store.run("INSERT INTO {chain} VALUES (?, ?, ?)", position, leaf,
              chain_hash(bytes(head[0][0]), leaf))
    report = check(witnessed, witness=False)
    assert kinds_of(report) == [kinds.HEAD_UNSIGNED], report.problems
    assert report.problems[0].position == position


def test_an_edit_with_the_chain_recomputed_after_it_breaks_the_signed_heads(
        store: RawStore, witnessed: Settings) -> None:
    events = store.events()
    edited = events[len(events) // 2]
    store.run("UPDATE {events} SET state = ? WHERE {id} = ?", b'{"edited":true}',
              edited.position)
    store.rechain()
    without_witness = check(witnessed, witness=False)
    assert kinds_of(without_witness) == [kinds.HEAD_MISMATCH], without_witness.problems
    with_witness = check(witnessed)
    first = with_witness.first
    assert first is not None and first.kind == kinds.WITNESS_MISMATCH
    assert first.position is not None and first.position >= edited.position


def test_truncating_back_to_an_earlier_signed_head_is_caught_only_by_the_witness(
        witnessed: Settings) -> None:
    drive(witnessed, "450321-2022-0001", stop_after="county_approved")
    store = RawStore(witnessed.db)
    earlier, cut = meta(store), last_position(store)
    drive(witnessed, "450321-2022-0002", stop_after="county_approved")
    witnessed_last = last_position(store)
    store.run("DELETE FROM {events} WHERE {id} > ?", cut)
    store.run("DELETE FROM {chain} WHERE notification_id > ?", cut)
    set_meta(store, earlier)  # the administrator kept an old signed head
    alone = check(witnessed, witness=False)
    assert alone.ok and any("no witness" in w for w in alone.warnings), alone.problems
    report = check(witnessed)
    assert kinds_of(report)[-1] == kinds.TRUNCATED_AFTER_WITNESS, report.problems
    assert report.problems[-1].position == witnessed_last
    assert f"notification {witnessed_last}" in report.problems[-1].detail


def test_deleting_the_last_two_events_leaves_a_signed_head_beyond_the_log(
        store: RawStore, witnessed: Settings) -> None:
    cut = store.events()[-3].position
    store.run("DELETE FROM {events} WHERE {id} > ?", cut)
    store.run("DELETE FROM {chain} WHERE notification_id > ?", cut)
    report = check(witnessed, witness=False)
    assert kinds_of(report) == [kinds.HEAD_TRUNCATED], report.problems


def test_events_not_yet_witnessed_are_reported_as_the_unwitnessed_tail(
        store: RawStore, witnessed: Settings) -> None:
    witnessed_last = last_position(store)
    drive(witnessed.model_copy(update={"witness": ""}), "450321-2022-0003",
          stop_after="county_approved")
    report = check(witnessed)
    assert report.ok, report.problems[:3]
    assert report.witnessed_through == witnessed_last < report.signed_through
    assert report.unwitnessed_events == report.signed_through - witnessed_last
    assert any("not yet witnessed" in w for w in report.warnings)


def test_a_forged_witness_record_is_ignored_with_a_warning(
        store: RawStore, witnessed: Settings) -> None:
    log = Path(str(witnessed.witness_url()).removeprefix("file://"))
    lines = log.read_bytes().splitlines()
    forged = lines[-1].replace(b'"last_id":', b'"last_id":9')
    log.write_bytes(b"\n".join([*lines, forged, b"not json"]) + b"\n")
    report = check(witnessed)
    assert report.ok, report.problems[:3]
    assert any("does not verify" in w for w in report.warnings)
    assert any("unreadable" in w for w in report.warnings)


def test_heads_checked_with_another_key_do_not_verify(
        store: RawStore, witnessed: Settings) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    report = verify_store(witnessed.db, head_key=other)
    assert kinds.HEAD_SIGNATURE in kinds_of(report), report.problems
