"""Personal values put where they do not belong — an undeclared key, a field of another type,
a household that is not an object — never come back in the refusal, whichever field it is."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renovation.application.commands import parse_command
from renovation.kernel.errors import InvalidInputError
from renovation.simulation.demo import commands
from tests.support.import_files import lifecycle_lines

LINES = list(lifecycle_lines(1, 3))
SUBMIT = next(line for line in LINES if line["type"] == "submit_application")
HOUSEHOLD = SUBMIT["payload"]["household"]
PERSONAL = [HOUSEHOLD["head"]["name"], HOUSEHOLD["head"]["id_number"], HOUSEHOLD["phone"],
            HOUSEHOLD["account"]["number"], f'{HOUSEHOLD["head"]["name"]} {HOUSEHOLD["phone"]}']


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a command where a value sits."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += paths(inner, (*prefix, n))
    return found


def put(command: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(command)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def refusal_text(command: dict[str, Any]) -> str | None:
    try:
        parse_command(command)
    except InvalidInputError as error:
        return json.dumps(error.to_dict(), ensure_ascii=False) + str(error)
    return None


COMMANDS = [*[line for line in LINES if line["type"] != "submit_application"][:12], SUBMIT]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(COMMANDS), st.data(), st.sampled_from(PERSONAL))
def test_a_personal_value_anywhere_is_not_echoed(command: dict[str, Any], data: st.DataObject,
                                                   value: str) -> None:
    path = data.draw(st.sampled_from(paths(command)))
    text = refusal_text(put(command, path, value))
    if text is not None:
        assert value not in text, text


@pytest.mark.parametrize("value", PERSONAL)
@pytest.mark.parametrize("where", ["payload", "payload.household", "payload.household.head"])
def test_an_undeclared_key_holding_personal_data_is_masked(value: str, where: str) -> None:
    command = copy.deepcopy(SUBMIT)
    target = command
    for part in where.split("."):
        target = target[part]
    target["remark"] = value
    text = refusal_text(command)
    assert text is not None and "extra_forbidden" in text and value not in text


def test_the_demo_commands_parse_so_the_refusals_above_are_about_the_change() -> None:
    for command in [*COMMANDS, *list(commands_sample())]:
        parse_command(command)


def commands_sample() -> list[dict[str, Any]]:
    from renovation.simulation.demo import Settings

    return list(commands(Settings(households=2)))[:5]
