"""`renovation audit` end to end, and the chain across restarts and a killed writer."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.audit import report as kinds
from renovation.bootstrap import Runtime, build
from renovation.cli import app
from renovation.config import Settings
from renovation.simulation.demo import SimulatedClock
from tests.integration.test_audit_tamper import RawStore, check
from tests.support.app import Scenario
from tests.support.cli import cli_runner


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The command line on the `settings` store and secrets; nobody signed in."""
    runner = cli_runner(monkeypatch, settings.db, tmp_path)
    assert Path(os.environ["RENOVATION_SECRETS_DIR"]) == settings.secrets_dir
    return runner


def drive(settings: Settings, clock: SimulatedClock, *refs: str) -> None:
    """Open the application, drive a case per reference to county approval, close it."""
    with build(settings, clock=clock) as rt:
        scenario = Scenario(rt, clock)
        for ref in refs:
            household = scenario.people.household("450321", 2022, index=int(ref[-4:]))
            scenario.drive(scenario.plan(ref, stop_after="county_approved", household=household))


def audit(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, ["audit", *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout


def test_keygen_checkpoint_verify_and_a_break(
    cli: CliRunner, settings: Settings, clock: SimulatedClock, tmp_path: Path
) -> None:
    keys, notes = tmp_path / "keys", tmp_path / "checkpoints"
    made = json.loads(audit(cli, "keygen", "--out", str(keys)))
    assert stat.S_IMODE(Path(made["private_key"]).stat().st_mode) == 0o600
    pinned = ["--checkpoints", str(notes), "--public-key", made["public_key"]]
    drive(settings, clock, "450321-2022-0001")
    assert "intact" in audit(cli, "verify")
    signed = json.loads(audit(cli, "checkpoint", "--key", made["private_key"], "--out", str(notes)))
    assert signed["key_id"] == made["key_id"] and signed["size"] > 0

    drive(settings, clock, "450321-2022-0002")
    report = json.loads(audit(cli, "verify", *pinned, "--json"))
    assert report["ok"] and report["anchored_through"] == signed["last_id"]
    assert report["unanchored"] == report["events"] - signed["size"] > 0

    store = RawStore(settings.db)
    position = store.events()[2].position
    store.run("UPDATE {events} SET state = ? WHERE {id} = ?", b"{}", position)
    broken = json.loads(audit(cli, "verify", *pinned, "--json", code=1))
    assert (broken["first_problem"]["kind"], broken["first_problem"]["position"]) == (
        kinds.CONTENT_MISMATCH, position)
    assert f"notification {position}" in audit(cli, "verify", code=1)
    audit(cli, "checkpoint", "--key", made["private_key"], "--out", str(notes), code=1)
    assert len(list(notes.iterdir())) == 1


def test_verify_with_another_public_key_fails(
    cli: CliRunner, settings: Settings, clock: SimulatedClock, tmp_path: Path
) -> None:
    drive(settings, clock, "450321-2022-0001")
    mine = json.loads(audit(cli, "keygen", "--out", str(tmp_path / "mine")))
    theirs = json.loads(audit(cli, "keygen", "--out", str(tmp_path / "theirs")))
    notes = str(tmp_path / "notes")
    audit(cli, "checkpoint", "--key", mine["private_key"], "--out", notes)
    audit(cli, "verify", "--checkpoints", notes, "--public-key", mine["public_key"])
    report = json.loads(audit(cli, "verify", "--checkpoints", notes, "--public-key",
                              theirs["public_key"], "--json", code=1))
    assert report["first_problem"]["kind"] == kinds.CHECKPOINT_SIGNATURE
    audit(cli, "verify", "--checkpoints", notes, code=2)


def test_the_chain_continues_across_a_restart(settings: Settings, clock: SimulatedClock) -> None:
    drive(settings, clock, "450321-2022-0001")
    before = check(RawStore(settings.db))
    drive(settings, clock, "450321-2022-0002", "450321-2022-0003")
    after = check(RawStore(settings.db))
    assert before.ok and after.ok, after.problems[:3]
    assert after.events == after.chain_rows > before.events
    assert after.origin == before.origin


WRITER = """
import sys, uuid
from eventsourcing.persistence import StoredEvent
from renovation.application.app import RenovationApp
app = RenovationApp(sys.argv[1])
print("ready", flush=True)
while True:
    oid = uuid.uuid4()
    app.recorder.insert_events([StoredEvent(originator_id=oid, originator_version=v,
                                            topic="test:crash", state=b"x" * 300)
                                for v in range(1, 41)])
"""


def test_a_writer_killed_mid_write_leaves_a_chain_that_verifies_and_continues(
    runtime: Runtime, clock: SimulatedClock, settings: Settings
) -> None:
    runtime.close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, settings.db],
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": "src"})
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(1.0)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    crashed = check(RawStore(settings.db))
    assert crashed.ok and crashed.events > 0 and crashed.events % 40 == 0, crashed.problems[:3]
    drive(settings, clock, "450321-2022-0001")
    after = check(RawStore(settings.db))
    assert after.ok and after.events == after.chain_rows > crashed.events, after.problems[:3]
