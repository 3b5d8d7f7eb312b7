"""How events are stored: pydantic + orjson, explicit topics, upcasting, store URLs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import orjson
import pytest
from eventsourcing.domain import CanInitAggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.aggregates.case import RenovationCase
from renovation.application.app import RenovationApp
from renovation.application.persistence import OrjsonTranscoder, PydanticMapper, store_env
from renovation.kernel.vocabulary import Role

ACTOR = Actor(id="t-1", role=Role.COUNTY_OFFICER, jurisdiction="450321000000")


class NoteEvent(AggregateEvent):
    pass


class NoteOpened(NoteEvent, CanInitAggregate[UUID]):
    TOPIC: ClassVar[str] = "test.note:NoteOpened"
    originator_topic: str


class NoteAmended(NoteEvent):
    """Version 2 added `reason`; version-1 events stored without it are upcast on reading."""

    TOPIC: ClassVar[str] = "test.note:NoteAmended"
    class_version: ClassVar[int] = 2
    text: str
    reason: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["reason"] = "not recorded (version 1)"


class Note(Aggregate):
    TOPIC = "test.note:Note"
    Event = NoteEvent
    NoteOpened = NoteOpened
    NoteAmended = NoteAmended

    @event(NoteOpened)
    def __init__(self, actor: Actor, occurred_on: date) -> None:
        self.texts: list[str] = []

    @event(NoteAmended)
    def amend(self, text: str, reason: str, actor: Actor, occurred_on: date) -> None:
        self.texts.append(f"{text} ({reason})")


def test_a_version_1_event_is_upcast_when_read(tmp_path: Path) -> None:
    app = RenovationApp(f"sqlite:///{tmp_path}/notes.db")
    note = Note(actor=ACTOR, occurred_on=date(2022, 3, 1))
    app.save(note)
    v1_state = {
        "timestamp": "2022-03-01T09:00:00+00:00",
        "actor": ACTOR.model_dump(mode="json"),
        "occurred_on": "2022-03-02",
        "text": "corrected",
    }
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=note.id,
                originator_version=2,
                topic=get_topic(Note.NoteAmended),
                state=orjson.dumps(v1_state),
            )
        ]
    )
    assert app.repository.get(note.id).texts == ["corrected (not recorded (version 1))"]


def test_a_current_event_is_stored_with_its_class_version() -> None:
    note = Note(actor=ACTOR, occurred_on=date(2022, 3, 1))
    note.amend("x", "typo", ACTOR, date(2022, 3, 2))
    mapper = PydanticMapper(transcoder=OrjsonTranscoder())
    stored = mapper.to_stored_event(note.collect_events()[1])
    assert orjson.loads(stored.state)["class_version"] == 2
    assert mapper.to_domain_event(stored).reason == "typo"


def test_stored_topics_are_the_explicit_ones_not_module_paths() -> None:
    assert get_topic(RenovationCase) == "renovation.case:RenovationCase"
    assert get_topic(RenovationCase.HouseGraded) == "renovation.case:HouseGraded"
    assert get_topic(RenovationCase.ApplicationSubmitted) == "renovation.case:ApplicationSubmitted"


def test_the_store_is_chosen_by_one_url(tmp_path: Path) -> None:
    sqlite = store_env(f"sqlite:///{tmp_path}/var/r.db")
    assert sqlite["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert sqlite["SQLITE_DBNAME"] == f"{tmp_path}/var/r.db" and (tmp_path / "var").is_dir()
    pg = store_env("postgresql://app:s%40cret@db.local:5433/cases?schema=guilin")
    assert pg["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (pg["POSTGRES_HOST"], pg["POSTGRES_PORT"], pg["POSTGRES_DBNAME"]) == (
        "db.local",
        "5433",
        "cases",
    )
    assert (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_SCHEMA"]) == (
        "app",
        "s@cret",
        "guilin",
    )


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///:memory:", "sqlite://"])
def test_an_unsupported_store_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite|unsupported"):
        store_env(url)
