"""docs/registries.md stays true: its example files import cleanly, and it documents every kind,
every column and every rule the code has."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from renovation.aggregates.registry import RegistryKind
from renovation.identity import BlindIndexer
from renovation.registry.kinds import KINDS
from renovation.registry.parsing import RowReject
from renovation.registry.spool import spool_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "registries.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "renovation"
TEXT = DOC.read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    """(kind, CSV text) of each example, by the section it stands in."""
    found = []
    for section in re.split(r"\n### ", TEXT)[1:]:
        kind = re.match(r"`(\w+)`", section)
        for block in re.findall(r"```csv\n(.*?)```", section, re.S):
            assert kind is not None
            found.append((kind[1], block))
    return found


@pytest.mark.parametrize(("kind", "text"), examples(), ids=[k for k, _ in examples()])
def test_every_example_file_in_the_doc_imports_without_a_reject(
    kind: str, text: str, tmp_path: Path,
) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    rejects: list[RowReject] = []
    with spool_file(path, KINDS[RegistryKind(kind)], BlindIndexer(b"i" * 32),
                    date(2022, 6, 30), rejects.append) as spool:
        assert rejects == [] and spool.rows == text.count("\n") - 1


def test_the_doc_has_an_example_and_every_column_of_every_kind() -> None:
    assert sorted({kind for kind, _ in examples()}) == sorted(k.value for k in RegistryKind)
    for spec in KINDS.values():
        for column in spec.columns:
            assert f"`{column.name}`" in TEXT and column.label in TEXT, column.name


def test_the_doc_names_every_rule_the_registry_code_raises() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in [
        *(SRC / "registry").glob("*.py"), SRC / "aggregates" / "registry.py",
        SRC / "application" / "registries.py", SRC / "cli" / "registry.py"])
    rules = set(re.findall(r'"(registry\.[a-z_]+)"', code)) - {"registry.imported",
                                                               "registry.snapshot_imported"}
    assert rules and not [rule for rule in rules if f"`{rule}`" not in TEXT]
