"""The store fails under an import: the disk fills (SQLite, RLIMIT_FSIZE) or PostgreSQL drops
the import's connections. The import exits 3 with one `store.unavailable` line that holds no SQL
and no personal data; the store stays intact; running the same file again completes it."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import psycopg
import pytest

from renovation.audit.verify import verify_store
from renovation.bootstrap import build
from renovation.config import Settings
from renovation.secrets_config import head_public_key
from tests.support import postgres
from tests.support.cli import cli_runner, sign_in
from tests.support.import_files import (
    OPEN_PROGRAMME,
    VILLAGES,
    lifecycle_lines,
    write_jsonl,
)

CLI = [sys.executable, "-c", "from renovation.cli import main; main()"]
HOUSEHOLDS = 120


def prepared(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with the programme open and its staff registered, signed in; the file to import."""
    from renovation.cli import app

    runner = cli_runner(monkeypatch, store_url, tmp_path)
    sign_in(monkeypatch, villages=VILLAGES)
    opened = runner.invoke(app, OPEN_PROGRAMME.split())
    assert opened.exit_code == 0, opened.output
    path = tmp_path / "commands.jsonl"
    write_jsonl(path, lifecycle_lines(1, HOUSEHOLDS))
    return path


def importing(path: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "import", str(path), "--batch-size", "40", "--json"],
                          env=dict(os.environ), capture_output=True, text=True, timeout=600,
                          **kwargs)  # type: ignore[call-overload]


def personal_values(path: Path) -> set[str]:
    """Names, ID numbers, phones and accounts the file carries."""
    found: set[str] = set()
    for line in path.read_bytes().splitlines():
        household = orjson.loads(line).get("payload", {}).get("household")
        if household:
            found |= {household["head"]["name"], household["head"]["id_number"],
                      household["phone"], household["account"]["number"]}
    return found


def assert_store_failure_reported(done: subprocess.CompletedProcess[str], path: Path) -> None:
    assert done.returncode == 3, (done.returncode, done.stderr[-2000:])
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    refusal = json.loads(lines[-1])
    assert refusal["rule"] == "store.unavailable" and refusal["field"] == "RENOVATION_DB"
    assert "again" in refusal["message"]
    for leak in ("INSERT", "SELECT", "UPDATE", "wrapped", "key_id"):
        assert leak not in done.stderr, f"{leak!r} in the error output"
    for value in personal_values(path):
        assert value not in done.stderr, "personal data in the error output"


def assert_intact_and_complete(settings: Settings, path: Path) -> None:
    again = importing(path)
    assert again.returncode == 0, again.stderr[-2000:]
    report = json.loads(again.stdout)
    assert report["rejected"] == 0
    key, _ = head_public_key(settings)
    verified = verify_store(settings.db, head_key=key, witness=settings.witness_url())
    assert verified.ok, verified.problems[:3]
    with build(settings) as rt:
        refs = {orjson.loads(line)["case_ref"] for line in path.read_bytes().splitlines()}
        assert all(rt.service.load_case(ref).stage.value == "closed" for ref in refs)


def test_a_full_disk_mid_import_exits_3_and_the_same_file_then_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = prepared(f"sqlite:///{tmp_path}/store.db", tmp_path, monkeypatch)
    written = sum(p.stat().st_size for p in tmp_path.glob("store*.db*"))
    limit = written + 2 * 1024 * 1024  # room for part of the file's events, not all

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = importing(path, preexec_fn=small_disk)
    assert_store_failure_reported(full, path)
    settings = Settings()
    with build(settings) as rt:
        assert rt.app.recorder.max_notification_id() > 0  # some of it was saved
    assert_intact_and_complete(settings, path)


@pytest.mark.postgres
def test_connections_dropped_mid_import_exit_3_and_the_same_file_then_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with postgres.fresh_schema() as schema:
        url = postgres.url_with_schema(schema)
        path = prepared(url, tmp_path, monkeypatch)
        start = _events(schema)
        stop = threading.Event()
        dropper = threading.Thread(target=_drop_when_writing, args=(schema, start, stop))
        dropper.start()
        try:
            dropped = importing(path)
        finally:
            stop.set()
            dropper.join()
        assert_store_failure_reported(dropped, path)
        assert_intact_and_complete(Settings(), path)


def _events(schema: str) -> int:
    with psycopg.connect(postgres.PG_URL, autocommit=True) as conn:
        row = conn.execute(f"SELECT count(*) FROM {schema}.renovation_events").fetchone()
        return int(row[0]) if row else 0


def _drop_when_writing(schema: str, start: int, stop: threading.Event) -> None:
    """Once the import has written, terminate every other connection to the database, as a
    server restart would."""
    while not stop.is_set() and _events(schema) < start + 500:
        time.sleep(0.02)
    with psycopg.connect(postgres.PG_URL, autocommit=True) as conn:
        while not stop.is_set():
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                         " AND backend_type = 'client backend'")
            time.sleep(0.05)
