"""The command line as a test drives it: the store, secrets and quiet logs set in the env."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.application.directory import Principal
from renovation.bootstrap import build
from renovation.config import Settings
from renovation.simulation.staff import register_staff
from tests.conftest import INDEX_KEY, KEK
from tests.support.app import MANAGER, VILLAGE


def cli_runner(monkeypatch: pytest.MonkeyPatch, store_url: str, tmp_path: Path) -> CliRunner:
    """A runner whose `renovation` commands use `store_url` and this test's secrets."""
    monkeypatch.setenv("RENOVATION_DB", store_url)
    monkeypatch.setenv("RENOVATION_SECRETS_DIR", str(tmp_path / "secrets"))
    monkeypatch.setenv("RENOVATION_KEK", KEK)
    monkeypatch.setenv("RENOVATION_INDEX_KEY", INDEX_KEY)
    monkeypatch.setenv("RENOVATION_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("RENOVATION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("RENOVATION_TOKEN", raising=False)
    return CliRunner()


def sign_in(
    monkeypatch: pytest.MonkeyPatch, staff_id: str = MANAGER, villages: Iterable[str] = (VILLAGE,)
) -> str:
    """Register the simulated officials of `villages` in the store the environment names, and
    act as `staff_id` through an API token in RENOVATION_TOKEN (as a script would)."""
    with build(Settings()) as rt:
        register_staff(rt, villages, passwords=False)
        token = rt.staff.issue_token(Principal.local(), staff_id, days=1, label="test").token
    monkeypatch.setenv("RENOVATION_TOKEN", token)
    return token
