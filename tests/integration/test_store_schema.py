"""The schema a PostgreSQL store URL names is created when missing, by every door that opens a
store; a bad name, or a role that may not create it, is refused in one line naming the rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from typer.testing import CliRunner

from renovation.application.app import RenovationApp
from renovation.bootstrap import build
from renovation.cli import app
from renovation.config import Settings
from renovation.projections import open_database
from renovation.registry.store import RegistryStore
from renovation.store_schema import SCHEMA_MISSING, SCHEMA_NAME, StoreSchemaError
from tests.conftest import INDEX_KEY, KEK
from tests.support import postgres
from tests.support.cli import cli_runner, sign_in
from tests.support.import_files import OPEN_PROGRAMME

pytestmark = pytest.mark.postgres


def refusal(result: Any) -> dict[str, Any]:
    """The one line a refused command writes on stderr, as JSON."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "IF NOT EXISTS" not in result.stderr
    found: dict[str, Any] = json.loads(lines[0])
    return found


def test_the_first_commands_on_a_new_schema_create_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with postgres.missing_schema() as schema:
        cli: CliRunner = cli_runner(monkeypatch, postgres.url_with_schema(schema), tmp_path)
        status = cli.invoke(app, ["projections", "status", "--json"])
        assert status.exit_code == 0, (status.stdout, status.stderr)
        assert postgres.schema_exists(schema)

        sign_in(monkeypatch)
        opened = cli.invoke(app, OPEN_PROGRAMME.split())
        assert opened.exit_code == 0, (opened.stdout, opened.stderr)
        shown = cli.invoke(app, ["programme", "show", "guilin-2022"])
        assert shown.exit_code == 0 and "guilin-2022" in shown.stdout


def _runtime(url: str, tmp_path: Path) -> None:
    settings = Settings(db=url, kek=KEK, index_key=INDEX_KEY, secrets_dir=tmp_path / "secrets")
    with build(settings):
        pass


def _application(url: str, _tmp: Path) -> None:
    RenovationApp(url).close()


def _read_models(url: str, _tmp: Path) -> None:
    open_database(url).dispose()


def _registries(url: str, _tmp: Path) -> None:
    store = RegistryStore(url)
    store.ensure_tables()
    store.close()


OPENERS: dict[str, Callable[[str, Path], None]] = {
    "runtime": _runtime, "application": _application, "read models": _read_models,
    "registries": _registries,
}


@pytest.mark.parametrize("door", OPENERS)
def test_every_door_creates_the_missing_schema(door: str, tmp_path: Path) -> None:
    with postgres.missing_schema() as schema:
        OPENERS[door](postgres.url_with_schema(schema), tmp_path)
        assert postgres.schema_exists(schema)
        OPENERS[door](postgres.url_with_schema(schema), tmp_path)  # and finds it the next time


@pytest.mark.parametrize("name", ["Renovation", "bad-name", "x;drop schema public", 'a"b',
                                  "1st", "pg_mine", "x" * 64])
def test_a_schema_name_outside_the_pattern_is_refused(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    postgres.require_server()
    url = f"{postgres.PG_URL}?schema={quote(name)}"
    cli = cli_runner(monkeypatch, url, tmp_path)
    result = cli.invoke(app, ["users", "list"])
    assert result.exit_code == 1
    refused = refusal(result)
    assert (refused["rule"], refused["field"], refused["value"]) == (
        SCHEMA_NAME, "RENOVATION_DB", name)
    with pytest.raises(StoreSchemaError) as raised:
        RenovationApp(url)
    assert raised.value.rule == SCHEMA_NAME
    assert not postgres.schema_exists(name)


def test_a_role_that_may_not_create_the_schema_is_told_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with postgres.role_without_create() as (role, url), postgres.missing_schema() as schema:
        cli = cli_runner(monkeypatch, f"{url}?schema={schema}", tmp_path)
        result = cli.invoke(app, ["users", "list"])
        assert result.exit_code == 1
        refused = refusal(result)
        assert (refused["rule"], refused["value"]) == (SCHEMA_MISSING, schema)
        assert f"CREATE SCHEMA {schema} AUTHORIZATION \"{role}\";" in refused["message"]
        assert not postgres.schema_exists(schema)

        with psycopg.connect(postgres.PG_URL, autocommit=True) as conn:  # what it says to run
            conn.execute(f'CREATE SCHEMA {schema} AUTHORIZATION "{role}"')
        again = cli.invoke(app, ["users", "list"])
        assert again.exit_code == 0, (again.stdout, again.stderr)
