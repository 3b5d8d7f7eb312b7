"""docs/import-format.md stays true: its examples parse, it covers every type and roster column."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from renovation.application.commands import COMMAND_TYPES, parse_command
from renovation.application.importing import ImportReport, Reject
from renovation.application.roster import MEMBER_PARTS, OPTIONAL, REQUIRED

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
BLOCK = re.compile(r"```json\n(.*?)```", re.DOTALL)


def json_blocks() -> list[Any]:
    return [json.loads(block) for block in BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def command_examples() -> list[dict[str, Any]]:
    return [block for block in json_blocks() if isinstance(block, dict) and "payload" in block]


@pytest.mark.parametrize("example", command_examples(), ids=lambda e: e["type"])
def test_every_example_in_the_doc_parses(example: dict[str, Any]) -> None:
    command = parse_command(example)
    assert command.type == example["type"]


def test_the_doc_shows_every_command_type_once() -> None:
    types = [example["type"] for example in command_examples()]
    assert sorted(types) == sorted(COMMAND_TYPES)


def test_the_doc_heads_a_section_per_command_type() -> None:
    text = DOC.read_text(encoding="utf-8")
    for kind in COMMAND_TYPES:
        assert f"### `{kind}`" in text


def test_the_doc_lists_every_roster_column() -> None:
    text = DOC.read_text(encoding="utf-8")
    for column in (*REQUIRED, *OPTIONAL, *(f"成员N{part}" for part in MEMBER_PARTS)):
        assert column in text, column


def test_the_report_examples_have_the_documented_keys() -> None:
    reports = [b for b in json_blocks() if "payload" not in b]
    reject = next(b for b in reports if "rule" in b)
    assert list(reject) == list(Reject(1, None, "rule", "field", None, "message").to_dict())
    summary = next(b for b in reports if "applied" in b)
    assert list(summary) == [*ImportReport().to_dict(), "rejects_file"]
    assert summary["lines"] == summary["applied"] + summary["duplicates"] + summary["rejected"]
