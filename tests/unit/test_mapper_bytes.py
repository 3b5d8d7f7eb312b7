"""The mapper writes each event as pydantic-core JSON: the very bytes that orjson wrote from
`model_dump(mode="json")`, which stored events, their hashes and fingerprints were made of."""

from __future__ import annotations

import math
from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid4, uuid5

import orjson
import pytest
from pydantic import BaseModel

from renovation.aggregates.base import Actor
from renovation.aggregates.command_record import (
    COMMAND_NAMESPACE,
    CommandRecord,
    command_record_id,
)
from renovation.application.persistence import OrjsonTranscoder, PydanticMapper
from renovation.kernel.vocabulary import Role

ACTOR = Actor(id="t-1", role=Role.COUNTY_OFFICER, jurisdiction="450321000000")
TRICKY: list[Any] = [
    "中文 «quoted» \"escaped\" \\ / \n\t\x00\x1f\x7f \u2028\u2029 😀", 0.1, 1e16, 1e-7, 5e-324,
    1.7976931348623157e308, -0.0, 2.5, 123456789.125, math.inf, -math.inf, math.nan,
    2**63 - 1, -(2**63), True, None, [], {}, {"nested": [1, {"b": [None, "x"]}]},
]


class Bare(BaseModel):
    """Nothing but the fields the mapper leaves out."""

    class_version: ClassVar[int] = 3
    originator_id: UUID
    originator_version: int


def reference_bytes(event: BaseModel) -> bytes:
    """What the mapper wrote before it used pydantic-core's JSON."""
    state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    version = getattr(type(event), "class_version", 1)
    if version > 1:
        state["class_version"] = version
    return orjson.dumps(state)


def mapper() -> PydanticMapper:
    return PydanticMapper(transcoder=OrjsonTranscoder())


@pytest.mark.parametrize("value", TRICKY)
def test_an_event_is_stored_as_the_bytes_orjson_wrote(value: Any) -> None:
    record = CommandRecord.handled(
        command_record_id("c-1"), command_id="c-1", command_type="submit_application",
        fingerprint="f" * 64, case_ref="450321-2022-0001",
        outcome={"value": value, "events": ["ApplicationSubmitted"], "version": 1},
        actor=ACTOR, occurred_on=date(2022, 3, 1),
    )
    [event] = record.pending_events
    assert mapper().to_stored_event(event).state == reference_bytes(event)


def test_a_later_class_version_is_stored_last_even_with_no_other_field() -> None:
    event = Bare(originator_id=uuid4(), originator_version=1)
    stored = mapper().to_stored_event(event)  # type: ignore[arg-type]
    assert stored.state == reference_bytes(event) == b'{"class_version":3}'


def test_the_command_record_made_from_a_known_id_is_the_one_made_by_the_library() -> None:
    given = {"command_id": "c-1", "command_type": "submit_application", "fingerprint": "f" * 64,
             "case_ref": "450321-2022-0001", "outcome": {"version": 1}, "actor": ACTOR,
             "occurred_on": date(2022, 3, 1)}
    made = CommandRecord.handled(command_record_id("c-1"), **given)  # type: ignore[arg-type]
    library = CommandRecord(**given)  # type: ignore[arg-type]
    assert (made.id, made.version, vars(made).keys()) == (
        library.id, library.version, vars(library).keys())
    [one], [two] = made.pending_events, library.pending_events
    assert one.model_dump(exclude={"timestamp"}) == two.model_dump(exclude={"timestamp"})
    assert type(one) is type(two)


@pytest.mark.parametrize("command_id", ["c-1", "450321-2022-0001/01", "命令/7", "x" * 64])
def test_a_command_record_id_is_the_uuid5_of_the_command_id(command_id: str) -> None:
    assert command_record_id(command_id) == uuid5(COMMAND_NAMESPACE, command_id)
    assert command_record_id(command_id).version == 5
