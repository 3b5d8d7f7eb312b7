"""Helpers for the inspector's reads: who reads, driving cases, signing checkpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.application.directory import Principal
from renovation.audit.checkpoint import key_fingerprint, write_checkpoint
from renovation.audit.report import Checkpoint
from renovation.audit.verify import verify_store
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.staff import principal
from tests.support.app import Scenario

INSPECTOR = "dj-4503"
"""The city's discipline inspector (a demo sign-in account, of 450300000000)."""
CITY = "ci-4503"
"""The city inspector (city_inspector of 450300000000): draws spot checks, may not unmask."""
ASSESSOR = "as-450321"
"""The county's assessor (assessor of 450321000000): acts on cases, may not read their history."""
REF = "450321-2022-0001"


def signed_in(rt: Runtime, staff_id: str = INSPECTOR) -> Principal:
    """A registered member as the principal of a door (as if signed in)."""
    return principal(rt, staff_id)


def drive(rt: Runtime, clock: SimulatedClock, *refs: str, stop_after: str = "closed") -> Scenario:
    """Drive each case (the scenario registers the officials and the demo's sign-in accounts)."""
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
