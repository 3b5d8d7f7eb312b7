"""The command line as a test drives it: the store, secrets and quiet logs set in the env."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import INDEX_KEY, KEK


def cli_runner(monkeypatch: pytest.MonkeyPatch, store_url: str, tmp_path: Path) -> CliRunner:
    """A runner whose `renovation` commands use `store_url` and this test's secrets."""
    monkeypatch.setenv("RENOVATION_DB", store_url)
    monkeypatch.setenv("RENOVATION_SECRETS_DIR", str(tmp_path / "secrets"))
    monkeypatch.setenv("RENOVATION_KEK", KEK)
    monkeypatch.setenv("RENOVATION_INDEX_KEY", INDEX_KEY)
    monkeypatch.setenv("RENOVATION_LOG_LEVEL", "WARNING")
    return CliRunner()
