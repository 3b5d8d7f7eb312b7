"""A case rebuilt from its events is the case that recorded them."""

from __future__ import annotations

import pytest

from renovation.kernel.vocabulary import RenovationMode, Stage
from tests.support.domain import Driver, new_case
from tests.unit.case.test_payment_and_closure import replay


def state(case: object) -> dict[str, object]:
    return {k: v for k, v in vars(case).items() if k != "_pending_events"}


@pytest.mark.parametrize("mode", list(RenovationMode)[:3])
def test_replaying_a_closed_case_gives_back_the_same_state(mode: RenovationMode) -> None:
    case = Driver(new_case(mode=mode)).to(Stage.CLOSED)
    assert state(replay(case)) == state(case)


def test_event_versions_run_from_one_without_gaps() -> None:
    case = Driver(new_case()).to(Stage.CLOSED)
    versions = [e.originator_version for e in case.pending_events]
    assert versions == list(range(1, case.version + 1))


def test_every_event_names_its_actor_and_both_clocks() -> None:
    case = Driver(new_case()).to(Stage.CLOSED)
    for event in case.pending_events:
        assert event.actor.id and event.actor.role and len(event.actor.jurisdiction) == 12
        assert event.occurred_on is not None
        assert event.timestamp.tzinfo is not None
