"""Every event the demo publishes validates against the JSON Schema of its type, and the
demo's published stream carries no ID, card, account or phone number and no plaintext name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from renovation.bootstrap import build
from renovation.config import Settings
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.demo import SimulatedClock, commands, run_demo, stamps_for
from renovation.stream.feed import Feed
from renovation.stream.schemas import event_schemas
from tests.conftest import INDEX_KEY, KEK

DEMO = DemoSettings(households=120)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("published")
    settings = Settings(db=f"sqlite:///{root}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=root / "secrets")
    clock = SimulatedClock()
    with build(settings, clock=clock, stamp=stamps_for(DEMO)) as rt:
        run_demo(rt, clock, DEMO)
        feed, events, after = Feed(rt.app), [], 0
        while page := feed.page(after, 1000)["events"]:
            events += page
            after = page[-1]["position"]
        yield events


def test_every_published_event_validates_against_its_types_schema(
        published: list[dict[str, Any]]) -> None:
    schemas = event_schemas()
    validators = {kind: Draft202012Validator(schema) for kind, schema in schemas.items()}
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    assert len(published) > 1000
    for event in published:
        errors = list(validators[event["type"]].iter_errors(event))
        assert not errors, (event["type"], errors[0].message, errors[0].json_path)
    assert len({e["type"] for e in published}) >= 15


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
