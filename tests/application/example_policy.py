"""The Guilin 2022 policy with an illustrative 灵川县 table (fixtures/lingchuan-example.toml),
under its own id, as a file the registry can load: the county decisions are invented, so no
shipped policy carries them."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from renovation.policy import registry

EXAMPLE_ID = "guilinexample-2022"
FIXTURE = Path(__file__).parent / "fixtures" / "lingchuan-example.toml"
SHIPPED = resources.files("renovation.policy") / "data"


def example_text(extra: str = "") -> str:
    """guilin-2022.toml renamed, with the example county decisions (and `extra`) appended."""
    guilin = (SHIPPED / "guilin-2022.toml").read_text(encoding="utf-8")
    assert guilin.count('id = "guilin-2022"') == 1
    renamed = guilin.replace('id = "guilin-2022"', f'id = "{EXAMPLE_ID}"')
    return f"{renamed}\n{FIXTURE.read_text(encoding='utf-8')}\n{extra}"


def example_data(extra: str = "") -> dict[str, Any]:
    return tomllib.loads(example_text(extra))


@contextmanager
def example_registry(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The registry reads the shipped files plus the example from `directory` meanwhile."""
    for shipped in SHIPPED.iterdir():
        if shipped.name.endswith(".toml"):
            with resources.as_file(shipped) as path:
                shutil.copy(path, directory / shipped.name)
    (directory / f"{EXAMPLE_ID}.toml").write_text(example_text(), encoding="utf-8")
    monkeypatch.setattr(registry, "_DATA", directory)
    registry.load_policy.cache_clear()
    registry.policy_ids.cache_clear()
    try:
        yield directory
    finally:
        monkeypatch.undo()
        registry.load_policy.cache_clear()
        registry.policy_ids.cache_clear()
