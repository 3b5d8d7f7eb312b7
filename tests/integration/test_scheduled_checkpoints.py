"""Checkpoints taken by the server's schedule: one per tick while events arrive, none without new
events, and none for a store that does not verify."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit.checkpoint import load_checkpoints
from renovation.audit.scheduled import CheckpointSchedule
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario
from tests.support.raw_store import RawStore


def test_a_tick_signs_new_events_only_and_never_a_broken_store(
        runtime: Runtime, clock: SimulatedClock, tmp_path: Path) -> None:
    key, out = Ed25519PrivateKey.generate(), tmp_path / "checkpoints"
    schedule = CheckpointSchedule(runtime.settings.db, key, out, seconds=3600)
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="county_approved"))
    first = schedule.tick()
    assert first is not None
    assert schedule.tick() is None, "no new events, no new checkpoint"
    scenario.drive(scenario.plan("450321-2022-0002", stop_after="applied"))
    second = schedule.tick()
    assert second is not None and second != first
    taken, unusable = load_checkpoints(out, key.public_key())
    assert not unusable and len({c.last_id for c in taken}) == len(taken) == 2
    assert max(c.last_id for c in taken) == RawStore(runtime.settings.db).events()[-1].position
    scenario.drive(scenario.plan("450321-2022-0003", stop_after="applied"))
    store = RawStore(runtime.settings.db)
    store.run("UPDATE {events} SET state = ? WHERE {id} = ?", b'{"edited":true}',
              store.events()[-1].position)
    assert schedule.tick() is None, "a store that does not verify is never signed"
    assert len(load_checkpoints(out, key.public_key())[0]) == 2
