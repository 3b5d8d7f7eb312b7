"""Every event the demo publishes validates against the JSON Schema of its type, and the
demo's published stream carries no ID, card, account or phone number and no plaintext name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid5

import orjson
import pytest
from eventsourcing.persistence import Notification
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from pydantic import ValidationError

from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.demo import SimulatedClock, commands, run_demo, stamps_for
from renovation.stream.feed import Feed
from renovation.stream.published import PUBLISHED_NAMESPACE, publish
from renovation.stream.schemas import event_schemas
from tests.conftest import INDEX_KEY, KEK

DEMO = DemoSettings(households=120)
OFFICIAL_ASYNCAPI = Path(__file__).parents[1] / "e2e/vendor/asyncapi-specs-3.0.0.json"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    root = tmp_path_factory.mktemp("published")
    settings = Settings(db=f"sqlite:///{root}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=root / "secrets")
    clock = SimulatedClock()
    with build(settings, clock=clock, stamp=stamps_for(DEMO)) as rt:
        run_demo(rt, clock, DEMO)
        yield rt


@pytest.fixture(scope="module")
def published(demo: Runtime) -> list[dict[str, Any]]:
    feed, events, after = Feed(demo.app), [], 0
    while page := feed.page(after, 1000)["events"]:
        events += page
        after = page[-1]["position"]
    return events


def test_events_published_from_their_stored_fields_equal_those_built_through_their_class(
        demo: Runtime, published: list[dict[str, Any]]) -> None:
    app = demo.app
    by_position = {n.id: n for n in app.recorder.select_notifications(
        0, 1_000_000, inclusive_of_start=False)}
    for event in published:
        stored = by_position[event["position"]]
        built = app.mapper.to_domain_event(stored)
        assert publish(stored.id, stored.topic, built, event["area"],
                       event["case_ref"]) == event
        assert event["id"] == str(uuid5(PUBLISHED_NAMESPACE,
                                        f"{stored.originator_id}/{stored.originator_version}"))


def test_a_stored_form_missing_a_field_goes_through_its_class_never_out_incomplete(
        demo: Runtime, published: list[dict[str, Any]]) -> None:
    """No class has an optional field or an upcaster yet; a stored form lacking a field (a
    field added since, with a default, would be filled in there) is read through the class,
    which names the field, rather than published without it."""
    app = demo.app
    first = next(e for e in published if e["type"] == "case.application_submitted")
    stored = app.recorder.select_notifications(first["position"], 1)[0]
    _, state, _ = app.mapper.to_state(stored)
    del state["village_code"]
    data = orjson.dumps(state)
    if app.mapper.compressor:
        data = app.mapper.compressor.compress(data)
    if app.mapper.cipher:
        data = app.mapper.cipher.encrypt(data)
    older = Notification(id=stored.id, originator_id=stored.originator_id,
                         originator_version=stored.originator_version, topic=stored.topic,
                         state=data)
    with pytest.raises(ValidationError, match="village_code"):
        Feed(app)._published(older, None)


def test_the_demo_publishes_no_personal_number_or_name(published: list[dict[str, Any]]) -> None:
    text = json.dumps(published, ensure_ascii=False)
    alone = "(?<![0-9A-Za-z]){}(?![0-9A-Za-z])"  # not a run of digits inside a hex hash
    for number in ("[0-9]{17}[0-9Xx]", "[0-9]{16,19}", "1[3-9][0-9]{9}"):
        found = re.search(alone.format(number), text)
        assert found is None, text[found.start() - 80:found.end() + 20]
    names, numbers = set(), set()
    for command in commands(DEMO):
        household = command.get("payload", {}).get("household")
        if household:
            for person in (household["head"], *household.get("members", ())):
                names.add(person["name"])
                numbers.add(person["id_number"])
            numbers |= {household.get("phone") or "", (household.get("account") or {}).get(
                "number", "")} - {""}
    assert names and numbers
    assert not [n for n in names if n in text][:5]
    assert not [n for n in numbers if n in text][:5]


def test_the_printed_schemas_are_the_ones_validated(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from renovation.cli import app

    printed = CliRunner().invoke(app, ["schema", "events"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == json.loads(json.dumps(event_schemas()))



def test_the_asyncapi_document_describes_every_published_message(
        published: list[dict[str, Any]]) -> None:
    from renovation.stream.asyncapi import asyncapi_document

    document = asyncapi_document()
    assert document["asyncapi"] == "3.0.0"
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node: Any = document
        for part in ref.split("/"):
            node = node[part]  # every reference resolves inside the document
    messages = document["components"]["messages"]
    channel = document["channels"]["events"]
    assert set(channel["parameters"]["type"]["enum"]) == {m["name"] for m in messages.values()}
    validators: dict[str, Draft202012Validator] = {}
    for event in published:
        key = event["type"].replace(".", "_")
        if key not in validators:
            payload = messages[key]["payload"]["$ref"]
            validators[key] = Draft202012Validator(
                {"$ref": payload, "components": document["components"]})
        errors = list(validators[key].iter_errors(event))
        assert not errors, (event["type"], errors[0].message)


def test_the_asyncapi_document_validates_against_the_official_asyncapi_3_schema() -> None:
    """The schema is @asyncapi/specs' own, pinned in frontend/package-lock.json and vendored
    (scripts/vendor), so a generator or a broker's tooling reads the document as we do."""
    from renovation.stream.asyncapi import asyncapi_document

    official = json.loads(OFFICIAL_ASYNCAPI.read_text(encoding="utf-8"))
    validator = validator_for(official)(official)
    document = asyncapi_document()
    assert [e.message for e in validator.iter_errors(document)] == []
    broken = {**document, "channels": {"events": {"address": 7}}}
    assert list(validator.iter_errors(broken)), "the official schema is really applied"
