"""Fixtures of the projection tests: a scenario with the programme planned, its read models."""

from __future__ import annotations

import pytest

from renovation.bootstrap import Runtime
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.demo import SimulatedClock
from tests.projections.support import allocate, projector
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    """Guilin 2022 opened, with its task and fund plan recorded."""
    scenario = Scenario(runtime, clock)
    allocate(runtime)
    return scenario


@pytest.fixture
def projected(runtime: Runtime, views: ViewsDatabase) -> Projector:
    return projector(runtime, views)
