"""Helpers for the inspector's reads: actors, an Inspection on a runtime, signing checkpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.aggregates.base import Actor
from renovation.audit.checkpoint import key_fingerprint, write_checkpoint
from renovation.audit.inspection import Inspection
from renovation.audit.report import Checkpoint
from renovation.audit.verify import verify_store
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario

INSPECTOR = Actor(id="dj-4503", role=Role.DISCIPLINE_INSPECTOR, jurisdiction="450321000000")
CITY = Actor(id="ci-4503", role=Role.CITY_INSPECTOR, jurisdiction="450300000000")
ASSESSOR = Actor(id="as-450321", role=Role.ASSESSOR, jurisdiction="450321000000")
REF = "450321-2022-0001"


def inspection(rt: Runtime) -> Inspection:
    return Inspection(rt.app, rt.service.authorizer, rt.reader, rt.service.clock)


def drive(rt: Runtime, clock: SimulatedClock, *refs: str, stop_after: str = "closed") -> Scenario:
    scenario = Scenario(rt, clock)
    for ref in refs:
        household = scenario.people.household("450321", 2022, index=int(ref[-4:]))
        scenario.drive(scenario.plan(ref, stop_after=stop_after, household=household))
    return scenario


def sign(rt: Runtime, out: Path, key: Ed25519PrivateKey) -> Checkpoint:
    """Verify the store and sign a checkpoint of it, as `renovation audit checkpoint` does."""
    report = verify_store(rt.settings.db)
    assert report.ok and report.origin is not None, report.problems
    signed = Checkpoint(report.origin, report.events, report.head, report.last_id,
                        datetime.now(UTC).replace(microsecond=0),
                        key_fingerprint(key.public_key()), merkle_root=report.merkle_root)
    path = write_checkpoint(out, signed, key)
    return Checkpoint(**{**signed.__dict__, "source": path.name})
